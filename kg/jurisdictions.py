"""Jurisdictions: which place a document (and so its unit names) belongs to.

Two tables users extend (``data/``): ``places.csv`` lists the jurisdictions — id, names, level, the parent, the
gazetteer of its units (``data/gazetteers/…``) where there is one — and ``jurisdictions.csv`` maps the prefixes
that give a document's place away: of its issuer (国务院, 上海市…, 浙江省…), of its document number (国发, 国办发,
沪府办发, 浙政发, 温政办, 穗卫函…) or of its title (湖州市人工智能…). A document names units of its own place and of
the places above it (a city's document names the province's 省发展改革委 and the State Council's ministries), so a
name is looked up in the gazetteers of the place and its ancestors, in that order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .errors import InputError
from .resources import resource

__all__ = ["Place", "places", "place", "place_of", "ancestors", "full_name"]


@dataclass(frozen=True)
class Place:
    """A jurisdiction: 中华人民共和国 (cn), 浙江省 (zj), 温州市 (wz)…"""

    id: str
    name_zh: str
    name_en: str
    level: str  # national, provincial, municipal
    parent: str | None
    gazetteer: str | None  # path under data/, e.g. gazetteers/wenzhou.csv


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """Every jurisdiction of ``data/places.csv``, by id.

    >>> places()["wz"].name_zh, places()["wz"].parent, places()["cn"].level
    ('温州市', 'zj', 'national')
    """
    path = resource("data/places.csv")
    out: dict[str, Place] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["id"]] = Place(row["id"], row["name_zh"], row["name_en"], row["level"], row["parent"] or None,
                                   row["gazetteer"] or None)
    for p in out.values():
        if p.parent and p.parent not in out:
            raise InputError(f"place {p.id}: parent {p.parent!r} is not a place of the table", path)
    return out


def place(place_id: str) -> Place:
    """The place with this id; an unknown id is an :class:`InputError` naming the known ones."""
    try:
        return places()[place_id]
    except KeyError:
        raise InputError(f"unknown jurisdiction {place_id!r} (one of {', '.join(places())}; "
                         "add it to data/places.csv)") from None


@lru_cache(maxsize=1)
def _prefixes() -> tuple[tuple[str, str], ...]:
    with open(resource("data/jurisdictions.csv"), encoding="utf-8", newline="") as fh:
        rows = [(r["prefix"], r["place"]) for r in csv.DictReader(fh) if r.get("place")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def place_of(number: str = "", issuer: str = "", letterhead: str = "", title: str = "") -> tuple[Place, str] | None:
    """The place a document belongs to, and what told it (number, issuer, letterhead or title); None if nothing does.

    >>> [(p.id, how) for p, how in [place_of(number="国办发〔2018〕126号"), place_of(issuer="上海市人民政府办公厅"),
    ...                              place_of(title="湖州市人工智能创新发展工作方案")]]
    [('cn', 'number'), ('sh', 'issuer'), ('hz', 'title')]
    """
    for how, text in (("number", number), ("issuer", issuer), ("letterhead", letterhead), ("title", title)):
        if not text:
            continue
        for prefix, place_id in _prefixes():
            if text.startswith(prefix):
                return places()[place_id], how
    return None


def ancestors(p: Place) -> list[Place]:
    """The place and those above it, nearest first.

    >>> [a.id for a in ancestors(places()["wz"])]
    ['wz', 'zj', 'cn']
    """
    out = [p]
    while out[-1].parent:
        out.append(places()[out[-1].parent])
    return out


def full_name(name: str, p: Place) -> str:
    """A unit's full name where the document writes it short: 市财政局 in a Guangzhou document is 广州市财政局.

    >>> full_name("市财政局", places()["gz"]), full_name("省数据局", places()["hz"]), full_name("科技部", places()["cn"])
    ('广州市财政局', '浙江省数据局', '科技部')
    """
    for a in ancestors(p):
        if name.startswith("市") and a.name_zh.endswith("市") and len(name) > 1:
            return a.name_zh + name[1:]
        if name.startswith("省") and a.name_zh.endswith("省") and len(name) > 1:
            return a.name_zh + name[1:]
    return name
