"""The vocabulary module and the ontology file name the same terms; the ontology is bilingual."""

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.units import CLASSIFICATIONS
from kg.vocab import POL

ROOT = Path(__file__).resolve().parent.parent
NS = str(POL._NS)


def ontology():
    g = Graph()
    g.parse(ROOT / "ontology" / "policy-kg.ttl")
    return g


def test_code_and_ontology_define_the_same_terms():
    g = ontology()
    in_file = {str(s)[len(NS):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    in_code = {name for name in POL.__annotations__}
    assert in_code == in_file


def test_terms_used_by_code_exist():
    """Every pol: term the package source mentions is in the vocabulary module."""
    used = set()
    for path in (ROOT / "kg").glob("*.py"):
        used |= set(re.findall(r"\bPOL\.([A-Za-z]+)", path.read_text(encoding="utf-8")))
    used -= {"_NS"}
    assert used <= set(POL.__annotations__)
    shapes = (ROOT / "shapes" / "policy-kg-shapes.ttl").read_text(encoding="utf-8")
    assert set(re.findall(r"\bpol:([A-Za-z]+)", shapes)) <= set(POL.__annotations__)


def test_every_term_has_zh_and_en_label_and_comment():
    g = ontology()
    for name in POL.__annotations__:
        term = POL[name]
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(term, prop) if isinstance(o, Literal)}
            assert {"zh", "en"} <= langs, (name, prop)


def test_classes_and_properties_are_typed():
    g = ontology()
    assert (POL.KeyTask, RDF.type, OWL.Class) in g
    assert (POL.KeyTask, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in g
    assert (POL.PolicyArea, RDFS.subClassOf, URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in g
    assert (POL.number, RDF.type, OWL.DatatypeProperty) in g
    assert (POL.leadUnit, RDF.type, OWL.ObjectProperty) in g
    assert (POL.leadUnit, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasAssociatedWith")) in g


def test_classifications_match_gazetteer():
    assert {local for local, _, _ in CLASSIFICATIONS.values()} <= set(POL.__annotations__)
