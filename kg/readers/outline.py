"""The outline of the running text: numbered parts (一、 （一） 1. （1） ① 一是) nested by numbering style.

A style's rank decides nesting, not its position: a part of a deeper style opens inside the current one, a
part of a shallower or equal style closes parts until it fits. A paragraph that is not numbered continues
the part above it. A part's *title* is its heading phrase — the whole line where the line is only a heading
(``（一）提升创新策源能级``), else the words before the first ``。`` when short (``（一）加大稳岗支持力度。…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..normalize import chinese_numeral
from .text import Paragraph

__all__ = ["Part", "Outline", "number_label", "read_outline", "title_of", "first_chars", "STYLES"]

_CN = "一二三四五六七八九十"
# (style, pattern, rank): the number is group 1; the label as written is the match without its 、/./whitespace
STYLES = (
    ("chapter", re.compile(f"^第([{_CN}百零]+)章\\s*"), 0),
    ("cn", re.compile(f"^([{_CN}]+)\\s*、\\s*"), 1),
    ("cn-paren", re.compile(f"^[（(]\\s*([{_CN}]+)\\s*[）)]\\s*"), 2),
    ("arabic", re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*"), 3),
    ("arabic-paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*"), 4),
    ("circled", re.compile("^([\u2460-\u2473])\\s*"), 5),
    ("shi", re.compile(f"^([{_CN}]+)是\\s*"), 6),
)
_TERMINAL = "。！？；：”）)"
_TITLE_MAX = 40


@dataclass
class Part:
    """A numbered part: its style, number, label as written, line, paragraphs and children."""

    style: str
    rank: int
    number: int
    label: str  # as written, without its trailing 、/.: 二, （三）, 1, （1）
    line: int
    first: str  # the first paragraph's text after the label
    paragraphs: list[Paragraph] = field(default_factory=list)  # the first one included
    children: list["Part"] = field(default_factory=list)
    parent: "Part | None" = None
    occurrence: int = 1  # 2 for the second part numbered the same under one parent (a numbering slip)

    @property
    def key(self) -> tuple:
        """The numbers from the top, (2, 3) for 二/（三）; a repeated number is told apart: (5, "5-2")."""
        out, part = [], self
        while part is not None:
            out.append(part.number if part.occurrence == 1 else f"{part.number}-{part.occurrence}")
            part = part.parent
        return tuple(reversed(out))

    @property
    def path(self) -> tuple[str, ...]:
        out, part = [], self
        while part is not None:
            out.append(part.label)
            part = part.parent
        return tuple(reversed(out))

    @property
    def title(self) -> str:
        return title_of(self.first)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    """The parts of the running text, and the paragraphs before the first part (the preamble)."""

    parts: list[Part]
    preamble: list[Paragraph]
    repeated: list[Part] = field(default_factory=list)  # parts numbered like an earlier sibling

    def walk(self):
        for part in self.parts:
            yield from part.walk()

    def find(self, labels: tuple[str, ...]) -> Part | None:
        """The part whose path ends with *labels*, if exactly one does."""
        found = [p for p in self.walk() if p.path[-len(labels):] == labels]
        return found[0] if len(found) == 1 else None


_ARABIC_BEFORE_DIGIT = re.compile(r"^(\d{1,3})\s*[.．、]\s*")


def number_label(text: str, expected: int | None = None) -> tuple[str, int, int, str, str] | None:
    """(style, rank, number, label, rest) when *text* opens with an outline number, else None.

    >>> number_label("（三）完善农机装备创新体系。瞄准…")[1:4]
    (2, 3, '（三）')
    >>> number_label("1.人工智能。鼓励支持"), number_label("2026 年起，每年")
    (('arabic', 3, 1, '1', '人工智能。鼓励支持'), None)
    >>> number_label("0.智慧物流。推进"), number_label("（00）做事。")
    (None, None)
    """
    for style, pattern, rank in STYLES:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end():]
        if not rest:
            continue
        try:
            number = int(m.group(1)) if style.startswith("arabic") else (
                ord(m.group(1)) - 0x2460 + 1 if style == "circled" else chinese_numeral(m.group(1)))
        except ValueError:
            continue
        if number < 1:  # 0. or 第零章 numbers nothing (the count starts at 1; a part numbered 0 fails the shapes)
            continue
        if style == "arabic" and not re.match(r"[\u4e00-\u9fff“《（(]", rest):
            continue
        label = m.group(0).strip().rstrip("、.．").strip()
        return style, rank, number, label, rest
    m = _ARABIC_BEFORE_DIGIT.match(text)  # 11.121人才梯队项目: a number before a digit only where it is the next one
    if m and expected is not None and int(m.group(1)) == expected and text[m.end():]:
        return "arabic", 3, expected, m.group(1), text[m.end():]
    return None


def title_of(text: str) -> str:
    """The heading phrase of a part's first paragraph ("" when it has none).

    >>> title_of("加大稳岗支持力度。对不裁员或少裁员的参保企业"), title_of("提升创新策源能级"), title_of("支持企业" * 20 + "。")
    ('加大稳岗支持力度', '提升创新策源能级', '')
    """
    text = text.strip()
    if not text:
        return ""
    if not text.endswith(tuple(_TERMINAL)) and "。" not in text and len(text) <= _TITLE_MAX:
        return text
    m = re.match(r"^([^。：:；;]{1,%d})[。：:]" % _TITLE_MAX, text)
    if m and "，" not in m.group(1) and "," not in m.group(1):
        return m.group(1)
    return ""


def first_chars(text: str, n: int = 20) -> str:
    """A label for text with no heading phrase: its first *n* characters.

    >>> first_chars("短句"), first_chars("一二三四五六七八九十一二三四五六七八九十一", 20)
    ('短句', '一二三四五六七八九十一二三四五六七八九十…')
    """
    text = text.strip()
    return text if len(text) <= n else text[:n] + "…"


def read_outline(paragraphs: list[Paragraph]) -> Outline:
    """Nest numbered paragraphs into parts; unnumbered ones continue the part above (or the preamble).

    >>> from kg.readers.text import read_text
    >>> o = read_outline(read_text(["引言。", "一、总体要求", "（一）目标。甲。", "乙。", "二、任务", "1.做事。"]).paragraphs)
    >>> [p.text for p in o.preamble], [(p.path, len(p.paragraphs)) for p in o.walk()]
    (['引言。'], [(('一',), 1), (('一', '（一）'), 2), (('二',), 1), (('二', '1'), 1)])
    """
    parts: list[Part] = []
    preamble: list[Paragraph] = []
    repeated: list[Part] = []
    stack: list[Part] = []
    last_arabic = None
    for para in paragraphs:
        found = number_label(para.text, last_arabic + 1 if last_arabic is not None else None)
        if found is None:
            (stack[-1].paragraphs if stack else preamble).append(para)
            continue
        style, rank, number, label, rest = found
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        siblings = parent.children if parent else parts
        same = [p for p in siblings if p.number == number]  # of any style: their IRIs would be one
        part = Part(style, rank, number, label, para.line, rest, [para], parent=parent, occurrence=len(same) + 1)
        if same:
            repeated.append(part)
        if style == "arabic":
            last_arabic = number
        (parent.children if parent else parts).append(part)
        stack.append(part)
    return Outline(parts, preamble, repeated)
