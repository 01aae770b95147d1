"""Resource pages (kg/pages.py): what a page says, its RDF, its links; served with content negotiation
(kg/serve.py) and written as a static site (kg/site.py); walked in a real browser."""

import json
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.pages import MAX_INCOMING, Pages, ServerLinks, SiteLinks, natural_key
from kg.query import OxigraphEngine, open_engine
from kg.serve import Endpoint
from kg.vocab import DEFAULT_BASE, RDFS

DOC = DEFAULT_BASE + "doc/wenzhou-2023-82"
TASK7 = DOC + "/task/7"
DRC = DEFAULT_BASE + "org/wz-drc"
DRC_LEADS = ["强化用能保障", "向民营企业推介三张项目清单", "鼓励发展创业投资", "支持民营企业盘活存量资产",
             "严格实行“非禁即入”", "完善社会信用激励约束机制"]


@pytest.fixture(scope="module")
def pages(ttl):
    return Pages(open_engine([ttl]))


def test_every_subject_under_the_base_has_a_page(pages, graph):
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(DEFAULT_BASE)}
    assert pages.resources == subjects and len(subjects) == 768 and pages.unsafe == []
    assert pages.path(TASK7) == "doc/wenzhou-2023-82/task/7" and pages.path(DEFAULT_BASE + "nothing") is None


def test_a_unit_page_lists_what_it_leads_and_supports_by_document(pages):
    d = pages.describe(DRC)
    assert (d.title, d.labels["en"]) == ("市发展改革委", "Wenzhou Development and Reform Commission")
    groups = {g.predicate.term.value.rsplit("#", 1)[1]: g for g in d.incoming}
    assert sorted(groups) == ["leadUnit", "supportUnit"]  # not prov:agent: the associations say it again
    lead = groups["leadUnit"]
    [(doc, items)] = lead.by_document
    assert doc.term.value == DOC and doc.text.startswith("温州市人民政府办公室关于印发")
    assert [v.text for v in items] == DRC_LEADS  # in the order of the key tasks' numbers (4, 7, 9 … 25)
    assert [v.term.value.rsplit("/", 1)[1] for v in items] == sorted(
        [v.term.value.rsplit("/", 1)[1] for v in items], key=natural_key)
    [(doc, supported)] = groups["supportUnit"].by_document
    assert doc.term.value == DOC and len(supported) == 8
    assert lead.predicate.text == "牵头单位" and lead.predicate.secondary == "lead unit"


def test_a_document_page_has_its_outline(pages):
    d = pages.describe(DOC)
    assert len(d.outline) == 332 and d.document.term.value == DOC
    assert [(e.depth, e.value.local) for e in d.outline[:5]] == [
        (0, "doc/wenzhou-2023-82/text"), (1, "doc/wenzhou-2023-82/task-list"), (2, "doc/wenzhou-2023-82/task/1"),
        (3, "doc/wenzhou-2023-82/task/1/measure/1"), (3, "doc/wenzhou-2023-82/task/1/measure/2")]
    tasks = [e for e in d.outline if re.fullmatch(r"doc/wenzhou-2023-82/task/\d+", e.value.local)]
    assert len(tasks) == 32 and [e.value.local.rsplit("/", 1)[1] for e in tasks] == [str(i) for i in range(1, 33)]
    assert sum(1 for e in d.outline if "/measure/" in e.value.local) == 195
    assert sum(1 for e in d.outline if "/target/" in e.value.local) == 92


def test_a_key_task_page(pages):
    d = pages.describe(TASK7)
    props = {g.predicate.term.value.rsplit("#", 1)[-1]: g for g in d.properties}
    assert [v.text for v in props["leadUnit"].values] == ["市发展改革委"]
    assert [v.text for v in props["supportUnit"].values] == ["市住建局", "市国资委", "市交通运输局", "市水利局"]
    assert d.properties[0].predicate.term.value.endswith("#type")  # types first, then labels
    assert d.document.term.value == DOC
    html = pages.html(d, ServerLinks(pages, TASK7))
    assert '<a href="/id/org/wz-drc" title="https://w3id.org/policy-kg/id/org/wz-drc">市发展改革委</a>' in html
    assert '<link rel="alternate" type="text/turtle" href="/id/doc/wenzhou-2023-82/task/7.ttl">' in html
    assert 'href="/ontology#leadUnit"' in html  # terms link to the ontology's documentation
    assert "<script" not in html and "http://" not in re.sub(r'(title|href)="[^"]*"', "", html).replace(
        "http://www.w3.org/2000/svg", "")


