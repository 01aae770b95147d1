"""Gazetteers of responsible units (``data/gazetteers/<jurisdiction>.csv``) and the reading of a units cell.

One gazetteer per jurisdiction (``data/places.csv`` names each one's file): the State Council's ministries,
Zhejiang's provincial departments, Wenzhou's municipal units. :class:`Gazetteers` gives a document the gazetteers
of its jurisdiction and of the places above it, nearest first, after any the user gives (``--gazetteer FILE``).

A units cell lists unit names separated by spaces, a ``*`` before each lead unit, sometimes
with an alias in brackets (``市委组织部 (市人才办)``) — but the PDF conversion also puts spaces
*inside* names (``市自然资源和 规划局``). So the cell is read by segmenting the text, spaces
removed, into known names; anything the gazetteer does not know is an error.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import InputError
from .normalize import fullwidth_brackets, strip_markup

CLASSIFICATIONS = {
    "municipal-department": ("MunicipalDepartment", "市政府工作部门", "municipal government department"),
    "party-department": ("PartyCommitteeDepartment", "党委工作部门", "party committee department"),
    "court-procuratorate": ("CourtOrProcuratorate", "法院或检察院", "court or procuratorate"),
    "central-branch": ("CentralGovernmentBranch", "中央驻地方单位", "central-government branch office"),
    "state-owned-enterprise": ("StateOwnedEnterprise", "国有企业", "state-owned enterprise"),
    "mass-organisation": ("MassOrganisation", "群团组织", "mass organisation"),
    "district-county-government": ("DistrictCountyGovernment", "县（市、区）政府", "district or county government"),
    "public-institution": ("PublicInstitution", "事业单位", "public institution"),
    "state-council-department": ("StateCouncilDepartment", "国务院组成部门", "State Council department"),
    "state-council-agency": ("StateCouncilAgency", "国务院直属机构或办事机构", "State Council agency or office"),
    "national-administration": ("NationalAdministration", "部委管理的国家局", "national administration"),
    "provincial-department": ("ProvincialDepartment", "省政府工作部门", "provincial government department"),
}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_GAZETTEER = "data/gazetteers/wenzhou.csv"  # the embedded default document's


ROLES = ("lead", "support", "responsible")  # responsible: jointly responsible, no lead stated or decided


@dataclass(frozen=True)
class Unit:
    """One organisation: from a gazetteer, or (``known=False``) named by a document that no gazetteer knows."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    classification: str
    known: bool = True  # False: in no gazetteer; labelled as written (or its full name), not classified
    collective: bool = False  # a set of units named as one: 各省级人民政府, 有关部门
    place: str | None = None  # the jurisdiction it belongs to (data/places.csv); None: only the document knows


@dataclass(frozen=True)
class UnitMention:
    """A unit as one item mentions it, with its role."""

    unit: Unit
    role: str  # one of ROLES
    written: str  # the source's text for the name, as written (spaces included, '*' and alias apart)
    alias: str | None = None  # a bracketed alias written after the name

    @property
    def lead(self) -> bool:
        return self.role == "lead"


