"""Layout ``task-list``: a full task list (任务清单) — Wenzhou's 温政办〔2023〕82号 and documents laid out like it.

The main text declares its policy areas (``（一）提信心增预期。…`` in section 二) and the attached task list is a
tab-separated table whose columns the column table (``data/columns.csv``) maps to a key task's area, title,
numbered targets and measures, implementation period, responsible units (``*`` before each lead) and contact:
Wenzhou's header is ``HEADER``. Every key task must have them all — the document meets the task-list profile of
the shapes. The reader handles the PDF conversion's defects generally:

* rows split at a page break are repeated with the rest of their items: copies are merged item by item; where two
  copies of the same cell disagree, the first is kept and the disagreement reported;
* spaces inside Chinese words are removed; HTML markup is removed and entities decoded;
* characters lost in the area column are repaired against the areas the main text declares, an empty area cell
  (a merged cell in the PDF) takes the previous row's area;
* main-text paragraphs broken by a page break are joined.

Every such change is recorded as a note for the data-quality report.
"""

from __future__ import annotations

import re

from ..normalize import (CJK_CHAR, chinese_numeral, chinese_ordinal, clean, has_markup, squeeze, strip_markup)
from ..records import Contact, Goal, Item, Paragraph, Period, PolicyArea, ReferencedDocument, WorkItem
from ..units import UnitMention
from .base import Context
from .cells import numbered_items, parse_contact, parse_period
from .columns import fields_of
from .frontmatter import PRINT_DATE, TITLE_REF, parse_date
from .text import Paragraph as Para, RawTable

NAME = "task-list"
DESCRIPTION = ("a full task list (任务清单) with area, targets, measures, period, units (* marks the lead) and contact "
               "columns, as Wenzhou's 温政办〔2023〕82号")
HEADER = ("序号", "总体任务", "重点工作", "温州市目标", "温州市落实举措", "实施阶段", "责任单位", "联系人")
PROFILE = ("number", "area", "title", "targets", "measures", "period", "units", "contact")

_CN = "一二三四五六七八九十"
_SECTION = re.compile(f"^([{_CN}]+)、\\s*(.+)$")
_NUMBERED_PARA = re.compile(f"^[（(]([{_CN}]+)[）)]\\s*([^。]+)。(.*)$")
_GOAL = re.compile(r"^(?:到)?(\d{4})年[，,]")
_DECLARED = re.compile(r"[（(](\d+)条[）)]")
_LATIN_IN_CJK = re.compile(f"{CJK_CHAR.pattern}\\s+([a-z]+)\\s+{CJK_CHAR.pattern}")
_TERMINAL = tuple("。！？；：”）)")




def _task_list_table(ctx: Context) -> RawTable | None:
    for table in ctx.text.tables:
        if table.form == "tsv" and set(PROFILE) <= set(fields_of(table.header)):
            return table
    return None


def detect(ctx: Context) -> bool:
    r"""True when the document has a tab-separated task list with every column of the profile.

    >>> from kg.readers import read_document
    >>> read_document("data/wenzhou-2023-82.txt").layouts
    ('task-list',)
    """
    return _task_list_table(ctx) is not None


def read(ctx: Context) -> None:
    table = _task_list_table(ctx)
    ctx.main_text_modelled = True
    reader = _Reader(ctx, table)
    reader.read()
    for other in ctx.text.tables:  # the list's rows after a page break are tables of the text layer too
        if table.line <= other.line <= reader.end:
            ctx.claimed.add(("table", other.id))


