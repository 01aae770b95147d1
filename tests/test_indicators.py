"""Quantitative targets: measured against a hand-labelled set, and in the graph."""

from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.indicators import find_indicators
from kg.query import named_queries, open_engine, run
from kg.validate import validate_graph
from kg.vocab import POL, SDO, XSD
from tests.conftest import DOC, ROOT

GOLD = ROOT / "tests" / "data" / "indicators-gold.tsv"


def gold() -> Counter:
    out = Counter()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("part\t"):
            continue
        part, value, unit, comparator, due = line.split("\t")
        out[(part, Decimal(value), unit, comparator, due)] += 1
    return out


def extracted(doc) -> Counter:
    out = Counter()
    for part, i in doc.indicators:
        if part[0] == "target" and part[1] == 1:
            continue  # outside the labelled scope (see the gold file's header)
        name = f"goal.{doc.goals[part[1]].year}" if part[0] == "goal" else f"{part[1]}.{part[2]}"
        due = "recurring" if i.recurring else (str(i.due_year) if i.due_year else "")
        out[(name, i.value, i.unit, i.comparator, due)] += 1
    return out


def test_precision_and_recall_on_the_hand_labelled_set(doc):
    expected, got = gold(), extracted(doc)
    assert sum(expected.values()) >= 40
    hits = sum((expected & got).values())
    precision, recall = hits / sum(got.values()), hits / sum(expected.values())
    print(f"indicators: {sum(expected.values())} labelled, {sum(got.values())} extracted, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95, sorted((got - expected).elements())
    assert recall >= 0.95, sorted((expected - got).elements())


@pytest.mark.parametrize("text, expected", [
    ("力争 2023 年辖内新发放“双保”助力贷款超 300 亿元。", [("300", "亿元", "MoreThan", 2023, False)]),
    ("2023 年底, 诉前羁押率控制在 35% 以下", [("35", "%", "AtMost", 2023, False)]),
    ("力争到 2025 年末，全市集聚约 100 家股权投资机构", [("100", "家", "Approximately", 2025, False)]),
    ("每年举办各类政企恳谈活动不少于 100 场。", [("100", "场", "AtLeast", None, True)]),
    ("各级招投标综合部门排查2023年以来招投标项目不低于10%。", [("10", "%", "AtLeast", None, False)]),
    ("将普惠小微贷款支持工具延期至 2024 年末。", []),
    ("占全省比重超六分之一。", []),
])
def test_examples(text, expected):
    assert [(str(i.value), i.unit, i.comparator, i.due_year, i.recurring) for i in find_indicators(text)] == expected


def test_indicators_in_the_graph(graph):
    target = URIRef(DOC + "/task/5/target/5")  # 力争 2023 年全市政府性融资担保支农支小余额达 230 亿元以上
    [ind] = list(graph.objects(target, POL.hasIndicator))
    assert (ind, RDF.type, SDO.QuantitativeValue) in graph
    assert graph.value(ind, SDO.value) == Literal(Decimal("230"), datatype=XSD.decimal)
    assert graph.value(ind, SDO.unitText) == Literal("亿元")
    assert graph.value(ind, POL.comparator) == POL.AtLeast
    assert graph.value(ind, POL.dueYear) == Literal("2023", datatype=XSD.gYear)
    assert graph.value(ind, POL.normalisedValue) == Literal(Decimal("23000000000"), datatype=XSD.decimal)
    assert graph.value(ind, SDO.currency) == Literal("CNY")
    first_households = next(iter(graph.objects(URIRef(DOC + "/task/5/target/7"), POL.hasIndicator)))
    assert graph.value(first_households, SDO.value) == Literal(Decimal("1"), datatype=XSD.decimal)
    assert graph.value(first_households, SDO.unitText) == Literal("万户")
    assert graph.value(first_households, POL.normalisedValue) == Literal(Decimal("10000"), datatype=XSD.decimal)
    energy = next(iter(graph.objects(URIRef(DOC + "/task/4/target/1"), POL.hasIndicator)))
    assert graph.value(energy, POL.recurring) == Literal(True) and graph.value(energy, POL.dueYear) is None
    assert graph.value(energy, SDO.unitCode) == Literal("P1")
    goal = URIRef(DOC + "/text/goal/2025")
    assert len(list(graph.objects(goal, POL.hasIndicator))) == 3  # 150万户, 3%左右, 10%左右


def test_shape_rejects_a_recurring_indicator_with_a_due_year(graph):
    from rdflib import Graph

    copy = Graph()
    for t in graph:
        copy.add(t)
    energy = next(iter(copy.objects(URIRef(DOC + "/task/4/target/1"), POL.hasIndicator)))
    copy.add((energy, POL.dueYear, Literal("2023", datatype=XSD.gYear)))
    copy.set((next(iter(copy.objects(URIRef(DOC + "/task/5/target/5"), POL.hasIndicator))), POL.comparator, POL.Mentions))
    messages = sorted(v.message for v in validate_graph(copy).errors)
    assert messages == ["a recurring indicator (每年) has no due year", "needs exactly one comparator from pol:Comparators"]


def test_named_queries(ttl):
    e = open_engine([ttl])
    due_2025 = run(named_queries()["targets-due"], e, {"year": "2025"}).records()
    assert len(due_2025) == 14
    assert {"task": "20", "target": "4", "indicator": "150万户", "value": "150", "unit": "万户",
            "comparator": "MoreThan"} in due_2025
    percent = run(named_queries()["percentage-targets"], e).records()
    assert all(r["indicator"].startswith(r["value"]) for r in percent)
    assert len(percent) == 30  # 27 in the labelled set and key task 1's 25%, 100%, 5%