class Gazetteer:
    """Known units, looked up by name or alias (brackets and spaces do not matter).

    >>> g = Gazetteer.load()
    >>> g.lookup("市发改委").id
    'wz-drc'
    >>> [(m.unit.id, m.lead, m.alias) for m in g.segment("*市人力社保局 市委组织部 (市人才办)", "f.txt", 1)]
    [('wz-hrss', True, None), ('wz-organisation-dept', False, '市人才办')]
    """

    def __init__(self, units: list[Unit], path: Path | None = None, place: str | None = None):
        self.units = units
        self.path = path
        self.place = place
        self._by_key: dict[str, Unit] = {}
        for unit in units:
            for name in (unit.name_zh, *unit.aliases):
                key = _key(name)
                other = self._by_key.get(key)
                if other is not None and other.id != unit.id:
                    raise InputError(f"name {name!r} belongs to both {other.id} and {unit.id}", path)
                self._by_key[key] = unit

    @classmethod
    def load(cls, path: str | Path | None = None, place: str | None = None) -> "Gazetteer":
        """Read a gazetteer CSV (default: Wenzhou's, the embedded document's); *place* is its jurisdiction."""
        from .resources import resource

        path = Path(path) if path else resource(DEFAULT_GAZETTEER)
        units: list[Unit] = []
        seen: set[str] = set()
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                expected = ["id", "name_zh", "name_en", "aliases", "classification"]
                if reader.fieldnames != expected:
                    raise InputError(f"gazetteer header must be {','.join(expected)}", path, 1)
                for row in reader:
                    line = reader.line_num
                    if None in row or any(row[k] is None for k in expected):
                        raise InputError("gazetteer row does not have 5 columns", path, line)
                    uid = row["id"].strip()
                    if not _ID.match(uid):
                        raise InputError(f"unit id {uid!r} is not lower-case ASCII words joined by '-'", path, line)
                    if uid in seen:
                        raise InputError(f"unit id {uid!r} appears twice", path, line)
                    if row["classification"] not in CLASSIFICATIONS:
                        raise InputError(
                            f"unknown classification {row['classification']!r} "
                            f"(one of {', '.join(CLASSIFICATIONS)})", path, line)
                    if not row["name_zh"].strip() or not row["name_en"].strip():
                        raise InputError(f"unit {uid} needs a Chinese and an English name", path, line)
                    seen.add(uid)
                    aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
                    units.append(Unit(uid, row["name_zh"].strip(), row["name_en"].strip(), aliases,
                                      row["classification"], place=place))
        except FileNotFoundError:
            raise InputError("gazetteer not found", path) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"gazetteer is not valid UTF-8 ({exc.reason})", path) from None
        return cls(units, path, place)

    def lookup(self, name: str) -> Unit | None:
        """The unit with this name or alias, or None."""
        return self._by_key.get(_key(name))

    @cached_property
    def by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @cached_property
    def _max_len(self) -> int:
        return max(len(k) for k in self._by_key)

    def segment(self, cell: str, path: str | Path, line: int, unknown=None) -> list[UnitMention]:
        """Read a units cell into mentions (``*`` before each lead).

        A name the gazetteer does not know is an :class:`InputError`, unless *unknown* is given: a function
        from the text between known names (as written) to the units it names, which are then mentioned.
        """
        raw = strip_markup(cell)
        # compact text (no whitespace, full-width brackets) and each character's index in raw
        chars, index = [], []
        for i, ch in enumerate(raw):
            if not ch.isspace():
                chars.append(fullwidth_brackets(ch))
                index.append(i)
        text = "".join(chars)
        n = len(text)
        # best[i] = lowest cost of mentions covering text[:i]; back[i] = (start, name start, end, unit, lead, alias)
        best: list[int | None] = [None] * (n + 1)
        back: list[tuple | None] = [None] * (n + 1)
        best[0] = 0
        for i in range(n):
            if best[i] is None:
                continue
            j = i
            lead = False
            while j < n and text[j] == "*":
                lead, j = True, j + 1
            for k in range(min(n, j + self._max_len), j, -1):
                unit = self._by_key.get(text[j:k])
                if unit is None:
                    continue
                for end, alias in self._alias_ends(text, k, unit):
                    if best[end] is None or best[i] + 1 < best[end]:
                        best[end] = best[i] + 1
                        back[end] = (i, j, k, unit, lead, alias)
            if unknown is not None and j < n:  # an unknown name runs to where a known one (or '*') starts
                stop = next((s for s in range(j + 1, n) if self._starts_name(text, s)), n)
                cost = best[i] + 100 * (stop - j)  # per character: as little text as possible is unknown
                if best[stop] is None or cost < best[stop]:
                    best[stop] = cost
                    back[stop] = (i, j, stop, None, lead, None)
        if best[n] is None or n == 0:
            reach = max(i for i in range(n + 1) if best[i] is not None)
            stop = next((s for s in range(reach + 1, n) if self._starts_name(text, s)), n)
            name = text[reach:stop].lstrip("*") or text
            raise InputError(f"unknown responsible unit {name!r} in {' '.join(raw.split())!r} "
                             f"(add it to the gazetteer {self.path or DEFAULT_GAZETTEER})", path, line)
        mentions: list[UnitMention] = []
        end = n
        while end > 0:
            start, name_start, name_end, unit, lead, alias = back[end]
            written = raw[index[name_start]:index[name_end - 1] + 1]
            role = "lead" if lead else "support"
            if unit is None:
                mentions += [UnitMention(u, role, w) for w, u in reversed(unknown(written))]
            else:
                mentions.append(UnitMention(unit, role, written, alias))
            end = start
        mentions.reverse()
        return mentions

    def _alias_ends(self, text: str, k: int, unit: Unit):
        yield k, None
        if k < len(text) and text[k] == "（":
            close = text.find("）", k)
            if close > k and self.lookup(text[k + 1:close]) == unit:
                yield close + 1, text[k + 1:close]

    def _starts_name(self, text: str, s: int) -> bool:
        if text[s] == "*":
            return True
        return any(text[s:k] in self._by_key for k in range(s + 1, min(len(text), s + self._max_len) + 1))


