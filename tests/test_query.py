"""Named SPARQL queries, parameters, formats, errors; both engines give the same answers."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.query import (FORMATTERS, RdflibEngine, QuerySyntaxError, named_queries, open_engine, resolve_query, run,
                      to_csv, to_json, to_markdown, to_table)
from tests.conftest import MINI
from tests.test_parse import LEADS

REQUIRED = {"lead-counts", "involvement-counts", "unit-tasks", "multi-lead-tasks", "co-responsibility",
            "tasks-by-area", "tasks-by-period", "contacts", "measures-of-task"}
PARAMS = {"unit-tasks": {"unit": "市发改委"}, "unit-summary": {"unit": "市发展改革委"}, "measures-of-task": {"task": "7"},
          "targets-due": {"year": "2023"}}


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
    assert a.rows, f"{name} returned no rows"


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
        {"label": "市发展改革委", "leadTasks": "6", "supportTasks": "8"}]


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
    assert result.stdout == "label,leadTasks,supportTasks\n市发展改革委,6,8\n"
    listing = runner.invoke(main, ["query", "--list"])
    assert "lead-counts\n    Key tasks led per unit" in listing.stdout
    assert "unit-tasks --param unit=…" in listing.stdout
    adhoc = runner.invoke(main, ["query", "--graph", str(ttl), "--format", "csv", "--sparql",
                                 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert adhoc.stdout == "n\n6058\n"
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
