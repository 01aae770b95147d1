"""Network analysis: figures of the document, agreement with SPARQL, outputs, plots."""

import json
import os
from io import BytesIO

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analyze import analyse, lead_support_graph, responsibility_network, unit_projection
from kg.cli import main
from kg.query import named_queries, open_engine, run
from kg.report import analysis_files, gexf, graphml, markdown_report, unit_answer, units_csv
from tests.conftest import MINI, needs_genre


@pytest.fixture(scope="module")
def engine(ttl):
    return open_engine([ttl])


@pytest.fixture(scope="module")
def analysis(engine):
    return analyse(responsibility_network(engine))


def unit(analysis, name):
    return analysis.unit(name)


def test_networkx_and_sparql_agree_for_every_unit(analysis, engine):
    rows = run(named_queries()["involvement-counts"], engine).records()
    sparql = {r["unit"]: (int(r["leadTasks"]), int(r["supportTasks"]), int(r["involvedTasks"])) for r in rows}
    nx_counts = {u["label"]: (u["lead_tasks"], u["support_tasks"], u["involved_tasks"]) for u in analysis.units}
    assert nx_counts == sparql
    assert len(nx_counts) == 42


def test_figures_of_the_document(analysis):
    drc = unit(analysis, "市发展改革委")
    assert (drc["lead_tasks"], drc["support_tasks"], drc["involved_tasks"]) == (6, 8, 14)
    assert drc["lead_task_numbers"] == [4, 7, 9, 10, 16, 28]
    assert (drc["measures_led"], drc["targets_led"], drc["areas"]) == (22, 6, 5)
    finance = unit(analysis, "市财政局")
    assert (finance["lead_tasks"], finance["involved_tasks"], finance["co_lead_tasks"]) == (2, 11, 1)
    assert unit(analysis, "市国资委")["co_lead_tasks"] == 1
    eit = unit(analysis, "市经信局")
    assert (eit["lead_tasks"], eit["measures_led"], eit["targets_led"]) == (4, 18, 13)
    assert analysis.multi_lead_tasks == [{"number": 2, "task": "加大产业基金支持力度", "lead_units": ["市国资委", "市财政局"]}]
    assert analysis.pairs[:2] == [{"unit_a": "市“两个健康”办", "unit_b": "市工商联", "shared_tasks": 4},
                                  {"unit_a": "市经信局", "unit_b": "市财政局", "shared_tasks": 4}]
    assert analysis.summary() == {"items": 32, "key_tasks": 32, "units": 42, "lead_assignments": 33,
                                  "support_assignments": 100, "responsible_assignments": 0,
                                  "co_responsibility_pairs": 219, "communities": len(analysis.communities)}


def test_aliases_find_units(analysis):
    assert unit(analysis, "市发改委")["label"] == "市发展改革委"
    assert unit(analysis, "市人才办")["label"] == "市委组织部"
    assert unit(analysis, "Wenzhou Development and Reform Commission")["label"] == "市发展改革委"
    with pytest.raises(Exception, match="no unit named '市海洋局' in the graph"):
        unit(analysis, "市海洋局")


def test_centrality_is_weighted_correctly(analysis):
    P = analysis.P
    for a, b, d in P.edges(data=True):
        assert d["distance"] == pytest.approx(1 / d["weight"])
    expected = nx.betweenness_centrality(P, weight="distance")
    drc = unit(analysis, "市发展改革委")
    assert drc["betweenness_centrality"] == round(expected[drc["iri"]], 6)
    # reading weight as distance would give a different (wrong) answer
    wrong = nx.betweenness_centrality(P, weight="weight")
    assert round(wrong[drc["iri"]], 6) != drc["betweenness_centrality"]
    top = max(analysis.units, key=lambda u: u["betweenness_centrality"])
    assert top["label"] == "市发展改革委"
    eig = max(analysis.units, key=lambda u: u["eigenvector_centrality"])
    assert eig["label"] in {"市财政局", "市发展改革委"}


def test_communities_are_stable(analysis, engine):
    again = analyse(responsibility_network(engine))
    assert again.communities == analysis.communities
    assert sum(len(c) for c in analysis.communities) == 42
    label = {n: analysis.P.nodes[n]["label"] for n in analysis.P}
    # units that share most of their tasks end up together
    same = {frozenset(label[n] for n in c) for c in analysis.communities}
    assert any({"市国资委", "市国资运营公司", "市国金公司"} <= c for c in same)
    assert any({"市住建局", "市交通运输局", "市水利局"} <= c for c in same)