def _key(name: str) -> str:
    return fullwidth_brackets("".join(name.split()))


@lru_cache(maxsize=4096)
def unit_slug(name: str) -> str:
    """A readable, stable ASCII identifier for a unit name no gazetteer knows: its pinyin, words joined by '-'.

    >>> unit_slug("人力资源社会保障部"), unit_slug("省数据集团（筹）"), unit_slug("市“两个健康”办")
    ('ren-li-zi-yuan-she-hui-bao-zhang-bu', 'sheng-shu-ju-ji-tuan-chou', 'shi-liang-ge-jian-kang-ban')

    A name too long to be one (a cell run together) is cut, with a hash of the whole name to keep it apart:

    >>> slug = unit_slug("市" + "很" * 5000 + "局"); len(slug), slug[:12], slug[-9:]
    (120, 'shi-hen-hen-', '-7b601a16')
    """
    from pypinyin import lazy_pinyin  # imported late: only documents with units outside a gazetteer need it

    # every IRI of the unit repeats its slug, and pinyin takes time: a name of 300,000 characters took 50 s
    words = lazy_pinyin(name[:_SLUG_MAX], errors=lambda text: re.findall(r"[A-Za-z0-9]+", text))
    slug = "-".join(w.lower() for w in words if re.fullmatch(r"[A-Za-z0-9]+", w))
    if len(slug) > _SLUG_MAX or len(name) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX - 9].rstrip("-") + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return slug or "unit"


_SLUG_MAX = 120  # the longest real name seen, 国家药监局医疗器械技术审评检查长三角分中心, is 89


class Gazetteers:
    """Every jurisdiction's gazetteer (``data/places.csv``), loaded when a document first needs it, and a user's own.

    >>> gaz = Gazetteers()
    >>> from kg.jurisdictions import places
    >>> [g.place for g in gaz.for_place(places()["wz"])]
    ['wz', 'zj', 'cn']
    >>> gaz.lookup("人力资源社会保障部", places()["zj"]).id, gaz.lookup("市财政局", places()["sh"])
    ('cn-mohrss', None)
    """

    def __init__(self, extra: list[Gazetteer] | tuple = ()):
        self.extra = list(extra)  # the user's own: searched first, for every document
        self._loaded: dict[str, Gazetteer] = {}

    def of(self, place_id: str) -> Gazetteer | None:
        """The gazetteer of one jurisdiction, or None where it has none."""
        from .jurisdictions import places
        from .resources import resource

        place = places()[place_id]
        if not place.gazetteer:
            return None
        if place_id not in self._loaded:
            self._loaded[place_id] = Gazetteer.load(resource(f"data/{place.gazetteer}"), place_id)
        return self._loaded[place_id]

    def for_place(self, place) -> list[Gazetteer]:
        """The user's gazetteers, then those of *place* and the places above it (none but the user's for None)."""
        from .jurisdictions import ancestors

        found = [self.of(p.id) for p in ancestors(place)] if place is not None else []
        return self.extra + [g for g in found if g is not None]

    def lookup(self, name: str, place) -> Unit | None:
        return next((u for g in self.for_place(place) if (u := g.lookup(name)) is not None), None)
