"""The read-only SPARQL endpoint, started for real on loopback."""

import contextlib
import json
import socket
import subprocess
import sys
import threading
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
                             "--timeout", "2", "--max-rows", "5",
                             "--max-memory", "200", "--read-timeout", "2", "--max-body", "100000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
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


@contextlib.contextmanager
def _server(ttl, *args):
    """A server of its own for a test, on any free port; yields its URL; its stderr is kept in _server.stderr."""
    proc = subprocess.Popen([sys.executable, "-u", "-m", "kg", "serve", "--graph", str(ttl), "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        assert line.startswith("serving "), line + proc.stderr.read()
        yield line.split(" at ")[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        _server.stderr = proc.stderr.read()


class Listener:
    """A socket on loopback that counts the connections made to it (a SERVICE target must see none)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port, self.connections = self.sock.getsockname()[1], 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * {{ ?a ?b ?c .sErViCe<http://127.0.0.1:{port}/>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment\n SERVICE SILENT <http://localhost:{port}/x> {{ ?s ?p ?o }} }}",
])
def test_service_refused_and_no_request_made(endpoint, template):
    listener = Listener()
    status, _, body = request(endpoint, template.format(port=listener.port))
    assert status == 400 and body == "SERVICE (federated query) is refused: this endpoint sends no requests of its own\n"
    time.sleep(0.2)
    assert listener.connections == 0


def test_service_blocked_in_the_child_even_if_the_check_is_fooled():
    """The query child can open no socket: a SERVICE that got past the check still reaches nobody."""
    import pyoxigraph as ox

    from kg.child import run_in_child
    from kg.serve import answer

    listener = Listener()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    outcome = run_in_child(lambda: answer(ox.Store(), query, ("JSON", None), 10), 5, isolated=True)
    time.sleep(0.2)
    assert outcome.status == "error" and "Too many open files" in outcome.value
    assert listener.connections == 0


@pytest.mark.slow
def test_terms_serialised(endpoint):
    """Blank nodes (a 500 with a traceback before), language tags and datatypes, in every results format."""
    query = 'SELECT ?b ?l ?d WHERE { BIND(BNODE() AS ?b) BIND("温州"@zh AS ?l) BIND(42 AS ?d) }'
    status, _, body = request(endpoint, query)
    row = json.loads(body)["results"]["bindings"][0]
    assert status == 200 and row["b"]["type"] == "bnode"
    assert row["l"] == {"type": "literal", "value": "温州", "xml:lang": "zh"}
    assert row["d"] == {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    status, _, body = request(endpoint, query, accept="text/tab-separated-values")
    assert status == 200 and body.splitlines()[1].split("\t")[0].startswith("_:")
    assert body.splitlines()[1].split("\t")[1:] == ['"温州"@zh', "42"]
    status, _, body = request(endpoint, query, accept="application/sparql-results+xml")
    assert status == 200 and "<bnode>" in body and '<literal xml:lang="zh">温州</literal>' in body


@pytest.mark.slow
def test_runaway_memory_stopped(ttl):
    """An ORDER BY over a cartesian product (4.45 GB in 10 s before) stops at the memory limit, long before the
    time limit; the server goes on."""
    with _server(ttl, "--timeout", "60", "--max-memory", "200") as url:
        start = time.monotonic()
        status, _, body = request(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
        assert (status, body) == (503, "query stopped: it needed more than the memory limit of 200 MB\n")
        assert time.monotonic() - start < 20
        assert request(url, COUNT)[0] == 200


def _host_port(url):
    netloc = urllib.parse.urlsplit(url).netloc
    host, port = netloc.rsplit(":", 1)
    return host, int(port)


@pytest.mark.slow
def test_idle_and_half_sent_connections_hold_up_no_one(endpoint):
    idle = socket.create_connection(_host_port(endpoint))
    half = socket.create_connection(_host_port(endpoint))
    half.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # the headers never end
    start = time.monotonic()
    assert request(endpoint, COUNT)[0] == 200
    assert time.monotonic() - start < 5
    half.settimeout(10)  # closed by the server after the read timeout (2 s) and its next clean-up round
    assert half.recv(1024) == b""
    assert time.monotonic() - start < 8
    idle.settimeout(10)
    assert idle.recv(1024) == b""
    idle.close()
    half.close()


@pytest.mark.slow
def test_request_body_limit(endpoint):
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 200_000
    status, _, _ = request(endpoint, data=big, content_type="application/sparql-query")
    assert status == 413
    assert request(endpoint, COUNT)[0] == 200


@pytest.mark.slow
def test_no_cross_origin_reading_unless_asked(endpoint, ttl):
    _, headers, _ = request(endpoint, COUNT)
    assert "Access-Control-Allow-Origin" not in headers


def _serve(*args, timeout=20):
    return subprocess.run([sys.executable, "-m", "kg", "serve", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.mark.slow
@pytest.mark.parametrize("args, message", [
    (["--port", "70000"], "policy-kg: error: Invalid value for '--port': 70000 is not in the range 0<=x<=65535. "
                          "(see 'policy-kg serve --help')\n"),
    (["--port", "http"], "policy-kg: error: Invalid value for '--port': 'http' is not a valid integer range. "
                         "(see 'policy-kg serve --help')\n"),
])
def test_bad_port_one_line(args, message):
    proc = _serve(*args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message)


@pytest.mark.slow
def test_port_in_use_one_line(ttl):
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    proc = _serve("--graph", str(ttl), "--port", str(port))
    taken.close()
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"policy-kg: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.slow
def test_warning_off_loopback_and_cors_on_request(ttl):
    with _server(ttl, "--host", "0.0.0.0", "--cors") as url:
        port = url.split(":")[-1].split("/")[0]
        status, headers, _ = request(f"http://127.0.0.1:{port}/sparql", COUNT)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert _server.stderr.startswith("policy-kg: warning: serving on 0.0.0.0, reachable from other machines")