def test_areas(analysis):
    area5 = analysis.areas[4]
    assert (area5["area"], area5["key_tasks"], area5["measures"], area5["targets"], area5["units_involved"]) == \
        ("优氛围增服务", 9, 61, 29, 23)
    assert area5["lead_load"]["市委统战部"] == 2
    assert "市发展改革委" in area5["bridging_units"] and "市工商联" not in area5["bridging_units"]
    assert [a["key_tasks"] for a in analysis.areas] == [6, 5, 5, 7, 9]


def test_mini_graph_by_hand():
    B = responsibility_network(open_engine([MINI]))
    P = unit_projection(B)
    a, b, c = "https://example.org/id/a", "https://example.org/id/b", "https://example.org/id/c"
    weights = {frozenset((x, y)): d["weight"] for x, y, d in P.edges(data=True)}
    assert weights == {frozenset((a, b)): 1, frozenset((a, c)): 2, frozenset((b, c)): 1}
    D = lead_support_graph(B)
    assert sorted(D.edges(data="weight")) == [(a, c, 1), (b, c, 1), (c, a, 1)]
    result = analyse(B)
    assert [(u["label"], u["lead_tasks"], u["support_tasks"], u["co_lead_tasks"]) for u in result.units] == [
        ("丙办", 1, 1, 0), ("甲局", 1, 1, 1), ("乙委", 1, 0, 1)]
    assert sorted(map(len, result.communities)) == [3]


def test_unit_answer(analysis):
    text = unit_answer(analysis, "市发改委")
    assert text.startswith("## 市发展改革委 (Wenzhou Development and Reform Commission)\n")
    assert "- leads 6 key task(s): 4 强化用能保障; 7 向民营企业推介三张项目清单;" in text
    assert "- supports 8 key task(s): 5 强化金融保障;" in text


def test_report_and_tables(analysis):
    md = markdown_report(analysis, "g.ttl")
    assert "Source: `g.ttl` — 32 key tasks, 42 responsible units, 33 lead and 100 support assignments" in md
    assert "| 市发展改革委 | 6 | 8 | 14 | 22 | 6 | 4 7 9 10 16 28 |" in md
    assert "- 2 加大产业基金支持力度: 市国资委、市财政局" in md
    csv_text = units_csv(analysis).splitlines()
    assert csv_text[0].startswith("label,label_en,classification,lead_tasks,support_tasks,involved_tasks")
    assert csv_text[1].startswith("市发展改革委,Wenzhou Development and Reform Commission,MunicipalDepartment,6,8,14,4 7 9 10 16 28,")


def test_graph_exports_read_back(analysis, tmp_path):
    path = tmp_path / "b.graphml"
    path.write_bytes(graphml(analysis.B))
    B = nx.read_graphml(path)
    assert B.number_of_nodes() == 74 and B.number_of_edges() == 133
    assert B.nodes["https://w3id.org/policy-kg/id/org/wz-drc"]["label"] == "市发展改革委"
    data = gexf(analysis.P).decode()
    assert "lastmodifieddate" not in data
    path = tmp_path / "p.gexf"
    path.write_text(data, encoding="utf-8")
    P = nx.read_gexf(path)
    assert P.number_of_nodes() == 42 and P.number_of_edges() == 219


def test_analysis_files_are_deterministic(analysis, engine):
    first = analysis_files(analysis, "g.ttl")
    second = analysis_files(analyse(responsibility_network(engine)), "g.ttl")
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name
    summary = json.loads(first["analysis.json"])
    assert summary["units"][0]["label"] == "市发展改革委"
    assert summary["units"][0]["lead_tasks"] == 6 and summary["units"][0]["involved_tasks"] == 14


def test_plots_are_pngs_with_chinese_font(analysis):
    from PIL import Image

    from kg.plots import cjk_font, lead_involvement_chart, unit_area_heatmap

    if cjk_font() is None and not os.environ.get("CI"):
        pytest.skip("no CJK font installed (.ci/run installs fonts-noto-cjk)")
    assert cjk_font() is not None
    for png in (lead_involvement_chart(analysis), unit_area_heatmap(analysis)):
        image = Image.open(BytesIO(png))
        assert image.format == "PNG" and image.size[0] > 600 and image.size[1] > 800


