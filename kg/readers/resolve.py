"""Names as written → units: the gazetteer's where it applies, otherwise units labelled as written (open world).

A gazetteer applies to the documents of its own jurisdiction — for the shipped one, Wenzhou's: a document
whose issuer (or letterhead) is one of its units. Elsewhere its names are not used, so a Shanghai document's
市发展改革委 never becomes Wenzhou's. A name no applicable gazetteer knows becomes a unit of the document,
labelled exactly as written, with a data-quality note; ``strict`` refuses it instead.
"""

from __future__ import annotations

from ..records import PolicyDocument
from ..units import Gazetteer, Unit, UnitMention, unit_slug
from .base import Source
from .unitlist import is_collective

__all__ = ["UnitResolver", "gazetteer_applies"]


def gazetteer_applies(gazetteer: Gazetteer, doc: PolicyDocument, issuer: str) -> bool:
    """Does *gazetteer* cover *doc*'s jurisdiction? Yes when the issuer or letterhead is one of its units."""
    names = [issuer, doc.letterhead.removesuffix("文件")]
    return any(name and gazetteer.lookup(name) is not None for name in names)


class UnitResolver:
    """Resolves names for one document; remembers the units it made so each name is one unit."""

    def __init__(self, source: Source, gazetteer: Gazetteer | None, strict: bool = False):
        self.source = source
        self.gazetteer = gazetteer
        self.strict = strict
        self._unknown: dict[str, Unit] = {}
        self._slugs: dict[str, str] = {}

    def unknown(self, name: str, line: int) -> Unit:
        """The document's own unit for *name* (strict: an error)."""
        if self.strict:
            where = f"the gazetteer {self.gazetteer.path}" if self.gazetteer else "a gazetteer"
            raise self.source.error(f"unknown responsible unit {name!r} (--strict-units: add it to {where})", line)
        unit = self._unknown.get(name)
        if unit is None:
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
            self.source.note("unit-unknown", line, f"{kind} {name!r} is in no gazetteer that applies to this "
                                                   "document: kept as written")
        return unit

    def resolve(self, name: str, line: int) -> Unit:
        if self.gazetteer is not None:
            unit = self.gazetteer.lookup(name)
            if unit is not None:
                return unit
        return self.unknown(name, line)

    def mention(self, name: str, role: str, line: int) -> UnitMention:
        return UnitMention(self.resolve(name, line), role, name)

    def _unknown_span(self, raw: str, line: int) -> list[tuple[str, Unit]]:
        from ..normalize import squeeze
        from .unitlist import split_names

        names = [squeeze(n) for n, _ in split_names(raw)] or [squeeze(raw)]
        return [(n, self.unknown(n, line)) for n in names]

    def cell(self, text: str, line: int) -> list[UnitMention]:
        """A task list's units cell (``*`` before each lead): segmented against the gazetteer where it applies."""
        if self.gazetteer is not None:
            return self.gazetteer.segment(text, self.source.path, line,
                                          unknown=None if self.strict else lambda raw: self._unknown_span(raw, line))
        from ..normalize import clean
        from .unitlist import split_names

        out = []
        for name, _ in split_names(clean(text)):
            lead = name.startswith("*")
            name = name.lstrip("*")
            out.append(UnitMention(self.unknown(name, line), "lead" if lead else "support", name))
        return out
