"""The task list written back from the graph alone: one row per key task, as the source's table has it.

Reads RDF through SPARQL (any graph following the ontology). Cells hold the normalised text: items
numbered as in the source ("1. …"), units in the source's order with ``*`` on lead units, the
contact's phone as written. Formats: TSV, Markdown, Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from .normalize import chinese_ordinal
from .query import Engine

HEADER = ("序号", "总体任务", "重点工作", "温州市目标", "温州市落实举措", "实施阶段", "责任单位", "联系人")

_PREFIXES = """
PREFIX pol: <https://w3id.org/policy-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
"""
TASKS = _PREFIXES + """
SELECT ?t ?number ?title ?areaNumber ?area ?period ?contact ?tel WHERE {
  ?t a pol:KeyTask ; pol:number ?number ; rdfs:label ?title .
  FILTER (lang(?title) = "zh")
  OPTIONAL { ?t pol:area ?a . ?a skos:prefLabel ?area . OPTIONAL { ?a pol:number ?areaNumber } }
  OPTIONAL { ?t pol:period ?p . ?p rdfs:label ?period . FILTER (lang(?period) = "zh") }
  OPTIONAL { ?t pol:contact ?c . ?c vcard:fn ?contact . OPTIONAL { ?c vcard:hasTelephone ?tel } }
}
ORDER BY ?number ?t
"""
ITEMS = _PREFIXES + """
SELECT ?t ?kind ?number ?text ?unnumbered WHERE {
  { ?t pol:hasTarget ?i . BIND ("target" AS ?kind) } UNION { ?t pol:hasMeasure ?i . BIND ("measure" AS ?kind) }
  ?i pol:number ?number ; pol:text ?text .
  OPTIONAL { ?i pol:unnumbered ?unnumbered }
}
ORDER BY ?t ?kind ?number
"""
UNITS = _PREFIXES + """
SELECT ?t ?unit ?role ?position WHERE {
  ?t prov:qualifiedAssociation ?q .
  ?q prov:agent ?u ; prov:hadRole ?role .
  OPTIONAL { ?q pol:position ?position }
  ?u rdfs:label ?unit . FILTER (lang(?unit) = "zh")
}
"""


def phone_as_written(tel: str | None) -> str:
    """The phone as the source writes it, from its tel: IRI.

    >>> phone_as_written("tel:+86-577-88026991"), phone_as_written("tel:+86-180-6628-0783")
    ('0577-88026991', '18066280783')
    """
    if not tel:
        return ""
    parts = tel.removeprefix("tel:").removeprefix("+86-").split("-")
    if len(parts) == 3:  # mobile, written as one block of 11 digits
        return "".join(parts)
    return "0" + parts[0] + "-" + "-".join(parts[1:])


def items_cell(items: list[tuple[int, str, bool]], sep: str = " ") -> str:
    """Items written as the source does: "1. … 2. …", or the bare text of an unnumbered one."""
    return sep.join(text if unnumbered else f"{number}. {text}" for number, text, unnumbered in items)


def task_rows(engine: Engine, sep: str = " ") -> list[tuple[str, ...]]:
    """One row per key task, in the source's columns."""
    items: dict[str, dict[str, list]] = defaultdict(lambda: {"target": [], "measure": []})
    for r in engine.select(ITEMS, source="task table: items").records():
        items[r["t"]][r["kind"]].append((int(r["number"]), r["text"], r["unnumbered"] == "true"))
    units: dict[str, list] = defaultdict(list)
    for r in engine.select(UNITS, source="task table: units").records():
        lead = r["role"].endswith("#LeadRole")
        units[r["t"]].append((int(r["position"]) if r["position"] else 10**6, r["unit"], lead))
    rows = []
    for r in engine.select(TASKS, source="task table: tasks").records():
        t, number = r["t"], int(r["number"])
        listed = sorted(units[t], key=lambda u: (u[0], not u[2], u[1]))
        only_one_lead = len(listed) == 1  # the source marks no '*' when a task lists one unit
        unit_cell = " ".join(("" if only_one_lead or not lead else "*") + name for _, name, lead in listed)
        area = f"{chinese_ordinal(int(r['areaNumber']))}、{r['area']}" if r["areaNumber"] else (r["area"] or "")
        rows.append((str(number), area, f"({chinese_ordinal(number)}){r['title']}",
                     items_cell(sorted(items[t]["target"]), sep), items_cell(sorted(items[t]["measure"]), sep),
                     r["period"] or "", unit_cell, f"{r['contact'] or ''} {phone_as_written(r['tel'])}".strip()))
    return rows


def to_tsv(rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def to_markdown(rows: list[tuple[str, ...]]) -> str:
    def cell(v: str) -> str:
        return v.replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_xlsx(rows: list[tuple[str, ...]]) -> bytes:
    """An Excel workbook with one sheet, 任务清单; the bytes do not depend on the clock."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([int(row[0]), *row[1:]])
    for column, width in zip("ABCDEFGH", (6, 16, 28, 60, 90, 12, 40, 22)):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed member times, so the same table gives the same bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()
