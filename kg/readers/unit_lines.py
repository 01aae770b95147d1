"""Layout ``unit-lines``: ``牵头单位：…`` / ``配合单位：…`` / ``责任单位：…`` lines after a task, and ``由A牵头``.

Work plans often follow each numbered task with lines of its own naming the units (``牵头单位：市发展改革委``,
``配合单位：市财政局、市经信局``); the labels are the task-table column names (``data/columns.csv``). Where a part
has no such lines and no bracket, ``由A牵头`` (``由市发展改革委牵头，会同…``) in its text names its lead.
"""

from __future__ import annotations

import re

from ..records import WorkItem
from .base import Context
from .outline import Part, first_chars
from .unitlist import label_field, looks_like_unit, read_roles, split_names

__all__ = ["NAME", "DESCRIPTION", "detect", "read", "is_unit_line"]

NAME = "unit-lines"
DESCRIPTION = "牵头单位：… / 配合单位：… / 责任单位：… lines after each task, or 由A牵头 in its text"
_LABEL = re.compile(r"^\s*[（(]?\s*([\u4e00-\u9fff]{2,8})\s*[:：]")
_LED_BY = re.compile(r"由([^，。；：、“”《》]{2,60}?)牵头")


def is_unit_line(text: str) -> bool:
    """True when *text* opens with a unit label (牵头单位：, 责任单位：, 配合部门： …).

    >>> is_unit_line("牵头单位：市发展改革委"), is_unit_line("主要目标：到2025年")
    (True, False)
    """
    m = _LABEL.match(text)
    return bool(m) and label_field(m.group(1)) is not None


def _led_by(text: str) -> list[str]:
    for m in _LED_BY.finditer(text):
        names = [n for n, _ in split_names(m.group(1))]
        if names and all(looks_like_unit(n) for n in names):
            return names
    return []


def _own(part: Part) -> list[tuple[int, str]]:
    return [(p.line, part.first if k == 0 else p.text) for k, p in enumerate(part.paragraphs)]


def detect(ctx: Context) -> bool:
    return any(is_unit_line(text) or _led_by(text) for part in ctx.outline.walk()
               if ("part", part.key) not in ctx.claimed for _, text in _own(part))


def read(ctx: Context) -> None:
    for part in ctx.outline.walk():
        if ("part", part.key) in ctx.claimed:
            continue
        paras = _own(part)
        labelled = [(line, text.strip().strip("（）()")) for line, text in paras if is_unit_line(text)]
        body = [(line, text) for line, text in paras if not is_unit_line(text)]
        text = "\n".join(t for _, t in body)
        parent = ("part", *part.key[:-1]) if len(part.key) > 1 else None
        if labelled:
            line = labelled[0][0]
            named = read_roles("；".join(t for _, t in labelled),
                               first_listed_lead=ctx.rule_at(line) is not None, strict=False)
            if not named:
                continue
            units = tuple(ctx.units.mention(n.name, n.role, ln) for n in named
                          for ln in [next((l for l, t in labelled if n.name in t), line)])
            ctx.note("layout", line, f"{part.path[-1]}: units read from the label line(s) after the task")
        else:
            names = _led_by(text)
            if not names:
                continue
            line = next(l for l, t in body if _led_by(t))
            units = tuple(ctx.units.mention(n, "lead", line) for n in names)
            ctx.note("rule", line, f"{'/'.join(part.path)}: 由{'、'.join(names)}牵头 read as the lead")
        ctx.claimed.add(("part", part.key))
        lines = tuple(sorted({part.line} | {l for l, _ in labelled}))
        ctx.items.append(WorkItem(("part", *part.key), part.path, part.number, "measure",
                                  part.title or first_chars(text), text, units, lines, part=parent))
