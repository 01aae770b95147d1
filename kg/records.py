"""Typed records the readers produce: plain data, no RDF.

One model for every layout: a :class:`PolicyDocument` holds its front matter, its outline
(:class:`Section`), and its :class:`WorkItem` s — the numbered pieces of work that carry
responsibility, each with its units and their roles. Where a document has a full task list
(Wenzhou's: areas, targets, periods, contacts) its items carry those too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .indicators import Indicator
from .units import Unit, UnitMention


@dataclass(frozen=True)
class Note:
    """Something the data-quality report tells: a normalisation, a disagreement, an oddity."""

    kind: str  # see quality.KINDS
    line: int
    message: str


@dataclass(frozen=True)
class Item:
    """A numbered target or measure of a key task (number 1 for an unnumbered single item)."""

    number: int
    text: str
    line: int
    numbered: bool = True


@dataclass(frozen=True)
class Period:
    """An implementation period: ``2023-2027年``, ``2023年`` or ``长期实施`` (long term)."""

    label: str
    start: int | None
    end: int | None
    long_term: bool = False

    @property
    def slug(self) -> str:
        """ASCII identifier: ``2023-2027``, ``2023``, ``long-term``."""
        if self.long_term:
            return "long-term"
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # as written, e.g. 0577-88026991 or 18066280783
    line: int

    @property
    def tel_uri(self) -> str:
        """RFC 3966 global number: ``tel:+86-577-88026991``, ``tel:+86-180-6628-0783``."""
        digits = self.phone.replace("-", "")
        if len(digits) == 11 and digits.startswith("1"):
            return f"tel:+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        area, _, local = self.phone.partition("-")
        return f"tel:+86-{area.lstrip('0')}-{local}"


@dataclass(frozen=True)
class PolicyArea:
    number: int
    name: str
    text: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of the main text: an organisational guarantee."""

    number: int
    title: str
    text: str
    line: int


