"""Fuzzing the command line: bad input is one error line and exit 1 or 2, never a traceback; good input exits 0.

The strategy (the source documents, mutated and re-encoded) and the contract live in ``tests/fuzzcases.py``,
shared with ``benchmarks/fuzz_cli.py``, which runs ten thousand cases; ``make test`` runs a fixed sample of
them here. Below it: the real console script on a few cases, and every input the fuzzing found, as a regression
test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzcases import COMPANION, WENZHOU, Case, cases, run_case, run_cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@settings(max_examples=80, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(case=cases())
def test_build_keeps_its_contract(case, tmp_path_factory):
    """About 80 fixed cases (derandomized), 10–45 s: exit 0/1/2, no traceback, one error line, all or nothing."""
    outcome = run_case(case, tmp_path_factory.getbasetemp(), time_limit=120)
    assert not outcome.problems, (f"{'; '.join(outcome.problems)}\ncase: {case.describe()}\n"
                                  f"stdout: {outcome.stdout[-2000:]}\nstderr: {outcome.stderr[-4000:]}")


# -- the real console script: exit codes and output encodings as a user gets them --------------------------
def console(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "", "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, env=env, timeout=300)


def write(folder: Path, name: str | bytes, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())))
    path.write_bytes(data)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name, data, options, code, says", [
    ("gbk.txt", "一、任务\n（一）做事。（市发改委负责）\n".encode("gbk"), (), 2, "not valid UTF-8"),
    ("utf16.txt", "一、任务\n".encode("utf-16"), (), 2, "binary data (NUL byte)"),
    ("cut.txt", "一、任务\n（一）做事。（市发改委负责）".encode()[:-2], (), 2, "not valid UTF-8"),
    ("温州 文件.txt", "一、任务\n\n（一）做事。（市发改委、市财政局负责）\n".encode(), (), 0, None),
    ("温州 文件.txt", "一、任务\n\n（一）做事。（市发改委、市财政局负责）\n".encode(), ("--base", "http://x.org/a b/"), 2,
     "not allowed in an IRI"),
    ("温州.txt".encode("gbk"), "一、任务\n\n（一）做事。（市发改委负责）\n".encode(), (), 2,
     "the file name is not valid UTF-8 (it looks like GBK: 温州.txt)"),
], ids=["gbk", "utf-16", "cut-character", "good", "bad-base", "gbk-name"])
def test_console_script_agrees_with_the_in_process_run(tmp_path, name, data, options, code, says):
    """``python -m kg build`` and :func:`fuzzcases.run_cli` give the same exit code and stderr; no traceback."""
    source = write(tmp_path / "in", name, data)
    real = console("build", str(source), "--out", str(tmp_path / "out"), *options, cwd=tmp_path)
    stderr = real.stderr.decode("utf-8")
    assert real.returncode == code, stderr
    assert "Traceback" not in stderr
    if says:
        assert stderr.count("\n") == 1 and stderr.startswith("policy-kg: error: ") and says in stderr, stderr
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    else:
        assert stderr == "" and real.stdout.decode("utf-8").startswith("built ")
    in_process = run_cli(["build", str(source), "--out", str(tmp_path / "out2"), *options])
    assert in_process[0] == real.returncode
    assert in_process[2] == stderr.replace(str(tmp_path / "out"), str(tmp_path / "out2"))


def test_run_case_sees_all_or_nothing(tmp_path):
    """A good document before a bad one: exit 2 and no output at all (the harness checks the folder)."""
    outcome = run_case(Case("brackets", "bad.txt", b"\xff\xfe", companion=True), tmp_path)
    assert outcome.code == 2 and outcome.out_files == [] and not outcome.problems, outcome
    assert outcome.stderr.startswith("policy-kg: error: ") and "bad.txt:1: not valid UTF-8" in outcome.stderr
    good = run_case(Case("brackets", "good.txt", COMPANION.read_bytes()), tmp_path)
    assert good.code == 0 and good.out_files == ["good.quality.md", "good.ttl", "good.validation.txt"], good


def test_the_strategy_varies_its_cases():
    """A sample of cases mixes documents, mutations and encodings (Hypothesis clusters its draws; not too much)."""
    from hypothesis import Phase, seed

    seen: list[Case] = []

    @seed(0)
    @settings(max_examples=150, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def draw(case):
        seen.append(case)

    draw()
    steps = [s for case in seen for s in case.steps]
    encodings = {s.split()[1] for s in steps if s.startswith("encoded ")}
    assert len(encodings) >= 6, encodings
    kinds = {s.split()[0] if not s.startswith("insert") else " ".join(s.split()[:2]) for s in steps}
    assert len(kinds) >= 8, kinds
    assert len({case.origin for case in seen}) >= 6
    assert sum(case.origin == WENZHOU.stem for case in seen) >= 5


# -- found by fuzzing ----------------------------------------------------------------------------------------
def test_file_name_not_utf8_is_one_error_line(tmp_path):
    """A file name in GBK (as unzipped on Linux) made slug() raise UnicodeEncodeError: a traceback."""
    source = write(tmp_path / "in", "温州.txt".encode("gbk"), "一、任务\n\n（一）做事。（市发改委负责）\n".encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert re.fullmatch(r"policy-kg: error: .*/in/(\\udc[0-9a-f]{2}){4}\.txt: the file name is not valid UTF-8 "
                        r"\(it looks like GBK: 温州\.txt\); rename the file\n", stderr), stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("base, char", [("http://example.org/a b/", " "), ("https://example.org/{}|^`/", "{"),
                                        ("http://example.org/<x>/", "<"), ('http://example.org/"/', '"')])
def test_base_iri_with_a_character_not_allowed_in_an_iri(tmp_path, base, char):
    """``--base 'http://example.org/a b/'`` passed the checks and failed in rdflib's Turtle writer: a traceback."""
    code, stdout, stderr = run_cli(["build", str(COMPANION), "--out", str(tmp_path / "out"), "--base", base])
    assert code == 2, stderr
    assert stderr == f"policy-kg: error: base IRI {base!r} has a character not allowed in an IRI: {char!r}\n"
    assert not (tmp_path / "out").exists()


