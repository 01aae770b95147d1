"""The build command and its outputs: files, determinism, round trips in three RDF parsers."""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from tests.conftest import ROOT, SOURCE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out, result


def test_build_writes_outputs(built):
    out, result = built
    assert sorted(p.name for p in out.iterdir()) == [
        "wenzhou-2023-82.quality.md", "wenzhou-2023-82.ttl", "wenzhou-2023-82.validation.txt"]
    assert result.stdout.startswith(f"built {out}/wenzhou-2023-82.ttl: 32 key tasks, 92 targets, 195 measures "
                                    "(declared 195条), 42 units, 33 lead / 100 support / 0 jointly responsible, "
                                    "6120 triples — conforms to the shapes; layout: task-list;")
    assert (out / "wenzhou-2023-82.validation.txt").read_text() == \
        "wenzhou-2023-82.ttl: conforms to the policy-kg shapes (6120 triples)\n"
    quality = (out / "wenzhou-2023-82.quality.md").read_text(encoding="utf-8")
    assert "| Disagreements between repeated copies (first copy kept) | 1 |" in quality
    assert "- line 138: key task 24: target 6 differs between copies" in quality
    assert "| Rows split at a page break and repeated (merged) | 5 |" in quality


def test_turtle_has_only_our_prefixes(built):
    out, _ = built
    text = (out / "wenzhou-2023-82.ttl").read_text(encoding="utf-8")
    prefixes = [l.split()[1] for l in text.splitlines() if l.startswith("PREFIX")]
    assert prefixes == ["dcterms:", "eli:", "org:", "pol:", "prov:", "rdfs:", "schema:", "skos:", "time:", "vcard:",
                        "xsd:"]
    assert "schema1" not in text


def test_validate_command(built):
    out, _ = built
    ok = CliRunner().invoke(main, ["validate", str(out / "wenzhou-2023-82.ttl")])
    assert ok.exit_code == 0
    assert ok.stdout.endswith("conforms to the policy-kg shapes (6120 triples)\n")


def test_validate_command_reports_violations(built, tmp_path):
    out, _ = built
    text = (out / "wenzhou-2023-82.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace("<tel:+86-577-88961285>", "<tel:88961285>"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "does NOT conform to the policy-kg shapes: 1 violation(s)" in result.stderr
    assert "«万秀芝»" in result.stderr and "path: vcard:hasTelephone" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == \
        "policy-kg: error: the graph does not conform to the shapes: 1 violation(s)"


def test_validate_command_bad_turtle(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"policy-kg: error: {bad}: not valid turtle")
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2 and result.stderr == f"policy-kg: error: {tmp_path / 'none.ttl'}: file not found\n"


def test_bad_base_iri(tmp_path):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "o"), "--base", "urn:x"])
    assert result.exit_code == 2 and "must be an http(s) IRI ending in '/' or '#'" in result.stderr


def test_custom_base_and_source_name(tmp_path):
    src = tmp_path / "my-doc.txt"
    shutil.copy(SOURCE, src)
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o"), "--base", "https://ex.org/id/"])
    assert result.exit_code == 0, result.stderr
    g = Graph().parse(tmp_path / "o" / "my-doc.ttl")
    assert len(g) == 6120
    assert any(str(s).startswith("https://ex.org/id/doc/my-doc/task/") for s in g.subjects())


@pytest.mark.slow
def test_build_graph_writes_everything_with_the_same_bytes_across_processes_and_hash_seeds(tmp_path):
    """What `make run` does (build_graph.py), three times: same files, same bytes, graph to views."""
    digests = set()
    for seed in ("0", "1", "4242"):
        cwd = tmp_path / seed
        cwd.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, str(ROOT / "build_graph.py")], env=env, capture_output=True,
                              text=True, cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        out = cwd / "build"
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted([
            "wenzhou-2023-82.ttl", "wenzhou-2023-82.validation.txt", "wenzhou-2023-82.quality.md",
            "wenzhou-2023-82.jsonld", "wenzhou-2023-82.nt", "wenzhou-2023-82.trig", "context.jsonld", "dataset.ttl",
            "analysis.md", "analysis.json", "units.csv", "areas.csv", "co-responsibility.csv",
            "unit-task.graphml", "unit-task.gexf", "unit-unit.graphml", "unit-unit.gexf",
            "lead-support.graphml", "lead-support.gexf", "lead-involvement.png", "unit-area-heatmap.png",
            "ontology.html", "site"])
        views = cwd / "visualizations"
        assert sorted(p.name for p in views.iterdir()) == [
            "index.html", "policy-hierarchy.html", "responsibility-network.html", "unit-network.html"]
        assert (out / "site" / "id" / "doc" / "wenzhou-2023-82" / "task" / "7" / "index.html").is_file()
        files = sorted(p for p in out.rglob("*") if p.is_file()) + sorted(views.iterdir())
        digests.add(tuple((p.relative_to(cwd).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                          for p in files))
    assert len(digests) == 1


@pytest.mark.slow
def test_turtle_parses_the_same_in_pyoxigraph(built):
    import pyoxigraph

    out, _ = built
    path = out / "wenzhou-2023-82.ttl"
    ours = Graph().parse(path)
    triples = list(pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(ours) == 6120
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    assert isomorphic(Graph().parse(data=nt, format="nt"), ours)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("rapper") is None and not os.environ.get("CI"),
                    reason="Raptor's rapper is not installed (.ci/run installs raptor2-utils)")
def test_turtle_parses_the_same_in_rapper(built):
    out, _ = built
    path = out / "wenzhou-2023-82.ttl"
    proc = subprocess.run(["rapper", "-q", "-i", "turtle", "-o", "ntriples", str(path)],
                          capture_output=True, check=True)
    other = Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")
    assert len(other) == 6120
    assert isomorphic(other, Graph().parse(path))


def test_build_fails_on_invalid_graph_and_writes_nothing(tmp_path, monkeypatch):
    """A graph that breaks the shapes: exit 1, the report on stderr, no files."""
    import kg.build
    from kg.rdf import document_graph
    from kg.vocab import POL

    def broken(doc, base):
        g = document_graph(doc, base)
        g.remove((None, POL.contact, None))
        return g

    monkeypatch.setattr(kg.build, "document_graph", broken)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 1
    assert "does NOT conform to the policy-kg shapes: 32 violation(s)" in result.stderr
    assert "- Violation: «强化财税政策保障» (pol:KeyTask 1)" in result.stderr
    assert "problem: needs exactly one contact (a vcard:Individual)" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == \
        "policy-kg: error: the graph does not conform to the shapes: 32 violation(s)"
    assert not out.exists()


def test_version_and_module_entry_point():
    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout == "policy-kg, version 0.1.0\n"
    proc = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "build" in proc.stdout and "validate" in proc.stdout
