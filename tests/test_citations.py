"""Policy hierarchy and cited documents: levels, pairing of titles with numbers, kinds of citation."""

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.citations import find_citations, jurisdiction, number_slug
from kg.query import named_queries, open_engine, run
from kg.vocab import ELI, POL
from tests.conftest import BASE, DOC


def doc_iri(slug):
    return URIRef(BASE + "doc/" + slug)


def test_title_paired_with_its_number(graph):
    d = doc_iri("wzb-2023-64")
    assert graph.value(d, ELI.id_local) == Literal("温政办〔2023〕64号")
    assert graph.value(d, ELI.title) == Literal("温州市加快基金业集聚促进股权投资高质量发展若干措施的通知", lang="zh")
    assert graph.value(d, POL.jurisdictionLevel) == POL.Municipal
    measure = URIRef(DOC + "/task/9/measure/3")
    assert (measure, ELI.cites, d) in graph
    citation = graph.value(measure, POL.hasCitation)
    assert graph.value(citation, POL.citedDocument) == d
    assert graph.value(citation, POL.citationKind) == POL.Applies
    assert graph.value(citation, POL.citingVerb) == Literal("实施", lang="zh")


def test_levels_of_higher_documents(graph):
    national = doc_iri("cpc-sc-2023-private-economy-opinion")
    provincial = doc_iri("zj-2023-private-economy-measures")
    assert graph.value(national, POL.jurisdictionLevel) == POL.National
    assert graph.value(provincial, POL.jurisdictionLevel) == POL.Provincial
    assert graph.value(URIRef(DOC), POL.jurisdictionLevel) == POL.Municipal
    assert graph.value(doc_iri("zjf-2023-13"), POL.jurisdictionLevel) == POL.Provincial
    text = URIRef(DOC + "/text")
    assert set(graph.objects(text, ELI.ensures_implementation_of)) == {national, provincial}
    assert not list(graph.subjects(None, URIRef(ELI + "implements")))


def test_key_tasks_implement_the_provincial_measures_in_order(graph, doc):
    assert doc.adopted_measures == 32
    provincial = doc_iri("zj-2023-private-economy-measures")
    for n in (1, 7, 32):
        measure = URIRef(f"{provincial}/measure/{n}")
        assert (URIRef(DOC + f"/task/{n}"), ELI.ensures_implementation_of, measure) in graph
        assert graph.value(measure, ELI.number) == Literal(str(n))
        assert graph.value(measure, ELI.is_part_of) == provincial
        assert Literal(f"浙江省措施第{n}条", lang="zh") in set(graph.objects(measure, RDFS.label))
    # the wording of the provincial measures is not in the source and is not invented
    assert graph.value(URIRef(f"{provincial}/measure/7"), POL.text) is None


def test_cited_documents_are_deduplicated(graph):
    docs = set(graph.subjects(RDF.type, ELI.LegalResource))
    assert len(docs) == 40  # the notice, its text, 2 higher-level documents, 36 cited by targets and measures
    numbers = sorted(str(n) for n in graph.objects(None, ELI.id_local))
    assert len(numbers) == len(set(numbers)) == 11
    assert "浙科发规〔2023〕21号" in numbers and "温市监知中〔2023〕2号" in numbers  # spaces removed


def test_citation_kinds(graph, doc):
    kinds = {}
    for c in doc.citations:
        kinds[c.title or c.number] = c.kind
    assert kinds["温州市科技创新创业投资基金管理办法"] == "produces"  # 修订完善《…》
    assert kinds["温州市民营企业科技创新促进条例"] == "produces"  # 推进《…》立法
    assert kinds["企业自主合规操作指南"] == "produces"  # …和《…》编制
    assert kinds["关于推进技工教育提质增量行动的实施方案"] == "applies"  # 全面落实《…》
    assert kinds["浙江省高能级科创平台评价评估管理办法"] == "applies"  # 贯彻落实《A》《B》
    assert kinds["浙江省支持个体工商户转型升级为企业工作的实施意见"] == "mentions"  # 了解《…》出台情况
    counts = {k: sum(1 for c in doc.citations if c.kind == k) for k in ("applies", "produces", "mentions")}
    assert counts == {"applies": 23, "produces": 13, "mentions": 2}


def test_jurisdiction_table():
    assert jurisdiction(number="浙政办发〔2023〕52号") == "provincial"
    assert jurisdiction(title="财政部 税务总局关于企业投入基础研究税收优惠政策的公告") == "national"
    assert jurisdiction(title="关于推进“交易让中小微企业市场更友好”改革的实施方案") is None
    assert number_slug("温市监知中〔2023〕2号") == "wsjzz-2023-2"
    assert number_slug("京政发〔2023〕1号") is None


def test_number_without_title():
    [c] = find_citations("按照浙政办发〔2023〕 52 号文件要求")
    assert (c.title, c.number, c.kind) == (None, "浙政办发〔2023〕52号", "applies")


def test_named_queries(ttl):
    e = open_engine([ttl])
    cited = run(named_queries()["cited-documents"], e).records()
    assert len(cited) == 38
    row = next(r for r in cited if r["number"] == "温政办〔2023〕64号")
    assert (row["level"], row["citations"], row["applies"], row["keyTasks"]) == ("municipal", "1", "1", "1")
    levels = {r["level"]: int(r["documents"]) for r in run(named_queries()["documents-by-level"], e).records()}
    assert levels == {"municipal": 18, "provincial": 13, "national": 2, "unknown": 7}
    chain = run(named_queries()["implementation-chain"], e).records()
    assert len(chain) == 64  # every key task under each of the two higher documents
    assert [r["implements"] for r in chain if r["higherLevel"] == "national"] == [None] * 32
    provincial = [r for r in chain if r["higherLevel"] == "provincial"]
    assert len(provincial) == 32 and provincial[6]["implements"] == "浙江省措施第7条"
    assert provincial[6]["task"] == "向民营企业推介三张项目清单"


def test_higher_documents_have_issuer_and_year(graph):
    from kg.vocab import DCTERMS, XSD

    national = doc_iri("cpc-sc-2023-private-economy-opinion")
    assert graph.value(national, DCTERMS.creator) == Literal("中共中央 国务院", lang="zh")
    assert graph.value(national, DCTERMS.issued) == Literal("2023", datatype=XSD.gYear)
    assert graph.value(doc_iri("zj-2023-private-economy-measures"), DCTERMS.creator) == Literal("浙江省", lang="zh")
