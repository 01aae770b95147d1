"""Outputs other programs open, and reading RDF offline: text from documents and graphs is data, never a
spreadsheet formula, never Markdown or HTML markup, and reading a file never touches the network."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import socket
import subprocess
import sys
import threading
import zipfile

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import open_engine
from tests.conftest import LAYOUTS, MINI, ROOT

IMG = "<img src=x onerror=alert(1)>"
LINK = "[a](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://x","y")'
TITLE = "**加大**投资 <script>alert(1)</script> # x | y ~~z~~ &amp;"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hand-written task list (tests/data/mini.ttl) with hostile names and texts: units named with HTML, a
    Markdown link and a formula, a key task's title full of markup, a contact and a period that start a formula."""
    text = MINI.read_text(encoding="utf-8")
    for old, new in [('"甲局"@zh', IMG), ('"乙委"@zh', LINK), ('"丙办"@zh', FORMULA), ('"加大投资"@zh', TITLE),
                     ('vcard:fn "张三"', "=1+1"), ('"长期实施"@zh', "@SUM(1+1)")]:
        assert old in text
        quoted = json.dumps(new, ensure_ascii=False)
        text = text.replace(old, f"{old.split(chr(34))[0]}{quoted}" + ("@zh" if old.endswith("@zh") else ""))
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- Markdown: shown as text ------------------------------------------------------------------------------------
def rendered(markdown: str) -> str:
    """HTML as a CommonMark renderer with GFM tables and strikethrough makes it (markdown-it-py, rich's own)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def assert_shown_as_text(markdown: str, *texts: str) -> None:
    """No element made of data (image, script, link, emphasis, strike, extra heading), and each text visible as
    the characters it is made of."""
    page = rendered(markdown)
    for tag in ("<img", "<script", "<a ", "<em>", "<strong>", "<s>", "<del>"):
        assert tag not in page, (tag, page)
    visible = html.unescape(re.sub(r"<[^>]+>", "", page))
    for text in texts:
        assert " ".join(text.split()) in " ".join(visible.split()), text


def test_markdown_escaping_is_defined_once():
    from kg import escape, evaluate, quality, query, report, table

    for module in (table, report, query, quality, evaluate):
        assert module.markdown_text is escape.markdown_text
    text = f"{IMG} {LINK} {TITLE} _e_ `c` $x$ \\"
    assert_shown_as_text(escape.markdown_text(text), text)
    assert_shown_as_text("# " + escape.markdown_text("# 标题\n- 列表\n===") + "\n", "# 标题 - 列表 ===")
    assert rendered("x " + escape.markdown_text("a\nb", newline="<br>")) == "<p>x a<br>b</p>\n"


@pytest.mark.parametrize("value", ["build/a.ttl", "a`b", "`x`", " a ", "a``b`", "x\n# y"])
def test_markdown_code_span(value):
    from kg.escape import markdown_code

    page = rendered("Source: " + markdown_code(value) + "\n")
    code = re.search(r"<code>(.*)</code>", page).group(1)
    assert html.unescape(code) == value.replace("\n", " ")


def test_export_table_markdown_of_a_task_list(hostile):
    md = invoke("export-table", "--graph", hostile, "--format", "md")
    assert md.exit_code == 0, md.stderr
    assert_shown_as_text(md.stdout, TITLE, IMG, LINK, FORMULA)
    assert all(line.count(" | ") == 7 for line in md.stdout.splitlines()[2:])  # pipes in the text split no cell


def test_wenzhou_markdown_table_escapes_its_lead_marks(ttl):
    """Wenzhou's task list marks lead units with '*' and writes 'R&D': markup characters, now escaped, so that a
    renderer shows them as written (the change to this output is deliberate; see the commit)."""
    from kg.table import export_table

    md = export_table(open_engine([ttl])).markdown()
    lines = md.splitlines()
    assert lines[2].startswith("| 1 | 一、提信心增预期 | (一)强化财税政策保障 | 1. ")
    assert lines[2].endswith(" | \\*市税务局 市财政局 | 蔡景像 0577-88026991 |")
    assert "R\\&D经费" in md and "*" not in md.replace("\\*", "")
    assert_shown_as_text(md, "*市税务局 市财政局", "R&D经费")
    assert hashlib.sha256(md.encode()).hexdigest() == WENZHOU_MD


def test_analyze_markdown_report(hostile, tmp_path):
    report = invoke("analyze", "--graph", hostile)
    assert report.exit_code == 0, report.stderr
    assert_shown_as_text(report.stdout, IMG, LINK, FORMULA, TITLE)
    out = tmp_path / "a"
    assert invoke("analyze", "--graph", hostile, "--out", out).exit_code == 0
    assert (out / "analysis.md").read_text(encoding="utf-8") == report.stdout
    answer = invoke("analyze", "--graph", hostile, "--unit", "甲")  # by its alias
    assert answer.exit_code == 0, answer.stderr
    assert_shown_as_text(answer.stdout, IMG, TITLE)


def test_analyze_source_path_is_code():
    from kg.analyze import analyse, responsibility_network
    from kg.report import markdown_report

    a = analyse(responsibility_network(open_engine([MINI])))
    source = "odd `name` <b>.ttl"
    assert_shown_as_text(markdown_report(a, source), source)


def test_query_markdown(hostile):
    md = invoke("query", "--graph", hostile, "--format", "md", "--sparql",
                "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l")
    assert md.exit_code == 0, md.stderr
    assert_shown_as_text(md.stdout, IMG, LINK, TITLE)


def test_query_table_shows_brackets_as_written(hostile):
    """The terminal table (rich) takes '[bold]…[/bold]' for its own markup unless told it is text."""
    out = invoke("query", "--graph", hostile, "--sparql", 'SELECT ("[bold]甲[/bold] [link=javascript:x]乙[/link]" AS ?t) {}')
    assert "[bold]甲[/bold] [link=javascript:x]乙[/link]" in out.stdout


HOSTILE_SOURCE = (LAYOUTS / "brackets.txt").read_text(encoding="utf-8").replace(
    "（人力资源社会保障部、财政部负责。", "（人力资源社会保障部、**甲局**、[丙](javascript:alert(1))局、财政部负责。")


def test_quality_report_of_a_build(tmp_path):
    src = tmp_path / "hostile_[x](javascript:1).txt"
    src.write_text(HOSTILE_SOURCE, encoding="utf-8")
    result = invoke("build", src, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    quality = (tmp_path / "out" / "hostile_[x](javascript:1).quality.md").read_text(encoding="utf-8")
    assert "[丙](javascript:alert(1))局" not in quality
    assert_shown_as_text(quality, "[丙](javascript:alert(1))局", "hostile_[x](javascript:1).txt")


def test_quality_report_escapes_title_rules_and_notes(tmp_path):
    from kg.quality import quality_report
    from kg.readers import read_document
    from kg.records import Note

    src = tmp_path / "doc.txt"
    src.write_text(HOSTILE_SOURCE, encoding="utf-8")
    doc = read_document(src)
    doc.title = f"标题{IMG}"
    doc.doc_number = f"{LINK}号"
    doc.notes.append(Note("unusual", 3, f"text <script>alert(1)</script> {LINK} kept as written"))
    doc.notes.append(Note("some-new-kind", 4, f"* {IMG}"))
    report = quality_report(doc)
    assert_shown_as_text(report, f"标题{IMG}", f"{LINK}号", f"text <script>alert(1)</script> {LINK} kept as written",
                         f"* {IMG}")


# -- spreadsheets: text, never a formula --------------------------------------------------------------------------
@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), (FORMULA, "'" + FORMULA), ("-5", "-5"), ("+3.2", "+3.2"), ("-.5e3", "-.5e3"), ("-", "'-"),
    ("市发改委", "市发改委"), ("", ""), ("1. 扩大投资", "1. 扩大投资"), ("*市税务局", "*市税务局"), (7, 7), (-0.5, -0.5)])
def test_csv_cell(value, written):
    from kg.escape import csv_cell

    assert csv_cell(value) == written


def test_xlsx_cells_are_text_never_formulas(hostile, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    result = invoke("export-table", "--graph", hostile, "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.stderr
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    ws = load_workbook(out).active
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in ("=1+1 0571-87654321", "@SUM(1+1)"):
        assert text in cells, sorted(cells)
        assert cells[text].data_type == "s"
        assert cells[text].quotePrefix  # Excel keeps it text when the cell is edited, too
    assert ws["A2"].value == 1 and ws["A2"].data_type == "n"  # 序号 stays a number


def test_xlsx_of_an_item_table(layout_ttl, tmp_path):
    from openpyxl import load_workbook
    from rdflib import Graph, Literal, URIRef

    from kg.vocab import POL

    g = Graph().parse(layout_ttl("task-table"))
    g.set((URIRef("https://w3id.org/policy-kg/id/doc/task-table/table/1/row/1"), POL.text, Literal(FORMULA, lang="zh")))
    path = tmp_path / "t.ttl"
    g.serialize(path, format="turtle")
    out = tmp_path / "t.xlsx"
    assert invoke("export-table", "--graph", path, "--format", "xlsx", "--out", out).exit_code == 0
    assert b"<f>" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    c2 = load_workbook(out).active["C2"]
    assert (c2.value, c2.data_type, c2.quotePrefix) == (FORMULA, "s", True)
    tsv = invoke("export-table", "--graph", path).stdout
    assert list(csv.reader(io.StringIO(tsv), delimiter="\t"))[1][2] == "'" + FORMULA


def test_tsv_of_a_task_list(hostile):
    tsv = invoke("export-table", "--graph", hostile)
    rows = list(csv.reader(io.StringIO(tsv.stdout), delimiter="\t"))
    assert rows[1][7] == "'=1+1 0571-87654321" and rows[2][5] == "'@SUM(1+1)"
    assert rows[1][2] == f"(一){TITLE}"  # not a formula: as it is


def test_wenzhou_tsv_is_unchanged(ttl):
    """Wenzhou's cells never start with = + - @: its TSV is byte for byte what it was."""
    from kg.table import export_table

    tsv = export_table(open_engine([ttl])).tsv()
    assert hashlib.sha256(tsv.encode()).hexdigest() == WENZHOU_TSV