class _Reader:
    def __init__(self, ctx: Context, table: RawTable):
        self.ctx = ctx
        self.doc = ctx.doc
        self.lines = ctx.source.lines
        self.table = table
        self.header = tuple(c.strip() for c in table.header)
        self.col = fields_of(self.header)
        self.error = ctx.error
        self.note = ctx.note

    def read(self) -> None:
        doc = self.doc
        if not doc.doc_number:
            raise self.error("no document number (a line like 温政办〔2023〕82号) before the task list")
        if doc.date is None:
            raise self.error("no issuer and date (e.g. 温州市人民政府办公室 / 2023年10月27日) after the notice")
        if not doc.title:
            raise self.error("no main title (a '# ' heading after the notice)")
        self._main_text()
        self._table(self.table.line - 1)
        self._check()
        doc.profiles = ("task-list",)
        self.note("rule", self.table.line, "task list: units marked * lead, the others support; "
                                           "a key task with a single unit: that unit leads")

    def inspect(self, raw: str, line: int) -> None:
        """Note the entities and the oddities of a cell's text (the text itself is normalised elsewhere)."""
        if has_markup(raw):
            entities = sorted(set(re.findall(r"&#?\w+;", raw)))
            if entities:
                self.note("entity", line, "HTML entities decoded: " + " ".join(entities))
        stripped = strip_markup(raw)
        for word in _LATIN_IN_CJK.findall(stripped):
            self.note("unusual", line, f"Latin word {word!r} inside Chinese text (kept as written)")

    # -- the main text -------------------------------------------------------------------
    def _main_text(self) -> None:
        doc = self.doc
        front = self.ctx.front
        state, section = "main", 0
        paras = self._join_page_breaks([p for p in front.body + front.after if p.line < self.table.line])
        for p in paras:
            text, line = p.text, p.line
            heading = p.heading > 0
            section_match = _SECTION.match(text) if heading else None
            if heading and "任务清单" in text:
                doc.task_list_title = text
                self._declared(text, line)
                state = "list"
            elif section_match:
                section = chinese_numeral(section_match.group(1))
                self.note("layout", line, f"section heading {text!r} recognised (its paragraphs are modelled)")
            elif state == "list":
                raise self.error(f"unexpected text between the task-list title and the table: {text[:40]!r}", line)
            elif re.match(r"^附件[：:]", text):
                rest = re.sub(r"^附件[：:]", "", text)
                if rest:
                    doc.attachment_title = rest
                    self._declared(rest, line)
            elif section == 0:
                doc.preamble, doc.preamble_line = text, line
                doc.implements = tuple(ReferencedDocument(squeeze(t), line) for t in TITLE_REF.findall(p.raw))
            elif section == 1:
                goal = _GOAL.match(text)
                if goal:
                    doc.goals += (Goal(int(goal.group(1)), text, line),)
                elif not doc.principle:
                    doc.principle, doc.principle_line = text, line
                else:
                    raise self.error(f"unexpected paragraph in section 一: {text[:40]!r}", line)
            else:
                item = _NUMBERED_PARA.match(text)
                if item:
                    number = chinese_numeral(item.group(1))
                    if section == 2:
                        doc.areas += (PolicyArea(number, item.group(2), item.group(3), line),)
                    else:
                        doc.guarantees += (Paragraph(number, item.group(2), item.group(3), line),)
                elif section == 2 and not doc.areas_intro:
                    doc.areas_intro = text
                else:
                    raise self.error(f"unexpected paragraph in section {section}: {text[:40]!r}", line)
        if not doc.areas:
            raise self.error("no policy areas (paragraphs （一）…。 in section 二) in the main text")
        for expected, area in enumerate(doc.areas, 1):
            if area.number != expected:
                raise self.error(f"policy area （{area.number}） out of order, expected {expected}", area.line)

    def _join_page_breaks(self, paras: list[Para]) -> list[Para]:
        """Join a main-text paragraph cut by a page break to its continuation."""
        out: list[Para] = []
        for p in paras:
            prev = out[-1] if out else None
            if (prev and not prev.heading and not p.heading and not prev.text.endswith(_TERMINAL)
                    and CJK_CHAR.match(p.text[0]) and not _NUMBERED_PARA.match(p.text)
                    and not p.text.startswith("附件")):
                self.note("page-break", p.line, f"paragraph continued from line {prev.line} after a page break: joined")
                out[-1] = Para(prev.line, prev.raw + p.raw, squeeze(strip_markup(prev.raw + p.raw)), 0, prev.bold)
                continue
            out.append(p)
        return out

    def _declared(self, text: str, line: int) -> None:
        m = _DECLARED.search(text)
        if m:
            declared = int(m.group(1))
            if self.doc.declared_measures and declared != self.doc.declared_measures:
                raise self.error(f"the task list declares {declared}条 here but {self.doc.declared_measures}条 before",
                                 line)
            self.doc.declared_measures = declared

    # -- the table -----------------------------------------------------------------------
    def _table(self, start: int) -> None:
        groups: dict[int, list[tuple[int, list[str]]]] = {}
        last = 0
        i = start
        stop = trailer = len(self.lines)
        header = self.header
        while i < stop:
            line = i + 1
            raw = self.lines[i]
            i += 1
            if not raw.strip():
                continue
            if raw.strip() == "---" or raw.strip().startswith("抄送"):
                trailer = i - 1
                break
            cells = raw.split("\t")
            if cells[0].strip() == header[0]:
                got = tuple(c.strip() for c in cells)
                if got != header:
                    raise self.error(f"table header must be {' | '.join(header)}, found {' | '.join(got)}", line)
                self.note("layout", line, "table header row (repeated on every page) recognised")
                continue
            if not cells[0].strip().isdecimal():  # isdigit would pass ², which int() refuses
                raise self.error(f"unexpected text inside the task list: {squeeze(raw)[:40]!r}", line)
            if len(cells) != len(header):
                raise self.error(f"table row has {len(cells)} columns, expected {len(header)} "
                                 f"({', '.join(header)})", line)
            number = int(cells[0])
            if number in groups and number != last:
                raise self.error(f"key task {number} appears again after key task {last}", line)
            if number not in groups and number != last + 1:
                raise self.error(f"key task {number} follows key task {last}: key task {last + 1} is missing", line)
            groups.setdefault(number, []).append((line, cells))
            last = number
        else:
            raise self.error(f"the file ends inside the task list (after key task {last}): "
                             "the table is truncated (expected the 抄送 line and the print date after it)",
                             len(self.lines))
        if not groups:
            raise self.error("the task list has no rows", start + 1)
        tasks: list[WorkItem] = []
        for number, copies in groups.items():
            tasks.append(self._task(number, copies, tasks[-1] if tasks else None))
        self.ctx.items += tasks
        self.end = trailer
        self._trailer(trailer)

    def _task(self, number: int, copies: list[tuple[int, list[str]]], previous: WorkItem | None) -> WorkItem:
        c = self.col
        lines = tuple(line for line, _ in copies)
        first = lines[0]
        if len(copies) > 1:
            self.note("repeated-row", first, f"key task {number} is split across a page break and repeated on lines "
                      f"{', '.join(map(str, lines))}: copies merged")
        for line, cells in copies:
            if has_markup(cells[c["targets"]] + cells[c["measures"]] + cells[c["units"]] + cells[c["contact"]]):
                self.note("markup", line, "HTML markup removed from the cells")
            for col in (c["targets"], c["measures"]):
                self.inspect(cells[col], line)

        # area
        areas = [(line, self._area(cells[c["area"]], line, number)) for line, cells in copies
                 if cells[c["area"]].strip()]
        if not areas:
            if previous is None:
                raise self.error(f"key task {number} has no area ({self.header[c['area']]}) and no row above to take "
                                 "it from", first)
            area = previous.area
            self.note("area-inherited", first,
                      f"key task {number}: area cell empty (merged cell in the PDF), taken from key task "
                      f"{previous.number}: {self._area_label(area)}")
        else:
            area = self._agree(number, "area", areas, self._area_label)

        title = self._agree(number, "title",
                            [(line, self._title(cells[c["title"]], line, number)) for line, cells in copies])
        targets = self._merge_items(number, "target", [self._items(cells[c["targets"]], line) for line, cells in copies],
                                    first)
        measures = self._merge_items(number, "measure",
                                     [self._items(cells[c["measures"]], line) for line, cells in copies], first)
        period = self._agree(number, "period", [(line, self._period(cells[c["period"]], line)) for line, cells in copies],
                             lambda p: p.label)
        unit_copies = [(line, tuple(self.ctx.units.cell(cells[c["units"]], line))) for line, cells in copies]
        units = self._agree(number, "responsible units", unit_copies,
                            lambda ms: " ".join(("*" if m.lead else "") + m.unit.name_zh for m in ms),
                            key=lambda ms: tuple((m.unit.id, m.lead) for m in ms))
        units = self._responsibility(number, units, unit_copies[0][0])
        contact = self._agree(number, "contact",
                              [(line, self._contact(cells[c["contact"]], line)) for line, cells in copies],
                              lambda k: f"{k.name} {k.phone}", key=lambda k: (k.name, k.phone))
        return WorkItem(("task", number), (str(number),), number, "key-task", title, "", units, lines,
                        area=area, targets=tuple(targets), measures=tuple(measures), period=period, contact=contact)

    def _agree(self, number, what, values, show=str, key=lambda v: v):
        """The first copy's value; a differing later copy is reported."""
        line0, first = values[0]
        for line, value in values[1:]:
            if key(value) != key(first):
                self.note("disagreement", line, f"key task {number}: {what} differs between copies — line {line0}: "
                          f"{show(first)!r}; line {line}: {show(value)!r}; kept line {line0}")
        return first

    def _area(self, cell: str, line: int, number: int) -> int:
        text = "".join(clean(cell).split())
        m = _SECTION.match(text)
        if not m:
            raise self.error(f"key task {number}: area {text!r} is not like 一、提信心增预期", line)
        ordinal = chinese_numeral(m.group(1))
        areas = {a.number: a for a in self.doc.areas}
        if ordinal not in areas:
            raise self.error(f"key task {number}: area {text!r}: the main text has no area （{m.group(1)}）", line)
        name, canonical = m.group(2), areas[ordinal].name
        if name != canonical:
            if not set(name) <= set(canonical):
                raise self.error(f"key task {number}: area {text!r} does not match area {ordinal} "
                                 f"{canonical!r} of the main text", line)
            self.note("area-repaired", line, f"key task {number}: area cell {squeeze(cell)!r} read as "
                      f"{m.group(1)}、{canonical} (characters lost in the PDF)")
        return ordinal

    def _area_label(self, ordinal: int) -> str:
        area = next(a for a in self.doc.areas if a.number == ordinal)
        return f"{chinese_ordinal(ordinal)}、{area.name}"

    def _title(self, cell: str, line: int, number: int) -> str:
        text = clean(cell)
        m = re.match(f"^[（(]\\s*([{_CN}]+)\\s*[）)]\\s*(.+)$", text)
        if not m:
            raise self.error(f"key task {number}: title {text[:30]!r} does not start with its number like （一）", line)
        if chinese_numeral(m.group(1)) != number:
            raise self.error(f"key task {number}: title is numbered （{m.group(1)}）", line)
        return squeeze(m.group(2))

    def _items(self, cell: str, line: int) -> list[Item]:
        return numbered_items(cell, line, self.error)

    def _merge_items(self, number: int, what: str, copies: list[list[Item]], line: int) -> list[Item]:
        merged: dict[int, Item] = {}
        for copy in copies:
            for item in copy:
                kept = merged.get(item.number)
                if kept is None:
                    merged[item.number] = item
                elif kept.text != item.text:
                    self.note("disagreement", item.line,
                              f"key task {number}: {what} {item.number} differs between copies — line {kept.line}: "
                              f"{kept.text!r}; line {item.line}: {item.text!r}; kept line {kept.line}")
        if not merged:
            column = self.header[self.col["targets" if what == "target" else "measures"]]
            raise self.error(f"key task {number} has no {what}s ({column} is empty)", line)
        numbers = sorted(merged)
        for expected, got in enumerate(numbers, 1):
            if got != expected:
                raise self.error(f"key task {number}: {what} {expected} is missing (found {what}s "
                                 f"{', '.join(map(str, numbers))})", merged[got].line)
        return [merged[n] for n in numbers]

    def _period(self, cell: str, line: int) -> Period:
        period = parse_period(cell, line, self.note)
        if period is None:
            text = "".join(clean(cell).split())
            raise self.error(f"unknown implementation period {text!r} (expected e.g. 2023-2027年, 2023年, 长期实施)", line)
        return period

    def _responsibility(self, number: int, units: tuple[UnitMention, ...], line: int) -> tuple[UnitMention, ...]:
        seen = set()
        for m in units:
            if m.unit.id in seen:
                raise self.error(f"key task {number}: {m.unit.name_zh} is listed twice", line)
            seen.add(m.unit.id)
            if any(ch.isspace() for ch in m.written):
                self.note("unit-spaces", line, f"unit name {m.written!r} read as {m.unit.name_zh} (spaces removed)")
            if m.alias:
                self.note("unit-alias", line, f"{m.unit.name_zh} is written with its alias in brackets: {m.alias}")
        if not any(m.lead for m in units):
            if len(units) == 1:
                return (UnitMention(units[0].unit, "lead", units[0].written, units[0].alias),)
            raise self.error(f"key task {number} lists {len(units)} units and none is marked * as lead", line)
        return units

    def _contact(self, cell: str, line: int) -> Contact:
        contact = parse_contact(cell, line)
        if contact is None:
            text = " ".join(strip_markup(cell).split())
            raise self.error(f"contact {text!r} is not a name and a phone number (e.g. 蔡景像 0577-88026991)", line)
        return contact

    # -- trailer and checks -------------------------------------------------------------
    def _trailer(self, start: int) -> None:
        doc = self.doc
        for i in range(start, len(self.lines)):
            raw = self.lines[i].strip()
            if not raw or raw == "---":
                continue
            line, text = i + 1, squeeze(raw)
            if re.match(r"^抄送[：:]", text):
                doc.cc = tuple(c for c in re.split("[、，,]", re.sub(r"^抄送[：:]", "", text).rstrip("。.")) if c)
            elif PRINT_DATE.match(text):
                doc.print_date = parse_date(PRINT_DATE.match(text), self.ctx, line)
            elif not doc.printed_by and len(text) <= 30 and not text.endswith(_TERMINAL):
                doc.printed_by = text
            else:
                raise self.error(f"unexpected text after the task list: {text[:40]!r}", line)

    def _check(self) -> None:
        doc = self.doc
        if not doc.declared_measures:
            raise self.error("the task list does not declare its total (e.g. 任务清单（195条）)")
        tasks = [i for i in self.ctx.items if i.kind == "key-task"]
        measures = sum(len(t.measures) for t in tasks)
        if measures != doc.declared_measures:
            raise self.error(f"the task list declares {doc.declared_measures}条 but {measures} measures "
                             f"were parsed from {len(tasks)} key tasks")









__all__ = ["NAME", "DESCRIPTION", "HEADER", "detect", "read"]
