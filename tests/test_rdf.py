"""The RDF mapping: IRIs, types, labels, the query contract."""

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.vocab import DCTERMS, ELI, ORG, POL, PROV, TIME, VCARD
from tests.conftest import BASE, DOC


def iri(path=""):
    return URIRef(DOC + path)


def unit(uid):
    return URIRef(f"{BASE}org/{uid}")


def test_class_counts(graph):
    count = lambda cls: len(set(graph.subjects(RDF.type, cls)))
    assert count(POL.KeyTask) == 32
    assert count(POL.Measure) == 195
    assert count(POL.Target) == 92
    assert count(POL.PolicyArea) == 5
    assert count(ORG.Organization) == 43  # 42 responsible units and the issuer
    assert count(VCARD.Individual) == 27  # 32 tasks, 27 different people
    assert count(PROV.Association) == 133
    assert count(POL.OverallGoal) == 2 and count(POL.OrganisationalGuarantee) == 3


def test_measure_iri_and_text(graph):
    m = iri("/task/7/measure/3")
    assert (m, RDF.type, POL.Measure) in graph
    assert graph.value(m, POL.number) == Literal(3)
    assert graph.value(m, POL.number).datatype == XSD.integer
    assert str(graph.value(m, POL.text)) == "常态化向省级有关部门做好项目推介报送，并做好对接，争取更多项目纳入省级清单。"
    assert graph.value(m, POL.text).language == "zh"
    assert (iri("/task/7"), POL.hasMeasure, m) in graph
    assert graph.value(m, POL.sourceLine) == Literal(91)
    assert graph.value(m, RDFS.label) in {Literal("重点工作7·举措3", lang="zh"), Literal("Key task 7, measure 3", lang="en")}


def test_key_task(graph):
    task = iri("/task/4")
    assert set(graph.objects(task, RDF.type)) == {POL.KeyTask, PROV.Activity}
    assert graph.value(task, POL.number) == Literal(4)
    assert graph.value(task, RDFS.label) == Literal("强化用能保障", lang="zh")
    assert graph.value(task, POL.area) == iri("/area/1")
    assert list(graph.objects(task, POL.leadUnit)) == [unit("wz-drc")]
    assert list(graph.objects(task, POL.supportUnit)) == []
    assert graph.value(task, POL.period) == URIRef(BASE + "period/2023-2025")
    assert sorted(graph.objects(iri("/task/1"), POL.sourceLine)) == [Literal(64), Literal(67)]
    assert (iri("/task-list"), POL.hasKeyTask, task) in graph


def test_lead_and_support_with_qualified_association(graph):
    task = iri("/task/2")
    assert set(graph.objects(task, POL.leadUnit)) == {unit("wz-finance"), unit("wz-sasac")}
    assert set(graph.objects(task, POL.supportUnit)) == {
        unit("wz-science"), unit("wz-state-capital-operation"), unit("wz-state-finance-capital")}
    assoc = iri("/task/2/responsibility/wz-sasac")
    assert (task, PROV.qualifiedAssociation, assoc) in graph
    assert graph.value(assoc, PROV.agent) == unit("wz-sasac")
    assert graph.value(assoc, PROV.hadRole) == POL.LeadRole
    assert graph.value(iri("/task/2/responsibility/wz-science"), PROV.hadRole) == POL.SupportRole


def test_drc_leads_six_tasks(graph):
    led = sorted(int(graph.value(t, POL.number)) for t in graph.subjects(POL.leadUnit, unit("wz-drc")))
    assert led == [4, 7, 9, 10, 16, 28]


def test_units(graph):
    u = unit("wz-organisation-dept")
    assert set(graph.objects(u, RDFS.label)) == {
        Literal("市委组织部", lang="zh"), Literal("Organisation Department of the CPC Wenzhou Municipal Committee", lang="en")}
    assert Literal("市人才办", lang="zh") in set(graph.objects(u, SKOS.altLabel))
    assert graph.value(u, ORG.classification) == POL.PartyCommitteeDepartment
    assert graph.value(unit("wz-natural-resources"), RDFS.label, any=True) is not None
    assert Literal("市自然资源和规划局", lang="zh") in set(graph.objects(unit("wz-natural-resources"), RDFS.label))
    assert graph.value(unit("wz-court"), ORG.classification) == POL.CourtOrProcuratorate
    assert graph.value(unit("wz-fic"), ORG.classification) == POL.MassOrganisation
    assert graph.value(unit("pboc-wenzhou"), ORG.classification) == POL.CentralGovernmentBranch


