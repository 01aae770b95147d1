"""Bad input: one clear line naming file and line, exit code 2, no traceback, no output."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main

TABLE_ROW_91 = 90  # index of line 91 (key task 7)


def run_build(path, out, *options):
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out), *options])
    return result


def check_error(result, out, *fragments):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policy-kg: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
    return lines[0]


def test_missing_file(tmp_path):
    out = tmp_path / "out"
    line = check_error(run_build(tmp_path / "nosuch.txt", out), out, "nosuch.txt: file not found")
    assert line == f"policy-kg: error: {tmp_path / 'nosuch.txt'}: file not found"


def test_empty_file(variant, tmp_path):
    out = tmp_path / "out"
    check_error(run_build(variant(lambda lines: b""), out), out, "wenzhou-2023-82.txt: file is empty")


def test_whitespace_only_file(variant, tmp_path):
    out = tmp_path / "out"
    check_error(run_build(variant(lambda lines: b"\n  \n\t\n"), out), out, "file is empty")


def test_binary_file(variant, tmp_path):
    out = tmp_path / "out"
    check_error(run_build(variant(lambda lines: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), out), out,
                "wenzhou-2023-82.txt:3: binary data (NUL byte)")


def test_wrong_encoding(variant, tmp_path):
    out = tmp_path / "out"
    path = variant(lambda lines: "\n".join(lines).encode("gb18030"))
    line = check_error(run_build(path, out), out, "wenzhou-2023-82.txt:3: not valid UTF-8", "GB18030")
    assert "iconv" in line


def test_truncated_table(variant, tmp_path):
    out = tmp_path / "out"
    path = variant(lambda lines: lines[:120])  # ends after key task 17
    check_error(run_build(path, out), out, "wenzhou-2023-82.txt:120:", "ends inside the task list",
                "after key task 17", "truncated")


def test_row_cut_short(variant, tmp_path):
    out = tmp_path / "out"

    def cut(lines):
        lines[TABLE_ROW_91] = "\t".join(lines[TABLE_ROW_91].split("\t")[:5])
    check_error(run_build(variant(cut), out), out, "wenzhou-2023-82.txt:91: table row has 5 columns, expected 8")


def test_row_missing_a_column(variant, tmp_path):
    out = tmp_path / "out"

    def drop_period(lines):
        cells = lines[TABLE_ROW_91].split("\t")
        del cells[5]
        lines[TABLE_ROW_91] = "\t".join(cells)
    check_error(run_build(variant(drop_period), out), out, ":91: table row has 7 columns, expected 8 (序号, 总体任务")


def test_unknown_unit_refused_with_strict_units(variant, tmp_path):
    out = tmp_path / "out"

    def rename(lines):
        lines[TABLE_ROW_91] = lines[TABLE_ROW_91].replace("市水利局", "市海洋局")
    line = check_error(run_build(variant(rename), out, "--strict-units"), out,
                       "wenzhou-2023-82.txt:91: unknown responsible unit '市海洋局'")
    assert "gazetteer" in line


def test_unknown_unit_is_kept_as_written_by_default(variant, tmp_path):
    """Open world: a unit no gazetteer knows builds, labelled as written, with a note naming its line."""
    out = tmp_path / "out"

    def rename(lines):
        lines[TABLE_ROW_91] = lines[TABLE_ROW_91].replace("市水利局", "市海洋局")
    result = run_build(variant(rename), out)
    assert result.exit_code == 0, result.output
    assert "43 units (1 in no gazetteer)" in result.stdout  # 市水利局 is named in other rows too
    ttl = (out / "wenzhou-2023-82.ttl").read_text(encoding="utf-8")
    assert '<https://w3id.org/policy-kg/id/org/wz-shi-hai-yang-ju>' in ttl  # Wenzhou's, by the document's number
    assert 'rdfs:label "温州市海洋局"@zh' in ttl
    assert 'skos:altLabel "市海洋局"@zh' in ttl
    report = (out / "wenzhou-2023-82.quality.md").read_text(encoding="utf-8")
    assert ("- line 91: unit '市海洋局' is in no gazetteer that applies to this document: kept as written "
            "(read as 温州市海洋局)") in report


def test_declared_total_mismatch(variant, tmp_path):
    out = tmp_path / "out"
    path = variant(lambda lines: [l.replace("（195条）", "（196条）") for l in lines])
    check_error(run_build(path, out), out, "declares 196条 but 195 measures were parsed from 32 key tasks")


def test_declared_totals_disagree(variant, tmp_path):
    out = tmp_path / "out"

    def change(lines):
        lines[60] = lines[60].replace("（195条）", "（190条）")
    check_error(run_build(variant(change), out), out, ":61: the task list declares 190条 here but 195条 before")


def test_missing_measure_row(variant, tmp_path):
    out = tmp_path / "out"

    def drop_second_copy(lines):
        del lines[66]  # the second copy of key task 1 (measures 5-10)
    check_error(run_build(variant(drop_second_copy), out), out, "declares 195条 but 189 measures")


def test_missing_key_task(variant, tmp_path):
    out = tmp_path / "out"

    def drop(lines):
        lines[102] = ""  # key task 10
    check_error(run_build(variant(drop), out), out, ":106: key task 11 follows key task 9: key task 10 is missing")


def test_bad_period(variant, tmp_path):
    out = tmp_path / "out"

    def change(lines):
        lines[TABLE_ROW_91] = lines[TABLE_ROW_91].replace("长期实施", "近期")
    check_error(run_build(variant(change), out), out, ":91: unknown implementation period '近期'")


def test_bad_contact(variant, tmp_path):
    out = tmp_path / "out"

    def change(lines):
        lines[TABLE_ROW_91] = lines[TABLE_ROW_91].replace("万秀芝 0577-88961285", "万秀芝")
    check_error(run_build(variant(change), out), out, ":91: contact '万秀芝' is not a name and a phone number")


def test_no_lead_among_several_units(variant, tmp_path):
    out = tmp_path / "out"

    def change(lines):
        lines[TABLE_ROW_91] = lines[TABLE_ROW_91].replace("*市发展改革委", "市发展改革委")
    check_error(run_build(variant(change), out), out, ":91: key task 7 lists 5 units and none is marked * as lead")


def test_empty_measure_cell(variant, tmp_path):
    out = tmp_path / "out"

    def change(lines):
        cells = lines[TABLE_ROW_91].split("\t")
        cells[4] = ""
        lines[TABLE_ROW_91] = "\t".join(cells)
    check_error(run_build(variant(change), out), out, ":91: key task 7 has no measures (温州市落实举措 is empty)")


def test_not_a_policy_document(tmp_path):
    out = tmp_path / "out"
    path = tmp_path / "notes.txt"
    path.write_text("hello\nworld\n", encoding="utf-8")
    line = check_error(run_build(path, out), out, "notes.txt: no item names a responsible unit")
    assert "(layouts tried: task-list, task-table, brackets, unit-lines)" in line


def test_document_whose_items_name_no_unit(tmp_path):
    """A document of the genre's shape in which no item carries a responsible unit: one line, exit 2."""
    out = tmp_path / "out"
    path = tmp_path / "plan.txt"
    path.write_text("某市工作方案\n\n一、总体要求\n\n（一）加强领导。各地要高度重视。\n\n（二）强化保障。加大投入。\n",
                    encoding="utf-8")
    check_error(run_build(path, out), out, "plan.txt: no item names a responsible unit")


def test_one_bad_source_writes_nothing(variant, tmp_path):
    """With two sources, a bad second one leaves no output from the good first one."""
    from tests.conftest import SOURCE

    out = tmp_path / "out"
    bad = variant(lambda lines: b"", name="other.txt")
    check_error(CliRunner().invoke(main, ["build", str(SOURCE), str(bad), "--out", str(out)]), out, "other.txt")


@pytest.mark.slow
def test_real_process_exit_code_and_stderr(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "missing.txt"), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == f"policy-kg: error: {tmp_path / 'missing.txt'}: file not found\n"
    assert proc.stdout == ""
    assert not out.exists()
