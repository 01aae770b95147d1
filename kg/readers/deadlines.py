"""Deadlines as written (``2026 年 8 月底前``, ``2027年底``, ``2025年6月30日前``, ``持续推进``) and what they allow."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..normalize import squeeze
from ..records import Deadline

__all__ = ["parse_deadline"]

_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(底|末|前|上半年|下半年|年底|年末)?")


def parse_deadline(written: str) -> Deadline:
    """The deadline *written*, with the last day it allows and its year where it names one.

    >>> d = parse_deadline("2026 年 8 月底前"); d.written, str(d.date), d.year
    ('2026 年 8 月底前', '2026-08-31', 2026)
    >>> [str(parse_deadline(w).date) for w in ("2026 年底", "2025年6月30日前", "2027年上半年", "2026年")]
    ['2026-12-31', '2025-06-30', '2027-06-30', '2026-12-31']
    >>> parse_deadline("持续推进").date is None, parse_deadline("2024-2026年").year
    (True, 2026)
    """
    text = squeeze(written).replace(" ", "")
    years = re.findall(r"(\d{4})年", text) or re.findall(r"(\d{4})", text)
    if not years:
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
