"""Text from documents and graphs in outputs that other programs open: data, never markup or a formula.

One place for each rule, used by every writer: :func:`csv_cell` for every cell of a CSV or TSV file (and the
cells an Excel sheet marks as quoted text). This module imports nothing of the toolkit.
"""

from __future__ import annotations

import re

__all__ = ["csv_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula (OWASP)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(value):
    """A cell of a CSV or TSV file that a spreadsheet opens as text, never as a formula: text starting with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe (OWASP's advice against CSV injection),
    except a plain number (``-5``, ``+3.2``). Anything but text is returned as it is.

    >>> [csv_cell(v) for v in ['=HYPERLINK("http://x","y")', "@SUM(A1)", "-2+3", "-5", "+3.2", "*市税务局", 7]]
    ['\\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'-2+3", '-5', '+3.2', '*市税务局', 7]
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
