"""The unit-list grammar, in one place: how a document writes who leads, supports or is responsible.

A *responsibility expression* is the text of a bracket after an item (``（A牵头，B、C按职责分工负责）``), a
``牵头单位：…`` line, or a unit cell of a task table. It is read in three steps:

1. clauses, split at ``；``/``。``: a clause may open with a label (``牵头单位：``, ``责任单位：`` — the same
   words as the task-table column names, ``data/columns.csv``);
2. groups inside a clause, each a unit list closed by a role word (``牵头``, ``负责``, ``按职责分工负责``,
   ``参与`` … from ``data/role-words.csv``);
3. names inside a group: split at ``、，,；`` and at spaces between complete names; ``等`` ends a list and
   is not part of a name (what follows it, ``等有关部门和单位``, is a collective unit); brackets inside a name
   (``省数据集团（筹）``, ``各县（市、区）政府``) never split it; ``*A`` and ``A（牵头）`` mark a lead.

Roles: a lead group or label (牵头) makes its units leads and every other unit support; ``A负责，B参与``
(a main role word followed by a secondary one) makes A lead; otherwise a document rule
(``列第一位者为牵头单位，下同``) makes the first-listed unit lead, and with no rule every unit is jointly
responsible. Nothing here invents a lead.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from ..normalize import squeeze
from ..resources import resource
from .columns import columns

__all__ = ["Named", "columns", "label_field", "role_words", "unit_words", "split_names", "read_roles", "looks_like_unit",
           "is_collective", "find_rules", "FIRST_LISTED_LEAD"]

OPEN, CLOSE = "（(〔", "）)〕"
SEPARATORS = "、，,；;"

# 列第一位者为牵头单位，下同 · 排在第一位的部门为牵头部门 · 列第一位的为牵头单位 · 第一个单位为牵头单位
FIRST_LISTED_LEAD = re.compile(
    r"[，,。；;]?\s*(?:(?:列|排|排在|排名|位列|列在)\s*(?:第一位|首位|第一)|第一个|首个|首位)(?:的|者)?"
    r"(?:单位|部门)?\s*(?:为|是)\s*牵头(?:单位|部门)?(?:[，,。；;]?\s*下同)?")


@dataclass(frozen=True)
class Named:
    """A unit as an expression names it: the name as written, its role, where it starts in the text."""

    name: str
    role: str  # lead, support, responsible
    offset: int = 0


def _table(name: str) -> list[dict[str, str]]:
    with open(resource(f"data/{name}"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))




@lru_cache(maxsize=1)
def role_words() -> dict[str, str]:
    """Role words → kind (lead, main, secondary), longest first, from ``data/role-words.csv``."""
    rows = {row["word"]: row["kind"] for row in _table("role-words.csv")}
    return dict(sorted(rows.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def unit_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(suffixes a unit name ends with, prefixes of collective names, administrative levels), from
    ``data/unit-words.csv``."""
    rows = _table("unit-words.csv")
    return tuple(tuple(r["word"] for r in rows if r["kind"] == kind) for kind in ("suffix", "collective", "level"))


def _strip_tail_bracket(name: str) -> str:
    while name and name[-1] in CLOSE:
        depth, i = 0, len(name) - 1
        while i >= 0:
            if name[i] in CLOSE:
                depth += 1
            elif name[i] in OPEN:
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i <= 0:
            return name
        name = name[:i]
    return name


def looks_like_unit(name: str) -> bool:
    """True when *name* reads as an organisation: it ends with a unit word (brackets after it aside).

    >>> [looks_like_unit(n) for n in ("省数据集团（筹）", "各省级人民政府", "人民银行", "以下简称“中试基地”", "2027年")]
    [True, True, True, False, False]
    """
    suffixes = unit_words()[0]
    core = _strip_tail_bracket(name.strip())
    if len(core) < 2 or re.search(r"\d|[。：:“”\"《》]", core) or core.startswith(("含", "包括", "不含", "即", "如", "以下")):
        return False
    return core.endswith(suffixes)


def is_collective(name: str) -> bool:
    """True when *name* stands for a set of units (各省级人民政府, 有关部门和单位, 各级国资委).

    >>> is_collective("各省级人民政府"), is_collective("有关部门和单位"), is_collective("省数据局")
    (True, True, False)
    """
    prefixes = unit_words()[1]
    return name.startswith(prefixes) or "各级" in name


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        out.append(depth)
        if ch in CLOSE and depth:
            depth -= 1
    return out


def _split_at(text: str, chars: str, offset: int = 0) -> list[tuple[str, int]]:
    """Split *text* at *chars* outside brackets: (piece, offset of the piece)."""
    depth = _depths(text)
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in chars and depth[i] == 0:
            out.append((text[start:i], offset + start))
            start = i + 1
    out.append((text[start:], offset + start))
    return out


