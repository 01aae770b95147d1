"""policy-kg publish: the round trip to a real Oxigraph server started on loopback."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from tests.conftest import BASE

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
GRAPH_IRI = BASE + "doc/wenzhou-2023-82/graph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server is not installed (it is in the test extra)")
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def count(base: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(base + "/query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "text/csv"})
    return int(urllib.request.urlopen(req, timeout=10).read().decode().split()[-1])


@pytest.mark.slow
def test_publish_round_trip(server, ttl):
    result = CliRunner().invoke(main, ["publish", str(ttl), "--endpoint", server + "/store"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"published {ttl} (6120 triples) to <{GRAPH_IRI}> at {server}/store: HTTP 20")
    assert count(server, GRAPH_IRI) == 6120
    # publishing again replaces the graph, it does not add to it
    assert CliRunner().invoke(main, ["publish", str(ttl), "--endpoint", server + "/store"]).exit_code == 0
    assert count(server, GRAPH_IRI) == 6120
    req = urllib.request.Request(server + "/store?" + urllib.parse.urlencode({"graph": GRAPH_IRI}),
                                 headers={"Accept": "application/n-triples"})
    back = Graph().parse(data=urllib.request.urlopen(req, timeout=10).read().decode(), format="nt")
    assert isomorphic(canonical(back), canonical(Graph().parse(ttl)))


def canonical(graph: Graph) -> Graph:
    """Decimals in one lexical form (a store may write 300 for the 300.0 of the Turtle: the same value)."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


@pytest.mark.slow
def test_publish_redacted_to_another_graph(server, ttl):
    result = CliRunner().invoke(main, ["publish", str(ttl), "--endpoint", server + "/store", "--graph-iri",
                                       "https://example.org/public", "--redact", "personal-phones"])
    assert result.exit_code == 0, result.stderr
    assert count(server, "https://example.org/public") == 6120  # 6 phones out, 6 redaction marks in


def test_unreachable_endpoint(ttl):
    port = free_port()
    result = CliRunner().invoke(main, ["publish", str(ttl), "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"policy-kg: error: cannot reach http://127.0.0.1:{port}/store: ")


@pytest.mark.slow
def test_publish_a_genre_document(server, layout_ttl):
    """Named after its pol:PolicyDocument (not a notice)."""
    ttl = layout_ttl("task-table")
    iri = BASE + "doc/task-table/graph"
    result = CliRunner().invoke(main, ["publish", str(ttl), "--endpoint", server + "/store"])
    assert result.exit_code == 0, result.stderr
    assert f" to <{iri}> at {server}/store: HTTP 20" in result.stdout
    assert count(server, iri) == len(Graph().parse(ttl))


def test_publish_needs_a_document_to_name_the_graph(tmp_path):
    path = tmp_path / "units.ttl"
    path.write_text("<https://example.org/a> a <http://www.w3.org/ns/org#Organization> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", str(path), "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 2
    assert result.stderr == (f"policy-kg: error: {path}: no pol:PolicyDocument in the graph to name it after: "
                             "give --graph-iri\n")
