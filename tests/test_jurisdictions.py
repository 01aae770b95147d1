"""Jurisdictions and gazetteers: whose 市财政局; one identity across a corpus; cited documents linked in a store."""

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.evaluate import strip_provenance
from kg.jurisdictions import place_of, places
from kg.query import named_queries, open_engine, run
from kg.readers import read_document
from tests.conftest import BASE, ROOT, SOURCE

GENRE = ROOT.parent / "shared" / "sources" / "genre"
needs_genre = pytest.mark.skipif(not GENRE.is_dir(), reason="needs ../shared/sources/genre beside the clone (CI has it)")
NATIONAL = ("guofa-2018-42-nongjihua", "guofa-2018-39-jiuye", "guobanfa-2018-126-chuangxin-tuiguang")

# A city's measures that cite the State Council's opinion by title and number (written for this test).
CITING = """某市人民政府关于促进就业的实施意见

为贯彻落实《国务院关于做好当前和今后一个时期促进就业工作的若干意见》（国发〔2018〕39号），结合本市实际，提出如下意见。

一、主要任务

（一）落实稳岗返还。按照国发〔2018〕39号要求，做好稳岗返还。（市人力社保局、市财政局负责）
"""


@pytest.mark.parametrize("kwargs, expected", [
    ({"issuer": "国务院"}, "cn"), ({"issuer": "上海市人民政府办公厅"}, "sh"), ({"issuer": "浙江省发展改革委"}, "zj"),
    ({"issuer": "温州市人民政府办公室"}, "wz"), ({"number": "国办发〔2018〕126号"}, "cn"), ({"number": "沪府办发〔2025〕17号"}, "sh"),
    ({"number": "浙政发〔2025〕10号"}, "zj"), ({"number": "温政办〔2023〕82号"}, "wz"), ({"number": "穗卫函〔2020〕1号"}, "gz"),
    ({"title": "湖州市人工智能创新发展工作方案"}, "hz")])
def test_jurisdiction_of_a_document(kwargs, expected):
    found, _ = place_of(**kwargs)
    assert found.id == expected


def test_names_resolve_in_the_documents_jurisdiction(tmp_path):
    """市财政局 is Wenzhou's in a Wenzhou document, Guangzhou's in a Guangzhou one; 省发展改革委 in a Wenzhou one Zhejiang's."""
    def unit_of(text, name):
        path = tmp_path / "d.txt"
        path.write_text(text, encoding="utf-8")
        doc = read_document(path)
        return next(m.unit for i in doc.items for m in i.units if m.written == name)

    wz = unit_of("温州市某方案\n\n一、任务\n\n（一）做事。（市财政局、省发展改革委、人力资源社会保障部负责）\n", "市财政局")
    assert (wz.id, wz.name_zh, wz.known) == ("wz-finance", "市财政局", True)
    text = "广州市某方案\n\n一、任务\n\n（一）做事。（市财政局、省发展改革委、人力资源社会保障部负责）\n"
    gz = unit_of(text, "市财政局")
    assert (gz.id, gz.name_zh, gz.known, gz.place) == ("gz-shi-cai-zheng-ju", "广州市财政局", False, "gz")
    assert unit_of(text, "人力资源社会保障部").id == "cn-mohrss"
    zj = unit_of("温州市某方案\n\n一、任务\n\n（一）做事。（省发展改革委负责）\n", "省发展改革委")
    assert (zj.id, zj.name_zh) == ("zj-drc", "浙江省发展和改革委员会")


