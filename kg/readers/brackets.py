"""Layout ``brackets``: a bracket after each item names who does it.

The State Council's opinions (国发〔2018〕39号, 42号) write ``（农业农村部、工业和信息化部负责）`` after each measure,
Shanghai's action plans ``（责任单位：市科委）``, Zhejiang's plans ``（省发展改革委牵头，省经信厅…按职责分工负责）``.
An outline part (``（三）…``, ``1.…``) whose text ends with such a bracket is an item; a part whose paragraphs
hold several (unnumbered measures under one heading, or several sentences each closed by its bracket) gives one
item per bracket, numbered in order under the part. A bracket moved onto a line of its own (a PDF's right-aligned
line) belongs to the paragraph before it. Roles are read by :mod:`kg.readers.unitlist`.
"""

from __future__ import annotations

from ..records import WorkItem
from .base import Context
from .outline import Part, first_chars, title_of
from .unitlist import CLOSE, OPEN, read_roles

__all__ = ["NAME", "DESCRIPTION", "detect", "read", "trailing_brackets"]

NAME = "brackets"
DESCRIPTION = "a bracket after each item: （A、B负责） （责任单位：A） （A牵头，B按职责分工负责）"
_AFTER = " \u3000。；;.，,"


def trailing_brackets(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the balanced brackets that close a sentence or the text.

    >>> t = "甲。（A负责）乙（筹）丙。（B负责）。"
    >>> [t[s:e] for s, e in trailing_brackets(t)]
    ['（A负责）', '（B负责）']
    """
    out = []
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch in OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0 and start is not None:
                rest = text[i + 1:]
                ends = not rest.strip(_AFTER) or rest.lstrip(" \u3000")[:1] in ("。", "；", ";") or (
                    start > 0 and text[start - 1] in "。；;")
                if ends:
                    out.append((start, i + 1))
                start = None
    return out


def _responsibility(ctx: Context, text: str, line: int):
    """The bracket spans of *text* that are responsibility expressions, with who does what."""
    found = []
    for s, e in trailing_brackets(text):
        named = read_roles(text[s + 1:e - 1], first_listed_lead=ctx.rule_at(line) is not None)
        if named:
            found.append((s, e, named))
    return found


def _paragraphs(ctx: Context, part: Part):
    """The part's own paragraphs as (line, text), a bracket on a line of its own joined to the one before."""
    out: list[tuple[int, str]] = []
    for k, p in enumerate(part.paragraphs):
        text = part.first if k == 0 else p.text
        if out and text.startswith(tuple(OPEN)) and _responsibility(ctx, text, p.line) and (
                len(trailing_brackets(text)) == 1 and trailing_brackets(text)[0][0] == 0):
            ctx.note("layout", p.line, f"responsibility bracket on a line of its own joined to line {out[-1][0]}")
            out[-1] = (out[-1][0], out[-1][1] + text)
            continue
        out.append((p.line, text))
    return out


def detect(ctx: Context) -> bool:
    """True when some outline part ends a sentence with a responsibility bracket."""
    return any(_responsibility(ctx, text, line) for part in ctx.outline.walk()
               for line, text in _paragraphs(ctx, part))


def read(ctx: Context) -> None:
    for part in ctx.outline.walk():
        if ("part", part.key) in ctx.claimed:
            continue
        paras = [(line, text, _responsibility(ctx, text, line)) for line, text in _paragraphs(ctx, part)]
        count = sum(len(found) for _, _, found in paras)
        if not count:
            continue
        ctx.claimed.add(("part", part.key))
        first_line, first_text, first_found = paras[0]
        if not first_found and len(paras) > 1 and title_of(first_text) == first_text.strip().rstrip("。：:"):
            paras = paras[1:]  # the part's heading: its item(s) follow
        segments, pending = [], []
        for line, text, found in paras:
            start = 0
            for s, e, named in found:
                pending.append((line, text[start:e]))
                segments.append((pending, named, line))
                pending, start = [], e
            rest = text[start:]
            if rest.strip(_AFTER):
                pending.append((line, rest.lstrip(_AFTER)))
        parent = ("part", *part.key[:-1]) if len(part.key) > 1 else None
        if count == 1:
            pieces, named, line = segments[0]
            body = "\n".join(t for _, t in pieces)
            lines = tuple(sorted({part.line, *(l for l, _ in pieces)}))
            units = tuple(ctx.units.mention(n.name, n.role, line) for n in named)
            ctx.items.append(WorkItem(("part", *part.key), part.path, part.number, "measure",
                                      part.title or first_chars(body), body, units, lines, part=parent))
            if pending:
                ctx.leftover.append((parent, pending, part.path))
            continue
        ctx.grouping.add(part.key)  # a heading over unnumbered items: a section
        for k, (pieces, named, line) in enumerate(segments, 1):
            body = "\n".join(t for _, t in pieces)
            units = tuple(ctx.units.mention(n.name, n.role, line) for n in named)
            ctx.items.append(WorkItem(("part", *part.key, k), part.path, k, "measure",
                                      title_of(body) or first_chars(body), body, units,
                                      tuple(sorted({l for l, _ in pieces})), part=("part", *part.key)))
        if pending:
            ctx.leftover.append((("part", *part.key), pending, part.path))
