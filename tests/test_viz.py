"""Interactive views: offline, safe, and correct — checked in the HTML and in a real browser."""

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import open_engine
from kg.viz import VIEWS, build_pages, script_json
from tests.conftest import BASE, MINI, ROOT, needs_browser, needs_genre

SCREENSHOTS = ROOT / "test-output" / "screenshots"
EXPECTED = {  # nodes, edges, read off the document
    "responsibility-network": (74, 133),  # 32 tasks + 42 units; 33 lead + 100 support
    "unit-network": (42, 219),
    # 2 higher documents, the text, 5 areas, 32 tasks, and the 36 documents the tasks' targets and measures cite
    "policy-hierarchy": (76, 75),
    "unit-wz-drc": (43, 61),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The mini graph with labels that carry markup: the views must show them as text."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    g = Graph().parse(MINI)
    a, t1 = URIRef("https://example.org/id/a"), URIRef("https://example.org/id/t1")
    g.set((a, RDFS.label, Literal('<img src=x onerror="window.__pwned=1">甲局', lang="zh")))
    g.add((a, RDFS.label, Literal("<b>Bureau A</b>", lang="en")))
    g.remove((a, RDFS.label, Literal("Bureau A", lang="en")))
    g.set((t1, RDFS.label, Literal('<a href="javascript:window.__pwned=2">href</a></script>'
                                   '<script>window.__pwned=3</script>', lang="zh")))
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    g.serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def pages(ttl):
    return {p.name: p for p in build_pages(open_engine([ttl]), units=["市发改委"], source="wenzhou-2023-82.ttl")}


def data_of(html: str) -> dict:
    start = html.index("const DATA = ") + len("const DATA = ")
    end = html.index(";\n(function", start)
    return json.loads(html[start:end])


def test_all_views_and_index(pages):
    assert sorted(pages) == sorted([*VIEWS, "unit-wz-drc", "index"])
    for name, (n_nodes, n_edges) in EXPECTED.items():
        data = data_of(pages[name].html)
        assert (len(data["nodes"]), len(data["edges"])) == (n_nodes, n_edges), name


def test_nothing_is_fetched_from_the_web(pages):
    for page in pages.values():
        html = page.html
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I), page.name
        assert "<link" not in html and "@import" not in html
        assert "default-src 'none'" in html  # the browser itself refuses any request


def test_data_is_escaped_json(pages):
    assert script_json({"x": "</script>&\u2028"}) == '{"x": "\\u003c/script\\u003e\\u0026\\u2028"}'
    for page in pages.values():
        if "const DATA" in page.html:
            data_text = page.html[page.html.index("const DATA = "):page.html.index(";\n(function")]
            assert "<" not in data_text and ">" not in data_text


def test_tooltips_are_plain_text(pages):
    data = data_of(pages["responsibility-network"].html)
    task7 = next(n for n in data["nodes"] if n["id"].endswith("/task/7"))
    assert task7["label"] == "7 向民营企业推介三张项目清单"
    assert task7["title"].split("\n") == [
        "重点工作 7：向民营企业推介三张项目清单", "总体任务：降门槛扩领域", "实施阶段：长期实施",
        "目标 1 项，落实举措 5 条", "牵头单位：市发展改革委", "配合单位：市住建局、市国资委、市交通运输局、市水利局",
        "联系人：万秀芝 +86-577-88961285"]
    drc = next(n for n in data["nodes"] if n["id"].endswith("/org/wz-drc"))
    assert drc["title"].startswith("市发展改革委\nWenzhou Development and Reform Commission\n")
    assert "牵头 6 项 · 参与 14 项重点工作" in drc["title"]
    assert not any("href" in n["title"] or "<" in n["title"] for n in data["nodes"])


def test_lead_edges_are_solid_and_heavier(pages):
    data = data_of(pages["responsibility-network"].html)
    lead = [e for e in data["edges"] if e["role"] == "lead"]
    support = [e for e in data["edges"] if e["role"] == "support"]
    assert len(lead) == 33 and len(support) == 100
    assert {(e["width"], e["dashes"]) for e in lead} == {(3, False)}
    assert {(e["width"], e["dashes"]) for e in support} == {(1, True)}


def test_index_page(pages):
    html = pages["index"].html
    for name in [*VIEWS, "unit-wz-drc"]:
        assert f'href="{name}.html"' in html
    assert "<th>重点工作 key tasks</th><td class=\"n\">32</td>" in html
    assert html.count("data:image/png;base64,") == 2


