"""The document's items written back from the graph alone: one row per item, in the columns the document has.

Reads RDF through SPARQL (any graph following the ontology). A graph whose items are all key tasks of a
task list (Wenzhou's) gives that list as the source's table has it: targets and measures numbered as in
the source ("1. …"), units in the source's order with ``*`` on lead units, the contact's phone as written.
Any other graph gives one row per item (key task, measure or table row): its number path, label and text,
its lead, supporting and jointly responsible units in the source's order, and its deadline, period,
contact and area where the document has them. Formats: TSV (a cell that would start a formula written as text,
:func:`kg.escape.csv_cell`), Markdown (markup in the text escaped, :func:`kg.escape.markdown_text`), Excel (every
cell text, never a formula).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass

from .escape import csv_cell, markdown_text
from .normalize import chinese_ordinal
from .query import Engine, sparql_prefixes
from .readers.task_list import HEADER  # the task list's own header: written back as the source has it

WIDTHS = (6, 16, 28, 60, 90, 12, 40, 22)
# the columns of an item table, in order: key, header, width (Excel); a column is written where some row has a value
ITEM_COLUMNS = (("document", "文件", 30), ("number", "编号", 14), ("label", "事项", 28), ("text", "内容", 80),
                ("targets", "目标", 60), ("measures", "落实举措", 90), ("lead", "牵头单位", 24),
                ("support", "配合单位", 36), ("responsible", "共同责任单位", 36), ("deadline", "完成时限", 16),
                ("period", "实施阶段", 12), ("contact", "联系人", 22), ("area", "总体任务", 16))

_PREFIXES = "\n" + sparql_prefixes("pol", "rdfs", "skos", "prov", "vcard", "eli")
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
SELECT DISTINCT ?t ?unit ?role ?position WHERE {  # DISTINCT: a unit described in two graphs of a store
  ?t prov:qualifiedAssociation ?q .
  ?q prov:agent ?u ; prov:hadRole ?role .
  OPTIONAL { ?q pol:position ?position }
  OPTIONAL { ?q pol:nameAsWritten ?written }  # the name as the item writes it, where it differs from the label
  ?u rdfs:label ?label . FILTER (lang(?label) = "zh")
  BIND (COALESCE(?written, ?label) AS ?unit)
}
"""


