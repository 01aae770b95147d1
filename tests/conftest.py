from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.parse import parse_document
from kg.rdf import document_graph

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "wenzhou-2023-82.txt"
BASE = "https://w3id.org/policy-kg/id/"
DOC = BASE + "doc/wenzhou-2023-82"


@pytest.fixture(scope="session")
def doc():
    return parse_document(SOURCE)


@pytest.fixture(scope="session")
def graph(doc) -> Graph:
    return document_graph(doc)


@pytest.fixture
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture
def variant(tmp_path):
    """Write a changed copy of the source: variant(lambda lines: …) -> path."""

    def make(change, name="wenzhou-2023-82.txt") -> Path:
        lines = SOURCE.read_text(encoding="utf-8").split("\n")
        result = change(lines)
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(result, bytes):
            path.write_bytes(result)
        else:
            path.write_text("\n".join(lines if result is None else result), encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session")
def ttl(graph, tmp_path_factory) -> Path:
    """The default document's graph written as Turtle (what `policy-kg build` writes)."""
    from kg.export import turtle_bytes

    path = tmp_path_factory.mktemp("graph") / "wenzhou-2023-82.ttl"
    path.write_bytes(turtle_bytes(graph))
    return path


MINI = ROOT / "tests" / "data" / "mini.ttl"