def split_names(text: str, offset: int = 0) -> list[tuple[str, int]]:
    """The names of a unit list, as written, with their offsets; separators, ``等`` and markers apart.

    >>> [n for n, _ in split_names("工业和信息化部、发展改革委、科技部、农业农村部等")]
    ['工业和信息化部', '发展改革委', '科技部', '农业农村部']
    >>> [n for n, _ in split_names("人力资源社会保障部等有关部门和单位")]
    ['人力资源社会保障部', '有关部门和单位']
    >>> [n for n, _ in split_names("市发改委，各区县政府 各县（市、区）政府")]
    ['市发改委', '各区县政府', '各县（市、区）政府']
    >>> [n for n, _ in split_names("市自然资源和 规划局")]
    ['市自然资源和 规划局']

    A bare administrative level after a collective name continues it (各区、县级市 is one collective unit):

    >>> [n for n, _ in split_names("市人社局、各区、县级市")], [n for n, _ in split_names("各县、市、区政府")]
    (['市人社局', '各区、县级市'], ['各县、市、区政府'])
    """
    levels = unit_words()[2]
    out: list[tuple[str, int]] = []
    for piece, start in _split_at(text, SEPARATORS + "等", offset):
        for name, at in _split_spaces(piece, start):
            lead = len(name) - len(name.lstrip())
            name = name.strip()
            if not name:
                continue
            continues = name in levels or any(name in (f"{lv}政府", f"{lv}人民政府") for lv in levels)
            if out and continues and is_collective(out[-1][0]) and text[at - offset - 1:at - offset] == "、":
                out[-1] = (out[-1][0] + "、" + name, out[-1][1])
                continue
            out.append((name, at + lead))
    return out


def _split_spaces(piece: str, offset: int) -> list[tuple[str, int]]:
    """Split at spaces only where the text before the space is a complete unit name."""
    parts = [(m.group(0), offset + m.start()) for m in re.finditer(r"\S+", piece)]
    if len(parts) <= 1:
        return [(piece, offset)] if piece.strip() else []
    out = [parts[0]]
    for part, at in parts[1:]:
        prev, prev_at = out[-1]
        if looks_like_unit(prev) and looks_like_unit(part):
            out.append((part, at))
        else:
            out[-1] = (piece[prev_at - offset:at - offset + len(part)], prev_at)
    return out


_LEAD_MARK = re.compile(r"^\*+|[（(]\s*牵头\s*[）)]$")


def label_field(word: str) -> str | None:
    """The unit field a label names (lead, support, units), or None.

    The column table (``data/columns.csv``) decides; a label it does not list is read by its words: a
    ``…单位``/``…部门`` label with 牵头 leads, with 配合/协同/协助/参与 supports, with 责任/负责/实施 is units.

    >>> label_field("牵头单位"), label_field("协同责任单位"), label_field("牵头责任单位"), label_field("牵头负责领导")
    ('lead', 'support', 'lead', None)
    """
    field = columns().get(word)
    if field is not None:
        return field if field in ("lead", "support", "units") else None
    if not word.endswith(("单位", "部门", "机关")):
        return None
    if re.search("牵头|主办|主责", word):
        return "lead"
    if re.search("配合|协同|协助|参与|协办", word):
        return "support"
    if re.search("责任|负责|实施|承办", word):
        return "units"
    return None


def _label(clause: str) -> tuple[str | None, str, int]:
    """A leading label (牵头单位：) → (field, rest, offset of rest)."""
    m = re.match(r"^\s*([\u4e00-\u9fff]{2,8})\s*[:：]\s*", clause)
    if m:
        field = label_field(m.group(1))
        if field is not None:
            return field, clause[m.end():], m.end()
    return None, clause, 0


def _clauses(text: str) -> list[tuple[str, int]]:
    """Clauses of an expression: split at ``；``/``。``, and at ``，`` before a label (``，配合单位：``)."""
    out = []
    for clause, at in _split_at(text, "；;。"):
        depth = _depths(clause)
        start = 0
        for m in re.finditer(r"[，,]\s*([\u4e00-\u9fff]{2,8})\s*[:：]", clause):
            if depth[m.start()] == 0 and label_field(m.group(1)) is not None:
                out.append((clause[start:m.start()], at + start))
                start = m.start() + 1
        out.append((clause[start:], at + start))
    return out


def _groups(clause: str, offset: int) -> list[tuple[str, int, str | None]]:
    """Unit lists each closed by a role word: (list text, offset, kind of the role word or None)."""
    words = role_words()
    depth = _depths(clause)
    out, start, i = [], 0, 0
    while i < len(clause):
        if depth[i] == 0:
            for word, kind in words.items():
                if clause.startswith(word, i):
                    end = i + len(word)
                    rest = clause[end:].lstrip()
                    if not rest or rest[0] in "，,、；;。":
                        out.append((clause[start:i], offset + start, kind))
                        start = end + (len(clause[end:]) - len(rest)) + (1 if rest else 0)
                        i = start
                        break
            else:
                i += 1
                continue
            continue
        i += 1
    tail = clause[start:]
    if tail.strip(" ，,、；;。"):
        out.append((tail, offset + start, None))
    return out