WENZHOU_TSV = "431c2c8ebfcc901b0447d75c2013ccaf7be769c1059af9eb30ef066282cf8276"
WENZHOU_MD = "a7cbd703f4cf9267cb22440e7e61794750cd0c4b0842ba81ab72f2fd0183078a"  # the same cells, its 27 lead marks '*' and one '&' escaped


def test_analyze_csv(hostile, tmp_path):
    units = invoke("analyze", "--graph", hostile, "--format", "csv")
    labels = [r[0] for r in csv.reader(io.StringIO(units.stdout))][1:]
    assert sorted(labels) == sorted([IMG, LINK, "'" + FORMULA])
    one = invoke("analyze", "--graph", hostile, "--format", "csv", "--unit", "Office C")
    assert list(csv.reader(io.StringIO(one.stdout)))[1][0] == "'" + FORMULA
    out = tmp_path / "a"
    assert invoke("analyze", "--graph", hostile, "--out", out).exit_code == 0
    for name in ("units.csv", "co-responsibility.csv"):
        cells = [c for row in csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"))) for c in row]
        assert "'" + FORMULA in cells and FORMULA not in cells, name
    areas = list(csv.reader(io.StringIO((out / "areas.csv").read_text(encoding="utf-8"))))
    assert any(c.startswith("'" + FORMULA) for row in areas for c in row)  # the lead load names the unit first


def test_query_csv(hostile):
    out = invoke("query", "--graph", hostile, "--format", "csv", "--sparql",
                 'SELECT ?l ("-5" AS ?n) ("+3.2" AS ?m) ("-1+2" AS ?f) (-7 AS ?i) WHERE { ?s a '
                 '<http://www.w3.org/ns/org#Organization> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                 'FILTER (lang(?l) = "zh") } ORDER BY ?l')
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["l", "n", "m", "f", "i"]
    assert {r[0] for r in rows[1:]} >= {"'" + FORMULA, IMG, LINK}
    assert all(r[1:] == ["-5", "+3.2", "'-1+2", "-7"] for r in rows[1:])


# -- reading RDF never touches the network ------------------------------------------------------------------------
class Listener:
    """A real listening socket on loopback that records every connection (and answers with a JSON-LD context)."""

    CONTEXT = {"@context": {"name": "http://schema.org/name"}}

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(2)
                try:
                    request = conn.recv(65536)
                except OSError:
                    request = b""
                self.connections.append(request.split(b"\r\n", 1)[0])
                body = json.dumps(self.CONTEXT).encode()
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener():
    ear = Listener()
    yield ear
    ear.close()


# every command that reads RDF files: rdflib (validate, dump, --engine rdflib) and Oxigraph (the others)
READERS = [("validate",), ("query", "--graph"), ("query", "--engine", "rdflib", "--graph"), ("analyze", "--graph"),
           ("export-table", "--graph"), ("dump", "--out", "{tmp}")]


def read_with(reader: tuple[str, ...], path, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path / "dump")) for a in reader] + [str(path)]
    if args[0] == "query":
        args[1:1] = ["--sparql", "SELECT * { ?s ?p ?o } LIMIT 1"]
    return invoke(*args)


