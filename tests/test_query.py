"""Named SPARQL queries, parameters, formats, errors; both engines give the same answers."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.query import (FORMATTERS, RdflibEngine, QuerySyntaxError, named_queries, open_engine, resolve_query, run,
                      to_csv, to_json, to_markdown, to_table)
from tests.conftest import MINI, needs_genre
from tests.test_parse import LEADS

REQUIRED = {"lead-counts", "involvement-counts", "unit-tasks", "multi-lead-tasks", "co-responsibility",
            "tasks-by-area", "tasks-by-period", "contacts", "measures-of-task"}
PARAMS = {"unit-tasks": {"unit": "市发改委"}, "unit-summary": {"unit": "市发展改革委"}, "measures-of-task": {"task": "7"},
          "unit-documents": {"unit": "市发改委"},
          "targets-due": {"year": "2023"}, "items-due": {"year": "2023"}}
NONE_IN_WENZHOU = {"items-due"}  # Wenzhou's task list gives periods, not deadlines: no pol:dueDate
# on the layout fixtures (cuts of Huzhou's 重点任务分解表 and of 国发〔2018〕39号), with what each has rows for
FIXTURE_PARAMS = {"unit-tasks": {"unit": "市经信局"}, "unit-summary": {"unit": "市经信局"}, "measures-of-task": {"task": "1"},
                  "unit-documents": {"unit": "市经信局"},
                  "targets-due": {"year": "2026"}, "items-due": {"year": "2026"}}
ROWS_IN = {"task-table": {"cited-documents", "co-responsibility", "documents-by-level", "involvement-counts", "items",
                          "items-due", "lead-counts", "unit-summary", "unit-tasks", "implementation-chain",
                          "unit-documents", "jurisdiction-summary"},
           "brackets": {"co-responsibility", "documents-by-level", "involvement-counts", "items", "lead-counts",
                        "jurisdiction-summary"}}


@pytest.fixture(scope="module")
def ox(ttl):
    return open_engine([ttl], "oxigraph")


@pytest.fixture(scope="module")
def rl(ttl):
    return open_engine([ttl], "rdflib")


def q(name):
    return named_queries()[name]


def test_named_queries_exist_with_descriptions():
    queries = named_queries()
    assert REQUIRED <= set(queries)
    for query in queries.values():
        assert len(query.description) > 20, query.name
    assert [p.name for p in queries["unit-tasks"].params] == ["unit"]
    assert [(p.name, p.kind) for p in queries["measures-of-task"].params] == [("task", "integer")]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_engines_agree(name, ox, rl):
    a = run(q(name), ox, PARAMS.get(name))
    b = run(q(name), rl, PARAMS.get(name))
    assert a.variables == b.variables
    assert a.rows == b.rows
    assert bool(a.rows) != (name in NONE_IN_WENZHOU), f"{name} returned {len(a.rows)} rows"


@pytest.mark.parametrize("layout", sorted(ROWS_IN))
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_engines_agree_on_genre_fixtures(name, layout, layout_ttl):
    """Also where nothing matches: no empty group (rdflib's engine makes one for an aggregate over nothing)."""
    ttl = layout_ttl(layout)
    a = run(q(name), open_engine([ttl], "oxigraph"), FIXTURE_PARAMS.get(name))
    b = run(q(name), open_engine([ttl], "rdflib"), FIXTURE_PARAMS.get(name))
    assert a.variables == b.variables
    assert a.rows == b.rows
    assert bool(a.rows) == (name in ROWS_IN[layout]), f"{name} returned {len(a.rows)} rows"


def test_lead_counts_match_the_document(ox):
    expected = {}
    for leads in LEADS.values():
        for unit in leads:
            expected[unit] = expected.get(unit, 0) + 1
    result = run(q("lead-counts"), ox)
    got = {r["unit"]: int(r["leadTasks"]) for r in result.records()}
    assert got == expected
    assert result.records()[0] == {"unit": "市发展改革委", "leadTasks": "6"}


def test_involvement_counts(ox):
    rows = {r["unit"]: (int(r["leadTasks"]), int(r["supportTasks"]), int(r["involvedTasks"]))
            for r in run(q("involvement-counts"), ox).records()}
    assert len(rows) == 42
    assert rows["市发展改革委"] == (6, 8, 14)
    assert rows["市财政局"] == (2, 9, 11)
    assert rows["市市场监管局"] == (3, 7, 10)
    assert rows["市公安局"] == (0, 5, 5)
    assert rows["中信保温州办事处"] == (0, 1, 1)
    assert sum(v[2] for v in rows.values()) == 133
    assert {r["responsibleTasks"] for r in run(q("involvement-counts"), ox).records()} == {"0"}  # leads named throughout


def test_unit_tasks_accepts_aliases(ox):
    by_alias = run(q("unit-tasks"), ox, {"unit": "市发改委"})
    by_name = run(q("unit-tasks"), ox, {"unit": "市发展改革委"})
    assert by_alias.rows == by_name.rows
    records = by_name.records()
    assert [int(r["number"]) for r in records if r["role"] == "lead"] == [4, 7, 9, 10, 16, 28]
    assert records[0] == {"number": "4", "task": "强化用能保障", "role": "lead", "area": "提信心增预期",
                          "period": "2023-2025年"}
    bracketed = run(q("unit-tasks"), ox, {"unit": "市人才办"}).records()
    assert [(r["number"], r["role"]) for r in bracketed] == [("6", "support")]


def test_unit_summary_answers_how_many_tasks_a_unit_leads(ox):
    assert run(q("unit-summary"), ox, {"unit": "市发改委"}).records() == [
        {"label": "市发展改革委", "leadTasks": "6", "supportTasks": "8", "responsibleTasks": "0"}]


def test_multi_lead_tasks(ox):
    assert run(q("multi-lead-tasks"), ox).records() == [
        {"number": "2", "task": "加大产业基金支持力度", "leadUnit": "市财政局"},
        {"number": "2", "task": "加大产业基金支持力度", "leadUnit": "市国资委"}]


def test_co_responsibility(ox):
    rows = run(q("co-responsibility"), ox).records()
    assert len(rows) == 219
    top = {frozenset((r["unitA"], r["unitB"])) for r in rows if r["sharedTasks"] == "4"}
    assert top == {frozenset({"市经信局", "市财政局"}), frozenset({"市工商联", "市“两个健康”办"})}


def test_tasks_by_area_and_period(ox):
    areas = [(r["area"], r["keyTasks"], r["targets"], r["measures"]) for r in run(q("tasks-by-area"), ox).records()]
    assert areas == [("提信心增预期", "6", "24", "50"), ("降门槛扩领域", "5", "10", "21"), ("真公平破隐性", "5", "8", "23"),
                     ("拓市场促升级", "7", "21", "40"), ("优氛围增服务", "9", "29", "61")]
    periods = {r["period"]: r["keyTasks"] for r in run(q("tasks-by-period"), ox).records()}
    assert periods == {"长期实施": "25", "2023-2027年": "3", "2023-2025年": "3", "2023年": "1"}


def test_contacts_and_measures(ox):
    contacts = run(q("contacts"), ox).records()
    assert len(contacts) == 33  # 32 tasks, task 2 has two leads
    assert contacts[0] == {"number": "1", "task": "强化财税政策保障", "leadUnit": "市税务局", "contact": "蔡景像",
                           "phone": "+86-577-88026991"}
    measures = run(q("measures-of-task"), ox, {"task": "7"}).records()
    assert [m["number"] for m in measures] == ["1", "2", "3", "4", "5"]
    assert measures[2]["measure"] == "常态化向省级有关部门做好项目推介报送，并做好对接，争取更多项目纳入省级清单。"


def test_formats(ox):
    result = run(q("multi-lead-tasks"), ox)
    doc = json.loads(to_json(result))
    assert doc["head"]["vars"] == ["number", "task", "leadUnit"]
    first = doc["results"]["bindings"][0]
    assert first["number"] == {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["task"] == {"type": "literal", "value": "加大产业基金支持力度", "xml:lang": "zh"}
    assert to_csv(result) == "number,task,leadUnit\n2,加大产业基金支持力度,市财政局\n2,加大产业基金支持力度,市国资委\n"
    assert to_markdown(result).splitlines()[:3] == ["| number | task | leadUnit |", "|---|---|---|",
                                                    "| 2 | 加大产业基金支持力度 | 市财政局 |"]
    table = to_table(result).splitlines()
    # Chinese characters are two columns wide: the borders line up
    from rich.cells import cell_len
    assert len({cell_len(line) for line in table[:-1]}) == 1
    assert table[-1] == "2 row(s)"


def test_ask_query(ox):
    result = ox.select("PREFIX pol: <https://w3id.org/policy-kg/ontology#> ASK { ?t pol:number 32 }")
    assert result.boolean is True
    assert json.loads(to_json(result)) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_malformed_query_gives_position(ttl, engine):
    e = open_engine([ttl], engine)
    with pytest.raises(QuerySyntaxError) as err:
        e.select("SELECT ?x WHERE {\n  ?x ?y\n}", source="bad.rq")
    text = str(err.value)
    assert text.startswith("bad.rq:") and "SPARQL syntax error" in text
    line = int(text.split(":")[1])
    assert line in (2, 3)


def test_parameter_errors(ox):
    with pytest.raises(InputError, match=r"query unit-tasks needs --param unit=… \(the unit's name or any alias"):
        run(q("unit-tasks"), ox, {})
    with pytest.raises(InputError, match="query lead-counts has no parameter 'unit' \\(its parameters: none\\)"):
        run(q("lead-counts"), ox, {"unit": "x"})
    with pytest.raises(InputError, match="parameter task must be an integer, got 'seven'"):
        run(q("measures-of-task"), ox, {"task": "seven"})


def test_parameter_values_cannot_inject(ox):
    evil = '市发改委" ) } UNION { ?u ?p ?o } #'
    assert run(q("unit-tasks"), ox, {"unit": evil}).rows == []


def test_resolve_query_errors(tmp_path):
    with pytest.raises(InputError, match="unknown query 'nope'; named queries: cited-documents, co-responsibility"):
        resolve_query("nope")
    with pytest.raises(InputError, match="query file not found"):
        resolve_query(str(tmp_path / "x.rq"))
    with pytest.raises(InputError, match="either a query name/file or --sparql"):
        resolve_query("lead-counts", "SELECT * {}")


def test_any_conforming_graph_can_be_queried():
    e = open_engine([MINI])
    assert run(q("lead-counts"), e).records() == [
        {"unit": "甲局", "leadTasks": "1"}, {"unit": "乙委", "leadTasks": "1"}, {"unit": "丙办", "leadTasks": "1"}]
    assert [r["number"] for r in run(q("unit-tasks"), e, {"unit": "甲"}).records()] == ["1", "2"]


def test_cli_query(ttl):
    runner = CliRunner()
    result = runner.invoke(main, ["query", "unit-summary", "--param", "unit=市发改委", "--graph", str(ttl),
                                  "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "label,leadTasks,supportTasks,responsibleTasks\n市发展改革委,6,8,0\n"
    listing = runner.invoke(main, ["query", "--list"])
    assert "lead-counts\n    Items led per unit: how many items (key tasks 重点工作" in listing.stdout
    assert "unit-tasks --param unit=…" in listing.stdout
    adhoc = runner.invoke(main, ["query", "--graph", str(ttl), "--format", "csv", "--sparql",
                                 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert adhoc.stdout == "n\n6120\n"
    bad = runner.invoke(main, ["query", "--graph", str(ttl), "--sparql", "SELECT ?x WHERE { ?x ?y }"])
    assert bad.exit_code == 2
    assert bad.stderr == ("policy-kg: error: --sparql:1:26: SPARQL syntax error: "
                          "expected one of LATERAL, SERVICE, [_]\n")
    update = runner.invoke(main, ["query", "--graph", str(ttl), "--sparql", "DELETE WHERE { ?s ?p ?o }"])
    assert update.exit_code == 2 and "SPARQL syntax error" in update.stderr


def test_cli_query_file_and_missing_graph(ttl, tmp_path, monkeypatch):
    rq = tmp_path / "mine.rq"
    rq.write_text("# my query\nSELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Organization> }\n",
                  encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(rq), "--graph", str(ttl), "--format", "csv", "--engine", "rdflib"])
    assert result.stdout == "n\n43\n"
    monkeypatch.chdir(tmp_path)
    missing = CliRunner().invoke(main, ["query", "lead-counts"])
    assert missing.exit_code == 2
    assert missing.stderr == ("policy-kg: error: build/wenzhou-2023-82.ttl not found: run `policy-kg build` "
                              "(or `make run`) first, or give --graph FILE\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    broken = CliRunner().invoke(main, ["query", "lead-counts", "--graph", str(bad)])
    assert broken.exit_code == 2 and broken.stderr.startswith(f"policy-kg: error: {bad}: not valid")


def test_formatters_cover_the_cli_choices():
    assert set(FORMATTERS) == {"table", "csv", "json", "md"}
    assert RdflibEngine.name == "rdflib"


# -- documents of the genre: items are measures, and units may be jointly responsible ------------------------
def test_items_of_a_task_table(layout_ttl):
    e = open_engine([layout_ttl("task-table")])
    items = run(q("items"), e).records()
    assert [r["number"] for r in items] == [f"表/{n}" for n in range(1, 17)]  # the table's rows, in order
    assert items[2] == {"number": "表/3", "item": "具身智能数据采集训练场建设", "lead": None, "support": None,
                        "responsible": "湖州市数据局、湖州市经信局、湖州市产业集团、各区县政府", "deadline": "2027年底"}
    assert items[14] == {"number": "表/15", "item": "专班工作机制建立", "lead": "湖州市经信局", "support": "相关部门",
                         "responsible": None, "deadline": "2026年底"}  # 市经信局牵头，相关部门参与
    due = run(q("items-due"), e, {"year": "2026"}).records()
    assert [r["number"] for r in due] == ["表/2", "表/9", "表/11", "表/12", "表/13", "表/14", "表/15"]
    assert due[0] == {"number": "表/2", "item": "高质量数据集建设", "deadline": "2026年底", "dueDate": "2026-12-31",
                      "units": "湖州市数据局、各区县政府"}
    assert [r["number"] for r in run(q("items-due"), e, {"year": "2027"}).records()] == [
        "表/3", "表/4", "表/5", "表/6", "表/8", "表/10"]  # 持续推进 (rows 1, 7, 16) has no date


def test_responsible_units_are_counted_where_they_matter(layout_ttl):
    e = open_engine([layout_ttl("task-table")])
    # 市经信局: jointly responsible in rows 3, 5–8, 12–14, 16; lead of row 15 only
    assert run(q("unit-summary"), e, {"unit": "市经信局"}).records() == [
        {"label": "湖州市经信局", "leadTasks": "1", "supportTasks": "0", "responsibleTasks": "9"}]
    assert run(q("lead-counts"), e).records() == [{"unit": "湖州市经信局", "leadTasks": "1"}]
    counts = {r["unit"]: r for r in run(q("involvement-counts"), e).records()}
    assert counts["湖州市经信局"] == {"unit": "湖州市经信局", "leadTasks": "1", "supportTasks": "0", "responsibleTasks": "9",
                              "involvedTasks": "10"}
    assert counts["各区县政府"]["responsibleTasks"] == "10" and counts["各区县政府"]["involvedTasks"] == "10"
    tasks = run(q("unit-tasks"), e, {"unit": "市经信局"}).records()
    assert [(r["number"], r["role"]) for r in tasks] == [
        ("表/3", "responsible"), ("表/5", "responsible"), ("表/6", "responsible"), ("表/7", "responsible"),
        ("表/8", "responsible"), ("表/12", "responsible"), ("表/13", "responsible"), ("表/14", "responsible"),
        ("表/15", "lead"), ("表/16", "responsible")]
    assert tasks[0] == {"number": "表/3", "task": "具身智能数据采集训练场建设", "role": "responsible", "area": None,
                        "period": None}
    pairs = run(q("co-responsibility"), e).records()
    assert pairs[0] == {"unitA": "各区县政府", "unitB": "湖州市经信局", "sharedTasks": "5"}  # rows 3, 5, 6, 7, 8
    cited = {r["document"]: (r["citations"], r["keyTasks"]) for r in run(q("cited-documents"), e).records()}
    assert cited["湖州市高质量数据集建设导则"] == ("1", "1")  # cited by row 2 itself (制定发布《…导则》)
    assert cited["国务院关于深入实施“人工智能+”行动的意见"] == ("1", "0")  # by the preamble, no item


@needs_genre
def test_lead_counts_of_a_state_council_opinion(genre_ttl):
    """国发〔2018〕39号: 列第一位者为牵头单位 — the first unit of each of its 15 brackets leads."""
    e = open_engine([genre_ttl("guofa-2018-39-jiuye")])
    assert run(q("lead-counts"), e).records() == [
        {"unit": "人力资源和社会保障部", "leadTasks": "8"}, {"unit": "各有关部门和单位", "leadTasks": "3"},
        {"unit": "财政部", "leadTasks": "3"}, {"unit": "各省级人民政府", "leadTasks": "1"}]  # ties in IRI order
    hr = run(q("unit-tasks"), e, {"unit": "人力资源社会保障部"}).records()
    assert [(r["number"], r["role"]) for r in hr] == [
        ("一/（一）", "lead"), ("二/（三）", "support"), ("二/（四）", "lead"), ("二/（五）", "lead"), ("三/（六）", "lead"),
        ("三/（七）", "lead"), ("三/（八）", "lead"), ("四/（九）", "lead"), ("四/（十）", "lead"), ("四/（十一）", "support")]


@needs_genre
def test_jointly_responsible_units_of_a_shanghai_plan(genre_ttl):
    """沪府办发〔2025〕17号 names 责任单位 after each of its 20 measures, and never a lead."""
    e = open_engine([genre_ttl("hufubanfa-2025-17-yiliaoqixie")])
    rows = run(q("involvement-counts"), e).records()
    assert sum(int(r["responsibleTasks"]) for r in rows) == 64
    assert {(r["leadTasks"], r["supportTasks"]) for r in rows} == {("0", "0")}
    assert rows[0] == {"unit": "上海市科委", "leadTasks": "0", "supportTasks": "0", "responsibleTasks": "12",
                       "involvedTasks": "12"}
    assert run(q("lead-counts"), e).rows == [] and run(q("multi-lead-tasks"), e).rows == []
    assert [(r["number"], r["role"]) for r in run(q("unit-tasks"), e, {"unit": "市药品监管局"}).records()] == [
        ("三/（三）/6", "responsible"), ("三/（三）/7", "responsible"), ("三/（四）/10", "responsible"),
        ("三/（五）/13", "responsible"), ("三/（七）/19", "responsible")]
    items = run(q("items"), e).records()
    assert len(items) == 20 and items[2]["responsible"] == "上海市科委、上海市经济信息化委、上海市数据局、上海市卫生健康委、申康医院发展中心"


@needs_genre
def test_multi_lead_items_of_a_state_council_opinion(genre_ttl):
    """国发〔2018〕42号 （十八）: 农业农村部、工业和信息化部牵头负责."""
    e = open_engine([genre_ttl("guofa-2018-42-nongjihua")])
    assert run(q("multi-lead-tasks"), e).records() == [
        {"number": "八/（十八）", "task": "健全组织实施机制", "leadUnit": "农业农村部"},  # org/cn-mara
        {"number": "八/（十八）", "task": "健全组织实施机制", "leadUnit": "工业和信息化部"}]  # org/cn-miit: IRI order


def test_unit_documents_and_jurisdiction_summary_on_the_seed(ox):
    assert run(q("unit-documents"), ox, {"unit": "市发改委"}).records() == [
        {"document": "温州市人民政府办公室关于印发温州市促进民营经济高质量发展若干举措的通知", "number": "温政办〔2023〕82号",
         "jurisdiction": "温州市", "leadItems": "6", "supportItems": "8", "responsibleItems": "0"}]
    assert run(q("jurisdiction-summary"), ox).records() == [
        {"jurisdiction": "温州市", "level": "municipal", "documents": "1", "items": "32", "units": "42",
         "unitsInNoGazetteer": "0"}]