@dataclass(frozen=True)
class Goal:
    """An overall goal of the main text (the 2023 goals, the 2025 goals)."""

    year: int
    text: str
    line: int


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (``2026 年 8 月底前``, ``2027年底``, ``持续推进``), with its date or year where it has one."""

    written: str
    date: dt.date | None = None  # the last day it allows: 2026年8月底前 -> 2026-08-31
    year: int | None = None


@dataclass(frozen=True)
class Section:
    """A numbered part of the outline (``一、``, ``（一）``, ``1.``, ``（1）``) that is not itself an item."""

    key: tuple[int, ...]  # the numbers from the top: 三/（一） -> (3, 1)
    path: tuple[str, ...]  # the labels as written: ("三", "（一）")
    title: str  # its heading phrase, or its first characters
    text: str  # its own text as written (not its children's)
    line: int


@dataclass(frozen=True)
class WorkItem:
    """A numbered piece of work that carries responsibility: a measure, or a key task grouping measures.

    *key* places it and names its IRI: ``("task", 7)`` for a key task of a task list, ``("part", 2, 3)``
    for an outline item (二/（三）), ``("table", 1, "row", 7)`` for row 7 of the document's first table.
    """

    key: tuple
    path: tuple[str, ...]  # number path as written: ("二", "（三）"), ("表", "7"), ("7",)
    number: int
    kind: str  # "key-task" or "measure"
    title: str  # its heading phrase (rdfs:label)
    text: str  # as written ("" where the item is only a title and its measures)
    units: tuple[UnitMention, ...]
    lines: tuple[int, ...]
    part: tuple | None = None  # the key of the Section (or table) it belongs to
    deadline: Deadline | None = None
    related: tuple[tuple, ...] = ()  # keys of the items it corresponds to (a table's 对应任务 column)
    # the task-list profile: present where the document's task list has these columns
    area: int | None = None
    targets: tuple[Item, ...] = ()
    measures: tuple[Item, ...] = ()
    period: Period | None = None
    contact: Contact | None = None

    @property
    def leads(self) -> tuple[UnitMention, ...]:
        return tuple(m for m in self.units if m.role == "lead")

    @property
    def supports(self) -> tuple[UnitMention, ...]:
        return tuple(m for m in self.units if m.role == "support")

    @property
    def responsible(self) -> tuple[UnitMention, ...]:
        return tuple(m for m in self.units if m.role == "responsible")


KeyTask = WorkItem  # the key tasks of a task list are work items of kind "key-task"


@dataclass(frozen=True)
class Table:
    """A task table of the document (other than a full task list): where it is and what it is called."""

    number: int  # 1 for the document's first table
    title: str
    line: int
    form: str  # tsv, markdown or html
    columns: tuple[str, ...]  # the header as written


@dataclass(frozen=True)
class Rule:
    """A document-level rule that decides roles, e.g. 列第一位者为牵头单位，下同 (first-listed unit is lead)."""

    kind: str  # first-listed-lead
    written: str
    line: int


@dataclass(frozen=True)
class ReferencedDocument:
    """A higher-level document the main text carries out, as written 《…》."""

    title: str
    line: int


@dataclass(frozen=True)
class Citation:
    """A document cited by a part of the text.

    *part* names the citing part: ("measure", task, n), ("target", task, n), ("preamble",),
    ("principle",), ("goal", year), ("area", n) or ("guarantee", n).
    """

    part: tuple
    title: str | None
    number: str | None
    kind: str  # applies, produces, mentions
    verb: str | None
    line: int


@dataclass
class PolicyDocument:
    """Everything read from one source file."""

    source: str
    name: str  # file name without extension, e.g. wenzhou-2023-82
    doc_number: str = ""
    doc_number_line: int = 0
    letterhead: str = ""
    notice_title: str = ""
    addressees: tuple[str, ...] = ()
    notice_body: str = ""
    issuer: UnitMention | None = None
    date: dt.date | None = None
    release_statement: str = ""
    title: str = ""  # the main text's title
    label: str = ""  # what to call a document with no title found: its first line
    jurisdiction: str = ""  # an id of data/places.csv: cn, zj, wz…; "" where nothing tells
    jurisdiction_from: str = ""  # what told it: number, issuer, letterhead, title or option
    status: str = ""  # a draft's status as written: 送审稿, 征求意见稿
    title_line: int = 0
    preamble: str = ""
    preamble_line: int = 0
    implements: tuple[ReferencedDocument, ...] = ()
    principle: str = ""
    principle_line: int = 0
    goals: tuple[Goal, ...] = ()
    areas_intro: str = ""
    areas: tuple[PolicyArea, ...] = ()
    guarantees: tuple[Paragraph, ...] = ()
    attachment_title: str = ""
    task_list_title: str = ""
    declared_measures: int = 0
    items: tuple[WorkItem, ...] = ()  # every item, in document order (a task list's key tasks included)
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    rules: tuple[Rule, ...] = ()
    layouts: tuple[str, ...] = ()  # the readers that found items, in registry order
    profiles: tuple[str, ...] = ()  # shape profiles the document meets beyond the core (task-list)
    cc: tuple[str, ...] = ()
    printed_by: str = ""
    print_date: dt.date | None = None
    adopted_measures: int = 0  # higher-level measures the text takes over in full (全面承接 … 32 条)
    citations: tuple[Citation, ...] = ()
    indicators: tuple[tuple[tuple, Indicator], ...] = ()  # (("target", task, n) or ("goal", year), indicator)
    notes: list[Note] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        """The source's file name as it is: ``wenzhou-2023-82.txt``, ``plan.md``.

        >>> PolicyDocument("in/plan.md", "plan").file_name
        'plan.md'
        """
        return Path(self.source).name

    @property
    def tasks(self) -> tuple[WorkItem, ...]:
        """The key tasks of the task list (Wenzhou's layout); empty for documents without one."""
        return tuple(i for i in self.items if i.kind == "key-task")

    @property
    def units(self) -> dict[str, "Unit"]:
        """Every unit named by an item, by id, in order of first mention."""
        out: dict = {}
        for item in self.items:
            for m in item.units:
                out.setdefault(m.unit.id, m.unit)
        return out

    @property
    def unknown_units(self) -> list["Unit"]:
        """The units no gazetteer of the document's jurisdiction knows, collective ones (各省级人民政府) aside."""
        return [u for u in self.units.values() if not u.known and not u.collective]

    def jurisdiction_text(self) -> str:
        """The jurisdiction and what told it, e.g. ``cn (from its document number)``; ``unknown`` where nothing did."""
        how = {"number": "from its document number", "issuer": "from its issuer", "letterhead": "from its letterhead",
               "title": "from its title", "option": "given with --jurisdiction"}
        return f"{self.jurisdiction} ({how[self.jurisdiction_from]})" if self.jurisdiction else "unknown"

    def units_text(self) -> str:
        """How many units the items name, how many are collective and how many no gazetteer knows.

        >>> PolicyDocument("x", "x").units_text()
        '0 units'
        """
        units = self.units.values()
        parts = [f"{n} collective" for n in [sum(u.collective for u in units)] if n]
        parts += [f"{n} in no gazetteer" for n in [len(self.unknown_units)] if n]
        return f"{len(units)} units" + (f" ({', '.join(parts)})" if parts else "")

    @property
    def measure_count(self) -> int:
        return sum(len(t.measures) for t in self.tasks)

    @property
    def target_count(self) -> int:
        return sum(len(t.targets) for t in self.tasks)