def test_base_iri_with_a_bad_percent_escape(tmp_path):
    """``--base 'http://example.org/%zz/'`` built (exit 0) Turtle that Oxigraph refuses: ``policy-kg query`` on it
    said "not valid Turtle", and ``build --store`` stopped with a traceback (ValueError from pyoxigraph)."""
    code, stdout, stderr = run_cli(["build", str(COMPANION), "--out", str(tmp_path / "out"),
                                    "--base", "http://example.org/%zz/"])
    assert code == 2, stdout + stderr
    assert stderr == "policy-kg: error: base IRI 'http://example.org/%zz/' has a '%' not followed by two hex digits\n"
    good = run_cli(["build", str(COMPANION), "--out", str(tmp_path / "out"), "--base", "http://example.org/%7E/"])
    assert good[0] == 0


def test_base_iri_is_checked_in_corpus_mode_too():
    """Corpus mode never checked the base IRI; the mapping now refuses it (each document is reported)."""
    from kg.corpus import build_document
    from kg.errors import InputError
    from kg.rdf import check_base

    with pytest.raises(InputError, match="not allowed in an IRI"):
        check_base("http://example.org/a b/")
    built = build_document(COMPANION, "http://example.org/a b/")
    assert built.error == "base IRI 'http://example.org/a b/' has a character not allowed in an IRI: ' '"


def test_long_run_of_spaces_is_linear():
    """A line of 300,000 spaces took minutes: the space-near-CJK pattern was tried (and failed) at every space."""
    from kg.normalize import spaces_removed, squeeze

    started = time.perf_counter()
    assert squeeze("a" + " " * 300_000 + "b") == "a b"
    assert squeeze("字" + " " * 300_000 + "b") == "字b"
    assert spaces_removed("a" + " \t" * 150_000 + "b") == 0
    assert time.perf_counter() - started < 2


