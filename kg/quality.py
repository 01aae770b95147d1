"""The data-quality report: what the parser normalised, merged, repaired or found odd.

Text from the document (its title, number, the rules it states, what the notes quote) is escaped
(:func:`kg.escape.markdown_text`): the report shows it as written, never as markup.
"""

from __future__ import annotations

from collections import defaultdict

from .escape import markdown_code, markdown_text
from .records import PolicyDocument

KINDS = {
    "disagreement": "Disagreements between repeated copies (first copy kept)",
    "repeated-row": "Rows split at a page break and repeated (merged)",
    "area-repaired": "Area cells with characters lost (repaired against the main text's areas)",
    "area-inherited": "Empty area cells (merged cells in the PDF; area taken from the row above)",
    "unit-spaces": "Unit names with spaces inside (spaces removed)",
    "unit-alias": "Unit names written with a bracketed alias",
    "period": "Implementation periods normalised",
    "page-break": "Main-text paragraphs broken by a page break (joined)",
    "unusual": "Unusual text (kept as written)",
    "entity": "HTML entities decoded",
    "markup": "HTML markup removed",
    "spaces": "Spaces inside Chinese text removed",
    "layout": "Layout lines recognised (headings, letterhead, repeated table headers, layouts read)",
    "rule": "Rules that decide roles, and where they are stated",
    "unit-unknown": "Units no gazetteer for this document knows (kept as written)",
    "merged-cell": "Merged table cells (copied or continued from the row above)",
    "not-modelled": "Text not modelled (crawler lines, table columns, rows naming no unit)",
    "provenance": "A converter's provenance block before the text (# key: value lines; not read as the document)",
}


def quality_report(doc: PolicyDocument) -> str:
    """A Markdown report of every note the parser made, grouped by kind, in source order."""
    by_kind = defaultdict(list)
    for note in doc.notes:
        by_kind[note.kind].append(note)
    roles = [m.role for item in doc.items for m in item.units]
    number = f"{markdown_text(doc.doc_number)} " if doc.doc_number else ""
    lines = [
        f"# Data-quality report: {markdown_text(doc.name)}",
        "",
        f"Source {markdown_code(doc.file_name)} — {number}《{markdown_text(doc.title or doc.notice_title)}》.",
        "",
        f"- layout(s): {', '.join(doc.layouts)}",
    ]
    if doc.tasks:
        lines.append(f"- key tasks: {len(doc.tasks)}; targets: {doc.target_count}; measures: {doc.measure_count} "
                     f"(declared: {doc.declared_measures}条) — "
                     f"{'match' if doc.measure_count == doc.declared_measures else 'MISMATCH'}")
    if len(doc.items) != len(doc.tasks):
        lines.append(f"- items: {len(doc.items)}; sections: {len(doc.sections)}; tables: {len(doc.tables)}")
    where = doc.jurisdiction_text() + ("" if doc.jurisdiction else
                                       " (units no gazetteer knows stay with the document; give --jurisdiction)")
    lines += [
        f"- jurisdiction: {where}",
        f"- responsible units: {doc.units_text().removesuffix(' units').replace(' units (', ' (')}"
        f"; lead assignments: {roles.count('lead')}; "
        f"support assignments: {roles.count('support')}; jointly responsible: {roles.count('responsible')}",
        f"- rules: {'; '.join(f'{markdown_text(r.written)} (line {r.line})' for r in doc.rules) or 'none stated'}",
        f"- notes: {len(doc.notes)}",
        "",
        "| kind | count |",
        "|---|---|",
    ]
    for kind, title in KINDS.items():
        if by_kind.get(kind):
            lines.append(f"| {title} | {len(by_kind[kind])} |")
    for kind, title in KINDS.items():
        notes = sorted(by_kind.get(kind, []), key=lambda n: n.line)
        if not notes:
            continue
        lines += ["", f"## {title}", ""]
        lines += [f"- line {n.line}: {markdown_text(n.message)}" for n in notes]
    unknown = sorted(set(by_kind) - set(KINDS))
    for kind in unknown:
        lines += ["", f"## {markdown_text(kind)}", ""]
        lines += [f"- line {n.line}: {markdown_text(n.message)}" for n in by_kind[kind]]
    return "\n".join(lines) + "\n"
