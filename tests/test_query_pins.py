"""The rows of the queries rewritten for speed (issue 13), pinned: the same answers as before the rewrite.

targets-due, percentage-targets and cited-documents were rewritten so that Oxigraph answers them faster at a
million triples. tests/data/query-pins.json holds their rows as the queries gave them before the rewrite, on the
Wenzhou graph, on genre documents' graphs and on a graph of four documents (whose rows tie on the sort keys but the
last), and every engine must give exactly those rows, in that order. To write the file anew (only when the graphs
themselves change, never to make a rewrite pass): ``PIN_QUERIES=write pytest tests/test_query_pins.py``.
"""

import json
import os
from pathlib import Path

import pytest

from kg.query import ENGINES, Results, named_queries, open_engine, run
from tests.conftest import needs_genre

PINS = Path(__file__).parent / "data" / "query-pins.json"
WRITE = os.environ.get("PIN_QUERIES") == "write"
GENRE = "guofa-2018-42-nongjihua"  # the genre document with rows in all three: indicators due, percentages, citations
HUZHOU, ZHEJIANG = "huzhou-rengongzhineng-gongzuofangan", "zhejiang-xinchangjing-xingdongfangan"
ALL = "+".join(["wenzhou", GENRE, HUZHOU, ZHEJIANG, "stored"])  # many documents' rows, most tied on the sort keys
# "stored": two documents Wenzhou's cites are held themselves (as a corpus build links them): inStore true
STORED = """@prefix pol: <https://w3id.org/policy-kg/ontology#> .
<https://w3id.org/policy-kg/id/doc/cpc-sc-2023-private-economy-opinion> a pol:PolicyDocument .
<https://w3id.org/policy-kg/id/doc/ref-13a479be22fb> a pol:PolicyText .
"""
CASES = {  # graph -> [(query, parameters)]
    "wenzhou": [("targets-due", {"year": "2023"}), ("targets-due", {"year": "2025"}), ("targets-due", {"year": "2027"}),
                ("targets-due", {"year": "2030"}), ("percentage-targets", {}), ("cited-documents", {})],
    GENRE: [("targets-due", {"year": "2025"}), ("targets-due", {"year": "2020"}), ("percentage-targets", {}),
            ("cited-documents", {})],
    HUZHOU: [("targets-due", {"year": "2027"}), ("cited-documents", {})],
    ZHEJIANG: [("targets-due", {"year": "2027"}), ("percentage-targets", {}), ("cited-documents", {})],
    ALL: [("targets-due", {"year": "2025"}), ("targets-due", {"year": "2027"}), ("percentage-targets", {}),
          ("cited-documents", {})],
}


def key(query: str, params: dict) -> str:
    return " ".join([query, *(f"{k}={v}" for k, v in sorted(params.items()))])


def as_json(results: Results) -> dict:
    cells = [[None if t is None else [t.type, t.value, t.lang, t.datatype] for t in row] for row in results.rows]
    return {"variables": results.variables, "rows": cells}


def dumps(pins: dict) -> str:
    """The pins as JSON, a row to a line (a rewrite's change shows in a diff as the rows it changed)."""
    def one(value):
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    for i, graph in enumerate(sorted(pins)):
        lines.append(f" {one(graph)}: {{")
        for j, case in enumerate(sorted(pins[graph])):
            got = pins[graph][case]
            rows = ",\n".join(f"   {one(row)}" for row in got["rows"])
            lines.append(f"  {one(case)}: {{\"variables\": {one(got['variables'])}, \"rows\": [" +
                         (f"\n{rows}\n  ]}}" if rows else "]}") + ("," if j < len(pins[graph]) - 1 else ""))
        lines.append(" }" + ("," if i < len(pins) - 1 else ""))
    return "\n".join(lines) + "\n}\n"


@pytest.fixture(scope="module")
def graphs(ttl, genre_ttl, tmp_path_factory):
    stored = tmp_path_factory.mktemp("stored") / "stored.ttl"
    stored.write_text(STORED, encoding="utf-8")

    def paths(name):
        return [{"wenzhou": ttl, "stored": stored}.get(part) or genre_ttl(part) for part in name.split("+")]

    return paths


@pytest.fixture(scope="module")
def pins():
    if WRITE:
        found = {}
        yield found
        PINS.write_text(dumps(found), encoding="utf-8")
    else:
        yield json.loads(PINS.read_text(encoding="utf-8"))


def test_every_rewritten_query_is_pinned():
    assert {q for cases in CASES.values() for q, _ in cases} == {"targets-due", "percentage-targets", "cited-documents"}
    assert set(named_queries()) >= {"targets-due", "percentage-targets", "cited-documents"}


@needs_genre
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_rows_are_the_pinned_rows(name, engine, graphs, pins):
    e = open_engine(graphs(name), engine)
    for query, params in CASES[name]:
        got = as_json(run(named_queries()[query], e, params))
        if WRITE:
            if engine == ENGINES[0]:
                pins.setdefault(name, {})[key(query, params)] = got
            continue
        expected = pins[name][key(query, params)]
        assert got["variables"] == expected["variables"], (name, query, params)
        assert len(got["rows"]) == len(expected["rows"]), (name, query, params)
        assert got["rows"] == expected["rows"], (name, query, params)


def test_the_pins_have_rows():
    """Each pinned case but one (no indicator of Wenzhou's is due in 2030) has rows to compare."""
    pins = json.loads(PINS.read_text(encoding="utf-8"))
    empty = {(g, k) for g, cases in pins.items() for k, v in cases.items() if not v["rows"]}
    assert empty == {("wenzhou", "targets-due year=2030")}
    assert len(pins["wenzhou"]["targets-due year=2023"]["rows"]) == 70
    assert len(pins["wenzhou"]["percentage-targets"]["rows"]) == 30
    assert len(pins["wenzhou"]["cited-documents"]["rows"]) == 38
    assert [row[-1][1] for row in pins[ALL]["cited-documents"]["rows"]].count("true") == 2  # inStore