# the items: subjects of the three responsibility properties, whatever their class
ITEM = "{ SELECT DISTINCT ?t WHERE { ?t pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?anyUnit } }"
KIND = _PREFIXES + """
SELECT (COUNT(DISTINCT ?t) AS ?items) (COUNT(DISTINCT ?k) AS ?keyTasks) (COUNT(DISTINCT ?list) AS ?lists) WHERE {
  """ + ITEM + """
  OPTIONAL { ?t a pol:KeyTask . ?list pol:hasKeyTask ?t . BIND (?t AS ?k) }
}
"""
ITEM_ROWS = _PREFIXES + """
SELECT ?t ?line ?number ?path ?label ?text ?deadline ?period ?areaNumber ?area ?doc ?docTitle ?docNumber WHERE {
  { SELECT ?t (MIN(?l) AS ?line) WHERE { """ + ITEM + """ ?t pol:sourceLine ?l } GROUP BY ?t HAVING (COUNT(?l) > 0) }
  ?t pol:number ?number ; rdfs:label ?label .
  FILTER (lang(?label) = "zh")
  OPTIONAL { ?t pol:numberPath ?path }
  OPTIONAL { ?t pol:text ?text }
  OPTIONAL { ?t pol:deadline ?deadline }
  OPTIONAL { ?t pol:period ?p . ?p rdfs:label ?period . FILTER (lang(?period) = "zh") }
  OPTIONAL { ?t pol:area ?a . ?a skos:prefLabel ?area . OPTIONAL { ?a pol:number ?areaNumber } }
  OPTIONAL {
    ?t eli:is_part_of+ ?doc . ?doc a ?docClass . VALUES ?docClass { pol:PolicyDocument pol:Notice }
    OPTIONAL { ?doc eli:title ?docTitle }
    OPTIONAL { ?doc eli:id_local ?docNumber }
  }
}
ORDER BY ?t
"""
ITEM_CONTACTS = _PREFIXES + """
SELECT DISTINCT ?t ?contact ?tel WHERE { """ + ITEM + """ ?t pol:contact ?c . ?c vcard:fn ?contact .
  OPTIONAL { ?c vcard:hasTelephone ?tel } }
ORDER BY ?t ?contact ?tel
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


@dataclass
class Table:
    """Rows under a header, and how an Excel sheet shows them."""

    header: tuple[str, ...]
    rows: list[tuple]
    noun: str  # what a row is: "key tasks" (a task list) or "items"
    sheet: str = "任务清单"
    widths: tuple[int, ...] = WIDTHS

    def tsv(self) -> str:
        return to_tsv(self.rows, self.header)

    def markdown(self) -> str:
        return to_markdown(self.rows, self.header)

    def xlsx(self) -> bytes:
        return to_xlsx(self.rows, self.header, self.sheet, self.widths)


def export_table(engine: Engine, sep: str = " ") -> Table:
    """The graph's items as a table: the task list where every item is a key task of one task list (Wenzhou's),
    else one row per item in the columns the documents have (:func:`item_table`; a store of several task lists
    too, with a document column). *sep* joins numbered targets or measures."""
    kind = engine.select(KIND, source="table: items").records()[0]
    if int(kind["items"]) and kind["keyTasks"] == kind["items"] and kind["lists"] == "1":
        return Table(HEADER, task_rows(engine, sep), "key tasks")
    return item_table(engine, sep)


def item_table(engine: Engine, sep: str = " ") -> Table:
    """One row per item in document order (documents by title), in the columns of :data:`ITEM_COLUMNS` that some
    row has a value in; the document column only where the graph holds more than one document.

    >>> from kg.query import open_engine
    >>> table = item_table(open_engine(["tests/data/mini.ttl"]))
    >>> table.header
    ('编号', '事项', '目标', '落实举措', '牵头单位', '配合单位', '实施阶段', '联系人', '总体任务')
    >>> table.rows[0][:2], table.rows[0][4:6]
    (('1', '加大投资'), ('乙委、甲局', '丙办'))
    """
    parts: dict[str, dict[str, list]] = defaultdict(lambda: {"target": [], "measure": []})
    for r in engine.select(ITEMS, source="task table: items").records():
        parts[r["t"]][r["kind"]].append((int(r["number"]), r["text"], r["unnumbered"] == "true"))
    units: dict[str, list] = defaultdict(list)
    for r in engine.select(UNITS, source="item table: units").records():
        units[r["t"]].append((int(r["position"]) if r["position"] else 10**6, r["unit"], r["role"].rsplit("#", 1)[-1]))
    contacts: dict[str, list] = defaultdict(list)
    for r in engine.select(ITEM_CONTACTS, source="item table: contacts").records():
        contacts[r["t"]].append(f"{r['contact']} {phone_as_written(r['tel'])}".strip())
    found: dict[str, dict] = {}
    for r in engine.select(ITEM_ROWS, source="item table: items").records():
        found.setdefault(r["t"], r)  # an item has one row unless it is part of two documents: the first
    rows = []
    for t, r in found.items():
        listed = sorted(units[t])
        names = {role: "、".join(name for _, name, r_ in listed if r_ == role)
                 for role in ("LeadRole", "SupportRole", "ResponsibleRole")}
        area = f"{chinese_ordinal(int(r['areaNumber']))}、{r['area']}" if r["areaNumber"] else (r["area"] or "")
        row = {"document": r["docTitle"] or r["doc"] or "", "number": r["path"] or r["number"], "label": r["label"],
               "text": r["text"] or "", "targets": items_cell(sorted(parts[t]["target"]), sep),
               "measures": items_cell(sorted(parts[t]["measure"]), sep), "lead": names["LeadRole"],
               "support": names["SupportRole"], "responsible": names["ResponsibleRole"], "deadline": r["deadline"] or "",
               "period": r["period"] or "", "contact": " / ".join(contacts[t]), "area": area, "_t": t}
        rows.append(((r["doc"] or "", int(r["line"]), int(r["number"]), t), row))
    rows.sort(key=lambda kv: kv[0])
    titles: dict[str, set] = defaultdict(set)
    for (doc, *_), row in rows:
        titles[row["document"]].add(doc)
    for (doc, *_), row in rows:  # two documents of one title: their numbers tell them apart
        if len(titles[row["document"]]) > 1 and found[row["_t"]]["docNumber"]:
            row["document"] += f"（{found[row['_t']]['docNumber']}）"
    several = len({key[0] for key, _ in rows}) > 1
    columns = [c for c in ITEM_COLUMNS if (c[0] != "document" or several) and any(row[c[0]] for _, row in rows)]
    return Table(tuple(header for _, header, _ in columns), [tuple(row[key] for key, _, _ in columns) for _, row in rows],
                 "items", "事项清单", tuple(width for _, _, width in columns))


def to_tsv(rows: list[tuple], header: tuple[str, ...] = HEADER) -> str:
    """Tab-separated rows under a header; a cell that would start a formula is written as text (:func:`csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(map(csv_cell, header))
    writer.writerows(map(csv_cell, row) for row in rows)
    return out.getvalue()


def to_markdown(rows: list[tuple], header: tuple[str, ...] = HEADER) -> str:
    """A Markdown table whose cells show as the characters they are made of (:func:`markdown_text`): Wenzhou's
    lead marks ``*`` come out as ``\\*``, a line break inside a cell as ``<br>``."""

    def cell(v) -> str:
        return markdown_text(v, newline="<br>")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_xlsx(rows: list[tuple], header: tuple[str, ...] = HEADER, sheet: str = "任务清单",
            widths: tuple[int, ...] = WIDTHS) -> bytes:
    """An Excel workbook with one sheet; every text cell is a string, never a formula (a cell may start with
    '='), and the bytes do not depend on the clock. The task list's 序号 stays a number.

    openpyxl takes a value starting with '=' for a formula (data type "f", written as ``<f>``): the data type is
    set back to "s" (written as an inline string), and a cell that would start a formula (:func:`csv_cell`) is also
    marked as quoted text (Excel's quotePrefix, what typing a leading apostrophe does), so that editing it in Excel
    keeps it text."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([int(row[0]), *row[1:]] if header == HEADER else list(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl took a value starting with '=' for a formula ("f")
                if csv_cell(cell.value) != cell.value:
                    cell.quotePrefix = True
            if cell.row > 1:
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
