"""Quantitative promises in target text: 70%以上, 超 300 亿元, 约 100 家, 控制在 35% 以下 …

Pure text analysis (no RDF). Each :class:`Indicator` keeps the number and the unit as written, a
comparator, the year it is due (the nearest year written before it: 2023年, 到2025年底…; a year
after 比 or before 以来 is a comparison base, not a due date), or says it recurs (每年 in its clause).
Years, dates and fractions in words (六分之一) are not indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS = ("个百分点", "万美金", "万美元", "亿美元", "亿元", "万元", "万户", "万人次", "万人", "人次", "名", "户", "家", "人",
         "个", "项", "场", "条", "件", "台", "亩", "%")
COMPARATOR_AFTER = (("以上", "AtLeast"), ("以内", "AtMost"), ("以下", "AtMost"), ("左右", "Approximately"), ("内", "AtMost"))
COMPARATOR_BEFORE = (("不低于", "AtLeast"), ("不少于", "AtLeast"), ("不超过", "AtMost"), ("控制在", "AtMost"),
                     ("超过", "MoreThan"), ("突破", "MoreThan"), ("低于", "LessThan"), ("超", "MoreThan"),
                     ("约", "Approximately"))
_UNIT = "|".join(map(re.escape, UNITS))
_AFTER = "|".join(w for w, _ in COMPARATOR_AFTER)
_QUANTITY = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:({_UNIT})|(日)(?=内)|(?=\s*(?:{_AFTER})))\s*({_AFTER})?")
_YEAR = re.compile(r"(?<![\d.])(\d{4})\s*年(?!度)")
_NOT_DUE_BEFORE = re.compile(r"[比较]\s*$")
_NOT_DUE_AFTER = re.compile(r"^\s*年?\s*以来")
_RECURRING = re.compile(r"每年")
CURRENCY = {"亿元": ("CNY", Decimal(10) ** 8), "万元": ("CNY", Decimal(10) ** 4), "亿美元": ("USD", Decimal(10) ** 8),
            "万美元": ("USD", Decimal(10) ** 4), "万美金": ("USD", Decimal(10) ** 4)}
TEN_THOUSAND = {"万户": "户", "万人": "人", "万人次": "人次"}


@dataclass(frozen=True)
class Indicator:
    value: Decimal  # the number as written
    unit: str  # the unit as written ("" for a bare ratio)
    comparator: str  # AtLeast, MoreThan, AtMost, LessThan, Exactly, Approximately
    due_year: int | None
    recurring: bool
    written: str  # the text span, e.g. "70%以上"

    @property
    def normalised(self) -> tuple[Decimal, str | None, str | None] | None:
        """(value, UN/CEFACT unit code, currency) where a normalisation exists: % → P1, 亿元 → CNY …

        >>> find_indicators("减负 300 亿元以上")[0].normalised
        (Decimal('30000000000'), None, 'CNY')
        """
        if self.unit == "%":
            return self.value, "P1", None
        if self.unit in CURRENCY:
            currency, factor = CURRENCY[self.unit]
            return self.value * factor, None, currency
        if self.unit in TEN_THOUSAND:
            return self.value * 10000, None, None
        return None


def _comparator(before: str, after_word: str | None) -> str:
    if after_word:
        return dict(COMPARATOR_AFTER)[after_word]
    clause = re.split(r"[，。；;,、]", before)[-1]
    tail = clause[-6:].rstrip()
    for word, comparator in COMPARATOR_BEFORE:
        if re.search(re.escape(word) + r"\s*(?:达到|达|至)?\s*$", tail):
            return comparator
    return "Exactly"


def find_indicators(text: str, default_year: int | None = None) -> list[Indicator]:
    """The measurable promises in one target (or overall-goal paragraph), in order.

    >>> [(str(i.value), i.unit, i.comparator, i.due_year) for i in find_indicators(
    ...     "2023 年全市完成政府采购授予中小企业合同金额不少于 206 亿元, 占政府采购总额的比例不低于 88%, "
    ...     "比 2022 年提高 5 个百分点以上。")]
    [('206', '亿元', 'AtLeast', 2023), ('88', '%', 'AtLeast', 2023), ('5', '个百分点', 'AtLeast', 2023)]
    >>> [(str(i.value), i.unit, i.comparator, i.recurring) for i in find_indicators("每年新增能耗的80%以上支持民间投资项目。")]
    [('80', '%', 'AtLeast', True)]
    >>> [(str(i.value), i.comparator) for i in find_indicators("诉前调解成功数与法院一审办结案件数比值达 1.2 以上")]
    [('1.2', 'AtLeast')]
    """
    years = []
    for m in _YEAR.finditer(text):
        if _NOT_DUE_BEFORE.search(text[:m.start()]) or _NOT_DUE_AFTER.match(text[m.end() - 1:]):
            continue
        years.append((m.start(), int(m.group(1))))
    year_spans = [(m.start(), m.end()) for m in _YEAR.finditer(text)]
    found = []
    for m in _QUANTITY.finditer(text):
        if any(a <= m.start(1) < b for a, b in year_spans):
            continue
        unit = m.group(2) or m.group(3) or ""
        before = text[:m.start()]
        clause_start = max((c.end() for c in re.finditer(r"[，。；;,]", before)), default=0)
        recurring_at = max((r.end() for r in _RECURRING.finditer(before, clause_start)), default=-1)
        year_at, year = max(((pos, y) for pos, y in years if pos < m.start()), default=(-1, None))
        recurring = recurring_at > year_at  # 每年 in this clause, after any year
        due = None if recurring else (year if year is not None else default_year)
        found.append(Indicator(Decimal(m.group(1)), unit, _comparator(before, m.group(4)), due, recurring,
                               "".join(m.group(0).split())))
    return found