def test_rdf_of_a_resource(pages, graph):
    mine = Graph()
    for t in graph.triples((URIRef(TASK7), None, None)):
        mine.add(t)
    nt, ttl, jsonld = (pages.rdf(TASK7, ext) for ext in ("nt", "ttl", "jsonld"))
    assert len(nt.decode().splitlines()) == len(mine) == 32
    for data, fmt in ((nt, "nt"), (ttl, "turtle"), (jsonld, "json-ld")):
        assert isomorphic(Graph().parse(data=data, format=fmt), mine), fmt
    assert json.loads(jsonld)["@context"]["pol"] == "https://w3id.org/policy-kg/ontology#"  # stands alone
    assert ttl.startswith(b"PREFIX eli: <http://data.europa.eu/eli/ontology#>")
    assert [pages.rdf(TASK7, ext) for ext in ("nt", "ttl", "jsonld")] == [nt, ttl, jsonld]  # same bytes


def test_site_links_are_relative(pages):
    links = SiteLinks(pages, TASK7)
    assert links.resource(DRC) == "../../../../org/wz-drc/index.html"
    assert links.resource(DOC) == "../../index.html"
    assert links.ontology() == "../../../../../ontology/index.html"
    assert links.term("https://w3id.org/policy-kg/ontology#KeyTask") == "../../../../../ontology/index.html#KeyTask"
    assert links.term("http://www.w3.org/ns/prov#Activity") == "http://www.w3.org/ns/prov#Activity"
    assert links.resource(DEFAULT_BASE + "doc/none") is None
    assert SiteLinks(pages).resource(DRC) == "id/org/wz-drc/index.html"


def test_markup_in_data_stays_text():
    engine = OxigraphEngine()
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    g = Graph()
    g.add((URIRef(DEFAULT_BASE + "org/x"), RDFS.label, Literal(evil, lang="zh")))
    g.add((URIRef(DEFAULT_BASE + "doc/y"), URIRef("https://w3id.org/policy-kg/ontology#leadUnit"),
           URIRef(DEFAULT_BASE + "org/x")))
    engine.store.bulk_load(g.serialize(format="nt", encoding="utf-8"), engine.ox.RdfFormat.N_TRIPLES)
    pages = Pages(engine)
    for iri in (DEFAULT_BASE + "org/x", DEFAULT_BASE + "doc/y"):
        html = pages.html(pages.describe(iri), SiteLinks(pages, iri))
        assert "<img" not in html and "<script" not in html
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&lt;script&gt;" in html


def test_many_incoming_links_are_capped(monkeypatch):
    engine = OxigraphEngine()
    lines = [f'<{DEFAULT_BASE}doc/d/item/{i}> <https://w3id.org/policy-kg/ontology#leadUnit> <{DEFAULT_BASE}org/u> .'
             for i in range(30)] + [f'<{DEFAULT_BASE}org/u> <{RDFS.label}> "单位" .']
    engine.store.bulk_load("\n".join(lines).encode(), engine.ox.RdfFormat.N_TRIPLES)
    monkeypatch.setattr("kg.pages.MAX_INCOMING", 10)
    pages = Pages(engine)
    [group] = pages.describe(DEFAULT_BASE + "org/u").incoming
    assert sum(len(v) for _, v in group.by_document) == 10 and group.more == 20
    assert "and 20 more" in pages.html(pages.describe(DEFAULT_BASE + "org/u"), SiteLinks(pages, DEFAULT_BASE + "org/u"))
    assert MAX_INCOMING == 2000


