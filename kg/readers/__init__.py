"""Readers: source text → one document model, whatever the layout.

``READERS`` is the one registry of layouts, in the order they are tried; each name maps to the module that
reads it (imported when used). A document may mix layouts — a body with a bracket after each measure and an
attached task table — so every reader whose ``detect`` is true reads the blocks it finds and leaves the rest
to the readers after it, as Python-Markdown's block processors do. ``--layout`` names the only one to use.

========== ================================ ===================================================================
name       module                           reads
========== ================================ ===================================================================
task-list  ``kg.readers.task_list``         a full task list (Wenzhou's): areas, targets, measures, contacts
task-table ``kg.readers.task_table``        tables found by their column names (TSV, Markdown, HTML)
brackets   ``kg.readers.brackets``          a bracket after each item: （A、B负责） （责任单位：A）
unit-lines ``kg.readers.unit_lines``        牵头单位：… lines after a task; 由A牵头
========== ================================ ===================================================================

A new layout is a module with ``NAME``, ``DESCRIPTION``, ``detect(ctx)`` and ``read(ctx)``
(:mod:`kg.readers.base`) and one line here.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
from pathlib import Path

from ..citations import find_citations
from ..errors import InputError
from ..indicators import find_indicators
from ..normalize import spaces_removed, squeeze, strip_markup
from ..records import Citation, Goal, Note, PolicyDocument, ReferencedDocument, Rule, Section
from ..jurisdictions import place, place_of
from ..units import Gazetteer, Gazetteers, UnitMention
from .base import Context, Source, read_lines
from .frontmatter import TITLE_REF, read_front_matter
from .outline import first_chars, read_outline
from .resolve import UnitResolver
from .text import read_text
from .unitlist import find_rules

__all__ = ["READERS", "read_document", "read_lines", "layouts", "reader"]

READERS = {
    "task-list": "kg.readers.task_list",
    "task-table": "kg.readers.task_table",
    "brackets": "kg.readers.brackets",
    "unit-lines": "kg.readers.unit_lines",
}

_GOAL = re.compile(r"^(?:[^。，,]{0,12}[。：:])?(?:到|至)?(\d{4})年(?:底|末)?[，,]")


def reader(name: str):
    """The module that reads layout *name*."""
    return importlib.import_module(READERS[name])


def layouts() -> dict[str, str]:
    """Layout name → one-line description, in registry order.

    >>> list(layouts())
    ['task-list', 'task-table', 'brackets', 'unit-lines']
    """
    return {name: reader(name).DESCRIPTION for name in READERS}


def _with_text(ctx: Context, item):
    """*item*, with its title as its text where the text is too short to be one (a cell of one character, a
    heading cut at 牵头单位：); None where the title is too: a measure is text (the shapes want two characters)."""
    if item.kind != "measure" or len(item.text.strip()) >= 2:
        return item
    where = "/".join(item.path)
    if len(item.title.strip()) >= 2:
        ctx.note("unusual", item.lines[0], f"item {where}: text {item.text!r} too short to be one: its title "
                                           f"{first_chars(item.title, 20)!r} is its text")
        return dataclasses.replace(item, text=item.title)
    ctx.note("unusual", item.lines[0], f"item {where} has no text ({item.text!r}, title {item.title!r}): not an item")
    return None


_PROVENANCE = re.compile(r"^# [^\s:：]{1,12}[:：]")  # "# 来源: …", "# source: …"


def _set_aside_provenance(source: Source) -> None:
    """A block of ``# key: value`` lines opening the file and ended by a blank line is what a converter wrote about
    the text (title, number, where it came from), not the document: its lines are blanked (numbers kept) and noted.

    >>> s = Source(Path("x.txt"), ["# 标题: 甲", "# 来源: 乙", "  说明续行", "", "正文"])
    >>> _set_aside_provenance(s); s.lines, [n.message for n in s.notes]
    (['', '', '', '', '正文'], ["lines 1-3: '# 标题: 甲' … (a converter's provenance): not read as the document"])
    """
    lines = source.lines
    if not lines or not _PROVENANCE.match(lines[0]):
        return
    end = next((i for i, line in enumerate(lines) if not line.strip()), None)
    if end is None or not all(_PROVENANCE.match(line) or not line.startswith("#") for line in lines[:end]):
        return
    if sum(1 for line in lines[:end] if _PROVENANCE.match(line)) < 2:  # one line may be the document's own
        return
    source.note("provenance", 1, f"lines 1-{end}: {lines[0][:40]!r} … (a converter's provenance): not read as "
                                 "the document")
    source.lines = [""] * end + lines[end:]


def _check_name(path: Path) -> None:
    """Refuse a file name that is not UTF-8 (bytes Linux keeps as surrogates): it names the outputs and IRIs.

    >>> _check_name(Path(os.fsdecode("温州.txt".encode("gbk"))))
    Traceback (most recent call last):
    kg.errors.InputError: ...: the file name is not valid UTF-8 (it looks like GBK: 温州.txt); rename the file
    """
    if path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace") == path.name:
        return
    raw = os.fsencode(path.name)
    try:
        hint = f" (it looks like GBK: {raw.decode('gb18030')})"
    except UnicodeDecodeError:
        hint = ""
    raise InputError(f"the file name is not valid UTF-8{hint}; rename the file", path)


def read_document(path: str | Path, gazetteer: Gazetteers | Gazetteer | None = None, layout: str | None = None,
                  strict_units: bool = False, jurisdiction: str | None = None) -> PolicyDocument:
    """Read one source file into a :class:`~kg.records.PolicyDocument`.

    Parameters
    ----------
    path : str or Path
        A UTF-8 text file: the document's text (a PDF or web page converted to text).
    gazetteer : Gazetteers or Gazetteer, optional
        Known units: by default every jurisdiction's gazetteer (``data/places.csv``), used for documents of that
        jurisdiction and the places below it. A single :class:`Gazetteer` is searched first for this document.
    layout : str, optional
        The one layout to read (a name of ``READERS``); by default every layout the document has.
    strict_units : bool
        Refuse names no gazetteer knows instead of keeping them as written.
    jurisdiction : str, optional
        The document's jurisdiction (an id of ``data/places.csv``) where its number, issuer, letterhead or title do
        not tell (where they do, they win: in a corpus one option serves the documents that need it).

    Returns
    -------
    PolicyDocument

    Raises
    ------
    InputError
        Unreadable input, or a document in which no item names a responsible unit (with file and line).

    Examples
    --------
    >>> doc = read_document("data/wenzhou-2023-82.txt")
    >>> doc.doc_number, len(doc.tasks), doc.measure_count, doc.layouts, doc.jurisdiction
    ('温政办〔2023〕82号', 32, 195, ('task-list',), 'wz')
    """
    path = Path(path)
    if layout is not None and layout not in READERS:
        raise InputError(f"unknown layout {layout!r} (one of {', '.join(READERS)})")
    forced = place(jurisdiction) if jurisdiction else None
    source = Source(path, read_lines(path))
    _set_aside_provenance(source)
    _check_name(path)
    doc = PolicyDocument(source=str(path), name=path.stem)
    doc.notes = source.notes
    text = read_text(source.lines)
    for line, artefact in text.artefacts:
        source.note("not-modelled", line, f"crawler line {artefact[:40]!r}: not part of the document")
    ctx = Context(source, doc, text, None, None)
    ctx.front = read_front_matter(ctx, text.paragraphs)
    found_place = place_of(doc.doc_number, ctx.front.issuer, doc.letterhead.removesuffix("文件"),
                           doc.title or doc.notice_title) or ((forced, "option") if forced else None)
    if found_place:
        doc.jurisdiction, doc.jurisdiction_from = found_place[0].id, found_place[1]
    gazetteers = gazetteer if isinstance(gazetteer, Gazetteers) else Gazetteers([gazetteer] if gazetteer else [])
    where = found_place[0] if found_place else None
    ctx.units = UnitResolver(source, gazetteers.for_place(where), where, strict_units)
    if ctx.front.issuer:
        doc.issuer = UnitMention(ctx.units.resolve(ctx.front.issuer, ctx.front.issuer_line), "lead", ctx.front.issuer)
    ctx.outline = read_outline(ctx.front.body)
    for part in ctx.outline.repeated:
        source.note("unusual", part.line, f"{'/'.join(part.path)} is numbered like a part before it: kept as its "
                                          f"occurrence {part.occurrence} (…/part/{'/'.join(map(str, part.key))})")
    for line, written in find_rules(source.lines):
        ctx.rules.append(Rule("first-listed-lead", written, line))
        source.note("rule", line, f"first-listed unit is lead: stated at line {line} ({written})")
    doc.rules = tuple(ctx.rules)
    names = [layout] if layout else list(READERS)
    found = []
    for name in names:
        module = reader(name)
        if module.detect(ctx):
            before = len(ctx.items)
            module.read(ctx)
            ctx.items[before:] = [kept for item in ctx.items[before:] if (kept := _with_text(ctx, item))]
            if len(ctx.items) > before or name == "task-list":
                found.append(name)
                source.note("layout", ctx.items[before].lines[0] if len(ctx.items) > before else 1,
                            f"layout {name}: {len(ctx.items) - before} item(s)")
    doc.layouts = tuple(found)
    if not ctx.items:
        tried = layout or ", ".join(READERS)
        raise InputError(f"no item names a responsible unit (layouts tried: {tried}); a document of this kind "
                         "assigns numbered tasks or measures to units", path)
    doc.items = tuple(sorted((_distinct_units(ctx, i) for i in ctx.items), key=lambda i: i.lines[0]))
    if not (doc.title or doc.notice_title):
        first = next((p for p in text.paragraphs if first_chars(p.text, 40).strip()
                      and not re.match(r"^附(?:件)?\s*\d*\s*[：:]?$", p.text)), None)
        doc.label = first_chars(first.text, 40) if first else path.stem
        source.note("unusual", first.line if first else 1, f"no title found: the document is labelled "
                                                           f"{doc.label!r} (its first line)")
    if not ctx.main_text_modelled:
        _main_text(ctx)
    _citations(doc)
    _indicators(doc)
    _note_spaces(source)
    return doc


def _main_text(ctx: Context) -> None:
    """The preamble, goals and sections of a document whose main text no reader modelled itself."""
    doc = ctx.doc
    outline = ctx.outline
    if outline.preamble:
        first = outline.preamble[0]
        doc.preamble = "\n".join(p.text for p in outline.preamble)
        doc.preamble_line = first.line
        doc.implements = tuple(ReferencedDocument(squeeze(t), p.line) for p in outline.preamble
                               for t in TITLE_REF.findall(p.text) if re.search("贯彻|落实|根据|按照|依据", p.text))
    items = {i.key for i in doc.items}
    extra: dict[tuple, list[tuple[int, str]]] = {}
    for key, paras, path in ctx.leftover:
        extra.setdefault(key, []).extend(paras)
        for line, _ in paras:
            ctx.note("layout", line, f"paragraph after item {'/'.join(path)}: kept as text of "
                                     f"{'section ' + '/'.join(path[:-1]) if key else 'the main text'}")
    sections = list(doc.sections)
    goals: list[Goal] = []
    for part in outline.walk():
        if ("part", *part.key) in items:
            continue
        grouping = part.key in ctx.grouping
        own = [] if grouping else [(p.line, part.first if k == 0 else p.text) for k, p in enumerate(part.paragraphs)]
        own += extra.pop(("part", *part.key), [])
        kept = []
        for line, text in own:
            goal = _GOAL.match(text)
            if goal and "目标" in part.title:
                goals.append(Goal(int(goal.group(1)), text, line))
            else:
                kept.append((line, text))
        title = part.title
        body = [t for line, t in kept if not (line == part.line and t == title)]
        sections.append(Section(("part", *part.key), part.path, title or first_chars(part.first), "\n".join(body),
                                part.line))
    closing = extra.get(None, [])
    if closing:
        sections.append(Section(("closing",), (), "结语", "\n".join(t for _, t in closing), closing[0][0]))
    doc.sections = tuple(sections)
    doc.goals = tuple(goals)


def _distinct_units(ctx: Context, item):
    """An item names each unit once: a unit listed again (in the same or another role) keeps its first mention."""
    from dataclasses import replace

    seen: dict[str, str] = {}
    kept = []
    for m in item.units:
        if m.unit.id in seen:
            ctx.note("unusual", item.lines[-1], f"{'/'.join(item.path)}: {m.written} is listed again "
                                                f"({m.role} after {seen[m.unit.id]}): the first mention is kept")
            continue
        seen[m.unit.id] = m.role
        kept.append(m)
    return item if len(kept) == len(item.units) else replace(item, units=tuple(kept))



def _citations(doc: PolicyDocument) -> None:
    """Documents cited by the main text, the targets and the measures; the measures taken over in full."""
    own = (doc.title,)
    parts: list[tuple[tuple, str, int]] = [(("preamble",), doc.preamble, doc.preamble_line)]
    if doc.principle:
        parts.append((("principle",), doc.principle, doc.principle_line))
    parts += [(("goal", k), g.text, g.line) for k, g in enumerate(doc.goals)]
    parts += [(("area", a.number), a.text, a.line) for a in doc.areas]
    parts += [(("guarantee", g.number), g.text, g.line) for g in doc.guarantees]
    parts += [(("section", *s.key), s.text, s.line) for s in doc.sections if s.text]
    for item in doc.items:
        if item.kind == "key-task" and item.key[0] == "task":
            parts += [(("target", item.number, i.number), i.text, i.line) for i in item.targets]
            parts += [(("measure", item.number, i.number), i.text, i.line) for i in item.measures]
        else:
            parts.append((("item", *item.key), item.text, item.lines[-1]))
    doc.citations = tuple(Citation(part, c.title, c.number, c.kind, c.verb, line)
                          for part, text, line in parts if text for c in find_citations(text, own))
    adopted = re.search(r"全面承接.*?(\d+)\s*条", doc.principle)
    if adopted:
        count = int(adopted.group(1))
        if count == len(doc.tasks):
            doc.adopted_measures = count
        else:
            doc.notes.append(Note("unusual", doc.principle_line,
                                  f"the principle takes over {count} higher-level measures but the task list has "
                                  f"{len(doc.tasks)} key tasks: key tasks not linked to them"))



_TARGET_SENTENCE = re.compile(r"(?:^|(?<=[。；;]))\s*((?:到|至)\s*(\d{4})\s*年[^。；;]*)")


def target_sentences(text: str) -> list[tuple[str, int]]:
    """The sentences of an item that state what is due by a year (到2027年，打造300个以上…), with the year.

    >>> target_sentences("推进试点。到2027年，培育10个场景。加快推广。")
    [('到2027年，培育10个场景', 2027)]
    """
    return [(m.group(1), int(m.group(2))) for m in _TARGET_SENTENCE.finditer(text)]


def _indicators(doc: PolicyDocument) -> None:
    """The measurable promises of the overall goals, every target, and an item's 到YYYY年… sentences."""
    found = [(("goal", k), i) for k, g in enumerate(doc.goals) for i in find_indicators(g.text, g.year)]
    for item in doc.items:
        part = ("target", item.number) if item.key[0] == "task" else ("item", *item.key, "target")
        found += [((*part, t.number), i) for t in item.targets for i in find_indicators(t.text)]
        if item.key[0] != "task":
            found += [(("item", *item.key), i) for sentence, year in target_sentences(item.text)
                      for i in find_indicators(sentence, year)]
    doc.indicators = tuple(found)


def _note_spaces(source: Source) -> None:
    for i, raw in enumerate(source.lines):
        if raw.lstrip().startswith("|"):  # a Markdown table: the padding around each cell is not text
            count = sum(spaces_removed(strip_markup(cell).strip()) for cell in raw.split("|"))
            if count:
                source.note("spaces", i + 1, f"{count} space(s) inside Chinese text removed")
        elif "\t" in raw or raw.startswith("#") or raw.strip():
            count = spaces_removed(strip_markup(raw))
            if count:
                source.note("spaces", i + 1, f"{count} space(s) inside Chinese text removed")