def read_roles(text: str, first_listed_lead: bool = False, strict: bool = True) -> list[Named] | None:
    """Who does what in a responsibility expression; None when *text* is not one.

    *first_listed_lead*: a document rule in force makes the first-listed unit lead where nothing else
    decides. *strict*: every name must read as a unit (for brackets inside running text); cells of a unit
    column and labelled lines are read with ``strict=False``.

    >>> def show(named): return [(n.name, n.role) for n in named]
    >>> show(read_roles("省发展改革委牵头，省经信厅、省科技厅按职责分工负责"))
    [('省发展改革委', 'lead'), ('省经信厅', 'support'), ('省科技厅', 'support')]
    >>> show(read_roles("牵头单位：省数据局；配合单位：省数据集团（筹）、各中试基地"))
    [('省数据局', 'lead'), ('省数据集团（筹）', 'support'), ('各中试基地', 'support')]
    >>> show(read_roles("责任单位：市科委、市经济信息化委"))
    [('市科委', 'responsible'), ('市经济信息化委', 'responsible')]
    >>> show(read_roles("人力资源社会保障部、财政部负责", first_listed_lead=True))
    [('人力资源社会保障部', 'lead'), ('财政部', 'support')]
    >>> show(read_roles("市经信局牵头，相关部门参与"))
    [('市经信局', 'lead'), ('相关部门', 'support')]
    >>> show(read_roles("牵头单位：市委组织部，配合单位：市人力资源社会保障局、各区"))
    [('市委组织部', 'lead'), ('市人力资源社会保障局', 'support'), ('各区', 'support')]
    >>> read_roles("以下简称“中试基地”") is None, read_roles("含技工院校") is None
    (True, True)
    >>> show(read_roles("责任单位：市发改委、*")), read_roles("牵头单位：*")
    ([('市发改委', 'responsible')], None)
    """
    text = FIRST_LISTED_LEAD.sub("", text)
    groups: list[tuple[list[tuple[str, int]], str]] = []  # (names, role kind)
    for clause, at in _clauses(text):
        if not clause.strip():
            continue
        field, rest, skip = _label(clause)
        label_kind = {"lead": "lead", "support": "secondary-label", "units": "main"}.get(field) if field else None
        found = []
        for names_text, n_at, kind in _groups(rest, at + skip):
            # a lead mark with no name (``牵头单位：*``, ``A、*``) names nobody
            names = [(n, n_at) for n, n_at in split_names(names_text, n_at) if _LEAD_MARK.sub("", n).strip()]
            if names:
                found.append((names, kind or label_kind or "none"))
        if found and not label_kind and all(k == "none" for _, k in found) and groups and not all(
                looks_like_unit(n) for names, _ in found for n, _ in names):
            continue  # a remark after the units (以下均需…落实，不再列出), not a unit list
        groups += found
    if not groups:
        return None
    named: list[Named] = []
    kinds = [k for _, k in groups]
    has_lead = "lead" in kinds
    main_then_secondary = (not has_lead and kinds[0] in ("main", "none") and len(groups) > 1
                           and any(k in ("secondary", "secondary-label") for k in kinds[1:]))
    marked = any(_LEAD_MARK.search(n) for names, _ in groups for n, _ in names)
    for g, (names, kind) in enumerate(groups):
        for name, at in names:
            mark = _LEAD_MARK.search(name)
            clean = _LEAD_MARK.sub("", name).strip()
            if has_lead or marked:
                role = "lead" if (kind == "lead" or mark) else "support"
            elif main_then_secondary:
                role = "lead" if g == 0 else "support"
            elif kind == "secondary-label":
                role = "support"
            else:
                role = "responsible"
            named.append(Named(clean, role, at))
    bare = all(kind == "none" for _, kind in groups)  # no role word, no label: only the names say it
    if strict and bare and not all(looks_like_unit(n.name) for n in named):
        return None
    if strict and not bare and not any(looks_like_unit(n.name) for n in named):
        return None
    if first_listed_lead and not (has_lead or marked or main_then_secondary):
        named = [Named(n.name, "lead" if i == 0 else "support", n.offset) if n.role == "responsible" else n
                 for i, n in enumerate(named)]
    return named


def find_rules(lines: list[str]) -> list[tuple[int, str]]:
    """Document rules that make the first-listed unit lead: (line number, the rule as written).

    >>> find_rules(["（财政部负责。列第一位者为牵头单位，下同）", "其他"])
    [(1, '列第一位者为牵头单位，下同')]
    """
    out = []
    for i, line in enumerate(lines, 1):
        m = FIRST_LISTED_LEAD.search(squeeze(line))
        if m:
            out.append((i, m.group(0).lstrip("，,。；; ")))
    return out
