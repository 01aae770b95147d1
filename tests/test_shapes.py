"""SHACL shapes: the good graph conforms; each mutation gives the expected violation."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.validate import validate_graph
from kg.vocab import ELI, POL, PROV, VCARD
from tests.conftest import BASE, DOC

TASK7 = URIRef(DOC + "/task/7")
DRC = URIRef(BASE + "org/wz-drc")


@pytest.fixture
def copy(graph):
    g = Graph(bind_namespaces="none")
    for t in graph:
        g.add(t)
    return g


def agreeing(g):
    """Validate with the reference (pyshacl) and the fast gate (shacl); they must find the same: verdict, focus
    nodes, paths and constraint components. Says where they differ. Returns the reference's result.

    (Values are not compared: for the SPARQL constraint on a task list's declared count shacl 0.3.4 reports no
    sh:value where pyshacl reports '195'. Where the gate finds a violation, builds report the reference's results.)"""
    reference = validate_graph(g, engine="pyshacl")
    fast = validate_graph(g, engine="shacl")

    def found(result):
        return sorted({(v.severity, v.focus, v.path, v.component) for v in result.violations})

    assert fast.conforms == reference.conforms, f"verdicts differ: pyshacl {reference.conforms}, shacl {fast.conforms}"
    only_reference = sorted(set(found(reference)) - set(found(fast)))
    only_fast = sorted(set(found(fast)) - set(found(reference)))
    assert not only_reference and not only_fast, f"only pyshacl: {only_reference}\nonly shacl: {only_fast}"
    auto = validate_graph(g)  # what builds use: the fast gate, and the reference's report where it fails
    assert (auto.conforms, auto.engine) == (reference.conforms, "shacl" if reference.conforms else "pyshacl")
    return reference


def problems(g):
    result = agreeing(g)
    assert not result.conforms
    return result


def test_good_graph_conforms(graph):
    before = set(graph)
    result = agreeing(graph)
    assert set(graph) == before  # validation (in place, no inference) leaves the graph as it was
    assert result.conforms, result.report()
    assert result.violations == ()
    assert result.report("x.ttl").startswith("x.ttl: conforms to the policy-kg shapes (6120 triples)")


def test_drop_lead_unit(copy):
    copy.remove((TASK7, POL.leadUnit, None))
    result = problems(copy)
    [v] = [v for v in result.errors if v.path == "pol:leadUnit"]
    assert v.focus == f"«向民营企业推介三张项目清单» (pol:KeyTask 7) <{TASK7}>"
    assert "needs at least one lead unit" in v.message
    text = result.report("g.ttl")
    assert "does NOT conform" in text and "«向民营企业推介三张项目清单» (pol:KeyTask 7)" in text
    assert "path: pol:leadUnit" in text


def test_lead_also_support(copy):
    copy.add((TASK7, POL.supportUnit, DRC))
    result = problems(copy)
    assert any(v.path == "pol:leadUnit" and "not also a supporting unit" in v.message and "市发展改革委" in (v.value or "")
               for v in result.errors)


def test_duplicate_key_task_number(copy):
    copy.set((URIRef(DOC + "/task/8"), POL.number, Literal(7)))
    result = problems(copy)
    focus = {v.focus for v in result.errors if "key task number 7 is also used by" in v.message}
    assert any("pol:KeyTask 7" in f and "向民营企业推介三张项目清单" in f for f in focus)
    assert any("充分发挥民营企业科技创新主体作用" in f for f in focus)


def test_duplicate_measure_number(copy):
    copy.set((URIRef(DOC + "/task/7/measure/5"), POL.number, Literal(4)))
    result = problems(copy)
    assert any(v.message == "measure number 4 is used twice in this key task" and "pol:KeyTask 7" in v.focus
               for v in result.errors)


def test_broken_phone(copy):
    contact = copy.value(TASK7, POL.contact)
    copy.set((contact, VCARD.hasTelephone, URIRef("tel:0577-8896")))
    result = problems(copy)
    [v] = result.errors
    assert v.path == "vcard:hasTelephone" and "«万秀芝»" in v.focus and "tel:+86-577-88026991" in v.message


def test_drop_area(copy):
    copy.remove((TASK7, POL.area, None))
    [v] = problems(copy).errors
    assert (v.path, v.message) == ("pol:area", "needs exactly one policy area (pol:area)")


def test_two_areas(copy):
    copy.add((TASK7, POL.area, URIRef(DOC + "/area/3")))
    [v] = problems(copy).errors
    assert v.path == "pol:area"


def test_drop_contact_and_period(copy):
    copy.remove((TASK7, POL.contact, None))
    copy.remove((TASK7, POL.period, None))
    paths = sorted(v.path for v in problems(copy).errors)
    assert paths == ["pol:contact", "pol:period"]


def test_drop_all_targets(copy):
    copy.remove((TASK7, POL.hasTarget, None))
    paths = {v.path for v in problems(copy).errors}
    assert "pol:hasTarget" in paths  # the task (task-list profile); and the orphaned target (core)
    assert "^pol:hasTarget" in paths


def test_measure_text_not_chinese(copy):
    m = URIRef(DOC + "/task/7/measure/1")
    copy.set((m, POL.text, Literal("in English")))
    [v] = problems(copy).errors
    assert v.path == "pol:text" and "Chinese" in v.message and "«重点工作7·举措1»" in v.focus


def test_bad_document_number(copy):
    copy.set((URIRef(DOC), ELI.id_local, Literal("温政办2023-82")))
    [v] = problems(copy).errors
    assert v.path == "eli:id_local" and "温政办〔2023〕82号" in v.message


def test_declared_count_mismatch(copy):
    copy.set((URIRef(DOC + "/task-list"), POL.declaredMeasureCount, Literal(196)))
    [v] = problems(copy).errors
    assert v.message == "declares 196 measures but holds 195"


def test_role_mismatch(copy):
    copy.set((URIRef(DOC + "/task/7/responsibility/wz-drc"), PROV.hadRole, POL.SupportRole))
    [v] = problems(copy).errors
    assert "has role" in v.message and "pol:KeyTask 7" in v.focus


def test_missing_chinese_label(copy):
    target = URIRef(DOC + "/task/7/target/1")
    copy.remove((target, RDFS.label, Literal("重点工作7·目标1", lang="zh")))
    [v] = problems(copy).errors
    assert v.message == "needs a Chinese label (rdfs:label \"…\"@zh)"
    assert v.focus == f"«Key task 7, target 1» (pol:Target 1) <{target}>"


def test_no_label_at_all(copy):
    copy.remove((URIRef(DOC + "/task/7/target/1"), RDFS.label, None))
    messages = sorted(v.message for v in problems(copy).errors)
    assert messages == ["needs a Chinese label (rdfs:label \"…\"@zh)",
                        "needs non-empty labels tagged @zh or @en, at most one per language"]


def test_two_chinese_labels(copy):
    copy.add((TASK7, RDFS.label, Literal("另一个标题", lang="zh")))
    [v] = problems(copy).errors
    assert v.path == "rdfs:label" and "at most one per language" in v.message


def test_unit_without_english_label(copy):
    copy.remove((DRC, RDFS.label, Literal("Wenzhou Development and Reform Commission", lang="en")))
    [v] = problems(copy).errors
    assert v.message == 'a unit needs an English label (rdfs:label "…"@en)'
    assert "«市发展改革委»" in v.focus


def test_unit_without_classification(copy):
    copy.remove((DRC, URIRef("http://www.w3.org/ns/org#classification"), None))
    [v] = problems(copy).errors
    assert "«市发展改革委»" in v.focus and v.path == "org:classification"


def test_period_without_end(copy):
    period = URIRef(BASE + "period/2023-2027")
    copy.remove((period, URIRef("http://www.w3.org/2006/time#hasEnd"), None))
    [v] = problems(copy).errors
    assert "needs a beginning and an end" in v.message


def test_wrong_type_of_lead(copy):
    copy.remove((DRC, RDF.type, None))
    result = problems(copy)
    assert any(v.path == "pol:leadUnit" and "org:Organization" in v.message for v in result.errors)


def test_task_list_outside_any_policy_text(copy):
    copy.remove((URIRef(DOC + "/task-list"), ELI.is_part_of, None))
    [v] = problems(copy).errors
    assert (v.path, v.message) == ("eli:is_part_of", "must be part of exactly one policy text (which the document issues)")
