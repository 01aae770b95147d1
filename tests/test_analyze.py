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
from tests.conftest import MINI


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
    assert analysis.summary() == {"key_tasks": 32, "units": 42, "lead_assignments": 33, "support_assignments": 100,
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


TASK_LISTS = {"lead_task_numbers", "support_task_numbers", "led", "supported"}


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
