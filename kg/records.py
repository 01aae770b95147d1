"""Typed records the parser produces: plain data, no RDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .indicators import Indicator
from .units import UnitMention


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
class KeyTask:
    number: int
    title: str
    area: int
    targets: tuple[Item, ...]
    measures: tuple[Item, ...]
    period: Period
    units: tuple[UnitMention, ...]
    contact: Contact
    lines: tuple[int, ...]

    @property
    def leads(self) -> tuple[UnitMention, ...]:
        return tuple(m for m in self.units if m.lead)

    @property
    def supports(self) -> tuple[UnitMention, ...]:
        return tuple(m for m in self.units if not m.lead)


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
    """Everything parsed from one source file."""

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
    tasks: tuple[KeyTask, ...] = ()
    cc: tuple[str, ...] = ()
    printed_by: str = ""
    print_date: dt.date | None = None
    adopted_measures: int = 0  # higher-level measures the text takes over in full (全面承接 … 32 条)
    citations: tuple[Citation, ...] = ()
    indicators: tuple[tuple[tuple, Indicator], ...] = ()  # (("target", task, n) or ("goal", year), indicator)
    notes: list[Note] = field(default_factory=list)

    @property
    def measure_count(self) -> int:
        return sum(len(t.measures) for t in self.tasks)

    @property
    def target_count(self) -> int:
        return sum(len(t.targets) for t in self.tasks)