def test_variant_names_are_one_unit(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("温州市某方案\n\n一、任务\n\n（一）做事。（市发改委负责）\n\n（二）再做。（市发展和改革委员会负责）\n\n"
                    "（三）还做。（市发展改革委负责）\n", encoding="utf-8")
    doc = read_document(path)
    assert {m.unit.id for i in doc.items for m in i.units} == {"wz-drc"}


def test_every_place_has_a_parent_in_the_table_and_a_level():
    for p in places().values():
        assert p.level in ("national", "provincial", "municipal")
        assert p.parent is None or p.parent in places()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seven documents of the genre (bodies), Wenzhou's, and a city's document citing 国发〔2018〕39号."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(GENRE.glob("*.txt")):
        (folder / path.name).write_text(strip_provenance(path.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "wenzhou-2023-82.txt").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "citing.txt").write_text(CITING, encoding="utf-8")
    store = tmp_path_factory.mktemp("store") / "db"
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.stdout, open_engine(None, store=store)


def units_by_document(engine):
    rows = engine.select("""
        PREFIX pol: <https://w3id.org/policy-kg/ontology#>
        SELECT DISTINCT ?g ?u WHERE { GRAPH ?g { ?i pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?u } }""").rows
    out = {}
    for g, u in rows:
        out.setdefault(g.value.split("/doc/")[1].removesuffix("/graph"), set()).add(u.value.split("/")[-1])
    return out


@needs_genre
@pytest.mark.slow
def test_the_corpus_store(corpus):
    store, stdout, engine = corpus
    units = units_by_document(engine)
    # no unit of a non-Wenzhou document is a Wenzhou unit
    assert not any(u.startswith("wz-") for name, us in units.items() if name != "wenzhou-2023-82" for u in us)
    # every national ministry named in two national documents is one IRI
    assert {"cn-mohrss", "cn-mof", "cn-miit", "cn-pbc"} <= units["guofa-2018-39-jiuye"]
    assert {"cn-miit", "cn-mof", "cn-pbc"} <= units["guofa-2018-42-nongjihua"]
    # the build summary gives each document's jurisdiction and its units no gazetteer knows: none in national ones
    lines = {line.split(":")[0].strip(): line for line in stdout.splitlines() if line.startswith("  ")}
    for name in NATIONAL:
        assert "jurisdiction cn (from its document number)" in lines[f"{name}.txt"]
        assert "in no gazetteer" not in lines[f"{name}.txt"]
    assert lines["hufubanfa-2025-17-yiliaoqixie.txt"].endswith(
        "(23 in no gazetteer): 上海市科委、上海市经济信息化委、上海市数据局、上海市卫生健康委、申康医院发展中心、上海市教委、"
        "上海市人才局、上海市药品监管局、国家药监局医疗器械技术审评检查长三角分中心、上海市市场监管局、上海市医保局、上海市委金融办、"
        "上海金融监管局、上海市发展改革委、上海市商务委、上海市规划资源局、浦东新区政府、闵行区政府、嘉定区政府、虹桥国际中央商务区管委会、"
        "上海市国资委、上海海关、东方枢纽国际商务合作区管理局")
    assert "1 cited document(s) found in the store and linked" in stdout


@needs_genre
@pytest.mark.slow
def test_a_cited_document_in_the_store_is_that_document(corpus):
    _, _, engine = corpus
    cited = [r for r in run(named_queries()["cited-documents"], engine).records() if r["number"] == "国发〔2018〕39号"]
    assert cited == [{"document": "国务院关于做好当前和今后一个时期促进就业工作的若干意见", "number": "国发〔2018〕39号",
                      "level": "national", "citations": "2", "applies": "2", "produces": "0", "mentions": "0",
                      "keyTasks": "1", "inStore": "true"}]
    chain = [r for r in run(named_queries()["implementation-chain"], engine).records()
             if r["document"] == "某市人民政府关于促进就业的实施意见"]
    assert [(r["higher"], r["higherLevel"], r["inStore"]) for r in chain] == [
        ("国务院关于做好当前和今后一个时期促进就业工作的若干意见", "national", "true")]
    doc = BASE + "doc/guofa-2018-39-jiuye"
    assert engine.select(f"ASK {{ GRAPH <{BASE}doc/citing/graph> {{ ?text <http://data.europa.eu/eli/ontology#"
                         f"ensures_implementation_of> <{doc}> }} }}").boolean is True


def test_a_users_own_gazetteer(tmp_path):
    """--gazetteer FILE: searched first; its units are known, with their full names and English names."""
    gaz = tmp_path / "guangzhou.csv"
    gaz.write_text("id,name_zh,name_en,aliases,classification\n"
                   "gz-finance,广州市财政局,Guangzhou Municipal Finance Bureau,市财政局,municipal-department\n",
                   encoding="utf-8")
    doc = tmp_path / "gz.txt"
    doc.write_text("广州市某工作方案\n\n一、任务\n\n（一）做事。（市财政局负责）\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(doc), "--gazetteer", str(gaz), "--out", str(out), "--strict-units"])
    assert result.exit_code == 0, result.output
    assert "1 units, 0 lead / 0 support / 1 jointly responsible" in result.stdout
    ttl = (out / "gz.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/policy-kg/id/org/gz-finance>" in ttl and '"Guangzhou Municipal Finance Bureau"@en' in ttl
    bad = CliRunner().invoke(main, ["build", str(doc), "--gazetteer", str(tmp_path / "nope.csv"), "--out", str(out)])
    assert bad.exit_code == 2 and bad.stderr.strip().endswith("nope.csv: gazetteer not found")


@needs_genre
@pytest.mark.slow
def test_a_unit_across_documents_in_the_views(corpus, tmp_path):
    store, _, _ = corpus
    result = CliRunner().invoke(main, ["viz", "--store", str(store), "--out", str(tmp_path / "v"),
                                       "--unit", "工业和信息化部"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "v" / "unit-cn-miit.html").read_text(encoding="utf-8")
    assert "工业和信息化部" in page
    # its items in three documents: 国发〔2018〕42号 (12), 国办发〔2018〕126号 (1), 国发〔2018〕39号 (1)
    assert page.count(BASE + "doc/guofa-2018-42-nongjihua/part/") >= 12
    assert BASE + "doc/guobanfa-2018-126-chuangxin-tuiguang/table/1/row/" in page
    assert BASE + "doc/guofa-2018-39-jiuye/part/1/2" in page


@needs_genre
@pytest.mark.slow
def test_every_document_whose_place_is_known_has_its_level(corpus):
    """A place found from the title (Huzhou's plan, Zhejiang's 新场景 plan) gives the document its level too."""
    _, _, engine = corpus
    rows = engine.select("""
        PREFIX pol: <https://w3id.org/policy-kg/ontology#>
        SELECT ?d ?level WHERE { ?d a pol:PolicyDocument ; pol:jurisdiction ?p .
                                 OPTIONAL { ?d pol:jurisdictionLevel ?level } }""").rows
    levels = {d.value.split("/doc/")[1]: level.value.split("#")[1] if level else None for d, level in rows}
    assert levels["huzhou-rengongzhineng-gongzuofangan"] == "Municipal"
    assert levels["zhejiang-xinchangjing-xingdongfangan"] == "Provincial"
    assert None not in levels.values(), levels


@needs_genre
@pytest.mark.slow
def test_the_endpoint_answers_over_every_document_of_a_store(corpus):
    """serve --store: queries without GRAPH see every document's graph (before: 0 triples)."""
    import subprocess
    import sys
    import urllib.parse
    import urllib.request

    from tests.conftest import ROOT

    store, _, engine = corpus
    total = len(engine.store)
    proc = subprocess.Popen([sys.executable, "-u", "-m", "kg", "serve", "--store", str(store), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = proc.stdout.readline().split(" at ")[1].split()[0]
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        with urllib.request.urlopen(urllib.request.Request(f"{url}?{query}", headers={"Accept": "text/csv"}),
                                    timeout=30) as resp:
            assert resp.read().decode().split() == ["n", str(total)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@needs_genre
def test_a_build_says_when_the_jurisdiction_is_unknown(tmp_path):
    source = tmp_path / "zhejiang-shujuji-shishiyijian-songshengao.txt"
    source.write_text(strip_provenance((GENRE / source.name).read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "; jurisdiction: unknown (give --jurisdiction); 52 data-quality notes" in result.stdout.splitlines()[0]
