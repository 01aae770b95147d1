"""The SPARQL editor at / of `policy-kg serve`: its page, its files, and a real browser running a named query."""

import http.client
import io
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from kg import editor
from kg.query import NamedQuery, named_queries
from kg.serve import Endpoint
from tests.conftest import ROOT, needs_browser

SCREENSHOTS = ROOT / "test-output" / "screenshots"
HOSTILE = "SELECT * WHERE { ?s ?p \"</script><img src=x onerror=alert(1)>\" } # <!-- & \u2028"


def examples_in(html: str) -> list[dict]:
    start = html.index('<script type="application/json" id="kg-examples-data">')
    body = html[html.index(">", start) + 1:html.index("</script>", start)]
    return json.loads(body)


def wsgi(path: str, method: str = "GET") -> tuple[str, dict, bytes]:
    """Call the WSGI application as waitress would (no store: these paths never query)."""
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "QUERY_STRING": "", "wsgi.input": io.BytesIO()}
    body = b"".join(Endpoint(None)(environ, start_response))
    return seen["status"], seen["headers"], body


def test_page_offers_every_named_query():
    html = editor.page().decode("utf-8")
    names = list(named_queries())
    assert len(names) >= 19 and all(f'<option value="{name}">{name}</option>' in html for name in names)
    shown = {e["name"]: e for e in examples_in(html)}
    assert list(shown) == names
    assert shown["lead-counts"]["query"] == named_queries()["lead-counts"].text  # no parameter: as written
    # a parameter comes bound to the example value of its @param line, and the query says so
    due = shown["items-due"]
    assert due["params"][0]["value"] == "2026" and "?year" not in due["query"].split("change it there)\n")[1]
    assert "# Example value: ?year = 2026" in due["query"] and 'YEAR(?dueDate) = "2026"^^<http://www.w3.org/2001/XMLSchema#integer>' in due["query"]
    assert '"市发展改革委"@zh' in shown["unit-tasks"]["query"]
    assert 'data-endpoint="/sparql"' in html


def test_query_text_cannot_leave_the_json(monkeypatch):
    hostile = NamedQuery("hostile", Path("hostile.rq"), HOSTILE, "a <b>description</b>", ())
    monkeypatch.setattr("kg.query.named_queries", lambda: {"hostile": hostile})
    html = editor.page().decode("utf-8")
    data = html[html.index('id="kg-examples-data">'):]
    data = data[data.index(">") + 1:data.index("</script>")]
    assert "<" not in data and ">" not in data and "&" not in data
    assert json.loads(data) == [{"name": "hostile", "description": "a <b>description</b>", "params": [],
                                 "query": HOSTILE}]
    assert "<img" not in html and html.count("<script") == 3  # the data and the two script files


def test_assets_are_only_the_folders_files():
    ctype, body = editor.asset("yasgui.min.js")
    assert ctype == "text/javascript; charset=utf-8" and body.startswith(b"(function(") and len(body) > 500_000
    assert editor.asset("yasgui.min.css")[0] == "text/css; charset=utf-8"
    assert editor.asset("editor.js")[1].startswith(b"/*")
    assert editor.asset("LICENSE")[0].startswith("text/plain") and b"MIT License" in editor.asset("LICENSE")[1]
    for name in ["../serve.py", "../../kg/serve.py", "..", ".", "", "/etc/passwd", "yasgui/yasgui.min.js",
                 "editor.html", "yasgui.min.js.map", "YASGUI.MIN.JS", "yasgui.min.js\x00"]:
        assert editor.asset(name) is None, name
    version = editor.asset("VERSION")[1].decode()
    assert version.startswith("@zazuko/yasgui ") and "integrity sha512-" in version


