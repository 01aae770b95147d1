"""Text normalisation for PDF-derived Chinese text.

Only three things are changed, and each is reported by the caller:

* HTML markup (``<p>``, ``<li>``, ``<ol …>``) is removed and entities (``&amp;``) decoded;
* whitespace next to a Chinese character or full-width punctuation is removed (the PDF
  conversion inserts spaces inside words: ``市自然资源和 规划局``); whitespace between two
  Latin/number tokens is kept as one space;
* line breaks left by page breaks are joined (done by the parser, which knows the layout).

Everything else — brackets, quotes, numbers, typos — stays exactly as in the source.
"""

from __future__ import annotations

import html
import re

# CJK ideographs, CJK symbols and punctuation, full-width forms, and the curly quotes,
# book-title marks and dashes Chinese text uses.
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014"
CJK_CHAR = re.compile(f"[{_CJK}]")
# Whitespace after a Chinese character, or before one. The second branch is tried only where a run of whitespace
# starts (or after an ideographic space, the one whitespace character that is also CJK): it could not match inside
# a run where it failed at the run's start, and trying it at every position made a long run of spaces quadratic
# (300,000 spaces took minutes).
_SPACE_NEAR_CJK = re.compile(f"(?<=[{_CJK}])\\s+|(?<![^\\S\u3000])\\s+(?=[{_CJK}])")
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BLOCK_TAGS = {"p", "li", "ol", "ul", "br", "div"}
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_WS = re.compile(r"\s+")


def has_markup(text: str) -> bool:
    """True when *text* holds an HTML tag or entity.

    >>> has_markup("<p>1. 文本</p>"), has_markup("R&amp;D"), has_markup("纯文本")
    (True, True, False)
    """
    return bool(_TAG.search(text) or _ENTITY.search(text))


def strip_markup(text: str) -> str:
    """Remove HTML tags (block tags become line breaks) and decode entities.

    >>> strip_markup("<p>1. R&amp;D 经费</p> <p>2. 其他</p>")
    '\\n1. R&D 经费\\n \\n2. 其他\\n'
    """
    text = _TAG.sub(lambda m: "\n" if m.group(1).lower() in _BLOCK_TAGS else "", text)
    return html.unescape(text)


# Spaces that belong to the text: the joint issuers of a central document are written
# with a space between them (《中共中央 国务院关于…》, 《财政部 税务总局关于…》). Kept as one space.
KEPT_SPACES = ("中共中央 国务院", "财政部 税务总局")
_KEPT = re.compile("|".join(r"\s+".join(map(re.escape, k.split(" "))) for k in KEPT_SPACES))


def squeeze(text: str) -> str:
    """Remove whitespace next to Chinese characters; collapse other whitespace to one space.

    >>> squeeze("《中共中央 国务院关于促进民营经济发展壮大的意见》")
    '《中共中央 国务院关于促进民营经济发展壮大的意见》'

    >>> squeeze("市自然资源和 规划局")
    '市自然资源和规划局'
    >>> squeeze("到 2025 年, R&D 经费支出占 GDP 比重达 3%左右。")
    '到2025年, R&D经费支出占GDP比重达3%左右。'
    >>> squeeze("  基础设施 REITs 工作 ")
    '基础设施REITs工作'
    """
    parts = []
    last = 0
    for m in _KEPT.finditer(text):
        parts.append(_SPACE_NEAR_CJK.sub("", text[last:m.start()]))
        parts.append(_WS.sub(" ", m.group(0)))
        last = m.end()
    parts.append(_SPACE_NEAR_CJK.sub("", text[last:]))
    return _WS.sub(" ", "".join(parts)).strip()


def clean(text: str) -> str:
    """:func:`strip_markup` then :func:`squeeze`: the normalised form of a table cell.

    >>> clean("<p>*市金融办 人行温州市分行</p>")
    '*市金融办人行温州市分行'
    """
    return squeeze(strip_markup(text))


def spaces_removed(raw: str) -> int:
    """How many whitespace runs :func:`squeeze` removes from *raw* (for the quality report).

    >>> spaces_removed("市自然资源和 规划局 市经信局")
    2
    """
    return len(_SPACE_NEAR_CJK.findall(_KEPT.sub("", raw.strip())))


_FULLWIDTH_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def fullwidth_brackets(text: str) -> str:
    """Half-width round brackets to full-width, for matching names written either way.

    >>> fullwidth_brackets("相关县(市、区)政府")
    '相关县（市、区）政府'
    """
    return text.translate(_FULLWIDTH_BRACKETS)


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral up to 99.

    >>> [chinese_numeral(t) for t in ("一", "十", "十四", "二十", "三十二")]
    [1, 10, 14, 20, 32]
    """
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def chinese_ordinal(n: int) -> str:
    """A number up to 99 in Chinese numerals, the inverse of :func:`chinese_numeral`.

    >>> chinese_ordinal(7), chinese_ordinal(10), chinese_ordinal(24), chinese_ordinal(30)
    ('七', '十', '二十四', '三十')
    """
    digits = "零一二三四五六七八九"
    if not 0 <= n < 100:
        raise ValueError(f"no Chinese numeral for {n}")
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