def test_markup_in_data_is_escaped_in_html(hostile):
    pages = {p.name: p for p in build_pages(open_engine([hostile]), units=["甲"])}
    for page in pages.values():
        assert "<img src=x" not in page.html and "<script>window.__pwned" not in page.html
    index = pages["index"].html
    assert "&lt;img src=x onerror=" in index  # autoescaped in the table


def test_cli_writes_utf8_pages(ttl, tmp_path):
    out = tmp_path / "views"
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii:backslashreplace"}
    result = CliRunner(env=env).invoke(main, ["viz", "--graph", str(ttl), "--out", str(out), "--unit", "市发改委"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["responsibility-network.html", "unit-network.html", "policy-hierarchy.html", "unit-wz-drc.html", "index.html"])
    html = (out / "responsibility-network.html").read_bytes().decode("utf-8")
    assert "市发展改革委" in html and '<meta charset="utf-8">' in html
    bad = CliRunner().invoke(main, ["viz", "--graph", str(ttl), "--out", str(out), "--unit", "市海洋局"])
    assert bad.exit_code == 2 and "no unit named '市海洋局'" in bad.stderr


# -- a document of the genre: measures in a task table, units jointly responsible ----------------------------
TABLE = "https://w3id.org/policy-kg/id/doc/task-table/"  # a cut of Huzhou's 重点任务分解表 (tests/data/layouts)
TABLE_EXPECTED = {  # nodes, edges, read off the table
    "responsibility-network": (32, 44),  # 16 rows + 16 units; 1 lead + 1 support + 42 jointly responsible
    "unit-network": (16, 35),
    # 2 higher documents, the text, the table, its 16 rows, the 导则 row 2 cites
    "policy-hierarchy": (21, 20),
    "unit-hz-shi-jing-xin-ju": (22, 27),  # 市经信局, its 10 rows, its 11 partners; 27 units on those rows
}


@pytest.fixture(scope="module")
def table_pages(layout_ttl):
    return {p.name: p for p in build_pages(open_engine([layout_ttl("task-table")]), units=["市经信局"], source="t.ttl")}


def test_views_of_a_task_table(table_pages):
    assert sorted(table_pages) == sorted([*VIEWS, "unit-hz-shi-jing-xin-ju", "index"])
    for name, (n_nodes, n_edges) in TABLE_EXPECTED.items():
        data = data_of(table_pages[name].html)
        assert (len(data["nodes"]), len(data["edges"])) == (n_nodes, n_edges), name
    assert table_pages["responsibility-network"].title == "事项与责任单位 Items and responsible units"
    assert table_pages["unit-hz-shi-jing-xin-ju"].title == "湖州市经信局：牵头 1 项，共同负责 9 项，参与 10 项"


def test_jointly_responsible_edges_and_tooltips(table_pages):
    data = data_of(table_pages["responsibility-network"].html)
    styles = {e["role"]: (e["width"], e["dashes"], e["color"]) for e in data["edges"]}
    assert styles == {"lead": (3, False, "#333333"), "support": (1, True, "#999999"), "responsible": (2, [2, 4], "#8e6bb8")}
    assert sum(e["role"] == "responsible" for e in data["edges"]) == 42
    row3 = next(n for n in data["nodes"] if n["id"] == TABLE + "table/1/row/3")
    assert row3["label"] == "表/3 具身智能数据采集训练场建设"
    assert row3["title"].split("\n") == [
        "事项 表/3：具身智能数据采集训练场建设", "所在部分：湖州市人工智能创新发展重点任务分解表",
        "共同负责单位：各区县政府、湖州市产业集团、湖州市经信局、湖州市数据局（未写明牵头）", "完成时限：2027年底"]
    row15 = next(n for n in data["nodes"] if n["id"] == TABLE + "table/1/row/15")
    assert row15["title"].split("\n")[2:] == ["牵头单位：湖州市经信局", "配合单位：相关部门", "完成时限：2026年底"]
    eit = next(n for n in data["nodes"] if n["id"] == BASE + "org/hz-shi-jing-xin-ju")
    assert "牵头 1 项 · 共同负责 9 项 · 参与 10 项事项" in eit["title"]
    assert data["legend"][-1]["items"][-1] == {"kind": "line", "label": "共同负责 jointly responsible (no lead named)",
                                                "color": "#8e6bb8", "dotted": True}
    assert data["filters"] == [{"id": "part:" + TABLE + "table/1", "label": "湖州市人工智能创新发展重点任务分解表"}]


def test_hierarchy_goes_through_the_table(table_pages):
    data = data_of(table_pages["policy-hierarchy"].html)
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert level[TABLE + "text"] == 1 and level[TABLE + "table/1"] == 2 and level[TABLE + "table/1/row/7"] == 3
    edges = {(e["from"], e["to"]) for e in data["edges"]}
    assert (TABLE + "text", TABLE + "table/1") in edges and (TABLE + "table/1", TABLE + "table/1/row/7") in edges
    assert table_pages["policy-hierarchy"].description == "上级政策 → 本文件 → 章节与任务表 → 事项 → 引用文件。"


def test_index_of_a_task_table(table_pages):
    html = table_pages["index"].html
    assert "<th>事项 items</th><td class=\"n\">16</td>" in html
    assert "<th>共同负责分工 jointly responsible assignments</th><td class=\"n\">42</td>" in html
    assert "<h2>Who leads the most items</h2>" in html and "key task" not in html
    assert html.count("data:image/png;base64,") == 1  # no policy areas: no heatmap


@needs_genre
def test_views_of_a_plan_without_areas(genre_ttl, tmp_path):
    """Zhejiang's 新场景 plan: once a numpy error in the heatmap (no areas); its items grouped by part."""
    out = tmp_path / "views"
    result = CliRunner().invoke(main, ["viz", "--graph", str(genre_ttl("zhejiang-xinchangjing-xingdongfangan")),
                                       "--out", str(out), "--unit", "省科技厅"])
    assert result.exit_code == 0, result.stderr
    data = data_of((out / "responsibility-network.html").read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == (33 + 44, 21 + 68 + 39)  # 交通运输厅 is 省交通运输厅
    assert [f["label"] for f in data["filters"]] == ["二 加快培育重点领域应用场景", "三 明确场景开放应用流程",
                                                     "四 加大政策和要素支持", "五 加强组织保障"]


# -- in a real browser ----------------------------------------------------------------------




class Visit:
    """A page opened from file:// with every http(s) request blocked and recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests, self.errors = [], []
        self.page.route(re.compile(r"^(https?|wss?|ftp):"), self._block)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.requests.append(r.url))
        self.page.goto(path.as_uri(), wait_until="load")

    def _block(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def js(self, code: str):
        return self.page.evaluate(code)

    def wait_ready(self, timeout: float = 20.0) -> int:
        start = time.monotonic()
        while not self.js("() => !!(window.policyKg && window.policyKg.ready)"):
            assert time.monotonic() - start < timeout, "network did not stabilise"
            time.sleep(0.05)
        self.page.wait_for_load_state("networkidle")
        return self.js("() => window.policyKg.readyMs")

    def at(self, node_id: str) -> tuple[float, float]:
        """Where *node_id* is on the screen."""
        box = self.page.locator("#network").bounding_box()
        pos = self.js(f"""() => {{
            const n = window.policyKg.network; const p = n.getPositions([{json.dumps(node_id)}])[{json.dumps(node_id)}];
            return n.canvasToDOM(p); }}""")
        return box["x"] + pos["x"], box["y"] + pos["y"]

    def click_node(self, node_id: str) -> None:
        self.page.mouse.click(*self.at(node_id))
        self.page.wait_for_timeout(400)  # any animation (a fit) over

    def hover_node(self, node_id: str) -> str:
        self.page.mouse.move(*self.at(node_id))
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        return tooltip.inner_text()


@pytest.fixture(scope="module")
def written(ttl, tmp_path_factory):
    out = tmp_path_factory.mktemp("views")
    result = CliRunner().invoke(main, ["viz", "--graph", str(ttl), "--out", str(out), "--unit", "市发改委"])
    assert result.exit_code == 0
    return out


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_view_in_browser(browser, written, name):
    visit = Visit(browser, written / f"{name}.html")
    ms = visit.wait_ready()
    counts = visit.js("() => [window.policyKg.network.body.data.nodes.length, window.policyKg.network.body.data.edges.length]")
    assert tuple(counts) == EXPECTED[name]
    assert visit.requests == [] and visit.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    print(f"{name}: interactive after {ms} ms")
    visit.page.close()


@pytest.mark.slow
@needs_browser
def test_labels_tooltip_and_search(browser, written):
    visit = Visit(browser, written / "responsibility-network.html")
    visit.wait_ready()
    drc = "https://w3id.org/policy-kg/id/org/wz-drc"
    assert visit.js(f"() => window.policyKg.nodes.get({json.dumps(drc)}).label") == "市发展改革委"
    assert visit.js("() => window.policyKg.nodes.get('https://w3id.org/policy-kg/id/doc/wenzhou-2023-82/task/2').label") \
        == "2 加大产业基金支持力度"
    text = visit.hover_node("https://w3id.org/policy-kg/id/doc/wenzhou-2023-82/task/7")
    assert text.splitlines()[:5] == ["重点工作 7：向民营企业推介三张项目清单", "总体任务：降门槛扩领域", "实施阶段：长期实施",
                                     "目标 1 项，落实举措 5 条", "牵头单位：市发展改革委"]
    # the area filter hides the tasks of an area
    visit.page.get_by_label("降门槛扩领域").uncheck()
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 74 - 5
    # choosing a unit shows only it, its key tasks and the units on them
    visit.page.get_by_label("降门槛扩领域").check()
    visit.page.select_option("#unit", "https://w3id.org/policy-kg/id/org/wz-drc")
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 43  # as in unit-wz-drc.html
    visit.page.select_option("#unit", "")
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 74
    # search focuses and selects a node
    visit.page.fill("#search", "市经信局")
    visit.page.dispatch_event("#search", "change")
    assert visit.js("() => window.policyKg.network.getSelectedNodes()") == ["https://w3id.org/policy-kg/id/org/wz-economy-it"]
    assert visit.requests == [] and visit.errors == []
    visit.page.close()


@pytest.mark.slow
@needs_browser
def test_markup_stays_text_in_browser(browser, hostile, tmp_path):
    out = tmp_path / "hostile"
    result = CliRunner().invoke(main, ["viz", "--graph", str(hostile), "--out", str(out), "--unit", "甲"])
    assert result.exit_code == 0, result.stderr
    visit = Visit(browser, out / "responsibility-network.html")
    visit.wait_ready()
    text = visit.hover_node("https://example.org/id/a")
    assert '<img src=x onerror="window.__pwned=1">甲局' in text
    # innerText turns line breaks into <br>; nothing else becomes an element
    assert visit.js("() => Array.from(document.querySelectorAll('div.vis-tooltip *')).map(e => e.tagName)") \
        == ["BR"] * text.count("\n")
    text = visit.hover_node("https://example.org/id/t1")
    assert '<a href="javascript:window.__pwned=2">href</a>' in text
    # innerText turns line breaks into <br>; nothing else becomes an element
    assert visit.js("() => Array.from(document.querySelectorAll('div.vis-tooltip *')).map(e => e.tagName)") \
        == ["BR"] * text.count("\n")
    assert visit.js("() => document.querySelectorAll('img, a[href^=javascript]').length") == 0
    options = visit.js("() => Array.from(document.querySelectorAll('#unit option')).map(o => o.textContent)")
    assert '<img src=x onerror="window.__pwned=1">甲局' in options
    assert visit.js("() => window.__pwned === undefined")
    assert visit.requests == []
    visit.page.close()


@pytest.fixture(scope="module")
def table_written(layout_ttl, tmp_path_factory):
    out = tmp_path_factory.mktemp("table-views")
    result = CliRunner().invoke(main, ["viz", "--graph", str(layout_ttl("task-table")), "--out", str(out),
                                       "--unit", "市经信局"])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("name", sorted(TABLE_EXPECTED))
def test_genre_view_in_browser(browser, table_written, name):
    visit = Visit(browser, table_written / f"{name}.html")
    visit.wait_ready()
    counts = visit.js("() => [window.policyKg.network.body.data.nodes.length, window.policyKg.network.body.data.edges.length]")
    assert tuple(counts) == TABLE_EXPECTED[name]
    assert visit.requests == [] and visit.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOTS / f"task-table-{name}.png"))
    visit.page.close()


@pytest.mark.slow
@needs_browser
def test_genre_tooltip_filter_and_unit_selector(browser, table_written):
    visit = Visit(browser, table_written / "responsibility-network.html")
    visit.wait_ready()
    text = visit.hover_node(TABLE + "table/1/row/3")
    assert text.splitlines() == ["事项 表/3：具身智能数据采集训练场建设", "所在部分：湖州市人工智能创新发展重点任务分解表",
                                 "共同负责单位：各区县政府、湖州市产业集团、湖州市经信局、湖州市数据局（未写明牵头）", "完成时限：2027年底"]
    # the legend draws the jointly responsible line dotted
    assert visit.js("() => document.querySelectorAll('#legend .line.dotted').length") == 1
    # the part filter hides the table's rows, and only them
    visit.page.get_by_label("湖州市人工智能创新发展重点任务分解表").uncheck()
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 16
    visit.page.get_by_label("湖州市人工智能创新发展重点任务分解表").check()
    # choosing a unit shows only it, its items and the units on them: as in unit-hz-shi-jing-xin-ju.html
    visit.page.select_option("#unit", BASE + "org/hz-shi-jing-xin-ju")
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 22
    visit.page.select_option("#unit", "")
    assert visit.js("() => window.policyKg.network.body.data.nodes.length") == 32
    assert visit.requests == [] and visit.errors == []
    visit.page.close()


# -- several documents: each drawn as one node until clicked ------------------------------------------------
WZ_TEXT = BASE + "doc/wenzhou-2023-82/text"


@pytest.fixture(scope="module")
def two_documents(ttl, layout_ttl):
    """Wenzhou's document and the task table, read together: the views aggregate."""
    return {p.name: p for p in build_pages(open_engine([ttl, layout_ttl("task-table")]), units=["市发改委"])}


def test_views_of_two_documents_aggregate(two_documents, pages):
    counts = {}
    for name in ("responsibility-network", "policy-hierarchy", "unit-wz-drc"):
        data = data_of(two_documents[name].html)
        counts[name] = (len(data["nodes"]), len(data["edges"]),
                        {k.rsplit("/", 2)[-2]: (len(g["nodes"]), len(g["edges"])) for k, g in data["groups"].items()})
    assert counts == {
        # 42 + 16 units and the 2 documents; an edge per unit and document; a document's group: its items, an
        # edge from the document to each, and their role edges (133 in Wenzhou's, 44 in the table)
        "responsibility-network": (60, 58, {"wenzhou-2023-82": (32, 32 + 133), "task-table": (16, 16 + 44)}),
        # the texts and the 2 higher-level documents of each; below a text: its areas (or table), items, cited documents
        "policy-hierarchy": (6, 4, {"wenzhou-2023-82": (5 + 32 + 36, 5 + 32 + 36), "task-table": (1 + 16 + 1, 18)}),
        # 市发展改革委, its one document and its 28 partners; its 14 tasks there, their 61 role edges
        "unit-wz-drc": (30, 29, {"wenzhou-2023-82": (14, 14 + 61)}),
    }
    data = data_of(two_documents["responsibility-network"].html)
    assert all("x" in n and "y" in n for n in data["nodes"]) and data["options"]["physics"]["enabled"] is False
    wz = next(n for n in data["nodes"] if n["id"] == WZ_TEXT)
    assert wz["label"] == "温政办〔2023〕82号" and wz["title"].split("\n")[:3] == [
        "温州市促进民营经济高质量发展若干举措", "温政办〔2023〕82号", "32 项事项，42 个责任单位"]
    drc = next(e for e in data["edges"] if e["from"] == BASE + "org/wz-drc")
    assert drc["title"] == "市发展改革委 — 温政办〔2023〕82号：牵头 6 项 · 配合 8 项事项" and drc["summaryOf"] == WZ_TEXT
    # the items inside a group are those of the single document's page, at positions of their own
    group = {n["id"]: n for n in data["groups"][WZ_TEXT]["nodes"]}
    single = {n["id"]: n for n in data_of(pages["responsibility-network"].html)["nodes"] if n["kind"] == "task"}
    assert group.keys() == single.keys()
    assert all({k: v for k, v in group[t].items() if k not in ("x", "y")} == single[t] for t in single)
    # one document: no groups, the page as before
    assert all("groups" not in data_of(p.html) for p in pages.values() if p.name != "index")


def test_aggregate_views_are_byte_stable(ttl, layout_ttl, two_documents):
    again = build_pages(open_engine([ttl, layout_ttl("task-table")]), units=["市发改委"])
    assert {p.name: p.html for p in again} == {name: p.html for name, p in two_documents.items()}


def test_scale_full_draws_every_item(ttl, layout_ttl, tmp_path):
    result = CliRunner().invoke(main, ["viz", "--graph", str(ttl), "--graph", str(layout_ttl("task-table")),
                                       "--scale", "full", "--view", "responsibility-network", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = data_of((tmp_path / "responsibility-network.html").read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == (32 + 16 + 42 + 16, 133 + 44) and "groups" not in data
    with pytest.raises(ValueError, match="scale 'huge'"):
        build_pages(open_engine([ttl]), scale="huge")


@pytest.fixture(scope="module")
def store_written(tmp_path_factory):
    """Five synthetic documents (benchmarks/synthetic.py) built into a store, its views written twice."""
    from benchmarks.synthetic import variants

    tmp = tmp_path_factory.mktemp("store-views")
    variants(5, tmp / "corpus")
    built = CliRunner().invoke(main, ["build", str(tmp / "corpus"), "--store", str(tmp / "store")])
    assert built.exit_code == 0, built.output
    for out in ("v", "again"):
        result = CliRunner().invoke(main, ["viz", "--store", str(tmp / "store"), "--out", str(tmp / out),
                                           "--unit", "市发改委"])
        assert result.exit_code == 0, result.output
    return tmp


def variant_text(i: int) -> str:
    return BASE + f"doc/variant-{i:04d}/text"


@pytest.mark.slow
@needs_browser
def test_store_views_in_browser(browser, store_written):
    out = store_written / "v"
    for page in out.iterdir():  # same store, same bytes
        assert page.read_bytes() == (store_written / "again" / page.name).read_bytes(), page.name
    visit = Visit(browser, out / "responsibility-network.html")
    visit.wait_ready()
    shown = "() => [window.policyKg.network.body.data.nodes.length, window.policyKg.network.body.data.edges.length]"
    assert visit.js(shown) == [42 + 5, 42 * 5]  # units and documents; an edge per unit and document
    # a click on a unit selects it
    visit.click_node(BASE + "org/wz-drc")
    assert visit.js("() => window.policyKg.network.getSelectedNodes()") == [BASE + "org/wz-drc"]
    # a click on a document shows its 32 key tasks, their 133 role edges and an edge to each from the document,
    # instead of its 42 edges to units; a second click takes them away
    visit.click_node(variant_text(2))
    assert visit.js(shown) == [47 + 32, 42 * 4 + 32 + 133]
    assert visit.js("() => Array.from(window.policyKg.expanded)") == [variant_text(2)]
    task = BASE + "doc/variant-0002/task/7"
    assert visit.hover_node(task).splitlines()[0] == "重点工作 7：向民营企业推介三张项目清单"
    # the unit selector: 市发展改革委, its key tasks in the document shown, the documents where they are not
    # shown, and the units on them: the nodes of its own page (unit-wz-drc.html), and its key tasks in the
    # document shown
    unit_page = data_of((out / "unit-wz-drc.html").read_text(encoding="utf-8"))
    visit.page.select_option("#unit", BASE + "org/wz-drc")
    nodes = visit.js("() => window.policyKg.network.body.data.nodes.getIds()")
    drc_tasks = [t for t in nodes if t.startswith(BASE + "doc/variant-0002/task/")]
    assert sorted(drc_tasks) == sorted(n["id"] for n in unit_page["groups"][variant_text(2)]["nodes"])
    assert sorted(set(nodes) - set(drc_tasks)) == sorted(n["id"] for n in unit_page["nodes"])
    visit.page.select_option("#unit", "")
    visit.click_node(variant_text(2))
    assert visit.js(shown) == [47, 210] and visit.js("() => window.policyKg.expanded.size") == 0
    # search finds a key task inside a document not shown: shows that document and selects the task
    visit.page.fill("#search", "向民营企业推介三张项目清单")
    visit.page.dispatch_event("#search", "change")
    selected = visit.js("() => window.policyKg.network.getSelectedNodes()")
    assert len(selected) == 1 and selected[0].endswith("/task/7")
    assert visit.js("() => window.policyKg.expanded.size") == 1
    assert visit.requests == [] and visit.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOTS / "store-responsibility-network.png"))
    visit.page.close()

    visit = Visit(browser, out / "policy-hierarchy.html")
    visit.wait_ready()
    assert visit.js(shown) == [2 + 5, 2 * 5]  # the national and provincial documents, the five texts
    visit.click_node(variant_text(0))
    # below the text: its 5 areas, 32 key tasks and the 36 documents they cite
    assert visit.js(shown) == [7 + 5 + 32 + 36, 10 + 5 + 32 + 36]
    visit.click_node(variant_text(4))
    assert visit.js(shown) == [7 + 2 * (5 + 32) + 36, 10 + 2 * (5 + 32 + 36)]  # cited documents shared
    visit.click_node(variant_text(0))
    assert visit.js(shown) == [7 + 5 + 32 + 36, 10 + 5 + 32 + 36]
    assert visit.requests == [] and visit.errors == []
    visit.page.screenshot(path=str(SCREENSHOTS / "store-policy-hierarchy.png"))
    visit.page.close()
