"""Corpus mode: many documents into one Oxigraph store; one bad document does not stop the rest."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import SOURCE


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SOURCE, folder / "wenzhou-a.txt")  # the document, and the same under another number
    (folder / "wenzhou-b.txt").write_text(SOURCE.read_text(encoding="utf-8").replace("〔2023〕82号", "〔2023〕83号"),
                                         encoding="utf-8")
    (folder / "broken.txt").write_text("\n".join(SOURCE.read_text(encoding="utf-8").split("\n")[:120]),
                                       encoding="utf-8")  # truncated inside the task list
    store = tmp_path_factory.mktemp("store") / "db"
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(store)])
    return folder, store, result


def test_bad_document_is_reported_and_the_rest_stored(corpus):
    folder, store, result = corpus
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[:2] == ["  wenzhou-a.txt: jurisdiction wz (from its document number); task-list: 32 items, 42 units", "  wenzhou-b.txt: jurisdiction wz (from its document number); task-list: 32 items, 42 units"]
    assert lines[2] == f"stored 2 document(s), 12240 triples, in {store}; 1 failed:"
    assert lines[3].startswith(f"  {folder / 'broken.txt'}:120: the file ends inside the task list")


def test_named_graph_per_document(corpus):
    import pyoxigraph

    _, store, _ = corpus
    db = pyoxigraph.Store.read_only(str(store))
    graphs = sorted(g.value for g in db.named_graphs())
    assert graphs == ["https://w3id.org/policy-kg/id/doc/wenzhou-a/graph",
                      "https://w3id.org/policy-kg/id/doc/wenzhou-b/graph"]
    assert len(db) == 12240


def test_reading_commands_accept_the_store(corpus, tmp_path):
    _, store, _ = corpus
    runner = CliRunner()
    leads = runner.invoke(main, ["query", "lead-counts", "--store", str(store), "--format", "csv"])
    assert leads.exit_code == 0 and leads.stdout.splitlines()[1] == "市发展改革委,12"  # 6 in each document
    summary = runner.invoke(main, ["query", "unit-summary", "--param", "unit=市发改委", "--store", str(store),
                                   "--format", "csv"])
    assert summary.stdout == "label,leadTasks,supportTasks,responsibleTasks\n市发展改革委,12,16,0\n"
    answer = runner.invoke(main, ["analyze", "--store", str(store), "--unit", "市发改委"])
    assert answer.exit_code == 0 and "- leads 12 key task(s)" in answer.stdout
    views = runner.invoke(main, ["viz", "--store", str(store), "--out", str(tmp_path / "v"),
                                 "--view", "unit-network"])
    assert views.exit_code == 0 and (tmp_path / "v" / "unit-network.html").exists()


def test_rebuilding_replaces_a_documents_graph(corpus):
    folder, store, _ = corpus
    again = CliRunner().invoke(main, ["build", str(folder / "wenzhou-a.txt"), "--store", str(store)])
    assert again.exit_code == 0
    assert again.stdout == ("  wenzhou-a.txt: jurisdiction wz (from its document number); task-list: 32 items, 42 units; "
                            "replaced the graph <https://w3id.org/policy-kg/id/doc/wenzhou-a/graph> stored before\n"
                            f"stored 1 document(s), 6120 triples, in {store}\n")
    import pyoxigraph

    assert len(pyoxigraph.Store.read_only(str(store))) == 12240


def test_store_errors(corpus, tmp_path):
    _, store, _ = corpus
    both = CliRunner().invoke(main, ["query", "lead-counts", "--store", str(store), "--graph", "x.ttl"])
    assert both.exit_code == 2 and "give --graph files or --store, not both" in both.stderr
    missing = CliRunner().invoke(main, ["query", "lead-counts", "--store", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "store not found" in missing.stderr
    # a store in a folder not made yet is made (it was: "cannot open the store: IO error: … While mkdir if missing")
    fresh = CliRunner().invoke(main, ["build", str(SOURCE), "--store", str(tmp_path / "new" / "db"), "--jobs", "1"])
    assert fresh.exit_code == 0, fresh.stderr
    assert "stored 1 document(s), 6120 triples" in fresh.output


def test_analysis_lookups_do_not_multiply_across_documents(corpus):
    """In the union of the document graphs a unit's triples appear once per document; one row per unit."""
    from kg import analyze
    from kg.query import open_engine

    _, store, _ = corpus
    engine = open_engine(None, store=store)
    units = analyze.unit_attributes(engine)
    assert len(units) == 43
    assert units["https://w3id.org/policy-kg/id/org/wz-drc"] == {
        "kind": "unit", "label": "市发展改革委", "label_en": "Wenzhou Development and Reform Commission",
        "classification": "MunicipalDepartment", "aliases": "市发展和改革委员会; 市发改委"}
    assert len(engine.select(analyze.TASKS).rows) == 64  # 32 key tasks in each of the two documents


