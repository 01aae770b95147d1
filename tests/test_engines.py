"""The fast validation gate and the reference agree on every document under ../shared/sources/ (the shape mutation
tests in test_shapes.py run through both engines too)."""


import pytest

from kg.evaluate import strip_provenance
from kg.rdf import document_graph
from kg.readers import read_document
from tests.conftest import ROOT
from tests.test_shapes import agreeing

SOURCES = sorted((ROOT.parent / "shared" / "sources").rglob("*.txt"))


def test_the_documents_are_there():
    assert len(SOURCES) >= 8, SOURCES


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_engines_agree_on_every_document(source, tmp_path):
    body = tmp_path / source.name
    body.write_text(strip_provenance(source.read_text(encoding="utf-8")), encoding="utf-8")
    graph = document_graph(read_document(body))
    assert agreeing(graph).conforms


def test_unknown_engine_is_one_line():
    from rdflib import Graph

    from kg.errors import InputError
    from kg.validate import validate_graph

    with pytest.raises(InputError, match=r"unknown validation engine 'fast' \(one of auto, pyshacl, shacl\)"):
        validate_graph(Graph(), engine="fast")
