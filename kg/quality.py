"""The data-quality report: what the parser normalised, merged, repaired or found odd."""

from __future__ import annotations

from collections import defaultdict

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
    "layout": "Layout lines recognised (headings, letterhead, repeated table headers)",
}


def quality_report(doc: PolicyDocument) -> str:
    """A Markdown report of every note the parser made, grouped by kind, in source order."""
    by_kind = defaultdict(list)
    for note in doc.notes:
        by_kind[note.kind].append(note)
    lines = [
        f"# Data-quality report: {doc.name}",
        "",
        f"Source `{doc.name}.txt` — {doc.doc_number} 《{doc.title}》.",
        "",
        f"- key tasks: {len(doc.tasks)}; targets: {doc.target_count}; measures: {doc.measure_count} "
        f"(declared: {doc.declared_measures}条) — {'match' if doc.measure_count == doc.declared_measures else 'MISMATCH'}",
        f"- responsible units: {len({m.unit.id for t in doc.tasks for m in t.units})}; "
        f"lead assignments: {sum(len(t.leads) for t in doc.tasks)}; "
        f"support assignments: {sum(len(t.supports) for t in doc.tasks)}",
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
        lines += [f"- line {n.line}: {n.message}" for n in notes]
    unknown = sorted(set(by_kind) - set(KINDS))
    for kind in unknown:
        lines += ["", f"## {kind}", ""] + [f"- line {n.line}: {n.message}" for n in by_kind[kind]]
    return "\n".join(lines) + "\n"
