"""Parse a policy document (PDF converted to text) into typed records.

The source is Markdown-ish text: headings, paragraphs, then the task list as tab-separated
rows whose cells carry HTML fragments. The parser handles the conversion's defects generally:

* rows split at a page break are repeated with the rest of their items: copies are merged
  item by item; where two copies of the same cell disagree, the first is kept and the
  disagreement reported;
* spaces inside Chinese words are removed; HTML markup is removed and entities decoded;
* characters lost in the area column are repaired against the five areas the main text
  declares, an empty area cell (a merged cell in the PDF) takes the previous row's area;
* main-text paragraphs broken by a page break are joined.

Every such change is recorded as a :class:`~kg.records.Note` for the data-quality report.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .citations import find_citations
from .errors import InputError
from .indicators import find_indicators
from .normalize import CJK_CHAR, chinese_numeral, chinese_ordinal, clean, has_markup, spaces_removed, squeeze, strip_markup
from .records import (Citation, Contact, Goal, Item, KeyTask, Note, Paragraph, Period, PolicyArea, PolicyDocument,
                      ReferencedDocument)
from .units import Gazetteer, UnitMention

HEADER = ("序号", "总体任务", "重点工作", "温州市目标", "温州市落实举措", "实施阶段", "责任单位", "联系人")
_CN = "一二三四五六七八九十"
_DOC_NUMBER = re.compile(r"^(\S+〔\d{4}〕\d+号)$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_PRINT_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
_HEADING = re.compile(r"^(#+)\s*(.*)$")
_SECTION = re.compile(f"^([{_CN}]+)、\\s*(.+)$")
_NUMBERED_PARA = re.compile(f"^[（(]([{_CN}]+)[）)]\\s*([^。]+)。(.*)$")
_GOAL = re.compile(r"^(?:到)?(\d{4})年[，,]")
_TITLE_REF = re.compile(r"《([^《》]+)》")
_DECLARED = re.compile(r"[（(](\d+)条[）)]")
_FIRST_ITEM = re.compile(r"^\s*(\d{1,3})\s*[.．](?:\s+|(?=\D))")
_NEXT_ITEM = re.compile(r"(?:(?<=\s)|(?<=[。；;]))(\d{1,3})\s*[.．](?:\s+|(?=\D))")
_CONTACT = re.compile(r"^(?P<name>[^\d\s]+?)\s*(?P<phone>0\d{2,3}-\d{7,8}|1\d{10})$")
_LATIN_IN_CJK = re.compile(f"{CJK_CHAR.pattern}\\s+([a-z]+)\\s+{CJK_CHAR.pattern}")
_TERMINAL = tuple("。！？；：”）)")


def read_lines(path: str | Path) -> list[str]:
    """Read a UTF-8 text file into lines; unreadable input is an :class:`InputError`."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a directory, expected a text file", path)
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError("file is empty", path)
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise InputError("binary data (NUL byte), expected UTF-8 text", path, data[:at].count(b"\n") + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "; it looks like GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`"
        except UnicodeDecodeError:
            pass
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}){hint}",
                         path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_document(path: str | Path, gazetteer: Gazetteer | None = None) -> PolicyDocument:
    """Parse one source file.

    >>> doc = parse_document("data/wenzhou-2023-82.txt")
    >>> doc.doc_number, len(doc.tasks), doc.measure_count
    ('温政办〔2023〕82号', 32, 195)
    """
    return _Parser(Path(path), read_lines(path), gazetteer or Gazetteer.load()).parse()