def test_cli_analyze(ttl, tmp_path):
    runner = CliRunner()
    answer = runner.invoke(main, ["analyze", "--graph", str(ttl), "--unit", "市发改委"])
    assert answer.exit_code == 0
    assert "- leads 6 key task(s)" in answer.stdout
    as_json = runner.invoke(main, ["analyze", "--graph", str(ttl), "--unit", "市发改委", "--format", "json"])
    assert json.loads(as_json.stdout)["lead_tasks"] == 6
    unknown = runner.invoke(main, ["analyze", "--graph", str(ttl), "--unit", "市海洋局"])
    assert unknown.exit_code == 2 and "no unit named '市海洋局'" in unknown.stderr
    out = tmp_path / "out"
    written = runner.invoke(main, ["analyze", "--graph", str(ttl), "--out", str(out)])
    assert written.exit_code == 0, written.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "analysis.md", "analysis.json", "units.csv", "areas.csv", "co-responsibility.csv", "unit-task.graphml",
        "unit-task.gexf", "unit-unit.graphml", "unit-unit.gexf", "lead-support.graphml", "lead-support.gexf",
        "lead-involvement.png", "unit-area-heatmap.png"])
    csv_out = runner.invoke(main, ["analyze", "--graph", str(ttl), "--format", "csv"])
    assert csv_out.stdout.splitlines()[1].startswith("市发展改革委,")


TASK_LISTS = {"lead_task_numbers", "support_task_numbers", "responsible_task_numbers", "led", "supported",
              "responsible_for"}


def assert_same_figures(from_graph, from_store):
    """Aggregated in the store or counted on the unit–task graph: the same figures, every one."""
    assert [{k: v for k, v in u.items() if k not in TASK_LISTS} for u in from_graph.units] == from_store.units
    assert from_store.areas == from_graph.areas
    assert from_store.pairs == from_graph.pairs
    assert from_store.communities == from_graph.communities
    assert from_store.multi_lead_tasks == from_graph.multi_lead_tasks
    assert from_store.summary() == from_graph.summary()
    assert from_store.unit_areas == from_graph.unit_areas
    assert sorted(from_store.D.edges(data="weight")) == sorted(from_graph.D.edges(data="weight"))
    assert list(from_store.P.edges(data=True)) == list(from_graph.P.edges(data=True))


def test_aggregated_analysis_equals_the_graph_one(analysis, engine):
    from kg.analyze import analyse_store

    aggregated = analyse_store(engine)
    assert aggregated.B is None
    assert_same_figures(analysis, aggregated)
    drc = aggregated.unit("市发改委")
    assert (drc["lead_tasks"], drc["support_tasks"], drc["measures_led"]) == (6, 8, unit(analysis, "市发改委")["measures_led"])
    text = unit_answer(aggregated, "市发改委")
    assert "- leads 6 key task(s)\n- supports 8 key task(s)\n" in text
    assert text.endswith("- the key tasks themselves: policy-kg query unit-tasks --param unit=市发展改革委 --store DIR\n")
    report = markdown_report(aggregated, "store")
    assert "Counted in the store (SPARQL aggregates), then analysed with networkx." in report
    assert "key tasks led" not in report and "key tasks led" in markdown_report(analysis)
    assert units_csv(aggregated).splitlines()[0].split(",")[:7] == [
        "label", "label_en", "classification", "lead_tasks", "support_tasks", "involved_tasks", "measures_led"]
    files = analysis_files(aggregated, "store")
    assert "unit-task.graphml" not in files and "unit-unit.graphml" in files and "unit-area-heatmap.png" in files


# -- documents of the genre: items of any class, jointly responsible units as a third role -------------------
@pytest.fixture(scope="module")
def table_engine(layout_ttl):
    return open_engine([layout_ttl("task-table")])  # a cut of Huzhou's 重点任务分解表: 16 rows, 责任单位 and 时间节点


def test_jointly_responsible_units_are_counted(table_engine):
    from kg.analyze import analyse_store

    a = analyse(responsibility_network(table_engine))
    assert a.summary() == {"items": 16, "key_tasks": 0, "units": 16, "lead_assignments": 1, "support_assignments": 1,
                           "responsible_assignments": 42, "co_responsibility_pairs": 35, "communities": 3}
    eit = a.unit("市经信局")  # jointly responsible in nine rows; 市经信局牵头，相关部门参与 in row 15
    assert (eit["lead_tasks"], eit["support_tasks"], eit["responsible_tasks"], eit["involved_tasks"]) == (1, 0, 9, 10)
    assert eit["lead_task_numbers"] == ["表/15"]
    assert eit["responsible_task_numbers"] == ["表/3", "表/5", "表/6", "表/7", "表/8", "表/12", "表/13", "表/14", "表/16"]
    assert (eit["partners"], eit["areas"], eit["measures_led"]) == (11, 0, 0)
    assert a.unit("各区县政府")["responsible_tasks"] == 10 and a.areas == [] and a.multi_lead_tasks == []
    rows = run(named_queries()["involvement-counts"], table_engine).records()
    sparql = {r["unit"]: tuple(int(r[k]) for k in ("leadTasks", "supportTasks", "responsibleTasks", "involvedTasks"))
              for r in rows}
    assert {u["label"]: (u["lead_tasks"], u["support_tasks"], u["responsible_tasks"], u["involved_tasks"])
            for u in a.units} == sparql
    assert_same_figures(a, analyse_store(table_engine))