def _quads(store) -> list[str]:
    import pyoxigraph

    db = pyoxigraph.Store.read_only(str(store))
    return sorted(str(q) for q in db)


def test_one_process_or_several_store_the_same(corpus, tmp_path):
    """Workers only change who does the work: the same graphs, the same summary, failures in input order."""
    folder, store, result = corpus
    single = tmp_path / "single"
    alone = CliRunner().invoke(main, ["build", str(folder), "--store", str(single), "--jobs", "1"])
    assert alone.exit_code == 2
    assert alone.stdout.replace(str(single), "STORE") == result.stdout.replace(str(store), "STORE")
    assert _quads(single) == _quads(store)


def test_corpus_build_uses_workers(tmp_path):
    from kg.corpus import build_corpus

    for name in ("a", "b", "c"):
        shutil.copy(SOURCE, tmp_path / f"{name}.txt")
    summary = build_corpus([tmp_path], tmp_path / "db", progress=False, jobs=2)
    assert (summary.jobs, summary.documents, summary.triples, summary.failures) == (2, 3, 18360, [])
    assert build_corpus([tmp_path / "a.txt"], tmp_path / "db", progress=False, jobs=4).jobs == 1  # one document


def test_jobs_only_in_corpus_mode(tmp_path):
    result = CliRunner().invoke(main, ["build", "--jobs", "2", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--jobs applies to corpus mode only (with --store)" in result.stderr
    assert not any(tmp_path.iterdir())


def test_corpus_analysis_is_aggregated_in_the_store(corpus, tmp_path):
    from kg.analyze import analyse, analyse_store, responsibility_network
    from kg.query import open_engine
    from tests.test_analyze import assert_same_figures

    _, store, _ = corpus
    engine = open_engine(None, store=store)
    aggregated = analyse_store(engine)
    assert_same_figures(analyse(responsibility_network(engine)), aggregated)
    assert aggregated.summary()["key_tasks"] == 64 and aggregated.unit("市发改委")["lead_tasks"] == 12
    out = CliRunner().invoke(main, ["analyze", "--store", str(store), "--out", str(tmp_path / "a")])
    assert out.exit_code == 0, out.output
    written = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "unit-unit.graphml" in written and "unit-task.graphml" not in written
    assert "64 key tasks, 42 responsible units, 66 lead and 200 support assignments" in (
        tmp_path / "a" / "analysis.md").read_text(encoding="utf-8")



def test_a_store_of_genre_documents(tmp_path):
    """Corpus mode on documents of other layouts: their items, roles and tables, read back from the store."""
    from tests.conftest import LAYOUTS

    store = tmp_path / "db"
    built = CliRunner().invoke(main, ["build", str(LAYOUTS / "brackets.txt"), str(LAYOUTS / "task-table.txt"),
                                      "--store", str(store)])
    assert built.exit_code == 0, built.output
    assert built.stdout.splitlines()[:2] == [
        "  brackets.txt: jurisdiction cn (from its document number); brackets: 2 items, 5 units",
        "  task-table.txt: jurisdiction hz (from its title); task-table: 16 items, 16 units (2 collective, 14 in no gazetteer): 湖州市发改委、湖州市数据局、湖州市经信局、湖州市产业集团、湖州市科技局、湖州市商务局、湖州市投资促进中心、湖州市财政局、湖州市委组织部（人才办）、湖州市人力社保局、湖州市教育局、湖州师范学院、湖州职业技术学院、湖州市统计局"]
    runner = CliRunner()
    counts = runner.invoke(main, ["query", "involvement-counts", "--store", str(store), "--format", "csv"])
    assert "湖州市经信局,1,0,9,10" in counts.stdout.splitlines()
    items = runner.invoke(main, ["query", "items", "--store", str(store), "--format", "csv"]).stdout.splitlines()
    assert len(items) == 1 + 18 and "一/（一）,加大稳岗支持力度,人力资源和社会保障部,财政部,," in items
    answer = runner.invoke(main, ["analyze", "--store", str(store), "--unit", "市经信局"])
    assert answer.exit_code == 0
    assert answer.stdout.splitlines()[2:6] == ["- leads 1 item(s)", "- supports 0 item(s)",
                                               "- jointly responsible for 9 item(s)", "- involved in 10 item(s)"]
    table = runner.invoke(main, ["export-table", "--store", str(store)]).stdout.splitlines()
    assert table[0].split("\t")[:3] == ["文件", "编号", "事项"] and len(table) == 1 + 18
    views = runner.invoke(main, ["viz", "--store", str(store), "--out", str(tmp_path / "v")])
    assert views.exit_code == 0 and (tmp_path / "v" / "policy-hierarchy.html").exists()


@pytest.mark.parametrize("names", [("a/report.txt", "b/report.txt"), ("Report 2.txt", "report_2.txt")])
def test_colliding_graph_names_refused_before_anything_is_stored(tmp_path, names):
    """Before: the second document silently replaced the first while the summary counted both."""
    paths = [tmp_path / "docs" / n for n in names]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SOURCE, path)
    store = tmp_path / "db"
    result = CliRunner().invoke(main, ["build", *map(str, sorted(paths)), "--store", str(store)])
    first, second = sorted(paths)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"policy-kg: error: {second}: would get the same IRI as {first} "
                             f"(<https://w3id.org/policy-kg/id/doc/report{'-2' if '2' in names[0] else ''}>): "
                             "rename one of them\n")
    assert not store.exists()


