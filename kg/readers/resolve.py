"""Names as written → units, resolved in the document's jurisdiction.

The gazetteers of the document's jurisdiction and of the places above it are searched, nearest first (after any
the user gives): ``市财政局`` in a Wenzhou document is Wenzhou's finance bureau, ``省发展改革委`` there is Zhejiang's,
``人力资源社会保障部`` anywhere is the ministry. A gazetteer of another place is never used, so Shanghai's
``市发展改革委`` never becomes Wenzhou's.

A name no gazetteer knows is kept as written (open world) with a data-quality note; ``strict`` refuses it
instead. Such a unit belongs to the place its name says (``省数据局`` in a Huzhou document is Zhejiang's, ``市科委`` in
a Shanghai document Shanghai's) or else to the document's place: it is then one unit in every document of that place
(``org/sh-shi-ke-wei``), labelled with its full name (上海市科委) and the name as written as ``skos:altLabel``. A
document whose place is unknown keeps such units to itself (``doc/<name>/org/<pinyin>``).
"""

from __future__ import annotations

from ..jurisdictions import Place, ancestors, full_name
from ..units import Gazetteer, Unit, UnitMention, unit_slug
from .base import Source
from .unitlist import is_collective

__all__ = ["UnitResolver"]


def _owner(name: str, place: Place) -> tuple[Place, str]:
    """The place a name no gazetteer knows belongs to, and its short form there (上海市科委 → 上海市, 市科委)."""
    full = full_name(name, place)
    for a in ancestors(place):
        if full.startswith(a.name_zh) and len(full) > len(a.name_zh):
            return a, a.name_zh[-1] + full[len(a.name_zh):]
    return place, name


class UnitResolver:
    """Resolves names for one document; remembers the units it made so each name is one unit."""

    def __init__(self, source: Source, gazetteers: list[Gazetteer], place: Place | None = None, strict: bool = False):
        self.source = source
        self.gazetteers = gazetteers
        self.place = place
        self.strict = strict
        self._unknown: dict[str, Unit] = {}
        self._slugs: dict[str, str] = {}

    def unknown(self, name: str, line: int) -> Unit:
        """The unit for a name no gazetteer knows (strict: an error)."""
        if self.strict:
            where = f"the gazetteer {self.gazetteers[0].path}" if self.gazetteers else "a gazetteer"
            raise self.source.error(f"unknown responsible unit {name!r} (--strict-units: add it to {where})", line)
        unit = self._unknown.get(name)
        if unit is not None:
            return unit
        if self.place is not None:
            owner, short = _owner(name, self.place)
            unit = Unit(f"{owner.id}-{unit_slug(short)}", full_name(name, self.place), "", (), "", known=False,
                        collective=is_collective(name), place=owner.id)
        else:
            slug = unit_slug(name)
            if slug in self._slugs and self._slugs[slug] != name:
                k = 2
                while f"{slug}-{k}" in self._slugs:
                    k += 1
                slug = f"{slug}-{k}"
            self._slugs[slug] = name
            unit = Unit(slug, name, "", (), "", known=False, collective=is_collective(name))
        self._unknown[name] = unit
        kind = "collective unit" if unit.collective else "unit"
        where = f" (read as {unit.name_zh})" if unit.name_zh != name else ""
        self.source.note("unit-unknown", line, f"{kind} {name!r} is in no gazetteer that applies to this "
                                               f"document: kept as written{where}")
        return unit

    def lookup(self, name: str) -> Unit | None:
        return next((u for g in self.gazetteers if (u := g.lookup(name)) is not None), None)

    def resolve(self, name: str, line: int) -> Unit:
        return self.lookup(name) or self.unknown(name, line)

    def mention(self, name: str, role: str, line: int) -> UnitMention:
        return UnitMention(self.resolve(name, line), role, name)

    def _unknown_span(self, raw: str, line: int) -> list[tuple[str, Unit]]:
        from ..normalize import squeeze
        from .unitlist import split_names

        names = [squeeze(n) for n, _ in split_names(raw)] or [squeeze(raw)]
        return [(n, self.resolve(n, line)) for n in names]  # another gazetteer of the chain may know it

    def cell(self, text: str, line: int) -> list[UnitMention]:
        """A task list's units cell (``*`` before each lead), segmented against the nearest gazetteer."""
        if self.gazetteers:
            return self.gazetteers[0].segment(
                text, self.source.path, line,
                unknown=None if self.strict else lambda raw: self._unknown_span(raw, line))
        from ..normalize import clean
        from .unitlist import split_names

        out = []
        for name, _ in split_names(clean(text)):
            lead = name.startswith("*")
            name = name.lstrip("*")
            out.append(UnitMention(self.resolve(name, line), "lead" if lead else "support", name))
        return out
