"""Layout ``task-table``: task tables found by their column names, tab-separated, Markdown or HTML.

A table whose header names a unit column (牵头单位/牵头部门, 配合单位/配合部门, 责任单位, 指导部门 …) and a task
column (任务名称, 改革举措, 细则名称, 主要内容 …) is a task table — 湖州's 重点任务分解表, the State Council's
改革举措推广清单, a draft's 配套细则清单. Column names map to fields through ``data/columns.csv``, so a table that
differs only in its wording needs a row there, not code. Each row naming a unit is an item; a row spanning the
table (``一、知识产权保护方面（共5项）``) or a 章节 column groups the rows below it; an empty 章节 cell (a merged cell)
continues the group above, and says so. Columns the table has but the model does not (推广范围) are listed in
the data-quality report.
"""

from __future__ import annotations

import re

from ..records import Section, Table, WorkItem
from .base import Context
from .cells import numbered_items, parse_contact, parse_deadline, parse_period
from .columns import fields_of, header_key
from .outline import first_chars
from .text import RawTable
from .unitlist import read_roles

__all__ = ["NAME", "DESCRIPTION", "detect", "read", "task_tables"]

NAME = "task-table"
DESCRIPTION = "task tables found by their column names (序号, 任务名称, 牵头单位, 配合单位, 责任单位, 完成时限 …)"
_UNIT_FIELDS = ("lead", "support", "units")
_TASK_FIELDS = ("title", "text", "measures")


def task_tables(ctx: Context) -> list[RawTable]:
    """The tables not yet claimed whose columns name units and tasks."""
    out = []
    for table in ctx.text.tables:
        if ("table", table.id) in ctx.claimed:
            continue
        fields = fields_of(table.header)
        if any(f in fields for f in _UNIT_FIELDS) and any(f in fields for f in _TASK_FIELDS):
            out.append(table)
    return out


def detect(ctx: Context) -> bool:
    return bool(task_tables(ctx))


def _caption(ctx: Context, table: RawTable) -> str:
    """The table's title: the nearest paragraph above it that is not an attachment label."""
    above = [p for p in ctx.text.paragraphs if p.line < table.line]
    for p in reversed(above[-3:]):
        text = re.sub(r"^附(?:件)?\s*\d*\s*[：:]?\s*", "", p.text).strip()
        if text:
            return text
    return f"表{table.id}"


def read(ctx: Context) -> None:
    tables = task_tables(ctx)
    for ordinal, table in enumerate(tables, 1):
        ctx.claimed.add(("table", table.id))
        _read_table(ctx, table, ordinal, len(tables))