def test_unreadable_entries_are_bad_documents_and_the_rest_stored(tmp_path):
    """A broken link and a pipe in the folder, an internal fault: each reported on its line, the good one stored."""
    shutil.copy(SOURCE, tmp_path / "good.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    store = tmp_path / "db"
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--store", str(store), "--jobs", "1"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1:] == [
        f"stored 1 document(s), 6120 triples, in {store}; 2 failed:",
        f"  {tmp_path / 'gone.txt'}: file not found",
        f"  {tmp_path / 'pipe.txt'}: is not a regular file, expected a text file"]


def test_a_fault_in_the_readers_costs_one_document(tmp_path, monkeypatch):
    import kg.readers

    shutil.copy(SOURCE, tmp_path / "a.txt")
    shutil.copy(SOURCE, tmp_path / "b.txt")
    real = kg.readers.read_document

    def faulty(source, *args, **kwargs):
        if Path(source).name == "a.txt":
            raise IndexError("list index out of range")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(kg.readers, "read_document", faulty)
    from kg.corpus import build_corpus

    summary = build_corpus([tmp_path], tmp_path / "db", progress=False, jobs=1)
    assert summary.documents == 1 and summary.failures == [
        (str(tmp_path / "a.txt"), "internal error, please report it: IndexError: list index out of range")]


@pytest.mark.slow
def test_workers_end_when_the_builder_is_killed(tmp_path):
    """kill -9 of the builder: its workers do not go on running (before, they did)."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    for i in range(8):
        shutil.copy(SOURCE, tmp_path / f"d{i}.txt")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(tmp_path), "--store", str(tmp_path / "db"),
                             "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children():
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == proc.pid and fields[0] != "Z":
                    found.append(int(entry))
        return found

    deadline = time.monotonic() + 60
    while len(workers := children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) >= 2, "the workers did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = []
    for pid in workers:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
        except OSError:
            pass
    assert alive == []


def test_the_gate_stops_a_graph_that_breaks_the_shapes_and_the_reference_says_why(monkeypatch):
    """Corpus workers check N-Triples with the fast gate; where it fails, pyshacl's verdict and message are reported."""
    import kg.rdf
    from kg.corpus import build_document
    from kg.vocab import POL

    real = kg.rdf.document_triples

    def without_leads(doc, base):
        return {t for t in real(doc, base) if t[1] != POL.leadUnit}

    monkeypatch.setattr(kg.rdf, "document_triples", without_leads)
    built = build_document(SOURCE)
    assert built.graph is None and built.error == (
        "97 shape violation(s), e.g. «严格实行“非禁即入”» (pol:KeyTask 16) "
        "<https://w3id.org/policy-kg/id/doc/wenzhou-2023-82/task/16>: needs a lead unit or jointly responsible units "
        "(pol:leadUnit, pol:responsibleUnit)")