def test_routes_headers_and_methods():
    status, headers, body = wsgi("/")
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp and "connect-src 'self'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert body.startswith(b"<!DOCTYPE html>")
    status, headers, body = wsgi("/yasgui/yasgui.min.css")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/css")
    assert headers["Cache-Control"] == editor.CACHE and int(headers["Content-Length"]) == len(body)
    for path in ["/yasgui/../../kg/serve.py", "/yasgui/", "/yasgui/nothing.js", "/yasgui//etc/passwd",
                 "/yasgui/%2e%2e/serve.py", "/editor.js"]:
        assert wsgi(path)[0] == "404 Not Found", path
    assert wsgi("/", "POST")[0].startswith("405") and wsgi("/yasgui/editor.js", "PUT")[0].startswith("405")
    assert wsgi("/", "HEAD")[0] == "200 OK"


# -- a real server ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(ttl):
    proc = subprocess.Popen([sys.executable, "-u", "-m", "kg", "serve", "--graph", str(ttl), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()
    assert line.startswith("serving 6120 triples read-only at http://127.0.0.1:"), line + proc.stderr.read()
    yield line.split(" at ")[1].split()[0].removesuffix("/sparql")
    proc.terminate()
    proc.wait(timeout=10)


def raw_get(base: str, path: str) -> tuple[int, dict, bytes]:
    """GET *path* as written: no client normalises its dot segments."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    out = resp.status, dict(resp.getheaders()), resp.read()
    conn.close()
    return out


@pytest.mark.slow
def test_served_page_and_files(server):
    status, headers, body = raw_get(server, "/")
    assert status == 200 and headers["Content-Security-Policy"] == editor.CSP and b"lead-counts" in body
    status, headers, body = raw_get(server, "/yasgui/yasgui.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and "max-age" in headers["Cache-Control"]
    for path in ["/yasgui/../../kg/serve.py", "/yasgui/..%2f..%2fkg%2fserve.py", "/yasgui/../serve.py"]:
        assert raw_get(server, path)[0] == 404, path


# -- in a browser -------------------------------------------------------------------------------------------------




@pytest.mark.slow
@needs_browser
def test_editor_runs_a_named_query_in_browser(browser, server, ttl):
    from kg.query import open_engine, run

    expected = run(named_queries()["lead-counts"], open_engine([ttl])).rows
    assert (str(expected[0][0]), str(expected[0][1])) == ("市发展改革委", "6")

    page = browser.new_page(viewport={"width": 1300, "height": 1100})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP refused ' + e.violatedDirective + ' ' + e.blockedURI))")
    page.goto(server + "/", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror")

    page.select_option("#kg-examples", "lead-counts")
    assert page.locator("#kg-description").inner_text().startswith("Items led per unit")
    panel = page.locator(".tabPanel.active")
    assert panel.locator(".CodeMirror").inner_text().count("leadTasks") >= 2  # the query is in the editor
    assert page.locator(".tabsList .tab.active").inner_text().split()[0] == "lead-counts"
    panel.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")
    rows = panel.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=20000)
    cells = rows.first.locator("td").all_inner_texts()
    assert [c.strip() for c in cells] == ["市发展改革委", "6"]  # the simple view: labels and numbers as they read
    assert rows.count() == min(len(expected), 50)

    chart = panel.locator(".select_chart")
    assert "disabled" not in chart.get_attribute("class")  # YASR asked the plugin: it can draw these
    chart.click()
    bars = panel.locator(".kg-bar")
    bars.first.wait_for()
    assert bars.count() == len(expected)
    labels = panel.locator(".kg-bar-label").all_inner_texts()
    assert labels[:2] == [str(expected[0][0]), str(expected[1][0])]
    widths = [panel.locator(".kg-bar").nth(i).evaluate("b => b.getBoundingClientRect().width") for i in (0, 1)]
    assert widths[0] > widths[1] > 0  # 6 against 4: the bars are to scale
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sparql-editor.png"), full_page=True)

    # a result that is not counts: the chart says it cannot draw it
    page.select_option("#kg-examples", "contacts")
    panel = page.locator(".tabPanel.active")
    panel.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")
    panel.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=20000)
    assert "disabled" in panel.locator(".select_chart").get_attribute("class")  # canHandleResults said no

    origin = server + "/"
    assert requests and all(url.startswith(origin) for url in requests), requests
    assert sum(url == server + "/sparql" for url in requests) == 2
    assert errors == []
    page.close()