@settings(max_examples=2000, derandomize=True, deadline=None, database=None)
@given(st.text(alphabet=[" ", "\u3000", "\t", "\n", "\xa0", "a", "1", "字", "，", "）"], max_size=16))
def test_space_pattern_removes_what_it_removed_before(text):
    """The linear pattern removes exactly the spaces the quadratic one did (ideographic spaces included)."""
    from kg import normalize

    old = re.compile(f"(?<=[{normalize._CJK}])\\s+|\\s+(?=[{normalize._CJK}])")
    assert normalize._SPACE_NEAR_CJK.sub("|", text) == old.sub("|", text)


@pytest.mark.parametrize("body, code, says", [
    ("（一）做事。\n责任单位：市发改委、*", 0, "1 items, 1 units"),
    ("（一）做事。（市发改委、*负责）", 0, "1 items, 1 units"),
    ("（一）做事。\n牵头单位：*、*\n配合单位：市财政局", 0, "0 lead / 1 support"),
    ("（一）做事。\n牵头单位：*", 2, "no item names a responsible unit"),
])
def test_a_lead_mark_without_a_name_names_nobody(tmp_path, body, code, says):
    """``牵头单位：*`` made a unit with an empty name: its graph failed the shapes (exit 1, label ''@zh)."""
    source = write(tmp_path, "star.txt", f"一、任务\n\n{body}\n".encode())
    got, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert got == code, stdout + stderr
    assert says in (stdout if code == 0 else stderr)