def remote_documents(url):
    """JSON-LD documents that name a remote context: at the top, in a list, scoped to a term, imported, relative to
    a remote @base, and through a local context file that names one."""
    node = {"@id": "http://example.org/a", "name": "x"}
    return {
        "top.jsonld": {"@context": url("ctx.jsonld"), **node},
        "list.jsonld": {"@context": [{"ex": "http://example.org/"}, url("ctx.jsonld")], **node},
        "scoped.jsonld": {"@context": {"p": {"@id": "http://example.org/p", "@context": url("ctx.jsonld")}},
                          "@id": "http://example.org/a", "p": {"name": "x"}},
        "node.jsonld": {"@graph": [{"@context": url("ctx.jsonld"), **node}]},
        "import.jsonld": {"@context": {"@version": 1.1, "@import": url("ctx.jsonld")}, **node},
        "base.jsonld": {"@context": [{"@version": 1.1, "@base": url("")}, {"@import": "ctx.jsonld"}], **node},
        "via-local.jsonld": {"@context": "local-context.jsonld", **node},
    }


def test_jsonld_remote_context_is_refused_without_a_connection(listener, tmp_path):
    (tmp_path / "local-context.jsonld").write_text(json.dumps({"@context": [listener.url("ctx.jsonld")]}))
    for name, doc in remote_documents(listener.url).items():
        path = tmp_path / name
        path.write_text(json.dumps(doc), encoding="utf-8")
        for reader in READERS:
            result = read_with(reader, path, tmp_path)
            assert result.exit_code == 2, (name, reader, result.stdout, result.stderr, result.exception)
            line = result.stderr.strip()
            assert "\n" not in line and str(path) in line and listener.url("ctx.jsonld") in line, (name, reader, line)
            assert "--allow-remote-context" in line
    assert listener.connections == []


