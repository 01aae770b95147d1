"""Documents cited in policy text: 《titles》, document numbers like 浙金发〔2023〕13号, and how they are cited.

Pure text analysis (no RDF): the parser calls it on every target, measure and main-text paragraph.
A title followed by its number in brackets is one document. The words before a title (or just after
it) tell whether the text applies the document (落实、贯彻、根据、按照、实施…) or is to produce or
revise it (制定、出台、编制、修订…、推进…立法); anything else merely mentions it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import squeeze
from .resources import resource

NUMBER = r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\s*\d+\s*号"
_TITLE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")
_NUMBER = re.compile(NUMBER)
_ATTACHED = re.compile(rf"^\s*[（(]\s*({NUMBER})\s*[）)]")
APPLY = ("贯彻落实", "全面落实", "严格落实", "落实", "贯彻", "根据", "按照", "依据", "依照", "遵照", "执行", "实施",
         "对照", "宣贯")
PRODUCE = ("研究制定", "制定出台", "制定", "出台", "编制", "修订", "修改", "起草", "编写", "发布", "形成", "拟定", "拟订")
_CLAUSE_END = re.compile(r"[，。；;：:,!！?？]")


@dataclass(frozen=True)
class Cited:
    """One citation in a piece of text."""

    title: str | None
    number: str | None  # normalised: no spaces, e.g. 温政办〔2023〕64号
    kind: str  # applies, produces, mentions
    verb: str | None


def normalise_number(number: str) -> str:
    """Spaces removed from a document number.

    >>> normalise_number("温政办〔2023〕64 号")
    '温政办〔2023〕64号'
    """
    return "".join(number.split())


_RUN_GAP = re.compile(rf"^\s*(?:[（(]\s*{NUMBER}\s*[）)])?\s*(?:和|及|以及|与|、)?\s*$")


def _kind(before: str, after: str) -> tuple[str, str | None]:
    clause = _CLAUSE_END.split(before)[-1][-14:]
    tail = _CLAUSE_END.split(after)[0][:8]
    verb_after = re.match(r"^(?:等文件)?(立法|编制)", tail)
    if verb_after:
        return "produces", verb_after.group(1)
    for verb in PRODUCE:
        if verb in clause:
            return "produces", verb
    for verb in APPLY:
        if verb in clause:
            return "applies", verb
    if re.match(r"(等文件)?(宣贯|贯彻)", tail):
        return "applies", tail[:4]
    return "mentions", None


def find_citations(text: str, own_titles: tuple[str, ...] = ()) -> list[Cited]:
    """Citations in *text*, in order; titles in *own_titles* (the document itself) are skipped.

    >>> [(c.title, c.number, c.kind) for c in find_citations(
    ...     "实施《温州市加快基金业集聚促进股权投资高质量发展若干措施的通知》（温政办〔2023〕64 号），进一步鼓励")]
    [('温州市加快基金业集聚促进股权投资高质量发展若干措施的通知', '温政办〔2023〕64号', 'applies')]
    >>> [(c.title, c.kind) for c in find_citations("修订完善《温州市科技创新创业投资基金管理办法》，扩大规模")]
    [('温州市科技创新创业投资基金管理办法', 'produces')]
    >>> [(c.title, c.kind) for c in find_citations("推进《温州市民营企业科技创新促进条例》立法。")]
    [('温州市民营企业科技创新促进条例', 'produces')]
    >>> [(c.title, c.kind) for c in find_citations("加强《甲条例》《乙条例》宣贯落实")]
    [('甲条例', 'applies'), ('乙条例', 'applies')]
    >>> [(c.title, c.kind) for c in find_citations("及时了解《浙江省支持个体工商户转型升级为企业工作的实施意见》出台情况")]
    [('浙江省支持个体工商户转型升级为企业工作的实施意见', 'mentions')]
    """
    found: list[Cited] = []
    spans: list[tuple[int, int]] = []
    numbers_taken: set[tuple[int, int]] = set()
    for m in _TITLE.finditer(text):
        title = squeeze(m.group(1))
        if title in own_titles:
            continue
        attached = _ATTACHED.match(text[m.end():])
        number = None
        if attached:
            number = normalise_number(attached.group(1))
            start = m.end() + attached.start(1)
            numbers_taken.add((start, start + len(attached.group(1))))
        kind, verb = _kind(text[:m.start()], text[m.end():])
        found.append(Cited(title, number, kind, verb))
        spans.append((m.start(), m.end()))
    # titles written one after another (《A》《B》, 《A》和《B》) share the verb of the run
    runs: list[list[int]] = []
    for i, (start, _) in enumerate(spans):
        if runs and _RUN_GAP.match(text[spans[runs[-1][-1]][1]:start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        verbs = [(found[i].kind, found[i].verb) for i in run if found[i].kind != "mentions"]
        if verbs:
            for i in run:
                if found[i].kind == "mentions":
                    found[i] = Cited(found[i].title, found[i].number, *verbs[0])
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in numbers_taken):
            continue
        start = m.start() + _issuer_offset(m.group(0))
        kind, verb = _kind(text[:start], text[m.end():])
        found.append(Cited(None, normalise_number(text[start:m.end()]), kind, verb))
    return found


def _issuer_offset(number: str) -> int:
    """Where the issuer abbreviation starts in a number found in running text (按照浙政办发〔2023〕52号 → 2)."""
    head = number[:number.index("〔")]
    for i in range(len(head)):
        if any(head[i:].startswith(prefix) for prefix, _, _ in jurisdiction_table()):
            return i
    for verb in sorted(APPLY + PRODUCE, key=len, reverse=True):
        if head.startswith(verb):
            return len(verb)
    return 0


@lru_cache(maxsize=1)
def jurisdiction_table() -> tuple[tuple[str, str, str], ...]:
    """(prefix, level, ascii) rows of ``data/jurisdictions.csv``, longest prefix first."""
    with open(resource("data/jurisdictions.csv"), encoding="utf-8", newline="") as fh:
        rows = [(r["prefix"], r["level"], r["ascii"]) for r in csv.DictReader(fh)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def jurisdiction(title: str | None = None, number: str | None = None, issuer: str | None = None) -> str | None:
    """national, provincial or municipal, from the issuer, the document number's prefix or the title's.

    >>> jurisdiction(number="浙金发〔2023〕13号"), jurisdiction(title="中共中央 国务院关于促进民营经济发展壮大的意见")
    ('provincial', 'national')
    >>> jurisdiction(title="关于推进技工教育提质增量行动的实施方案", number="温委办发〔2023〕58号")
    'municipal'
    """
    for text in (issuer, number, title):
        if not text:
            continue
        for prefix, level, _ in jurisdiction_table():
            if text.startswith(prefix):
                return level
    return None


def number_slug(number: str) -> str | None:
    """A readable ASCII identifier for a document number, if its issuer prefix is in the table.

    >>> number_slug("温政办〔2023〕64号"), number_slug("浙金发〔2023〕13号")
    ('wzb-2023-64', 'zjf-2023-13')
    """
    m = re.match(r"^(.+?)〔(\d{4})〕(\d+)号$", number)
    if not m:
        return None
    for prefix, _, ascii_id in jurisdiction_table():
        if m.group(1) == prefix:
            return f"{ascii_id}-{m.group(2)}-{m.group(3)}"
    return None
