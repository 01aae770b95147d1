"""The ontology page: every pol: term with its own anchor, labels from the ontology, the shapes on each class,
text as data, no request leaving the page, the same bytes every time, and the command that writes it."""

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.ontodoc import load, ontology_page, project_page
from kg.vocab import POL
from tests.conftest import ROOT

NS = str(POL._NS)


class _Sections(HTMLParser):
    """Each element with an id: its tag, its class, and the text inside it (nested sections included)."""

    def __init__(self):
        super().__init__()
        self.ids, self.classes, self.text, self.refs, self.stack = [], {}, {}, [], []
        self.external = []  # src/href of anything the browser would fetch

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("link", "script", "img", "iframe", "object", "embed", "source", "audio", "video"):
            self.external.append((tag, attrs.get("src") or attrs.get("href")))
        if "style" in attrs and "url(" in attrs["style"]:
            self.external.append((tag, attrs["style"]))
        if attrs.get("href", "").startswith("#"):
            self.refs.append(attrs["href"][1:])
        if tag in ("br", "meta", "link", "img", "input", "hr"):
            return
        if "id" in attrs:
            self.ids.append(attrs["id"])
            self.classes[attrs["id"]] = attrs.get("class", "")
            self.text[attrs["id"]] = []
        self.stack.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if tag in ("br", "meta", "link", "img", "input", "hr"):
            return
        self.stack.pop()

    def handle_data(self, data):
        for open_id in self.stack:
            if open_id:
                self.text[open_id].append(data)


@pytest.fixture(scope="module")
def graphs():
    return load()


@pytest.fixture(scope="module")
def page(graphs):
    return ontology_page(*graphs)


@pytest.fixture(scope="module")
def parsed(page):
    parser = _Sections()
    parser.feed(page)
    return parser


def declared():
    """The ontology file's own pol: classes and properties, counted with rdflib alone."""
    g = Graph().parse(ROOT / "ontology" / "policy-kg.ttl")

    def pol(kind):
        return {s for s in g.subjects(RDF.type, kind) if str(s).startswith(NS)}

    props = pol(OWL.ObjectProperty) | pol(OWL.DatatypeProperty) | pol(OWL.AnnotationProperty) | pol(RDF.Property)
    return g, pol(OWL.Class), props


def test_the_page_has_as_many_classes_and_properties_as_the_ontology_declares(parsed):
    _, classes, props = declared()
    assert len(classes) == 22 and len(props) == 41  # as the file stands; the page must follow it
    on_page = {i for i, c in parsed.classes.items() if c == "term class"}
    assert on_page == {str(c)[len(NS):] for c in classes}
    on_page = {i for i, c in parsed.classes.items() if c == "term property"}
    assert on_page == {str(p)[len(NS):] for p in props}


def test_every_pol_term_has_an_element_whose_id_is_its_local_name(parsed):
    g, _, _ = declared()
    terms = {str(s)[len(NS):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)
             and str(s) != NS}
    assert len(terms) == len(POL.__annotations__)
    assert terms <= set(parsed.ids)
    assert {"Measure", "leadUnit", "PolicyDocument", "inGazetteer", "LeadRole"} <= set(parsed.ids)
    assert len(parsed.ids) == len(set(parsed.ids))  # ids are unique
    assert set(parsed.refs) <= set(parsed.ids)  # every link inside the page lands somewhere


def test_measure_shows_its_labels_and_the_shapes_that_constrain_it(parsed):
    g, _, _ = declared()
    zh = {str(o) for o in g.objects(POL.Measure, RDFS.label) if isinstance(o, Literal) and o.language == "zh"}
    assert zh == {"落实举措"}
    text = " ".join(" ".join(parsed.text["Measure"]).split())
    assert "落实举措" in text and "Measure" in text
    # polsh:ItemShape (core): pol:text exactly one Chinese text, minCount 1, maxCount 1 — read from the shapes
    shapes = Graph().parse(ROOT / "shapes" / "policy-kg-shapes.ttl")
    item = URIRef("https://w3id.org/policy-kg/shapes#ItemShape")
    assert (item, SH.targetClass, POL.Measure) in shapes
    texts = [p for p in shapes.objects(item, SH.property) if shapes.value(p, SH.path) == POL.text]
    assert [int(shapes.value(p, SH.minCount)) for p in texts] == [1]
    message = str(shapes.value(texts[0], SH.message))
    assert "polsh:ItemShape" in text and message in text
    assert re.search(r"pol:text\s+1\s+1\s+sh:languageIn", text)
    # and the task-list profile's shape, said to be from its file
    assert "polsh:ProfileMeasureShape" in text and "shapes/task-list-profile.ttl" in text
    assert "^pol:hasMeasure 1" in text.replace("^ ", "^")  # the inverse path, minCount 1
    assert "range of pol:hasMeasure" in text  # used by


def test_external_terms_and_their_shapes(parsed):
    assert parsed.classes["eli:LegalResource"] == "external class"
    text = " ".join(" ".join(parsed.text["org:Organization"]).split())
    assert "polsh:UnitShape" in text and "range of pol:leadUnit" in text
    text = " ".join(" ".join(parsed.text["prov:Activity"]).split())
    assert "polsh:ResponsibleItemShape" in text  # found by its target: subjects of pol:leadUnit, whose domain it is


def test_a_label_with_markup_stays_text(graphs):
    ontology, shapes = graphs
    g = Graph()
    for triple in ontology:
        g.add(triple)
    g.add((POL.Measure, RDFS.comment, Literal("<script>alert(1)</script> & <b>x</b>", lang="en")))
    g.add((POL.Measure, RDFS.label, Literal('"><img src=x onerror=alert(1)>', lang="en")))
    html = ontology_page(g, shapes)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in html


def test_nothing_on_the_page_makes_a_request(page, parsed):
    assert parsed.external == []
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"(?:src|srcset)\s*=|@import|url\(", page)


def test_two_runs_give_the_same_bytes(page):
    assert project_page() == page
    code = "import sys; from kg.ontodoc import project_page; sys.stdout.buffer.write(project_page().encode())"
    for seed in ("1", "4242"):
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120,
                               env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        assert other == page.encode("utf-8")


def test_term_href_chooses_links(graphs):
    html = ontology_page(*graphs, term_href=lambda iri: "/r/" + iri.rsplit("#", 1)[-1] if iri.endswith("Role")
                         else None)
    assert 'href="/r/LeadRole"' in html and 'href="#Measure"' in html


def cli(*args):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_command_writes_the_page_and_refuses_a_folder(tmp_path, page):
    out = tmp_path / "docs" / "ontology.html"
    proc = cli("ontology-doc", "--out", str(out))
    assert proc.returncode == 0 and proc.stdout == f"wrote {out}\n", proc.stderr
    assert out.read_bytes() == page.encode("utf-8")
    proc = cli("ontology-doc", "--out", str(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"policy-kg: error: {tmp_path}: is a folder: give a file name\n"


def test_a_plain_graph_of_shapes_works_too(graphs):
    """The shapes as validation loads them (one merged Graph): the same shapes under the classes; only the file each
    comes from cannot be told, and is not guessed."""
    from kg.validate import load_shapes
    from kg.vocab import PROFILES

    html = ontology_page(graphs[0], load_shapes(profiles=tuple(PROFILES.values())))
    parser = _Sections()
    parser.feed(html)
    text = " ".join(" ".join(parser.text["Measure"]).split())
    assert "polsh:ItemShape" in text and "polsh:ProfileMeasureShape" in text
    assert "shapes/task-list-profile.ttl" not in html and "from the shapes given" in text