def test_report_says_items_and_counts_the_jointly_responsible(table_engine):
    a = analyse(responsibility_network(table_engine))
    md = markdown_report(a, "t.ttl")
    assert ("Source: `t.ttl` — 16 items, 16 responsible units, 1 lead, 1 support and 42 jointly responsible "
            "assignments, 35 pairs of units sharing items, 3 communities.") in md
    assert "key task" not in md and "## Policy areas" not in md  # no area in this document
    assert "| unit | leads | supports | jointly | involved | items led |\n|---|---|---|---|---|---|\n" \
           "| 湖州市经信局 | 1 | 0 | 9 | 10 | 表/15 |" in md
    assert unit_answer(a, "市经信局").splitlines()[2:6] == [
        "- leads 1 item(s): 表/15 专班工作机制建立",
        "- supports 0 item(s): none",
        "- jointly responsible for 9 item(s): 表/3 具身智能数据采集训练场建设; 表/5 创新平台建设; 表/6 产业项目招引; "
        "表/7 中小企业梯度培育; 表/8 特色产业园建设; 表/12 专家智库组建; 表/13 支持政策出台; 表/14 产业联盟成立; "
        "表/16 目标任务动态监测",
        "- involved in 10 item(s)"]
    header = units_csv(a).splitlines()[0].split(",")
    assert header[3:10] == ["lead_tasks", "support_tasks", "responsible_tasks", "involved_tasks", "lead_task_numbers",
                            "support_task_numbers", "responsible_task_numbers"]
    assert "responsible_tasks" not in units_csv(analyse(responsibility_network(open_engine([MINI])))).splitlines()[0]
    files = analysis_files(a, "t.ttl")
    assert "unit-area-heatmap.png" not in files  # no policy area to plot against
    assert files["lead-involvement.png"].startswith(b"\x89PNG") and files == analysis_files(a, "t.ttl")
    assert json.loads(files["analysis.json"])["summary"]["responsible_assignments"] == 42


def test_a_mix_of_key_tasks_and_other_items_says_items(ttl, layout_ttl):
    a = analyse(responsibility_network(open_engine([ttl, layout_ttl("task-table")])))
    assert (a.totals["items"], a.totals["key_tasks"]) == (48, 32)
    assert "Source: `g` — 48 items, 58 responsible units, 34 lead, 101 support and 42 jointly responsible" \
        in markdown_report(a, "g")
    assert [r["key_tasks"] for r in a.areas] == [6, 5, 5, 7, 9]  # Wenzhou's areas; the table's rows have none


@needs_genre
def test_lead_counts_of_a_state_council_opinion(genre_ttl):
    a = analyse(responsibility_network(open_engine([genre_ttl("guofa-2018-39-jiuye")])))
    hr = a.unit("人力资源社会保障部")
    assert (hr["lead_tasks"], hr["support_tasks"], hr["responsible_tasks"]) == (8, 2, 0)
    assert hr["lead_task_numbers"] == ["一/（一）", "二/（四）", "二/（五）", "三/（六）", "三/（七）", "三/（八）", "四/（九）",
                                       "四/（十）"]
    assert [(u["label"], u["lead_tasks"]) for u in a.units[:4]] == [
        ("人力资源和社会保障部", 8), ("财政部", 3), ("各有关部门和单位", 3), ("各省级人民政府", 1)]


@needs_genre
@pytest.mark.parametrize("name", ["hufubanfa-2025-17-yiliaoqixie", "zhejiang-xinchangjing-xingdongfangan"])
def test_genre_documents_without_leads_or_areas(genre_ttl, name):
    """沪府办发〔2025〕17号 names no lead at all; Zhejiang's 新场景 plan mixes the three roles; neither has areas."""
    from kg.analyze import analyse_store

    engine = open_engine([genre_ttl(name)])
    a = analyse(responsibility_network(engine))
    expected = {"hufubanfa-2025-17-yiliaoqixie": (20, 0, 0, 64), "zhejiang-xinchangjing-xingdongfangan": (33, 21, 68, 39)}
    assert (a.totals["items"], a.totals["lead_assignments"], a.totals["support_assignments"],
            a.totals["responsible_assignments"]) == expected[name]
    assert_same_figures(a, analyse_store(engine))
    files = analysis_files(a, name)  # the plots draw, or are left out, without an error
    assert "lead-involvement.png" in files and "unit-area-heatmap.png" not in files
    if name.startswith("hufubanfa"):
        assert a.unit("市科委")["responsible_tasks"] == 12 and a.D.number_of_edges() == 0
        assert "## Who leads the most items\n\n- none\n" in markdown_report(a)