def test_contact(graph):
    contact = graph.value(iri("/task/1"), POL.contact)
    assert (contact, RDF.type, VCARD.Individual) in graph
    assert graph.value(contact, VCARD.fn) == Literal("蔡景像")
    assert graph.value(contact, VCARD.hasTelephone) == URIRef("tel:+86-577-88026991")
    # one person, two tasks: one contact node
    assert graph.value(iri("/task/25"), POL.contact) == graph.value(iri("/task/30"), POL.contact)


def test_periods(graph):
    p = URIRef(BASE + "period/2023-2027")
    assert (p, RDF.type, TIME.ProperInterval) in graph
    begin = graph.value(p, TIME.hasBeginning)
    assert graph.value(begin, TIME.inXSDgYear) == Literal("2023", datatype=XSD.gYear)
    assert graph.value(graph.value(p, TIME.hasEnd), TIME.inXSDgYear) == Literal("2027", datatype=XSD.gYear)
    long_term = URIRef(BASE + "period/long-term")
    assert graph.value(long_term, POL.isLongTerm) == Literal(True)
    assert Literal("长期实施", lang="zh") in set(graph.objects(long_term, RDFS.label))
    assert len(set(graph.subjects(POL.period, long_term))) == 25


def test_notice_and_main_text(graph):
    notice = iri()
    assert graph.value(notice, ELI.id_local) == Literal("温政办〔2023〕82号")
    assert graph.value(notice, ELI.date_document) == Literal("2023-10-27", datatype=XSD.date)
    assert graph.value(notice, ELI.passed_by) == unit("wz-gov-office")
    assert graph.value(notice, POL.printDate) == Literal("2023-10-27", datatype=XSD.date)
    assert set(graph.objects(notice, POL.ccRecipient)) == {Literal(c, lang="zh") for c in ("市委", "市人大常委会", "市政协办公室")}
    text = iri("/text")
    assert (notice, ELI.has_part, text) in graph and (text, ELI.is_part_of, notice) in graph
    assert graph.value(text, ELI.title) == Literal("温州市促进民营经济高质量发展若干举措", lang="zh")
    higher = set(graph.objects(text, ELI.ensures_implementation_of))
    assert higher == {URIRef(BASE + "doc/cpc-sc-2023-private-economy-opinion"),
                      URIRef(BASE + "doc/zj-2023-private-economy-measures")}
    goal = iri("/text/goal/2025")
    assert graph.value(goal, POL.goalYear) == Literal("2025", datatype=XSD.gYear)
    assert (goal, ELI.is_part_of, text) in graph
    # main-text paragraphs are not linked from key tasks
    assert not list(graph.subjects(POL.hasTarget, goal))
    area_para = iri("/text/area/3")
    assert graph.value(area_para, POL.area) == iri("/area/3")
    assert graph.value(iri("/area/3"), SKOS.prefLabel) == Literal("真公平破隐性", lang="zh")
    assert graph.value(iri("/task-list"), POL.declaredMeasureCount) == Literal(195)


def test_iris_are_ascii_and_readable(graph):
    nodes = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    assert all(str(n).isascii() for n in nodes)
    ours = [str(n) for n in nodes if str(n).startswith(BASE)]
    assert all(" " not in n and "%" not in n for n in ours)


def test_units_have_identifier(graph):
    assert graph.value(unit("wz-drc"), DCTERMS.identifier) == Literal("wz-drc")


def test_custom_base(doc):
    from kg.rdf import document_graph

    g = document_graph(doc, "https://example.org/kg/")
    assert (URIRef("https://example.org/kg/doc/wenzhou-2023-82/task/7/measure/3"), RDF.type, POL.Measure) in g