def _read_table(ctx: Context, table: RawTable, ordinal: int, count: int) -> None:
    fields = fields_of(table.header)
    number = len(ctx.doc.tables) + 1
    label = "表" if count == 1 and not ctx.doc.tables else f"表{number}"
    caption = _caption(ctx, table)
    ctx.doc.tables += (Table(number, caption, table.line, table.form, tuple(header_key(h) for h in table.header)),)
    ctx.note("layout", table.line, f"task table {caption!r} ({table.form}): columns "
                                   + ", ".join(f"{header_key(h)}→{f}" for f, i in fields.items()
                                               for h in [table.header[i]]))
    modelled = set(fields.values())
    skipped = [header_key(h) for i, h in enumerate(table.header) if i not in modelled and header_key(h)]
    if skipped:
        ctx.note("not-modelled", table.line, f"task table {caption!r}: column(s) {', '.join(skipped)} not modelled "
                                             "(their cells stay in the source)")
    for line, what in table.notes:
        ctx.note("merged-cell", line, what)
    group_key: tuple | None = None
    group_count = 0
    inherited: list[int] = []
    seen: dict[int | str, tuple[str, ...]] = {}  # row number -> its other cells
    for k, row in enumerate(table.rows, 1):
        cells = row.cells
        def cell(field: str) -> str:
            i = fields.get(field)
            return cells[i] if i is not None and i < len(cells) else ""
        if row.group or (len([c for c in cells if c]) == 1 and cells[0] and not cells[0].isdecimal()
                         and not any(cell(f) for f in _UNIT_FIELDS)):
            group_count += 1
            group_key = ("table", number, "group", group_count)
            ctx.doc.sections += (Section(group_key, (label, cells[0]), cells[0], "", row.line),)
            continue
        if "section" in fields:
            section = cell("section")
            if section:
                group_count += 1
                group_key = ("table", number, "group", group_count)
                ctx.doc.sections += (Section(group_key, (label, section), section, "", row.line),)
            elif group_key is not None:
                inherited.append(row.line)
        if len(cells) != len(table.header):
            ctx.note("unusual", row.line, f"table row has {len(cells)} cells, the header {len(table.header)}")
        written = cell("number")
        # 13 and １３ are one number (str.isdigit would take ² too, which int() refuses)
        value = int(written) if written.isdecimal() else None
        same = (value if value is not None else written,
                tuple(c for i, c in enumerate(cells) if i != fields.get("number")))
        if written and same[0] in seen:
            if seen[same[0]] == same[1]:  # a row repeated after a page break
                ctx.note("repeated-row", row.line, f"task table {caption!r}: row {written} repeated: the copy is "
                                                   "left out")
                continue
            raise ctx.error(f"task table {caption!r}: row number {written} appears twice, with different cells",
                            row.line)
        seen[same[0]] = same[1]
        # a row is named by its number (…/row/7), or where it has none by its source line (…/line/31)
        num, key = (value, ("table", number, "row", value)) if value else (k, ("table", number, "line", row.line))
        rule = ctx.rule_at(row.line) is not None
        named = []
        for field in _UNIT_FIELDS:
            text = cell(field)
            if not text:
                continue
            roles = read_roles(text, first_listed_lead=rule and field == "units", strict=False) or []
            for n in roles:
                role = {"lead": "lead", "support": "support"}.get(field) or n.role
                if field == "lead" and n.role == "support" and any(m.role == "lead" for m in roles):
                    role = "support"
                named.append((n.name, role))
        title = cell("title")
        text = cell("text") or title
        if not named:
            ctx.note("not-modelled", row.line, f"task table {caption!r}: row {written or k} names no unit: "
                                               "not an item")
            continue
        units = tuple(ctx.units.mention(name, role, row.line) for name, role in named)
        deadline = parse_deadline(cell("deadline")) if cell("deadline") else None
        related = _related(ctx, cell("related"), row.line)
        targets = tuple(numbered_items(cell("targets"), row.line, ctx.error)) if cell("targets") else ()
        measures = tuple(numbered_items(cell("measures"), row.line, ctx.error)) if cell("measures") else ()
        period = parse_period(cell("period"), row.line, ctx.note) if cell("period") else None
        if cell("period") and period is None:
            ctx.note("unusual", row.line, f"period {cell('period')!r} not understood: kept as a deadline as written")
            deadline = deadline or parse_deadline(cell("period"))
        contact = parse_contact(cell("contact"), row.line) if cell("contact") else None
        name = title or first_chars(text)
        if not name:  # no title or text column (a header cell lost): named by its first measure, or its place
            name = first_chars(measures[0].text) if measures and measures[0].text.strip() else \
                f"{caption or label} {written or k}"
            ctx.note("unusual", row.line, f"task table {caption!r}: row {written or k} has no title or text: "
                                          f"labelled {name!r}")
        ctx.items.append(WorkItem(
            key, (label, written or str(k)), num,
            "key-task" if measures else "measure", name, text if text != title or not title else title,
            units, (row.line,), part=group_key or ("table", number), deadline=deadline, related=related,
            targets=targets, measures=measures, period=period, contact=contact))
    if inherited:
        ctx.note("merged-cell", inherited[0], f"task table {caption!r}: empty 章节 cells on line(s) "
                 f"{', '.join(map(str, inherited))} continue the group above (merged cells)")


def _related(ctx: Context, written: str, line: int) -> tuple[tuple, ...]:
    """The outline items a row carries out (its 对应任务 column: ``（一）``, ``（十）``)."""
    if not written:
        return ()
    part = ctx.outline.find((written.strip(),))
    if part is None:
        ctx.note("unusual", line, f"对应任务 {written!r}: no single part of the main text is numbered so")
        return ()
    return (("part", *part.key),)