def test_a_unit_name_of_300000_characters_makes_short_iris(tmp_path):
    """A units cell run together with 300,000 characters took 52 s: pinyin of the whole name for every mention,
    and IRIs of 900,000 characters that rdflib's writer split character by character."""
    from kg.units import unit_slug

    started = time.perf_counter()
    slug = unit_slug("市" + "很" * 300_000 + "局")
    assert time.perf_counter() - started < 1
    assert len(slug) == 120 and slug.startswith("shi-hen-hen-")
    assert unit_slug("市" + "很" * 300_000 + "局") != unit_slug("市" + "很" * 299_999 + "局")
    lines = (ROOT / "tests" / "data" / "layouts" / "task-table.txt").read_text(encoding="utf-8").split("\n")
    lines[15] = lines[15][:56] + "字" * 50_000 + lines[15][56:]
    source = write(tmp_path, "long.txt", "\n".join(lines).encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 0, stderr
    ttl = (tmp_path / "out" / "long.ttl").read_text(encoding="utf-8")
    assert max(len(iri) for iri in re.findall(r"<([^>]*)>", ttl)) < 250


@pytest.mark.parametrize("body", ["0.智慧物流。推进物流（市发改委负责）", "（一）做事。\n0.智慧物流。推进物流（市发改委负责）",
                                  "（0）做事。（市发改委负责）", "00.做事。（市发改委负责）"])
def test_a_part_numbered_0_is_not_a_part(tmp_path, body):
    """``0.智慧物流。…`` (a digit dropped by a conversion) was read as item 0: its graph failed the shapes (exit 1,
    pol:number 0); 0 numbers nothing, so the line is text of the part above it."""
    source = write(tmp_path, "zero.txt", f"一、任务\n\n{body}\n".encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 0, stdout + stderr
    assert "1 items" in stdout and "conforms to the shapes" in stdout


@pytest.mark.parametrize("name", ["plan.md", "plan", "a.b.txt"])
def test_the_source_is_named_as_it_is(tmp_path, name):
    """The graph's dcterms:source and the quality report said ``plan.txt`` for ``plan.md`` (and for ``plan``)."""
    source = write(tmp_path, name, "一、任务\n\n（一）做事。（市发改委负责）\n".encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 0, stderr
    stem = Path(name).stem
    assert f'dcterms:source "{name}"' in (tmp_path / "out" / f"{stem}.ttl").read_text(encoding="utf-8")
    assert f"Source `{name}` —" in (tmp_path / "out" / f"{stem}.quality.md").read_text(encoding="utf-8")


# -- read from the code around the fuzzing's findings (the strategy now draws these too) ---------------------
TABLE = "一、任务\n\n序号\t任务名称\t牵头单位\t完成时限\t实施阶段\n{rows}\n"


@pytest.mark.parametrize("rows, code, says", [
    ("²\t做事\t市发改委\t2025年\t2023-2025年", 0, "1 items"),  # str.isdigit('²') but int('²') raises: a traceback
    ("1\t做事\t市发改委\t0000\t2023-2025年", 0, "1 items"),  # dt.date(0, 12, 31): ValueError, a traceback
    ("1\t做事\t市发改委\t2025年\t0000-2025年", 0, "1 items"),  # a period from year 0 ("0"^^xsd:gYear)
    ("13\t做事\t市发改委\t2025年\t2023-2025年\n１３\t做事\t市发改委\t2025年\t2023-2025年", 0, "1 items"),
    ("13\t做事\t市发改委\t2025年\t2023-2025年\n１３\t做别的\t市发改委\t2025年\t2023-2025年", 2,
     ":5: task table '一、任务': row number １３ appears twice, with different cells"),
], ids=["superscript-2", "deadline-0000", "period-from-0000", "13-and-full-width-13", "13-twice-different"])
def test_task_table_numbers_and_years(tmp_path, rows, code, says):
    """Row 13 and row １３ were two rows with one IRI (two parents, two deadlines: exit 1); ² and 0000 raised."""
    source = write(tmp_path, "table.txt", TABLE.format(rows=rows).encode())
    got, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert got == code, stdout + stderr
    assert "Traceback" not in stderr and says in (stdout if code == 0 else stderr)
    if code == 0:
        ttl = (tmp_path / "out" / "table.ttl").read_text(encoding="utf-8")
        assert '"0"^^xsd:gYear' not in ttl and "period/0-" not in ttl


def test_task_list_row_numbered_with_a_superscript(variant, tmp_path):
    """A task-list row numbered ² passed str.isdigit and int() raised: a traceback; now one line naming it."""
    def number(lines):
        lines[90] = "²" + lines[90][lines[90].index("\t"):]
    code, stdout, stderr = run_cli(["build", str(variant(number)), "--out", str(tmp_path / "out")])
    assert code == 2, stderr
    assert stderr.startswith("policy-kg: error: ") and ":91: unexpected text inside the task list: '²" in stderr


@pytest.mark.parametrize("text, fixed", [
    ("<td rowspan=99999999999999999999>\n（一）做事。（市发改委负责）", "rdfs:label"),  # label '' from a markup line
    ("<br>\n（一）做事。（市发改委负责）", "rdfs:label"),
    ("〔\n\n（一）做事。（市发改委负责）", "eli:title"),  # a title of one character
    ("\u202e\n\n（一）做事。（市发改委负责）", "eli:title"),
    ("（四）培牵头单位：育一批应用场景\n1.做事。（市发改委负责）", "pol:text"),  # a heading cut by 牵头单位： has no text
], ids=["markup-line-td", "markup-line-br", "title-bracket", "title-rtl-mark", "heading-cut-by-label"])
def test_labels_titles_and_texts_the_shapes_accept(tmp_path, text, fixed):
    """Documents the readers accepted but whose graph failed the shapes (exit 1): a label '' (a first line that
    is only markup), a title of one character, a measure with no text of its own."""
    source = write(tmp_path, "doc.txt", text.encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 0, stdout + stderr


@pytest.mark.parametrize("cell", ["（", "市"])
def test_a_task_cell_of_one_character_gives_way_to_the_title(tmp_path, cell):
    source = write(tmp_path, "t.txt", f"一、任务\n\n序号\t任务名称\t任务内容\t牵头单位\n1\t产业联盟成立\t{cell}\t市发改委\n".encode())
    code, stdout, stderr = run_cli(["build", str(source), "--out", str(tmp_path / "out")])
    assert code == 0, stdout + stderr
    ttl = (tmp_path / "out" / "t.ttl").read_text(encoding="utf-8")
    assert 'pol:text "产业联盟成立"@zh' in ttl
    assert "its title '产业联盟成立' is its text" in (tmp_path / "out" / "t.quality.md").read_text(encoding="utf-8")
