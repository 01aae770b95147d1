from __future__ import annotations

import os
import shutil
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


# -- documents of the genre (other layouts) ----------------------------------------------------------
LAYOUTS = ROOT / "tests" / "data" / "layouts"  # small cuts of genre documents, always here
GENRE = ROOT.parent / "shared" / "sources" / "genre"  # the seven documents, beside the clone
needs_genre = pytest.mark.skipif(not GENRE.is_dir(), reason="needs ../shared/sources/genre beside the clone (CI has it)")


def _built(tmp_path_factory, source: Path, text: str) -> Path:
    """Build *text* as the document named after *source* (as `policy-kg build` does: read, map, validate)."""
    from kg.build import build

    folder = tmp_path_factory.mktemp(source.stem)
    copy = folder / source.name
    copy.write_text(text, encoding="utf-8")
    return build([copy], folder / "out")[0].turtle


@pytest.fixture(scope="session")
def genre_ttl(tmp_path_factory):
    """genre_ttl(name) -> the Turtle of ../shared/sources/genre/<name>.txt (its provenance header stripped)."""
    from kg.evaluate import strip_provenance

    built: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in built:
            source = GENRE / f"{name}.txt"
            built[name] = _built(tmp_path_factory, source, strip_provenance(source.read_text(encoding="utf-8")))
        return built[name]

    return make


@pytest.fixture(scope="session")
def layout_ttl(tmp_path_factory):
    """layout_ttl(name) -> the Turtle of tests/data/layouts/<name>.txt (task-table, brackets, unit-lines)."""
    built: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in built:
            source = LAYOUTS / f"{name}.txt"
            built[name] = _built(tmp_path_factory, source, source.read_text(encoding="utf-8"))
        return built[name]

    return make


# -- a real browser (Debian's chromium driven by Playwright), for the views, the pages and the editor ---------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    (CHROMIUM is None or shutil.which("fc-list") is None) and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it; in CI these tests must run)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM or "/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()
