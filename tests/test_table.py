"""The task list written back from the graph: nothing lost, nothing invented."""

import io
import re

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


# -- documents of the genre: one row per item, in the columns the document has --------------------------------
from tests.conftest import LAYOUTS, needs_genre  # noqa: E402


@pytest.fixture(scope="module")
def table(layout_ttl):
    from kg.table import export_table

    return export_table(open_engine([layout_ttl("task-table")]))  # a cut of Huzhou's 重点任务分解表


def test_items_of_a_task_table_round_trip(table):
    """Against the fixture's own rows: 任务名称, 任务内容, 责任单位 and 时间节点, nothing lost, nothing invented."""
    assert table.header == ("编号", "事项", "内容", "牵头单位", "配合单位", "共同责任单位", "完成时限")
    assert table.noun == "items" and len(table.rows) == 16
    source = [line.split("\t") for line in (LAYOUTS / "task-table.txt").read_text(encoding="utf-8").splitlines()
              if line.split("\t")[0].isdigit()]
    compact = lambda s: "".join(s.split())
    for row, (number, name, content, units, deadline) in zip(table.rows, source):
        assert row[:3] == (f"表/{number}", name, compact(content))
        named = {n for cell in row[3:6] for n in cell.split("、") if n}
        written = {n.removesuffix("牵头").removesuffix("参与") for n in re.split("[、，]", units)}
        assert named == written, number
        assert row[6] == compact(deadline)
    assert table.rows[2] == ("表/3", "具身智能数据采集训练场建设", "加快建设4个具身智能数据采集训练场，引育优质数据标注企业",
                             "", "", "市数据局、市经信局、市产业集团、各区县政府", "2027年底")
    assert table.rows[14][3:] == ("市经信局", "相关部门", "", "2026年底")  # 市经信局牵头，相关部门参与


def test_only_the_columns_a_document_has(layout_ttl):
    from kg.table import export_table

    brackets = export_table(open_engine([layout_ttl("brackets")]))  # 国发〔2018〕39号's first two measures
    assert brackets.header == ("编号", "事项", "内容", "牵头单位", "配合单位")
    assert [r[:2] + r[3:] for r in brackets.rows] == [
        ("一/（一）", "加大稳岗支持力度", "人力资源社会保障部", "财政部"),
        ("一/（二）", "发挥政府性融资担保机构作用支持小微企业", "财政部", "工业和信息化部、人民银行、银保监会")]
    both = export_table(open_engine([layout_ttl("brackets"), layout_ttl("task-table")]))
    assert both.header[0] == "文件" and len(both.rows) == 18  # two documents: which one each row is from
    assert {r[0] for r in both.rows} == {"国务院关于做好当前和今后一个时期促进就业工作的若干意见", "湖州市人工智能创新发展工作方案"}


def test_markup_is_text_in_markdown_and_excel(layout_ttl, tmp_path):
    from openpyxl import load_workbook
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.table import export_table
    from kg.vocab import POL

    g = Graph().parse(layout_ttl("task-table"))
    row1 = URIRef("https://w3id.org/policy-kg/id/doc/task-table/table/1/row/1")
    g.set((row1, RDFS.label, Literal('<img src=x onerror="alert(1)"> **算力** [链接](http://x) | 1', lang="zh")))
    g.set((row1, POL.text, Literal('=HYPERLINK("http://x","点击")', lang="zh")))
    path = tmp_path / "hostile.ttl"
    g.serialize(path, format="turtle")
    table = export_table(open_engine([path]))
    md = table.markdown().splitlines()[2]
    assert md.startswith("| 表/1 | \\<img src=x onerror=\"alert(1)\"\\> \\*\\*算力\\*\\* \\[链接\\](http://x) \\| 1 | "
                         "=HYPERLINK(\"http://x\",\"点击\") |")
    import csv

    tsv = list(csv.reader(io.StringIO(table.tsv()), delimiter="\t"))
    assert tsv[1][1] == '<img src=x onerror="alert(1)"> **算力** [链接](http://x) | 1'  # data, as it is
    data = table.xlsx()
    assert data == table.xlsx()  # same bytes every time
    ws = load_workbook(io.BytesIO(data))["事项清单"]
    assert [c.value for c in ws[1]] == list(table.header)
    assert (ws["C2"].value, ws["C2"].data_type) == ('=HYPERLINK("http://x","点击")', "s")  # text, not a formula
    import zipfile

    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_cli_on_a_task_table(layout_ttl, tmp_path):
    out = tmp_path / "items.xlsx"
    result = CliRunner().invoke(main, ["export-table", "--graph", str(layout_ttl("task-table")), "--format", "xlsx",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out}: 16 items\n"
    md = CliRunner().invoke(main, ["export-table", "--graph", str(layout_ttl("task-table")), "--format", "md"])
    assert md.stdout.splitlines()[0] == "| 编号 | 事项 | 内容 | 牵头单位 | 配合单位 | 共同责任单位 | 完成时限 |"


@needs_genre
def test_items_of_the_genre(genre_ttl):
    from kg.table import export_table

    jiuye = export_table(open_engine([genre_ttl("guofa-2018-39-jiuye")]))
    assert jiuye.header == ("编号", "事项", "内容", "牵头单位", "配合单位") and len(jiuye.rows) == 15
    assert [r[3] for r in jiuye.rows].count("人力资源社会保障部") == 8
    shanghai = export_table(open_engine([genre_ttl("hufubanfa-2025-17-yiliaoqixie")]))
    assert shanghai.header == ("编号", "事项", "内容", "共同责任单位") and len(shanghai.rows) == 20
    assert sum(len(r[3].split("、")) for r in shanghai.rows) == 64
    assert shanghai.rows[0][0] == "三/（一）/1" and shanghai.rows[0][2].endswith("（责任单位：市科委）")
