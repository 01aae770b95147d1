"""The read-only SPARQL endpoint, started for real on loopback."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(ttl):
    proc = subprocess.Popen([sys.executable, "-u", "-m", "kg", "serve", "--graph", str(ttl), "--port", "0",
                             "--timeout", "2", "--max-rows", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    line = proc.stdout.readline()
    assert line.startswith("serving 6120 triples read-only at http://127.0.0.1:"), line + proc.stderr.read()
    yield line.split(" at ")[1].split()[0]
    proc.terminate()
    proc.wait(timeout=10)


def request(url, query=None, accept=None, data=None, content_type=None):
    if query is not None:
        url += "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, data=data, headers={k: v for k, v in (("Accept", accept),
                                                                             ("Content-Type", content_type)) if v})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


@pytest.mark.slow
def test_query_answered_as_json(endpoint):
    status, headers, body = request(endpoint, COUNT)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6120"


@pytest.mark.slow
@pytest.mark.parametrize("accept, start", [
    ("text/csv", "n\r\n6120"), ("text/tab-separated-values", "?n\n6120"),
    ("application/sparql-results+xml", '<?xml version="1.0"?><sparql')])
def test_content_negotiation(endpoint, accept, start):
    status, headers, body = request(endpoint, COUNT, accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(accept) and body.startswith(start)


@pytest.mark.slow
def test_post_forms(endpoint):
    status, _, body = request(endpoint, data=COUNT.encode(), content_type="application/sparql-query", accept="text/csv")
    assert (status, body.split()[-1]) == (200, "6120")
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = request(endpoint, data=form, content_type="application/x-www-form-urlencoded", accept="text/csv")
    assert (status, body.split()[-1]) == (200, "6120")


@pytest.mark.slow
def test_updates_refused(endpoint):
    form = urllib.parse.urlencode({"update": "DELETE WHERE { ?s ?p ?o }"}).encode()
    status, _, body = request(endpoint, data=form, content_type="application/x-www-form-urlencoded")
    assert status == 403 and "read-only" in body
    status, _, _ = request(endpoint, data=b"INSERT DATA { <a:b> <a:c> <a:d> }", content_type="application/sparql-update")
    assert status == 403
    status, _, body = request(endpoint, "DELETE WHERE { ?s ?p ?o }")
    assert status == 400 and body.startswith("SyntaxError")
    assert json.loads(request(endpoint, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "6120"


@pytest.mark.slow
def test_timeout_and_result_cap(endpoint):
    start = time.monotonic()
    status, _, body = request(endpoint, SLOW)
    assert status == 503 and "time limit of 2 s" in body
    assert time.monotonic() - start < 10
    status, headers, body = request(endpoint, "SELECT ?s WHERE { ?s ?p ?o }", accept="text/csv")
    assert status == 200 and headers["X-Result-Truncated"] == "true" and len(body.split()) == 6  # header + 5 rows
    assert request(endpoint, COUNT)[0] == 200  # the server is still there


@pytest.mark.slow
def test_malformed_and_unknown(endpoint):
    status, _, body = request(endpoint, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and "error at 1:" in body
    assert request(endpoint, COUNT, accept="image/png")[0] == 406
    assert request(endpoint.replace("/sparql", "/nope"))[0] == 404


@pytest.mark.slow
def test_a_genre_document_served(layout_ttl):
    """A task table whose units are jointly responsible: a named query answered over HTTP."""
    from kg.query import named_queries

    proc = subprocess.Popen([sys.executable, "-u", "-m", "kg", "serve", "--graph", str(layout_ttl("task-table")),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        assert line.startswith("serving "), line + proc.stderr.read()
        url = line.split(" at ")[1].split()[0]
        status, _, body = request(url, named_queries()["involvement-counts"].text, accept="text/csv")
        assert status == 200
        rows = {r.split(",")[0]: r.split(",")[1:] for r in body.splitlines()[1:]}
        assert body.splitlines()[0] == "unit,leadTasks,supportTasks,responsibleTasks,involvedTasks"
        assert rows["湖州市经信局"] == ["1", "0", "9", "10"] and rows["各区县政府"] == ["0", "0", "10", "10"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
