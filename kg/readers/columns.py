"""Column names of task tables → fields (``data/columns.csv``), which also name the labels of unit lines.

A table that differs from the known ones only in its wording needs a row in the table, not code.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from ..normalize import strip_markup
from ..resources import resource

__all__ = ["columns", "fields_of", "header_key"]

@lru_cache(maxsize=1)
def columns() -> dict[str, str]:
    """Column names of task tables (and labels of responsibility lines) → field, from ``data/columns.csv``.

    >>> columns()["牵头部门"], columns()["时间节点"], columns()["改革举措"]
    ('lead', 'deadline', 'title')
    """
    return {row["header"]: row["field"] for row in _rows()}


def _rows() -> list[dict[str, str]]:
    with open(resource("data/columns.csv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def header_key(cell: str) -> str:
    """A header cell as the column table knows it: markup and all whitespace removed.

    >>> header_key("主 要 内 容"), header_key("<b>牵头单位</b>")
    ('主要内容', '牵头单位')
    """
    return "".join(strip_markup(cell).split()).strip("*")

def fields_of(header: tuple[str, ...]) -> dict[str, int]:
    """Column index of each field the column table knows (the first column of a field wins).

    >>> h = ("序号", "总体任务", "重点工作", "温州市目标", "温州市落实举措", "实施阶段", "责任单位", "联系人")
    >>> fields_of(h)["measures"], fields_of(h)["contact"]
    (4, 7)
    """
    known = columns()
    out: dict[str, int] = {}
    for i, cell in enumerate(header):
        field = known.get(header_key(cell))
        if field and field not in out:
            out[field] = i
    return out