def test_export_table_of_a_store_of_two_task_lists(corpus):
    """One row per key task of each document, told apart by number where the titles are the same; units once each
    (before: each key task four times over, every unit doubled, no document column)."""
    _, store, _ = corpus
    result = CliRunner().invoke(main, ["export-table", "--store", str(store)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][:3] == ["文件", "编号", "事项"] and len(rows) == 1 + 64
    title = "温州市人民政府办公室关于印发温州市促进民营经济高质量发展若干举措的通知"
    assert [r[0] for r in rows[1:]] == [f"{title}（温政办〔2023〕82号）"] * 32 + [f"{title}（温政办〔2023〕83号）"] * 32
    assert rows[1][1:3] == rows[33][1:3] == ["1", "强化财税政策保障"]
    lead, support = rows[0].index("牵头单位"), rows[0].index("配合单位")
    assert rows[1][lead] == rows[33][lead] == "市税务局"
    assert rows[1][support] == rows[33][support] == "市财政局"


def test_implementation_chain_rows_do_not_multiply_in_a_store(corpus):
    """The higher-level documents and measures every graph describes again are looked up once: 64 distinct rows
    on the two Wenzhou copies (before: 1,280, each repeated, and ~10x slower)."""
    from kg.query import named_queries, open_engine, run

    _, store, _ = corpus
    rows = run(named_queries()["implementation-chain"], open_engine(None, store=store)).rows
    keys = [tuple(map(str, r)) for r in rows]
    assert len(keys) == len(set(keys)) == 64


def test_a_unit_answer_in_a_mixed_store_says_no_zero_areas(tmp_path):
    """In a store where Wenzhou's task list (areas, key tasks) sits beside a document with neither, a unit of the
    latter was 'involved in 1 item(s) across 0 policy area(s); under the tasks it leads: 0 measures, 0 targets'."""
    from tests.conftest import LAYOUTS

    store = tmp_path / "db"
    built = CliRunner().invoke(main, ["build", str(LAYOUTS / "brackets.txt"), str(SOURCE), "--store", str(store)])
    assert built.exit_code == 0, built.output
    ministry = CliRunner().invoke(main, ["analyze", "--store", str(store), "--unit", "人力资源社会保障部"])
    lines = ministry.stdout.splitlines()
    assert [line for line in lines if line.startswith("- involved")] == ["- involved in 1 item(s)"]
    drc = CliRunner().invoke(main, ["analyze", "--store", str(store), "--unit", "市发改委"]).stdout.splitlines()
    assert ("- involved in 14 item(s) across 5 policy area(s); under the tasks it leads: 22 measures, 6 targets"
            in drc)


def test_cited_documents_are_matched_by_number_first_then_title():
    import pyoxigraph as ox

    from kg.corpus import link_cited_documents

    E, P = "http://data.europa.eu/eli/ontology#", "https://w3id.org/policy-kg/ontology#"
    A = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    store = ox.Store()
    quads = """
    <urn:d1> <{A}> <{P}PolicyDocument> <urn:g1> . <urn:d1> <{E}id_local> "N1" <urn:g1> . <urn:d1> <{E}title> "T1" <urn:g1> .
    <urn:d2> <{A}> <{P}PolicyDocument> <urn:g2> . <urn:d2> <{E}title> "T2" <urn:g2> .
    <urn:t2> <{A}> <{P}PolicyText> <urn:g2> . <urn:t2> <{E}title> "T2 text" <urn:g2> .
    <urn:x> <{A}> <{E}LegalResource> <urn:g3> . <urn:x> <{E}id_local> "N1" <urn:g3> . <urn:x> <{E}title> "T2" <urn:g3> .
    <urn:y> <{A}> <{E}LegalResource> <urn:g3> . <urn:y> <{E}title> "T2 text" <urn:g3> .
    <urn:z> <{A}> <{E}LegalResource> <urn:g1> . <urn:z> <{E}id_local> "N1" <urn:g1> .
    <urn:s> <urn:cites> <urn:x> <urn:g3> . <urn:s> <urn:cites> <urn:y> <urn:g3> . <urn:s> <urn:cites> <urn:z> <urn:g1> .
    """.format(A=A, E=E, P=P)
    store.load(quads.replace(" . <", " .\n<").encode(), format=ox.RdfFormat.N_QUADS)
    assert link_cited_documents(store) == 2  # x by its number (not the title T2), y by its text's title; z: only d1's graph
    cites = sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode("urn:s"), None, None))
    assert cites == ["urn:d1", "urn:t2", "urn:z"]
    assert list(store.quads_for_pattern(ox.NamedNode("urn:x"), None, None)) == []  # its description went