def test_allow_remote_context_fetches_it(listener, tmp_path):
    path = tmp_path / "top.jsonld"
    path.write_text(json.dumps(remote_documents(listener.url)["top.jsonld"]), encoding="utf-8")
    result = invoke("validate", "--allow-remote-context", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("conforms to the policy-kg shapes (1 triples)\n")
    assert listener.connections == [b"GET /ctx.jsonld HTTP/1.1"]


def test_local_contexts_keep_working(layout_ttl, tmp_path):
    from rdflib import Graph

    dumped = tmp_path / "dump"
    assert invoke("dump", layout_ttl("brackets"), "--out", dumped).exit_code == 0
    jsonld = dumped / "brackets.jsonld"
    assert json.loads(jsonld.read_text(encoding="utf-8"))["@context"] == "context.jsonld"
    triples = len(Graph().parse(layout_ttl("brackets")))
    ok = invoke("validate", jsonld)
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.endswith(f"conforms to the policy-kg shapes ({triples} triples)\n")
    for engine in ("oxigraph", "rdflib"):  # the default engine reads our dump too
        counted = invoke("query", "--graph", jsonld, "--engine", engine, "--format", "csv", "--sparql",
                         "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert counted.stdout == f"n\n{triples}\n", (engine, counted.stderr)


def test_a_context_that_is_a_device_or_pipe_is_refused(tmp_path):
    """A local context naming a FIFO (or /dev/zero) would block or never end: refused, in a child with a timeout."""
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for ctx in (str(fifo), "/dev/zero"):
        path = tmp_path / "dev.jsonld"
        path.write_text(json.dumps({"@context": ctx, "@id": "http://example.org/a"}), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "kg", "validate", str(path)], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
        assert proc.returncode == 2 and ctx in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def xml_documents(url):
    rdf = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
           '<rdf:Description rdf:about="http://example.org/a"><ex:p>{}</ex:p></rdf:Description></rdf:RDF>')
    return {
        "entity.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{url("x")}">]>\n'
                      + rdf.format("&x;"),
        "parameter.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url("p")}"> %p;]>\n'
                         + rdf.format("v"),
        "dtd.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{url("d.dtd")}">\n' + rdf.format("v"),
        "entity.trix": f'<?xml version="1.0"?>\n<!DOCTYPE TriX [<!ENTITY x SYSTEM "{url("x")}">]>\n'
                       '<TriX xmlns="http://www.w3.org/2004/03/trix/trix-1/"><graph><triple><uri>http://example.org/a'
                       '</uri><uri>http://example.org/p</uri><plainLiteral>&x;</plainLiteral></triple></graph></TriX>',
        "iris.ttl": f"@base <{url()}> .\n@prefix ex: <{url('ns#')}> .\n<a> ex:p <{url('b')}> , \"{url('c')}\" .\n",
        "iris.n3": f"@prefix ex: <{url('ns#')}> .\nex:a ex:p <{url('b')}> .\n",
        "iris.trig": f"<{url('g')}> {{ <{url('a')}> <{url('p')}> <{url('b')}> . }}\n",
        "iris.nt": f"<{url('a')}> <{url('p')}> <{url('b')}> .\n",
        "iris.jsonld": json.dumps({"@id": url("a"), url("p"): {"@id": url("b")}}),
    }


def test_no_network_while_reading_any_format(listener, tmp_path):
    for name, text in xml_documents(listener.url).items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for reader in READERS:
            result = read_with(reader, path, tmp_path)
            assert result.exit_code in (0, 1, 2), (name, reader, result.exception)  # no traceback
            assert result.exit_code != 2 or len(result.stderr.strip().splitlines()) == 1, (name, reader, result.stderr)
    assert listener.connections == []
