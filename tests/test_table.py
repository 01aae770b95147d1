"""The task list written back from the graph: nothing lost, nothing invented."""

import io

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.normalize import clean
from kg.query import open_engine
from kg.normalize import chinese_ordinal
from kg.table import HEADER, items_cell, task_rows, to_markdown, to_tsv, to_xlsx
from tests.conftest import SOURCE


@pytest.fixture(scope="module")
def rows(ttl):
    return task_rows(open_engine([ttl]))


def from_records(doc):
    """The normalised source row of each key task, straight from the parser's records."""
    areas = {a.number: a.name for a in doc.areas}
    out = []
    for t in doc.tasks:
        units = " ".join(("*" if m.lead and len(t.units) > 1 else "") + m.unit.name_zh for m in t.units)
        out.append((str(t.number), f"{chinese_ordinal(t.area)}、{areas[t.area]}", f"({chinese_ordinal(t.number)}){t.title}",
                    items_cell([(i.number, i.text, not i.numbered) for i in t.targets]),
                    items_cell([(i.number, i.text, not i.numbered) for i in t.measures]),
                    t.period.label, units, f"{t.contact.name} {t.contact.phone}"))
    return out


def test_round_trip_of_all_32_rows(rows, doc):
    assert len(rows) == 32
    expected = from_records(doc)
    for got, want in zip(rows, expected):
        for column, a, b in zip(HEADER, got, want):
            assert a == b, (got[0], column)


def test_rows_match_the_source_cells(rows):
    """Against the source itself: single-copy rows, cell by cell, spaces and markup aside."""
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    source_rows = {}
    for line in lines:
        cells = line.split("\t")
        if len(cells) == 8 and cells[0].isdigit():
            source_rows.setdefault(int(cells[0]), []).append(cells)
    compact = lambda s: "".join(clean(s).split())
    checked = 0
    for row in rows:
        copies = source_rows[int(row[0])]
        if len(copies) > 1:
            continue
        src = copies[0]
        for col in (2, 3, 4, 7):  # title, targets, measures, contact
            assert "".join(row[col].split()) == compact(src[col]), (row[0], HEADER[col])
        if compact(src[5]) != "2023-2025":  # the one period the source writes without 年
            assert "".join(row[5].split()) == compact(src[5]), (row[0], "实施阶段")
        if "(" not in src[6] and "（" not in src[6].replace("（市、区）", ""):  # bracketed aliases are apart
            assert "".join(row[6].split()) == compact(src[6]).replace("(", "（").replace(")", "）"), row[0]
        checked += 1
    assert checked == 27


def test_merged_rows(rows):
    task1 = rows[0]
    assert task1[4].startswith("1. 积极发挥乐清市省级模板示范效应") and " 10. 密切跟踪国家和省级政策动向" in task1[4]
    assert task1[6] == "*市税务局 市财政局" and task1[7] == "蔡景像 0577-88026991"
    assert rows[1][6] == "*市财政局 *市国资委 市科技局 市国资运营公司 市国金公司"
    assert rows[3][6] == "市发展改革委" and rows[3][3] == "每年新增能耗的80%以上支持民间投资项目。"
    assert rows[23][1] == "五、优氛围增服务" and rows[23][2] == "(二十四)依法保护民营企业产权和企业家权益"


def test_formats(rows, tmp_path):
    tsv = to_tsv(rows)
    assert tsv.splitlines()[0] == "\t".join(HEADER) and len(tsv.splitlines()) == 33
    md = to_markdown(rows)
    assert md.splitlines()[2].startswith("| 1 | 一、提信心增预期 | (一)强化财税政策保障 | 1. ")
    data = to_xlsx(rows)
    assert data == to_xlsx(rows)  # same bytes every time
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data))["任务清单"]
    assert [c.value for c in ws[1]] == list(HEADER)
    assert ws["A33"].value == 32 and ws["G33"].value == "*市“两个健康”办 市发展改革委 市委统战部 市工商联"


def test_cli(ttl, tmp_path):
    result = CliRunner().invoke(main, ["export-table", "--graph", str(ttl), "--format", "md"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 34
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["export-table", "--graph", str(ttl), "--format", "xlsx", "--out", str(out)])
    assert result.stdout == f"wrote {out}: 32 key tasks\n" and out.stat().st_size > 10000
    bad = CliRunner().invoke(main, ["export-table", "--graph", str(ttl), "--format", "xlsx"])
    assert bad.exit_code == 2 and "needs --out" in bad.stderr
