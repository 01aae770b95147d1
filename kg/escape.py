"""Text from documents and graphs in outputs that other programs open: data, never markup or a formula.

One place for each rule, used by every writer: :func:`markdown_text` for Markdown (the data-quality report, the
analysis report, ``export-table`` and ``query`` tables), :func:`markdown_code` for a file name shown as code,
:func:`csv_cell` for every cell of a CSV or TSV file. This module imports nothing of the toolkit.
"""

from __future__ import annotations

import re

__all__ = ["markdown_text", "markdown_code", "csv_cell"]

# every ASCII character that can start Markdown or HTML markup inline (CommonMark lets any ASCII punctuation be
# escaped): emphasis and code (* _ `), links and images ([ ]), raw HTML and autolinks (< >), entities (&), table
# cells (|), strikethrough (~), headings (#), math ($), and the escape itself
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~#$])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings: a new line could start a block


def markdown_text(value: object, newline: str = " ") -> str:
    r"""Text as Markdown shows it, character for character: every character that could start markup is
    backslash-escaped, and a line break becomes *newline* (a space; ``<br>`` in a table cell), so that the text
    never starts a heading, a list or a block of HTML. For text inside a line (a cell, a list item, a title).

    >>> print(markdown_text('<img src=x onerror="1"> **R&D** [a](javascript:b) | #1 ~x~'))
    \<img src=x onerror="1"\> \*\*R\&D\*\* \[a\](javascript:b) \| \#1 \~x\~
    >>> markdown_text("甲\n# 乙"), markdown_text("甲\r\n乙", newline="<br>")
    ('甲 \\# 乙', '甲<br>乙')
    """
    return _LINE_BREAK.sub(newline, _MARKUP.sub(r"\\\1", str(value)))


def markdown_code(value: str) -> str:
    """Text as a Markdown code span (a file name, a command): shown exactly, whatever backticks it holds.

    Backslash escapes do not work in a code span, so the span is fenced with more backticks than any run
    inside it, padded with a space where the text starts or ends with a backtick or both ends are spaces.

    >>> markdown_code("build/a.ttl"), markdown_code("a`b"), markdown_code("`x`")
    ('`build/a.ttl`', '``a`b``', '`` `x` ``')
    """
    value = _LINE_BREAK.sub(" ", value)
    fence = "`" * (max(map(len, re.findall("`+", value)), default=0) + 1)
    pad = " " if value[:1] == "`" or value[-1:] == "`" or (value[:1] == value[-1:] == " " and value.strip()) else ""
    return f"{fence}{pad}{value}{pad}{fence}" if value else "` `"


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
