"""What a table cell holds: numbered items (``1. … 2. …``), an implementation period, a contact, a deadline.

Each is read the same in a full task list and in any task table.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..normalize import clean, squeeze, strip_markup
from ..records import Contact, Deadline, Item, Period

__all__ = ["numbered_items", "parse_period", "parse_contact", "parse_deadline"]

_FIRST_ITEM = re.compile(r"^\s*(\d{1,3})\s*[.．](?:\s+|(?=\D))")
_NEXT_ITEM = re.compile(r"(?:(?<=\s)|(?<=[。；;]))(\d{1,3})\s*[.．](?:\s+|(?=\D))")
_CONTACT = re.compile(r"^(?P<name>[^\d\s]+?)\s*(?P<phone>0\d{2,3}-\d{7,8}|1\d{10})$")
_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(底|末|前|上半年|下半年|年底|年末)?")

def numbered_items(cell: str, line: int, error) -> list[Item]:
    """The numbered items of a cell (``1. … 2. …``); an unnumbered cell is one item numbered 1.

    >>> [(i.number, i.text) for i in numbered_items("<p>1. 甲。</p><p>2. 乙。</p>", 7, None)]
    [(1, '甲。'), (2, '乙。')]
    """
    stripped = strip_markup(cell)
    first = _FIRST_ITEM.match(stripped)
    if not first:
        text = squeeze(stripped)
        return [Item(1, text, line, numbered=False)] if text else []
    starts = [(first.start(), first.end(), int(first.group(1)))]
    expected = starts[0][2] + 1
    for m in _NEXT_ITEM.finditer(stripped, first.end()):
        if int(m.group(1)) == expected:
            starts.append((m.start(), m.end(), expected))
            expected += 1
    items = []
    for k, (_, body_start, num) in enumerate(starts):
        body_end = starts[k + 1][0] if k + 1 < len(starts) else len(stripped)
        text = squeeze(stripped[body_start:body_end])
        if not text:
            raise error(f"item {num} is empty", line)
        items.append(Item(num, text, line))
    return items
def parse_period(cell: str, line: int, note=None) -> Period | None:
    """An implementation period (``2023-2027年``, ``2023年``, ``长期实施``), or None.

    >>> parse_period("2023-2027", 1).label, parse_period("长期实施", 1).slug, parse_period("近期", 1)
    ('2023-2027年', 'long-term', None)
    >>> parse_period("0000-2027年", 1) is None
    True
    """
    text = "".join(clean(cell).split())
    if text == "长期实施":
        return Period("长期实施", None, None, long_term=True)
    m = re.match(r"^(\d{4})(?:[-–—~至](\d{4}))?(年?)$", text)
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2) or start)
    if end < start or start < 1:  # 0000 is no year
        return None
    label = f"{start}年" if start == end else f"{start}-{end}年"
    if not m.group(3) and note is not None:
        note("period", line, f"implementation period {text!r} read as {label}")
    return Period(label, start, end)
def parse_contact(cell: str, line: int) -> Contact | None:
    """A contact: a name and a phone number (``蔡景像 0577-88026991``), or None."""
    text = " ".join(strip_markup(cell).split())
    m = _CONTACT.match(text)
    return Contact(m.group("name"), m.group("phone"), line) if m else None

def parse_deadline(written: str) -> Deadline:
    """The deadline *written*, with the last day it allows and its year where it names one.

    >>> d = parse_deadline("2026 年 8 月底前"); d.written, str(d.date), d.year
    ('2026 年 8 月底前', '2026-08-31', 2026)
    >>> [str(parse_deadline(w).date) for w in ("2026 年底", "2025年6月30日前", "2027年上半年", "2026年")]
    ['2026-12-31', '2025-06-30', '2027-06-30', '2026-12-31']
    >>> parse_deadline("持续推进").date is None, parse_deadline("2024-2026年").year
    (True, 2026)
    >>> parse_deadline("0000"), parse_deadline("0000年6月")
    (Deadline(written='0000', date=None, year=None), Deadline(written='0000年6月', date=None, year=None))
    """
    text = squeeze(written).replace(" ", "")
    years = re.findall(r"(\d{4})年", text) or re.findall(r"(\d{4})", text)
    if not years or int(years[-1]) < 1:  # 0000 is no year (and dt.date refuses it)
        return Deadline(written.strip())
    m = None
    for m in _DATE.finditer(text):
        pass
    if m is None or not m.group(0) or int(m.group(1)) != int(years[-1]):
        year = int(years[-1])
        return Deadline(written.strip(), dt.date(year, 12, 31), year)
    year = int(m.group(1))
    month, day, tail = m.group(2), m.group(3), m.group(4) or ""
    try:
        if month and day:
            date = dt.date(year, int(month), int(day))
        elif month:
            date = dt.date(year, int(month), calendar.monthrange(year, int(month))[1])
        elif tail == "上半年":
            date = dt.date(year, 6, 30)
        else:
            date = dt.date(year, 12, 31)
    except ValueError:
        return Deadline(written.strip(), None, year)
    return Deadline(written.strip(), date, year)