class _Parser:
    def __init__(self, path: Path, lines: list[str], gazetteer: Gazetteer):
        self.path = path
        self.lines = lines
        self.gaz = gazetteer
        self.doc = PolicyDocument(source=str(path), name=path.stem)
        self.notes = self.doc.notes

    # -- helpers -----------------------------------------------------------------------
    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, self.path, line)

    def note(self, kind: str, line: int, message: str) -> None:
        self.notes.append(Note(kind, line, message))

    def inspect(self, raw: str, line: int) -> None:
        """Note the entities and the oddities of a cell's text (the text itself is normalised elsewhere)."""
        if has_markup(raw):
            entities = sorted(set(re.findall(r"&#?\w+;", raw)))
            if entities:
                self.note("entity", line, "HTML entities decoded: " + " ".join(entities))
        stripped = strip_markup(raw)
        for word in _LATIN_IN_CJK.findall(stripped):
            self.note("unusual", line, f"Latin word {word!r} inside Chinese text (kept as written)")

    # -- document ------------------------------------------------------------------------
    def parse(self) -> PolicyDocument:
        table_start = next((i for i, l in enumerate(self.lines) if l.split("\t")[0].strip() == HEADER[0]), None)
        if table_start is None:
            raise self.error(f"no task list found (a table whose header starts with {HEADER[0]}\\t{HEADER[1]})")
        self._front_matter(table_start)
        self._table(table_start)
        self._check()
        self._citations()
        self._indicators()
        self._note_spaces()
        return self.doc

    def _paragraphs(self, start: int, stop: int) -> list[tuple[int, str]]:
        out = []
        for i in range(start, stop):
            raw = self.lines[i].strip()
            if raw and raw != "---":
                out.append((i + 1, raw))
        return out

    def _front_matter(self, table_start: int) -> None:
        doc = self.doc
        state, section = "head", 0
        paras = self._join_page_breaks(self._paragraphs(0, table_start))
        for line, raw in paras:
            text = squeeze(raw)
            heading = _HEADING.match(text)
            body = squeeze(heading.group(2)) if heading else text
            if state == "head":
                if heading and body.endswith("文件") and not doc.letterhead:
                    doc.letterhead = body
                    self.note("layout", line, f"letterhead {body!r} recognised (not modelled: the issuer is)")
                elif _DOC_NUMBER.match(text) and not doc.doc_number:
                    doc.doc_number, doc.doc_number_line = text, line
                elif heading and "关于印发" in body:
                    doc.notice_title = body
                elif text.endswith("：") and doc.notice_title and not doc.addressees:
                    doc.addressees = tuple(a for a in re.split("[，,]", text[:-1]) if a)
                elif text.startswith("《") and doc.addressees and not doc.notice_body:
                    doc.notice_body = text
                elif self.gaz.lookup(text) is not None and doc.notice_body and doc.issuer is None:
                    doc.issuer = UnitMention(self.gaz.lookup(text), True, text)
                elif _DATE.match(text) and doc.issuer is not None and doc.date is None:
                    doc.date = self._date(_DATE.match(text), line)
                elif re.match(r"^[（(]此件.*[）)]$", text):
                    doc.release_statement = text[1:-1]
                elif heading and len(heading.group(1)) == 1 and doc.date is not None:
                    doc.title, doc.title_line, state = body, line, "main"
                else:
                    raise self.error(f"unexpected text before the main title: {text[:40]!r}", line)
                continue
            # main text
            section_match = _SECTION.match(body) if heading else None
            if heading and "任务清单" in body:
                doc.task_list_title = body
                self._declared(body, line)
                state = "list"
            elif section_match:
                section = chinese_numeral(section_match.group(1))
                self.note("layout", line, f"section heading {body!r} recognised (its paragraphs are modelled)")
            elif state == "list":
                raise self.error(f"unexpected text between the task-list title and the table: {text[:40]!r}", line)
            elif re.match(r"^附件[：:]", text):
                rest = re.sub(r"^附件[：:]", "", text)
                self.note("layout", line, f"attachment label {text!r} recognised")
                if rest:
                    doc.attachment_title = rest
                    self._declared(rest, line)
            elif section == 0:
                doc.preamble, doc.preamble_line = text, line
                doc.implements = tuple(ReferencedDocument(squeeze(t), line) for t in _TITLE_REF.findall(raw))
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
        if not doc.doc_number:
            raise self.error("no document number (a line like 温政办〔2023〕82号) before the task list")
        if doc.date is None:
            raise self.error("no issuer and date (e.g. 温州市人民政府办公室 / 2023年10月27日) after the notice")
        if not doc.title:
            raise self.error("no main title (a '# ' heading after the notice)")
        if not doc.areas:
            raise self.error("no policy areas (paragraphs （一）…。 in section 二) in the main text")
        for expected, area in enumerate(doc.areas, 1):
            if area.number != expected:
                raise self.error(f"policy area （{area.number}） out of order, expected {expected}", area.line)

    def _join_page_breaks(self, paras: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Join a main-text paragraph cut by a page break to its continuation."""
        out: list[tuple[int, str]] = []
        in_main = False
        for line, raw in paras:
            if raw.startswith("# ") and not raw.endswith("文件"):
                in_main = True  # the main text starts at its title, after the notice
            prev = out[-1] if out else None
            if (in_main and prev and not prev[1].startswith("#") and not raw.startswith("#")
                    and not prev[1].endswith(_TERMINAL) and CJK_CHAR.match(raw[0])
                    and not _NUMBERED_PARA.match(squeeze(raw)) and not raw.startswith("附件")):
                self.note("page-break", line, f"paragraph continued from line {prev[0]} after a page break: joined")
                out[-1] = (prev[0], prev[1] + raw)
                continue
            out.append((line, raw))
        return out

    def _declared(self, text: str, line: int) -> None:
        m = _DECLARED.search(text)
        if m:
            declared = int(m.group(1))
            if self.doc.declared_measures and declared != self.doc.declared_measures:
                raise self.error(f"the task list declares {declared}条 here but {self.doc.declared_measures}条 before",
                                 line)
            self.doc.declared_measures = declared

    def _date(self, m: re.Match, line: int) -> dt.date:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise self.error(f"not a date: {m.group(0)!r}", line) from None

    # -- table ---------------------------------------------------------------------------
    def _table(self, start: int) -> None:
        groups: dict[int, list[tuple[int, list[str]]]] = {}
        last = 0
        i = start
        stop = trailer = len(self.lines)
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
            if cells[0].strip() == HEADER[0]:
                got = tuple(c.strip() for c in cells)
                if got != HEADER:
                    raise self.error(f"table header must be {' | '.join(HEADER)}, found {' | '.join(got)}", line)
                self.note("layout", line, "table header row (repeated on every page) recognised")
                continue
            if not cells[0].strip().isdigit():
                raise self.error(f"unexpected text inside the task list: {squeeze(raw)[:40]!r}", line)
            if len(cells) != len(HEADER):
                raise self.error(f"table row has {len(cells)} columns, expected {len(HEADER)} "
                                 f"({', '.join(HEADER)})", line)
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
        tasks: list[KeyTask] = []
        for number, copies in groups.items():
            tasks.append(self._task(number, copies, tasks[-1] if tasks else None))
        self.doc.tasks = tuple(tasks)
        self._trailer(trailer)

    def _task(self, number: int, copies: list[tuple[int, list[str]]], previous: KeyTask | None) -> KeyTask:
        lines = tuple(line for line, _ in copies)
        first = lines[0]
        if len(copies) > 1:
            self.note("repeated-row", first, f"key task {number} is split across a page break and repeated on lines "
                      f"{', '.join(map(str, lines))}: copies merged")
        for line, cells in copies:
            if has_markup(cells[3] + cells[4] + cells[6] + cells[7]):
                self.note("markup", line, "HTML markup removed from the cells")
            for col in (3, 4):
                self.inspect(cells[col], line)

        # area
        areas = [(line, self._area(cells[1], line, number)) for line, cells in copies if cells[1].strip()]
        if not areas:
            if previous is None:
                raise self.error(f"key task {number} has no area (总体任务) and no row above to take it from", first)
            area = previous.area
            self.note("area-inherited", first,
                      f"key task {number}: area cell empty (merged cell in the PDF), taken from key task "
                      f"{previous.number}: {self._area_label(area)}")
        else:
            area = self._agree(number, "area", areas, self._area_label)

        title = self._agree(number, "title", [(line, self._title(cells[2], line, number)) for line, cells in copies])
        targets = self._merge_items(number, "target", [self._items(cells[3], line) for line, cells in copies], first)
        measures = self._merge_items(number, "measure", [self._items(cells[4], line) for line, cells in copies], first)
        period = self._agree(number, "period", [(line, self._period(cells[5], line)) for line, cells in copies],
                             lambda p: p.label)
        unit_copies = [(line, tuple(self.gaz.segment(cells[6], self.path, line))) for line, cells in copies]
        units = self._agree(number, "responsible units", unit_copies,
                            lambda ms: " ".join(("*" if m.lead else "") + m.unit.name_zh for m in ms),
                            key=lambda ms: tuple((m.unit.id, m.lead) for m in ms))
        units = self._responsibility(number, units, unit_copies[0][0])
        contact = self._agree(number, "contact", [(line, self._contact(cells[7], line)) for line, cells in copies],
                              lambda c: f"{c.name} {c.phone}", key=lambda c: (c.name, c.phone))
        return KeyTask(number, title, area, tuple(targets), tuple(measures), period, units, contact, lines)

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
        stripped = strip_markup(cell)
        first = _FIRST_ITEM.match(stripped)
        if not first:
            text = squeeze(stripped)
            return [Item(1, text, line, numbered=False)] if text else []
        starts = [(first.start(), first.end(), int(first.group(1)))]
        expected = starts[0][2] + 1
        for m in _NEXT_ITEM.finditer(stripped, first.end()):
            if int(m.group(1)) == expected:
                starts.append((m.start(), m.end(), expected))
                expected += 1
        items = []
        for k, (_, body_start, num) in enumerate(starts):
            body_end = starts[k + 1][0] if k + 1 < len(starts) else len(stripped)
            text = squeeze(stripped[body_start:body_end])
            if not text:
                raise self.error(f"item {num} is empty", line)
            items.append(Item(num, text, line))
        return items

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
            raise self.error(f"key task {number} has no {what}s ({'温州市目标' if what == 'target' else '温州市落实举措'} "
                             "is empty)", line)
        numbers = sorted(merged)
        for expected, got in enumerate(numbers, 1):
            if got != expected:
                raise self.error(f"key task {number}: {what} {expected} is missing (found {what}s "
                                 f"{', '.join(map(str, numbers))})", merged[got].line)
        return [merged[n] for n in numbers]

    def _period(self, cell: str, line: int) -> Period:
        text = "".join(clean(cell).split())
        if text == "长期实施":
            return Period("长期实施", None, None, long_term=True)
        m = re.match(r"^(\d{4})(?:[-–—~至](\d{4}))?(年?)$", text)
        if not m:
            raise self.error(f"unknown implementation period {text!r} (expected e.g. 2023-2027年, 2023年, 长期实施)", line)
        start = int(m.group(1))
        end = int(m.group(2) or start)
        if end < start:
            raise self.error(f"implementation period {text!r} ends before it starts", line)
        label = f"{start}年" if start == end else f"{start}-{end}年"
        if not m.group(3):
            self.note("period", line, f"implementation period {text!r} read as {label}")
        return Period(label, start, end)

    def _responsibility(self, number: int, units: tuple[UnitMention, ...], line: int) -> tuple[UnitMention, ...]:
        seen = set()
        for m in units:
            if m.unit.id in seen:
                raise self.error(f"key task {number}: {m.unit.name_zh} is listed twice", line)
            seen.add(m.unit.id)
            if any(c.isspace() for c in m.written):
                self.note("unit-spaces", line, f"unit name {m.written!r} read as {m.unit.name_zh} (spaces removed)")
            if m.alias:
                self.note("unit-alias", line, f"{m.unit.name_zh} is written with its alias in brackets: {m.alias}")
        if not any(m.lead for m in units):
            if len(units) == 1:
                return (UnitMention(units[0].unit, True, units[0].written, units[0].alias),)
            raise self.error(f"key task {number} lists {len(units)} units and none is marked * as lead", line)
        return units

    def _contact(self, cell: str, line: int) -> Contact:
        text = " ".join(strip_markup(cell).split())
        m = _CONTACT.match(text)
        if not m:
            raise self.error(f"contact {text!r} is not a name and a phone number (e.g. 蔡景像 0577-88026991)", line)
        return Contact(m.group("name"), m.group("phone"), line)

    # -- trailer and checks -------------------------------------------------------------
    def _trailer(self, start: int) -> None:
        doc = self.doc
        for line, raw in self._paragraphs(start, len(self.lines)):
            text = squeeze(raw)
            if re.match(r"^抄送[：:]", text):
                doc.cc = tuple(c for c in re.split("[、，,]", re.sub(r"^抄送[：:]", "", text).rstrip("。.")) if c)
            elif self.gaz.lookup(text) is not None and not doc.printed_by:
                doc.printed_by = text
            elif _PRINT_DATE.match(text):
                doc.print_date = self._date(_PRINT_DATE.match(text), line)
            else:
                raise self.error(f"unexpected text after the task list: {text[:40]!r}", line)

    def _check(self) -> None:
        doc = self.doc
        if not doc.declared_measures:
            raise self.error("the task list does not declare its total (e.g. 任务清单（195条）)")
        if doc.measure_count != doc.declared_measures:
            raise self.error(f"the task list declares {doc.declared_measures}条 but {doc.measure_count} measures "
                             f"were parsed from {len(doc.tasks)} key tasks")

    def _citations(self) -> None:
        """Documents cited by the main text, the targets and the measures; the measures taken over in full."""
        doc = self.doc
        own = (doc.title,)
        parts: list[tuple[tuple, str, int]] = [(("preamble",), doc.preamble, doc.preamble_line)]
        if doc.principle:
            parts.append((("principle",), doc.principle, doc.principle_line))
        parts += [(("goal", g.year), g.text, g.line) for g in doc.goals]
        parts += [(("area", a.number), a.text, a.line) for a in doc.areas]
        parts += [(("guarantee", g.number), g.text, g.line) for g in doc.guarantees]
        for task in doc.tasks:
            parts += [(("target", task.number, i.number), i.text, i.line) for i in task.targets]
            parts += [(("measure", task.number, i.number), i.text, i.line) for i in task.measures]
        doc.citations = tuple(Citation(part, c.title, c.number, c.kind, c.verb, line)
                              for part, text, line in parts for c in find_citations(text, own))
        adopted = re.search(r"全面承接.*?(\d+)\s*条", doc.principle)
        if adopted:
            count = int(adopted.group(1))
            if count == len(doc.tasks):
                doc.adopted_measures = count
            else:
                self.note("unusual", doc.principle_line, f"the principle takes over {count} higher-level measures but "
                          f"the task list has {len(doc.tasks)} key tasks: key tasks not linked to them")

    def _indicators(self) -> None:
        """The measurable promises of every target and of the overall goals."""
        doc = self.doc
        found = [(("goal", g.year), i) for g in doc.goals for i in find_indicators(g.text, g.year)]
        for task in doc.tasks:
            found += [(("target", task.number, t.number), i) for t in task.targets for i in find_indicators(t.text)]
        doc.indicators = tuple(found)

    def _note_spaces(self) -> None:
        for i, raw in enumerate(self.lines):
            if "\t" in raw or raw.startswith("#") or raw.strip():
                count = spaces_removed(strip_markup(raw))
                if count:
                    self.note("spaces", i + 1, f"{count} space(s) inside Chinese text removed")
