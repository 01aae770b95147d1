"""Source text → blocks: paragraphs (one per line, Markdown markers apart) and tables.

Tables are found in three forms — tab-separated lines, Markdown pipes, HTML ``<table>`` (``rowspan`` and
``colspan`` expanded) — and come out the same: a header and rows of cells, each with its source line. A row
that is one cell across the whole table (``<td colspan="5">一、知识产权保护方面（共5项）</td>``) is a *group
row*: it names the group the rows below belong to.

Crawler artefacts (``**发布日期**: …`` metadata, ``【原文下载】`` links) are recognised and noted, not read as
text of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..normalize import squeeze, strip_markup

__all__ = ["Paragraph", "Row", "RawTable", "Text", "read_text"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD = re.compile(r"^\*\*(.+?)\*\*$")
_METADATA = re.compile(r"^\*\*[^*]{1,12}\*\*\s*[:：]")
_LINK_LINE = re.compile(r"^[-*]?\s*\[[^\]]*\]\([^)]*\)\s*$|^【原文下载】$|^【[^】]{1,8}】$")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Paragraph:
    """A non-empty line of running text: *raw* as in the source, *text* normalised (squeezed, markers apart)."""

    line: int
    raw: str
    text: str
    heading: int = 0  # Markdown heading level (# → 1), 0 for none
    bold: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # markup removed, squeezed
    raw: tuple[str, ...]  # as in the source
    line: int
    group: bool = False  # one cell across the table: a group label


@dataclass
class RawTable:
    """A table as found: its header, its rows, its form and where it starts."""

    id: int  # position among the document's tables, from 1
    form: str  # tsv, markdown, html
    line: int  # the header's line
    header: tuple[str, ...]
    rows: list[Row]
    end: int  # last line
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what was done: merged cells …)


@dataclass
class Text:
    """The document as blocks, in source order."""

    paragraphs: list[Paragraph]
    tables: list[RawTable]
    artefacts: list[tuple[int, str]]  # crawler lines: (line, text)

    def block_lines(self) -> set[int]:
        """Lines that belong to tables."""
        return {n for t in self.tables for n in range(t.line, t.end + 1)}




def _cell(raw: str) -> str:
    return squeeze(strip_markup(raw).replace("\n", " "))


def read_text(lines: list[str]) -> Text:
    """Split *lines* into paragraphs, tables and crawler artefacts.

    >>> t = read_text(["# 标题", "", "| 序号 | 任务 |", "|---|---|", "| 1 | 甲 |", "正文。"])
    >>> [p.text for p in t.paragraphs], t.tables[0].header, [r.cells for r in t.tables[0].rows]
    (['标题', '正文。'], ('序号', '任务'), [('1', '甲')])
    """
    paragraphs: list[Paragraph] = []
    tables: list[RawTable] = []
    artefacts: list[tuple[int, str]] = []
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped == "---":
            i += 1
            continue
        if "<table" in stripped.lower():
            end = i
            while end < n and "</table>" not in lines[end].lower():
                end += 1
            tables.append(_html_table(lines, i, min(end, n - 1), len(tables) + 1))
            i = end + 1
            continue
        if stripped.startswith("|") and i + 1 < n and _MD_RULE.match(lines[i + 1].strip()):
            end = i + 2
            while end < n and lines[end].strip().startswith("|"):
                end += 1
            tables.append(_markdown_table(lines, i, end - 1, len(tables) + 1))
            i = end
            continue
        if "\t" in raw and len([c for c in raw.split("\t") if c.strip()]) >= 3:
            end = i + 1
            while end < n and ("\t" in lines[end] or not lines[end].strip()):
                if not lines[end].strip() and (end + 1 >= n or "\t" not in lines[end + 1]):
                    break
                end += 1
            tables.append(_tsv_table(lines, i, end - 1, len(tables) + 1))
            i = end
            continue
        if _METADATA.match(stripped) or _LINK_LINE.match(stripped):
            artefacts.append((i + 1, stripped))
            i += 1
            continue
        heading = _HEADING.match(stripped)
        level, body = (len(heading.group(1)), heading.group(2)) if heading else (0, stripped)
        bold = _BOLD.match(body)
        if bold:
            body = bold.group(1)
        paragraphs.append(Paragraph(i + 1, raw, squeeze(strip_markup(body)), level, bool(bold)))
        i += 1
    return Text(paragraphs, tables, artefacts)


def _tsv_table(lines: list[str], start: int, end: int, number: int) -> RawTable:
    header = tuple(c.strip() for c in lines[start].split("\t"))
    rows = []
    for k in range(start + 1, end + 1):
        raw = lines[k]
        if not raw.strip():
            continue
        cells = tuple(raw.split("\t"))
        rows.append(Row(tuple(_cell(c) for c in cells), cells, k + 1))
    return RawTable(number, "tsv", start + 1, header, rows, end + 1)


def _split_pipes(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _markdown_table(lines: list[str], start: int, end: int, number: int) -> RawTable:
    header = tuple(c.strip() for c in _split_pipes(lines[start]))
    rows = []
    for k in range(start + 2, end + 1):
        cells = tuple(_split_pipes(lines[k]))
        rows.append(Row(tuple(_cell(c) for c in cells), cells, k + 1))
    return RawTable(number, "markdown", start + 1, header, rows, end + 1)


class _HTMLTable(HTMLParser):
    """Rows of cells with their spans and lines (the standard library's tolerant HTML parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, list[tuple[str, int, int]]]] = []  # (line offset, [(text, colspan, rowspan)])
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append((self.getpos()[0], []))
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append((self.getpos()[0], []))
            a = dict(attrs)
            self._span = (_int(a.get("colspan")), _int(a.get("rowspan")))
            self._cell = []
        elif tag in ("br", "p") and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append(("".join(self._cell), *self._span))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _int(value: str | None, limit: int = 1000) -> int:
    """A span as HTML reads it: 1 unless a positive number, at most *limit* (HTML caps colspan at 1000)."""
    try:
        return min(limit, max(1, int(value or 1)))
    except ValueError:
        return 1


def _html_table(lines: list[str], start: int, end: int, number: int) -> RawTable:
    parser = _HTMLTable()
    parser.feed("\n".join(lines[start:end + 1]))
    parser.close()
    # the header row sets the width; a span past the last column is cut there (colspan="999999" is one row)
    width = sum(c for _, c, _ in parser.rows[0][1]) if parser.rows else 0
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill) from rowspan
    grid: list[tuple[int, tuple[str, ...], bool]] = []
    notes: list[tuple[int, str]] = []
    for offset, cells in parser.rows:
        line = start + offset
        row: list[str] = []
        group = len(cells) == 1 and cells[0][1] >= width > 1 and not pending
        queue = list(cells)
        col = 0
        while queue or col in pending:
            if col in pending:
                text, left = pending.pop(col)
                row.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                notes.append((line, f"merged cell (rowspan) copied into column {col + 1}"))
                col += 1
                continue
            text, colspan, rowspan = queue.pop(0)
            colspan = max(1, min(colspan, width - col)) if width else colspan
            rowspan = min(rowspan, len(parser.rows))
            for k in range(colspan):
                row.append(text)
                if rowspan > 1:
                    pending[col + k] = (text, rowspan - 1)
            col += colspan
        grid.append((line, tuple(row), group))
    if not grid:
        return RawTable(number, "html", start + 1, (), [], end + 1, notes)
    header_line, header, _ = grid[0]
    rows = [Row(tuple(_cell(c) for c in cells), cells, line, group) for line, cells, group in grid[1:]]
    return RawTable(number, "html", header_line, tuple(c.strip() for c in header), rows, end + 1, notes)