# -- served: content negotiation (W3C "Cool URIs", 303 recipe) ----------------------------------------
@pytest.fixture(scope="module")
def app(ttl):
    return Endpoint(open_engine([ttl]).store)


def call(app, path, accept="", method="GET"):
    got = {}

    def start_response(status, headers):
        got["status"], got["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method, "HTTP_ACCEPT": accept, "QUERY_STRING": ""},
                        start_response))
    return got["status"], got["headers"], body


@pytest.mark.parametrize("accept, target", [
    ("text/turtle", "/id/doc/wenzhou-2023-82/task/7.ttl"),
    ("application/ld+json", "/id/doc/wenzhou-2023-82/task/7.jsonld"),
    ("application/n-triples", "/id/doc/wenzhou-2023-82/task/7.nt"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/id/doc/wenzhou-2023-82/task/7.html"),
    ("", "/id/doc/wenzhou-2023-82/task/7.html"),
    ("text/turtle;q=0.5, application/ld+json", "/id/doc/wenzhou-2023-82/task/7.jsonld"),
])
def test_an_iri_answers_with_303_by_accept(app, accept, target):
    status, headers, body = call(app, "/id/doc/wenzhou-2023-82/task/7", accept)
    assert (status, headers["Location"], headers["Vary"]) == ("303 See Other", target, "Accept")
    assert body == f"See {target}\n".encode()


@pytest.mark.parametrize("path, ctype, start", [
    ("/id/doc/wenzhou-2023-82/task/7.ttl", "text/turtle; charset=utf-8", b"PREFIX eli:"),
    ("/id/doc/wenzhou-2023-82/task/7.nt", "application/n-triples; charset=utf-8", b"<https://w3id.org/"),
    ("/id/doc/wenzhou-2023-82/task/7.jsonld", "application/ld+json", b'{\n "@context"'),
    ("/id/doc/wenzhou-2023-82/task/7.html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
])
def test_the_documents_answer(app, path, ctype, start):
    status, headers, body = call(app, path)
    assert status == "200 OK" and headers["Content-Type"] == ctype and body.startswith(start)
    assert '</id/doc/wenzhou-2023-82/task/7.ttl>; rel="alternate"; type="text/turtle"' in headers["Link"]
    if ctype.startswith("text/html"):
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_refusals(app):
    assert call(app, "/id/doc/wenzhou-2023-82/task/7", "image/png")[0] == "406 Not Acceptable"
    status, _, body = call(app, "/id/doc/wenzhou-2023-82/task/99")
    assert status == "404 Not Found" and body == b"no resource <https://w3id.org/policy-kg/id/doc/wenzhou-2023-82/task/99> here\n"
    assert call(app, "/id/doc/wenzhou-2023-82/task/7.xml")[0] == "404 Not Found"
    assert call(app, "/id/doc/wenzhou-2023-82/task/7", method="POST")[0] == "405 Method Not Allowed"
    assert call(app, "/id/../sparql")[0] == "404 Not Found"


def test_what_the_first_users_found(app, pages):
    # a qualified association is named by its item, its unit and its role, not by its path
    html = call(app, "/id/doc/wenzhou-2023-82/task/7.html")[2].decode()
    assert ">向民营企业推介三张项目清单 · 市发展改革委 · 牵头单位</a>" in html
    assert "doc/wenzhou-2023-82/task/7/responsibility/wz-drc</a>" not in html
    # JSON and plain text are JSON-LD and N-Triples
    assert call(app, "/id/org/wz-drc", "application/json")[1]["Location"] == "/id/org/wz-drc.jsonld"
    assert call(app, "/id/org/wz-drc", "text/plain")[1]["Location"] == "/id/org/wz-drc.nt"
    # a path is UTF-8 (WSGI hands it over as Latin-1), and a 404 does not repeat a path of any length
    status, _, body = call(app, "/id/doc/温州".encode("utf-8").decode("latin-1"))
    assert status == "404 Not Found" and body.decode() == "no resource <https://w3id.org/policy-kg/id/doc/温州> here\n"
    assert len(call(app, "/id/" + "a" * 20000)[2]) < 300
    # only web addresses become links: a javascript: IRI in the data is text
    links = ServerLinks(pages)
    assert links.term("javascript:alert(1)") is None and links.term("http://www.w3.org/ns/prov#agent")


def test_the_ontology_page_is_served(app):
    status, headers, body = call(app, "/ontology")
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'id="leadUnit"' in body.decode() and 'id="KeyTask"' in body.decode()
    assert call(app, "/ontology", method="POST")[0] == "405 Method Not Allowed"
    assert '<a href="/ontology">' in call(app, "/")[2].decode()  # linked from the SPARQL editor
    status, headers, body = call(app, "/ontology", "text/turtle")  # for an RDF client resolving pol: terms
    assert (status, headers["Content-Type"]) == ("200 OK", "text/turtle; charset=utf-8")
    assert len(Graph().parse(data=body, format="turtle")) > 500


def test_the_list_of_documents_and_units(app):
    status, _, body = call(app, "/id/")
    html = body.decode()
    assert status == "200 OK" and '<a href="/id/doc/wenzhou-2023-82"' in html and "温政办〔2023〕82号" in html
    units = re.findall(r'<li><a href="/id/org/([^"]+)"[^>]*>([^<]+)</a>.*?<span class="count">(\d+)</span>', html)
    # the 42 responsible units, most items first; the issuer (responsible for none) apart
    assert len(units) == 42 and units[0] == ("wz-drc", "市发展改革委", "14")
    others = html.split('id="others"')[1]
    assert re.findall(r'<li><a href="/id/org/([^"]+)"', others) == ["wz-gov-office"]


# -- walked in a real browser: document → key task → its lead unit → another key task of that unit, and back ----
from tests.conftest import needs_browser  # noqa: E402  (the browser: a fixture of conftest)




def walk(browser, start: str, own: str, shots: str) -> list[str]:
    """Follow links by clicking them as a reader would; every request must stay at *own* (an origin or file:)."""
    from tests.test_viz import SCREENSHOTS

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.continue_() if route.request.url.startswith(own)
               else route.abort())
    titles = []

    def at() -> str:
        titles.append(page.locator("h1").inner_text())
        return titles[-1]

    page.goto(start)
    assert at().startswith("温州市人民政府办公室关于印发温州市促进民营经济高质量发展若干举措的通知")
    page.locator("#outline a", has_text="向民营企业推介三张项目清单").click()
    assert at() == "向民营企业推介三张项目清单"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{shots}-key-task.png"))
    page.locator("#properties tr", has_text="pol:leadUnit").locator("a", has_text="市发展改革委").click()
    assert at() == "市发展改革委 Wenzhou Development and Reform Commission"
    page.screenshot(path=str(SCREENSHOTS / f"{shots}-unit.png"), full_page=True)
    page.locator("#incoming a", has_text="强化用能保障").click()
    assert at() == "强化用能保障"
    assert page.locator("#properties tr", has_text="pol:leadUnit").inner_text().count("市发展改革委") == 1
    for expected in ("市发展改革委", "向民营企业推介三张项目清单", "温州市人民政府办公室关于印发"):
        page.go_back()
        assert at().startswith(expected)
    page.go_forward()
    page.locator("#document a").click()  # the key task's document, by its link
    assert at().startswith("温州市人民政府办公室关于印发")
    outside = [u for u in requests if not u.startswith(own)]
    page.close()
    assert outside == [] and errors == []
    return titles


@pytest.mark.slow
@needs_browser
def test_walk_on_serve(browser, ttl):
    from tests.test_serve import _server

    with _server(ttl) as url:
        origin = url.rsplit("/sparql", 1)[0]
        titles = walk(browser, f"{origin}/id/doc/wenzhou-2023-82", origin + "/", "serve")
    assert len(titles) == 8


# -- the static site -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(ttl, tmp_path_factory):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 768 resource pages, 3086 files\n"
    return out


def test_the_site_has_every_page_and_its_rdf(site, graph):
    pages = sorted(p.parent.relative_to(site / "id").as_posix() for p in (site / "id").rglob("index.html"))
    assert len(pages) == 768 and "doc/wenzhou-2023-82/task/7" in pages and "org/wz-drc" in pages
    task = site / "id/doc/wenzhou-2023-82/task/7"
    assert sorted(p.name for p in task.iterdir() if p.is_file()) == ["index.html", "index.jsonld", "index.nt",
                                                                    "index.ttl"]
    assert isomorphic(Graph().parse(task / "index.ttl"),
                      Graph().parse(data=Graph().parse(task / "index.nt").serialize(format="nt"), format="nt"))
    html = (task / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../../../org/wz-drc/index.html" title="https://w3id.org/policy-kg/id/org/wz-drc">市发展改革委</a>' in html
    assert 'href="../../../../../ontology/index.html#leadUnit"' in html
    assert sorted(p.name for p in (site / "data").iterdir()) == [
        "context.jsonld", "dataset.ttl", "index.html", "wenzhou-2023-82.jsonld", "wenzhou-2023-82.nt",
        "wenzhou-2023-82.trig", "wenzhou-2023-82.ttl"]
    assert len(Graph().parse(site / "data/wenzhou-2023-82.ttl")) == len(graph)
    assert sorted(p.name for p in (site / "views").iterdir()) == [
        "index.html", "policy-hierarchy.html", "responsibility-network.html", "unit-network.html"]
    assert 'id="leadUnit"' in (site / "ontology/index.html").read_text(encoding="utf-8")
    for page in ("ontology/index.html", "views/index.html", "data/index.html"):  # no dead ends
        assert '<a href="../index.html">' in (site / page).read_text(encoding="utf-8"), page
    # every relative link of every page resolves to a file of the site
    broken = []
    for page in [site / "index.html", *(site / "id").rglob("index.html")]:
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', page.read_text(encoding="utf-8")):
            if not (page.parent / href).resolve().is_file():
                broken.append((page.relative_to(site).as_posix(), href))
    assert broken == []


def test_the_site_is_the_same_bytes_and_replaces_only_its_own_folder(site, ttl, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    again = CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(site)])
    assert again.exit_code == 0 and again.output.startswith(f"replaced {site}: 768 resource pages")
    first = files(site)
    other = tmp_path / "other"
    CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(other)])
    assert files(other) == first  # same graph, same bytes
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    refused = CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(mine)])
    assert refused.exit_code == 2 and (mine / "notes.txt").read_text() == "keep me"
    assert refused.output == f"policy-kg: error: {mine}: is a folder that policy-kg did not write: give a new or empty folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "other"]  # no temporary folder left
    (tmp_path / "a-file").write_text("x")
    under = CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(tmp_path / "a-file" / "site")])
    assert under.exit_code == 2 and under.output == f"policy-kg: error: {tmp_path / 'a-file'}: is a file, not a folder\n"


def test_personal_phones_left_out_on_request(ttl, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.publish import redact_engine

    mobile = "tel:+86-188-6773-9168"  # a contact's personal mobile number in Wenzhou's task list
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", "--graph", str(ttl), "--out", str(out), "--redact", "personal-phones"])
    assert result.exit_code == 0 and result.output.startswith("personal-phones: 6 value(s) left out\n")
    assert [p for p in out.rglob("*") if p.is_file() and mobile.encode() in p.read_bytes()] == []
    engine, removed = redact_engine(open_engine([ttl]), "personal-phones")
    served = Endpoint(engine.store)
    page = call(served, "/id/doc/wenzhou-2023-82/contact/11.ttl")[2].decode()
    assert removed == 6 and mobile not in page and "pol:phoneRedacted true" in page
    assert mobile in call(Endpoint(open_engine([ttl]).store), "/id/doc/wenzhou-2023-82/contact/11.ttl")[2].decode()


@pytest.mark.slow
@needs_browser
def test_walk_on_the_static_site(browser, site):
    titles = walk(browser, (site / "id/doc/wenzhou-2023-82/index.html").as_uri(), "file:", "site")
    assert len(titles) == 8
