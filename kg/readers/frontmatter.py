"""Front and back matter: title, document number, issuer, date, addressees, notice, signature, attachments.

Whatever a document has is read; whatever it lacks stays empty (a draft has no number, a work plan no
date). Two shapes of document are told apart by their title: a *transmittal notice* (``关于印发《…》的通知``)
carries a main text with its own title after the notice's signature; any other document is its own main text
(its title is the main title, its signature closes the main text).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .base import Context
from .text import Paragraph

__all__ = ["FrontMatter", "read_front_matter", "DOC_NUMBER", "DATE", "PRINT_DATE", "TITLE_REF", "parse_date"]

DOC_NUMBER = re.compile(r"^(\S{1,12}〔\d{4}〕\d+号)$")
DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
PRINT_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
TITLE_REF = re.compile(r"《([^《》]+)》")  # a document named in the text
_TERMINAL = tuple("。！？；”")
_TRANSMITTAL = re.compile(r"关于(?:印发|转发)|印发.*的通知$")
_STATUS = re.compile(r"^[（(]\s*(送审稿|征求意见稿|讨论稿|草案|试行|修订稿|代拟稿|初稿)\s*[）)]$")
_ATTACHMENT_LABEL = re.compile(r"^附(?:件)?\s*\d*\s*$")
_ATTACHMENT_LIST = re.compile(r"^附(?:件)?\s*\d*\s*[：:]\s*(.*)$")
_ATTACHMENT_TITLED = re.compile(r"^附(?:件)?\s*\d*\s+(\S.*)$")
_RELEASE = re.compile(r"^[（(](此件.*)[）)]$")
_EDITORIAL = re.compile(r"^[（(](本文有删减|有删减|略)[）)]$")


@dataclass
class FrontMatter:
    """Where the main text is, and what lies around it."""

    body: list[Paragraph] = field(default_factory=list)  # the main text, after its title
    after: list[Paragraph] = field(default_factory=list)  # attachment labels, titles and text after the body
    issuer: str = ""
    issuer_line: int = 0


def parse_date(m: re.Match, ctx: Context, line: int) -> dt.date:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ctx.error(f"not a date: {m.group(0)!r}", line) from None


def _short(p: Paragraph, limit: int = 60) -> bool:
    return len(p.text) <= limit and not p.text.endswith(_TERMINAL) and not p.text.endswith(("：", ":"))


def _signature_at(paras: list[Paragraph], i: int) -> bool:
    """Is paragraph *i* an issuer line followed by a date line?"""
    return (i + 1 < len(paras) and _short(paras[i], 40) and not DATE.match(paras[i].text)
            and DATE.match(paras[i + 1].text) is not None and not paras[i].text.startswith(("附", "（", "(")))


def _numbered(text: str) -> bool:
    from .outline import number_label

    return number_label(text) is not None


def _continues_title(paras: list[Paragraph], i: int) -> bool:
    """Is short paragraph *i* the rest of the title above it (not a heading or the first line of the text)?"""
    from .outline import number_label

    text = paras[i].text
    return not number_label(text) and not text.startswith(("为", "根据", "按照", "近年来")) and len(paras) > i + 1


def _early_signature(paras: list[Paragraph], start: int) -> bool:
    """A signature before any numbered part, with a title and text after it: a notice with no title of its own."""
    from .outline import number_label

    for k in range(start, min(len(paras), start + 8)):
        if number_label(paras[k].text):
            return False
        if _signature_at(paras, k):
            rest = paras[k + 2:]
            return len(rest) > 2 and _short(rest[0] if not _RELEASE.match(rest[0].text) else rest[min(1, len(rest) - 1)])
    return False


def read_front_matter(ctx: Context, paras: list[Paragraph]) -> FrontMatter:
    """Fill the document's front matter from *paras*; return the main text and what follows it.

    >>> from kg.readers import read_document
    >>> doc = read_document("data/wenzhou-2023-82.txt")
    >>> doc.doc_number, doc.title, str(doc.date)
    ('温政办〔2023〕82号', '温州市促进民营经济高质量发展若干举措', '2023-10-27')
    """
    doc = ctx.doc
    fm = FrontMatter()
    title_parts: list[Paragraph] = []
    i, n = 0, len(paras)
    # -- the head: everything before the main text
    while i < n:
        p, text = paras[i], paras[i].text
        if i < 3 and text.endswith("文件") and len(text) <= 30 and not doc.letterhead:
            doc.letterhead = text
            ctx.note("layout", p.line, f"letterhead {text!r} recognised (not modelled: the issuer is)")
        elif not title_parts and not doc.doc_number and _ATTACHMENT_LABEL.match(text):
            ctx.note("layout", p.line, f"attachment label {text!r} before the title recognised (the document was "
                                       "an attachment of another)")
        elif DOC_NUMBER.match(text) and not doc.doc_number:
            doc.doc_number, doc.doc_number_line = text, p.line
        elif doc.doc_number and text.startswith(doc.doc_number) and len(text) > len(doc.doc_number):
            ctx.note("layout", p.line, "the document number and title repeated on one line (a web page's header): "
                                       "not read again")
        elif _STATUS.match(text) and title_parts and not doc.status:
            doc.status = _STATUS.match(text).group(1)
        elif (_short(p) and not doc.addressees and not (title_parts and doc.doc_number and not p.heading)
              and (p.heading or not title_parts or title_parts[-1].line >= p.line - 2) and not _numbered(text)):
            title_parts.append(p)
        elif (text.endswith(("：", ":")) and (title_parts or doc.doc_number or i == 0) and not doc.addressees
              and len(text) <= 120):
            doc.addressees = tuple(a for a in re.split("[，,]", text[:-1]) if a)
        else:
            break
        i += 1
    title = "".join(t.text for t in title_parts)
    if title_parts:
        doc.title, doc.title_line = title, title_parts[0].line
    if _TRANSMITTAL.search(title) or (not title and _early_signature(paras, i)):
        if title:
            doc.notice_title, doc.title, doc.title_line = title, "", 0
        # the notice's text, its signature and release statement, then the main title
        body_start = i
        while i < n and not _signature_at(paras, i):
            i += 1
        if i < n:
            doc.notice_body = "".join(p.text for p in paras[body_start:i])
            fm.issuer, fm.issuer_line = paras[i].text, paras[i].line
            doc.date = parse_date(DATE.match(paras[i + 1].text), ctx, paras[i + 1].line)
            i += 2
            if i < n and _RELEASE.match(paras[i].text):
                doc.release_statement = _RELEASE.match(paras[i].text).group(1)
                i += 1
            if i < n and _short(paras[i]):
                doc.title, doc.title_line = paras[i].text, paras[i].line
                i += 1
                while i < n and _short(paras[i], 30) and not _STATUS.match(paras[i].text) and \
                        paras[i].line - paras[i - 1].line <= 2 and _continues_title(paras, i):
                    doc.title += paras[i].text  # a title broken over two lines
                    i += 1
                if i < n and _STATUS.match(paras[i].text):
                    doc.status = _STATUS.match(paras[i].text).group(1)
                    i += 1
        else:
            i = body_start
    # -- the main text runs to the first attachment label or signature
    rest = paras[i:]
    end = len(rest)
    for k, p in enumerate(rest):
        if _ATTACHMENT_LABEL.match(p.text) or _ATTACHMENT_TITLED.match(p.text) and not _ATTACHMENT_LIST.match(p.text):
            end = k
            break
        if _signature_at(rest, k) and not fm.issuer:
            fm.issuer, fm.issuer_line = p.text, p.line
            doc.date = parse_date(DATE.match(rest[k + 1].text), ctx, rest[k + 1].line)
            end = k
            tail = rest[k + 2:]
            while tail and (_RELEASE.match(tail[0].text) or _EDITORIAL.match(tail[0].text)):
                if _RELEASE.match(tail[0].text):
                    doc.release_statement = _RELEASE.match(tail[0].text).group(1)
                else:
                    ctx.note("unusual", tail[0].line, f"editorial note {tail[0].text!r}: the published text is "
                                                      "abridged (kept as a note)")
                tail = tail[1:]
            fm.after = tail
            break
    else:
        fm.after = rest[end:]
    if end < len(rest) and not fm.after:
        fm.after = rest[end:]
    body = rest[:end]
    # an attachment list at the end of the main text (附件：… / 附：1.… 2.…) belongs to what follows it
    for k, p in enumerate(body):
        if _ATTACHMENT_LIST.match(p.text):
            ctx.note("layout", p.line, f"attachment list {p.text!r} recognised")
            listed = body[k:]
            doc.attachment_title = doc.attachment_title or _ATTACHMENT_LIST.match(p.text).group(1)
            fm.after = listed + fm.after
            body = body[:k]
            break
    fm.body = body
    for attr in ("title", "notice_title"):  # a line of one character (〔, a stray mark) is no title
        written = getattr(doc, attr)
        if written and len(written.strip()) < 2:
            ctx.note("unusual", doc.title_line or 1, f"{written!r} is too short to be a title: not read as one")
            setattr(doc, attr, "")
    if not doc.title:
        doc.title_line = 0
    noted = {n.line for n in ctx.source.notes if n.kind == "layout"}
    for p in fm.after:
        if p.line not in noted and (_ATTACHMENT_LABEL.match(p.text) or _ATTACHMENT_LIST.match(p.text)
                                    or _ATTACHMENT_TITLED.match(p.text)):
            ctx.note("layout", p.line, f"attachment label {p.text!r} recognised")
    return fm
