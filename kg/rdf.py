"""Map parsed records to RDF triples (the one module that knows both)."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from .citations import jurisdiction, number_slug
from .errors import InputError
from .normalize import chinese_ordinal, fullwidth_brackets, squeeze
from .records import Item, Period, PolicyDocument, Section, WorkItem
from .resources import resource
from .units import CLASSIFICATIONS, Unit
from .vocab import (DCTERMS, DEFAULT_BASE, ELI, ORG, POL, PREFIXES, PROFILES, PROV, RDF, RDFS, SDO, SKOS, TIME, VCARD,
                    XSD)

ZH = "zh"


def new_graph() -> Graph:
    """An empty graph with exactly the project's prefixes bound (no rdflib defaults)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def slug(name: str) -> str:
    """A readable ASCII path segment for a file or document name.

    >>> slug("wenzhou-2023-82"), slug("Wenzhou 2023_82")
    ('wenzhou-2023-82', 'wenzhou-2023-82')
    >>> slug("温州文件")[:4]
    'doc-'
    """
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return ascii_slug or "doc-" + hashlib.sha1(name.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Iris:
    """The instance IRIs of one document, under a configurable base.

    >>> Iris("https://example.org/id/", "wenzhou-2023-82").measure(7, 3)
    rdflib.term.URIRef('https://example.org/id/doc/wenzhou-2023-82/task/7/measure/3')
    """

    base: str
    name: str

    @property
    def doc(self) -> URIRef:
        return URIRef(f"{self.base}doc/{slug(self.name)}")

    def part(self, *path: object) -> URIRef:
        return URIRef("/".join([str(self.doc), *map(str, path)]))

    def task(self, n: int) -> URIRef:
        return self.part("task", n)

    def target(self, n: int, k: int) -> URIRef:
        return self.part("task", n, "target", k)

    def measure(self, n: int, k: int) -> URIRef:
        return self.part("task", n, "measure", k)

    def area(self, n: int) -> URIRef:
        return self.part("area", n)

    def unit(self, unit: Unit) -> URIRef:
        """A unit of a jurisdiction is one resource for every document (``org/cn-mohrss``, ``org/sh-shi-ke-wei``);
        a unit of a document whose jurisdiction is unknown is the document's (``doc/<name>/org/<pinyin>``)."""
        return URIRef(f"{self.base}org/{unit.id}") if unit.known or unit.place else self.part("org", unit.id)

    def jurisdiction(self, place_id: str) -> URIRef:
        return URIRef(f"{self.base}jurisdiction/{place_id}")

    def key(self, key: tuple) -> URIRef:
        """An item's or section's IRI from its key: ("part", 2, 3) → …/part/2/3, ("task", 7) → …/task/7."""
        if key[0] == "closing":
            return self.part("text", "closing")
        return self.part(*key)

    def period(self, period: Period) -> URIRef:
        return URIRef(f"{self.base}period/{period.slug}")

    def year(self, year: int) -> URIRef:
        return URIRef(f"{self.base}period/year/{year}")

    def external(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}")


def known_documents() -> dict[str, dict[str, str]]:
    """Higher-level documents with curated identifiers (``data/documents.csv``), by title."""
    with open(resource("data/documents.csv"), encoding="utf-8", newline="") as fh:
        return {row["title"]: row for row in csv.DictReader(fh)}


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')  # RFC 3987: never in an IRI, even percent-free


def check_base(base: str) -> None:
    """Refuse a base IRI the instance IRIs cannot be made from (an :class:`InputError`, exit code 2).

    >>> check_base("https://example.org/id/")
    >>> check_base("http://example.org/a b/")
    Traceback (most recent call last):
    kg.errors.InputError: base IRI 'http://example.org/a b/' has a character not allowed in an IRI: ' '
    """
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise InputError(f"base IRI {base!r} must be an http(s) IRI ending in '/' or '#'")
    if not base.isascii():
        raise InputError(f"base IRI {base!r} must be ASCII")
    bad = _NOT_IN_IRI.search(base)
    if bad:
        raise InputError(f"base IRI {base!r} has a character not allowed in an IRI: {bad.group()!r}")
    if re.search(r"%(?![0-9A-Fa-f]{2})", base):
        raise InputError(f"base IRI {base!r} has a '%' not followed by two hex digits")


def document_graph(doc: PolicyDocument, base: str = DEFAULT_BASE) -> Graph:
    """The RDF graph of one parsed document; a base IRI that cannot be one is an :class:`InputError`.

    >>> from kg.readers import read_document
    >>> g = document_graph(read_document("data/wenzhou-2023-82.txt"))
    >>> len(set(g.subjects(RDF.type, POL.KeyTask))), len(set(g.subjects(RDF.type, POL.Measure)))
    (32, 195)
    """
    check_base(base)
    return _Mapper(doc, Iris(base, doc.name)).graph


def document_triples(doc: PolicyDocument, base: str = DEFAULT_BASE) -> set[tuple]:
    """The triples of :func:`document_graph`, without the rdflib Graph (no indexes to build): what a corpus
    build writes straight into its store.

    >>> from kg.readers import read_document
    >>> doc = read_document("data/wenzhou-2023-82.txt")
    >>> document_triples(doc) == set(document_graph(doc))
    True
    """
    check_base(base)
    return _Mapper(doc, Iris(base, doc.name), sink=set()).triples


def ntriples(triples) -> bytes:
    """N-Triples of some triples, one per line, escaped as rdflib escapes them (in the order given)."""
    from rdflib.plugins.serializers.nt import _nt_row

    return "".join(map(_nt_row, triples)).encode("utf-8")


class _Mapper:
    def __init__(self, doc: PolicyDocument, iris: Iris, sink: set | None = None):
        self.doc, self.iris = doc, iris
        self.graph = new_graph() if sink is None else None
        self.triples = sink
        self.add = self.graph.add if sink is None else sink.add
        self._units: set[str] = set()
        self._places: set[URIRef] = set()
        self._contacts: dict[tuple[str, str], URIRef] = {}
        self._documents: set[URIRef] = set()
        self._known = known_documents()
        self._number_of = {c.title: c.number for c in doc.citations if c.title and c.number}
        self._title_of = {c.number: c.title for c in doc.citations if c.title and c.number}
        self._goal_iris = self._goals()
        self.notice()
        self.main_text()
        self.task_list()
        self.sections()
        self.items()
        self.citations()
        self.indicators()

    def _goals(self) -> list[URIRef]:
        """Goal IRIs: …/text/goal/2025, or …/text/goal/2027-2 where a document states several for one year."""
        years = [g.year for g in self.doc.goals]
        out, seen = [], {}
        for year in years:
            seen[year] = seen.get(year, 0) + 1
            suffix = str(year) if years.count(year) == 1 else f"{year}-{seen[year]}"
            out.append(self.iris.part("text", "goal", suffix))
        return out

    def zh(self, text: str) -> Literal:
        return Literal(text, lang=ZH)

    def label(self, node: URIRef, zh: str, en: str | None = None) -> None:
        self.add((node, RDFS.label, self.zh(zh)))
        if en:
            self.add((node, RDFS.label, Literal(en, lang="en")))

    def lines(self, node: URIRef, *lines: int) -> None:
        for line in lines:
            self.add((node, POL.sourceLine, Literal(line)))

    def part_of(self, part: URIRef, whole: URIRef) -> None:
        self.add((whole, ELI.has_part, part))
        self.add((part, ELI.is_part_of, whole))

    # -- the notice and its main text ----------------------------------------------------
    def notice(self) -> None:
        doc, node = self.doc, self.iris.doc
        self.add((node, RDF.type, POL.PolicyDocument))
        if doc.notice_title:
            self.add((node, RDF.type, POL.Notice))
        self.add((node, RDF.type, ELI.LegalResource))
        if doc.doc_number:
            self.add((node, ELI.id_local, Literal(doc.doc_number)))
        title = doc.notice_title or doc.title
        if title:
            self.add((node, ELI.title, self.zh(title)))
        self.label(node, title or doc.label)
        if doc.date:
            self.add((node, ELI.date_document, Literal(doc.date.isoformat(), datatype=XSD.date)))
        if doc.issuer:
            self.add((node, ELI.passed_by, self.unit(doc.issuer.unit)))
        self.add((node, DCTERMS.source, Literal(doc.file_name)))
        self.lines(node, doc.doc_number_line or doc.title_line)
        if doc.notice_body:
            self.add((node, DCTERMS.description, self.zh(doc.notice_body)))
        for addressee in doc.addressees:
            self.add((node, POL.addressee, self.zh(addressee)))
        if doc.release_statement:
            self.add((node, POL.releaseStatement, self.zh(doc.release_statement)))
        for cc in doc.cc:
            self.add((node, POL.ccRecipient, self.zh(cc)))
        if doc.print_date:
            self.add((node, POL.printDate, Literal(doc.print_date.isoformat(), datatype=XSD.date)))
        if doc.status:
            self.add((node, POL.status, self.zh(doc.status)))
        for layout in doc.layouts:
            self.add((node, POL.layout, Literal(layout)))
        if doc.jurisdiction:
            self.add((node, POL.jurisdiction, self.place(doc.jurisdiction)))
        for profile in doc.profiles:
            self.add((node, DCTERMS.conformsTo, PROFILES[profile]))

    def main_text(self) -> None:
        doc, iris = self.doc, self.iris
        text = iris.part("text")
        self.add((text, RDF.type, POL.PolicyText))
        self.add((text, RDF.type, ELI.LegalResource))
        title = doc.title or doc.notice_title
        if title:
            self.add((text, ELI.title, self.zh(title)))
        self.label(text, title or doc.label)
        if doc.date:
            self.add((text, ELI.date_document, Literal(doc.date.isoformat(), datatype=XSD.date)))
        self.lines(text, doc.title_line or doc.doc_number_line or 1)
        if doc.preamble:
            self.add((text, DCTERMS.description, self.zh(doc.preamble)))
        self.part_of(text, iris.doc)
        level = jurisdiction(number=doc.doc_number, issuer=doc.issuer.unit.name_zh if doc.issuer else None)
        if level is None and doc.jurisdiction:  # a place found from the title or given: its level
            from .jurisdictions import places

            level = places()[doc.jurisdiction].level
        for node in (iris.doc, text):
            self.level(node, level)
        for ref in doc.implements:
            higher = self.document(ref.title, None)
            self.add((text, ELI.ensures_implementation_of, higher))
            if doc.adopted_measures and jurisdiction(title=ref.title) == "provincial":
                self.adopted_measures(higher, doc.adopted_measures)
        if doc.principle:
            node = iris.part("text", "principle")
            self.add((node, RDF.type, POL.Principle))
            self.label(node, "总体要求·原则", "General requirements: principle")
            self.add((node, POL.text, self.zh(doc.principle)))
            self.part_of(node, text)
        for goal, node in zip(doc.goals, self._goal_iris):
            self.add((node, RDF.type, POL.OverallGoal))
            self.label(node, f"{goal.year}年总体目标", f"Overall goals for {goal.year}")
            self.add((node, POL.goalYear, Literal(str(goal.year), datatype=XSD.gYear)))
            self.add((node, POL.text, self.zh(goal.text)))
            self.lines(node, goal.line)
            self.part_of(node, text)
        if doc.areas:
            self.areas()
        for guarantee in doc.guarantees:
            node = iris.part("text", "guarantee", guarantee.number)
            self.add((node, RDF.type, POL.OrganisationalGuarantee))
            self.label(node, f"（{chinese_ordinal(guarantee.number)}）{guarantee.title}")
            self.add((node, POL.number, Literal(guarantee.number)))
            self.add((node, POL.text, self.zh(guarantee.text)))
            self.lines(node, guarantee.line)
            self.part_of(node, text)

    def areas(self) -> None:
        doc, iris = self.doc, self.iris
        text = iris.part("text")
        scheme = iris.part("areas")
        self.add((scheme, RDF.type, SKOS.ConceptScheme))
        self.label(scheme, f"{doc.title}·总体任务", "Policy areas")
        self.add((scheme, DCTERMS.source, text))
        if doc.areas_intro:
            self.add((scheme, DCTERMS.description, self.zh(doc.areas_intro)))
        for area in doc.areas:
            concept, para = iris.area(area.number), iris.part("text", "area", area.number)
            self.add((concept, RDF.type, POL.PolicyArea))
            self.add((concept, RDF.type, SKOS.Concept))
            self.add((concept, SKOS.prefLabel, self.zh(area.name)))
            self.label(concept, area.name)
            self.add((concept, SKOS.notation, Literal(str(area.number))))
            self.add((concept, POL.number, Literal(area.number)))
            self.add((concept, SKOS.inScheme, scheme))
            self.add((concept, SKOS.topConceptOf, scheme))
            self.add((scheme, SKOS.hasTopConcept, concept))
            self.add((para, RDF.type, POL.AreaParagraph))
            self.label(para, f"（{chinese_ordinal(area.number)}）{area.name}")
            self.add((para, POL.number, Literal(area.number)))
            self.add((para, POL.area, concept))
            self.add((para, POL.text, self.zh(area.text)))
            self.lines(para, area.line)
            self.part_of(para, text)

    def level(self, node: URIRef, level: str | None) -> None:
        if level:
            self.add((node, POL.jurisdictionLevel, POL[level.capitalize()]))

    def document(self, title: str | None, number: str | None) -> URIRef:
        """A cited or implemented document, one node per document (by number, else by title)."""
        title = title or self._title_of.get(number)
        number = number or self._number_of.get(title)
        known = self._known.get(title) if title else None
        if known:
            node = self.iris.external(known["id"])
        elif number and number_slug(number):
            node = self.iris.external(number_slug(number))
        else:
            key = number or title
            node = self.iris.external("ref-" + hashlib.sha1(key.encode()).hexdigest()[:12])
        if node in self._documents:
            return node
        self._documents.add(node)
        self.add((node, RDF.type, ELI.LegalResource))
        if title:
            self.add((node, ELI.title, self.zh(title)))
        if number:
            self.add((node, ELI.id_local, Literal(number)))
        self.label(node, title or number)
        if known:
            if known.get("issuer"):
                self.add((node, DCTERMS.creator, self.zh(known["issuer"])))
            if known.get("year"):
                self.add((node, DCTERMS.issued, Literal(known["year"], datatype=XSD.gYear)))
        self.level(node, jurisdiction(title=title, number=number, issuer=known.get("issuer") if known else None))
        return node

    def adopted_measures(self, higher: URIRef, count: int) -> None:
        """The higher-level document's numbered measures, which the key tasks carry out in order.

        The source says only that the city takes them over in full (全面承接 … 32 条); their wording is not
        in the source and is not invented: each is labelled by its number.
        """
        for n in range(1, count + 1):
            part = URIRef(f"{higher}/measure/{n}")
            self.add((part, RDF.type, ELI.LegalResourceSubdivision))
            self.add((part, ELI.number, Literal(str(n))))
            self.label(part, f"浙江省措施第{n}条", f"Zhejiang measure {n}")
            self.part_of(part, higher)
            self.add((self.iris.task(n), ELI.ensures_implementation_of, part))

    def citing_node(self, part: tuple) -> URIRef:
        """The node of a part of the text that cites or promises something (see :class:`~kg.records.Citation`)."""
        kind, *rest = part
        iris = self.iris
        if kind == "measure":
            return iris.measure(*rest)
        if kind == "target":
            return iris.target(*rest)
        if kind == "goal":
            return self._goal_iris[rest[0]]
        if kind in ("area", "guarantee"):
            return iris.part("text", kind, *rest)
        if kind in ("item", "section"):
            return iris.key(tuple(rest))
        return {"preamble": iris.part("text"), "principle": iris.part("text", "principle")}[kind]

    def citations(self) -> None:
        counters: dict[URIRef, int] = {}
        for c in self.doc.citations:
            node = self.citing_node(c.part)
            cited = self.document(c.title, c.number)
            counters[node] = counters.get(node, 0) + 1
            citation = URIRef(f"{node}/citation/{counters[node]}")
            self.add((node, ELI.cites, cited))
            self.add((node, POL.hasCitation, citation))
            self.add((citation, RDF.type, POL.Citation))
            self.add((citation, POL.citedDocument, cited))
            self.add((citation, POL.citationKind, POL[c.kind.capitalize()]))
            if c.verb:
                self.add((citation, POL.citingVerb, self.zh(c.verb)))
            self.add((citation, POL.sourceLine, Literal(c.line)))

    def indicators(self) -> None:
        counters: dict[URIRef, int] = {}
        for part, ind in self.doc.indicators:
            node = self.citing_node(part)
            counters[node] = counters.get(node, 0) + 1
            indicator = URIRef(f"{node}/indicator/{counters[node]}")
            self.add((node, POL.hasIndicator, indicator))
            self.add((indicator, RDF.type, POL.Indicator))
            self.add((indicator, RDF.type, SDO.QuantitativeValue))
            self.label(indicator, ind.written)
            self.add((indicator, SDO.value, Literal(ind.value, datatype=XSD.decimal)))
            if ind.unit:
                self.add((indicator, SDO.unitText, Literal(ind.unit)))
            self.add((indicator, POL.comparator, POL[ind.comparator]))
            if ind.recurring:
                self.add((indicator, POL.recurring, Literal(True)))
            elif ind.due_year:
                self.add((indicator, POL.dueYear, Literal(str(ind.due_year), datatype=XSD.gYear)))
            if ind.normalised:
                value, code, currency = ind.normalised
                self.add((indicator, POL.normalisedValue, Literal(value, datatype=XSD.decimal)))
                if code:
                    self.add((indicator, SDO.unitCode, Literal(code)))
                if currency:
                    self.add((indicator, SDO.currency, Literal(currency)))

    # -- the task list -------------------------------------------------------------------
    def task_list(self) -> None:
        doc, iris = self.doc, self.iris
        if not doc.tasks or doc.tasks[0].key[0] != "task":
            return
        node = iris.part("task-list")
        self.add((node, RDF.type, POL.TaskList))
        title = doc.task_list_title or doc.attachment_title
        self.add((node, ELI.title, self.zh(title)))
        self.label(node, title)
        if doc.declared_measures:
            self.add((node, POL.declaredMeasureCount, Literal(doc.declared_measures)))
        self.part_of(node, iris.part("text"))
        for task in doc.tasks:
            self.add((node, POL.hasKeyTask, iris.task(task.number)))

    # -- sections, tables and items ------------------------------------------------------
    def parent(self, key: tuple | None) -> URIRef:
        """The node a section or item is part of: its section, table or item, or else the policy text."""
        if key is None:
            return self.iris.part("text")
        if key[0] == "table" and len(key) == 2:
            return self.iris.part("table", key[1])
        return self.iris.key(key)

    def sections(self) -> None:
        doc, iris = self.doc, self.iris
        for table in doc.tables:
            node = iris.part("table", table.number)
            self.add((node, RDF.type, POL.TaskList))
            self.add((node, ELI.title, self.zh(table.title)))
            self.label(node, table.title)
            self.add((node, POL.number, Literal(table.number)))
            self.lines(node, table.line)
            self.part_of(node, iris.part("text"))
        for section in doc.sections:
            node = iris.key(section.key)
            self.add((node, RDF.type, POL.Section))
            self.add((node, RDF.type, ELI.LegalResourceSubdivision))
            self.label(node, section.title)
            if section.path:
                self.add((node, POL.numberPath, Literal("/".join(section.path))))
            if isinstance(section.key[-1], int):
                self.add((node, POL.number, Literal(section.key[-1])))
            if section.text:
                self.add((node, POL.text, self.zh(section.text)))
            self.lines(node, section.line)
            self.part_of(node, self.parent(self._section_parent(section)))

    def _section_parent(self, section: Section) -> tuple | None:
        key = section.key
        if key[0] == "part" and len(key) > 2:
            return key[:-1]
        if key[0] == "table":
            return ("table", key[1])
        return None

    def items(self) -> None:
        for item in self.doc.items:
            if item.key[0] == "task":
                self.task(item, self.iris.part("task-list"))
            else:
                self.task(item, self.parent(item.part))

    def task(self, task: WorkItem, whole: URIRef) -> None:
        iris = self.iris
        node = iris.key(task.key)
        self.add((node, RDF.type, POL.KeyTask if task.kind == "key-task" else POL.Measure))
        self.add((node, RDF.type, PROV.Activity))
        self.add((node, POL.number, Literal(task.number)))
        self.label(node, task.title)
        if task.key[0] != "task":
            self.add((node, POL.numberPath, Literal("/".join(task.path))))
        if task.text:
            self.add((node, POL.text, self.zh(task.text)))
        self.part_of(node, whole)
        if task.area is not None:
            self.add((node, POL.area, iris.area(task.area)))
        self.lines(node, *task.lines)
        zh = f"重点工作{task.number}" if task.key[0] == "task" else "/".join(task.path)
        en = f"Key task {task.number}" if task.key[0] == "task" else f"Item {'/'.join(task.path)}"
        for item in task.targets:
            self.item(node, URIRef(f"{node}/target/{item.number}"), POL.Target, POL.hasTarget, item,
                      f"{zh}·目标{item.number}", f"{en}, target {item.number}")
        for item in task.measures:
            self.item(node, URIRef(f"{node}/measure/{item.number}"), POL.Measure, POL.hasMeasure, item,
                      f"{zh}·举措{item.number}", f"{en}, measure {item.number}")
        if task.period is not None:
            self.add((node, POL.period, self.period(task.period)))
        roles = {"lead": (POL.leadUnit, POL.LeadRole), "support": (POL.supportUnit, POL.SupportRole),
                 "responsible": (POL.responsibleUnit, POL.ResponsibleRole)}
        for position, mention in enumerate(task.units, 1):
            unit = self.unit(mention.unit, mention.written)
            prop, role = roles[mention.role]
            self.add((node, prop, unit))
            association = URIRef(f"{node}/responsibility/{mention.unit.id}")
            self.add((node, PROV.qualifiedAssociation, association))
            self.add((association, RDF.type, PROV.Association))
            self.add((association, PROV.agent, unit))
            self.add((association, PROV.hadRole, role))
            self.add((association, POL.position, Literal(position)))
            written = squeeze(mention.written)
            if fullwidth_brackets(written) != fullwidth_brackets(mention.unit.name_zh):
                self.add((association, POL.nameAsWritten, self.zh(written)))
        if task.contact is not None:
            self.add((node, POL.contact, self.contact(task)))
        if task.deadline is not None:
            self.add((node, POL.deadline, self.zh(task.deadline.written)))
            if task.deadline.date:
                self.add((node, POL.dueDate, Literal(task.deadline.date.isoformat(), datatype=XSD.date)))
        for related in task.related:
            self.add((node, DCTERMS.relation, iris.key(related)))

    def item(self, task: URIRef, node: URIRef, cls: URIRef, prop: URIRef, item: Item, zh: str, en: str) -> None:
        self.add((node, RDF.type, cls))
        self.add((node, POL.number, Literal(item.number)))
        self.add((node, POL.text, self.zh(item.text)))
        if not item.numbered:
            self.add((node, POL.unnumbered, Literal(True)))
        self.label(node, zh, en)
        self.lines(node, item.line)
        self.add((task, prop, node))
        self.part_of(node, task)

    def period(self, period: Period) -> URIRef:
        node = self.iris.period(period)
        self.add((node, RDF.type, POL.ImplementationPeriod))
        self.add((node, RDF.type, TIME.ProperInterval))
        self.add((node, POL.isLongTerm, Literal(period.long_term)))
        if period.long_term:
            self.label(node, period.label, "long-term")
            return node
        self.label(node, period.label, str(period.start) if period.start == period.end
                   else f"{period.start}–{period.end}")
        for prop, year in ((TIME.hasBeginning, period.start), (TIME.hasEnd, period.end)):
            instant = self.iris.year(year)
            self.add((node, prop, instant))
            self.add((instant, RDF.type, TIME.Instant))
            self.add((instant, TIME.inXSDgYear, Literal(str(year), datatype=XSD.gYear)))
            self.label(instant, f"{year}年", str(year))
        return node

    def unit(self, unit: Unit, written: str | None = None) -> URIRef:
        node = self.iris.unit(unit)
        if written is not None:  # every form a document writes the name in is an altLabel
            form = squeeze(written)
            if form != unit.name_zh and form not in unit.aliases:
                self.add((node, SKOS.altLabel, self.zh(form)))
        if node in self._units:
            return node
        self._units.add(node)
        self.add((node, RDF.type, ORG.Organization))
        self.add((node, RDF.type, PROV.Organization))
        if unit.collective:
            self.add((node, RDF.type, POL.CollectiveUnit))
        self.label(node, unit.name_zh, unit.name_en or None)
        self.add((node, SKOS.prefLabel, self.zh(unit.name_zh)))
        for alias in unit.aliases:
            self.add((node, SKOS.altLabel, self.zh(alias)))
        self.add((node, DCTERMS.identifier, Literal(unit.id)))
        self.add((node, POL.inGazetteer, Literal(unit.known)))
        if unit.place:
            self.add((node, POL.jurisdiction, self.place(unit.place)))
        if unit.classification:
            self.add((node, ORG.classification, POL[CLASSIFICATIONS[unit.classification][0]]))
        return node

    def place(self, place_id: str) -> URIRef:
        """A jurisdiction (``jurisdiction/zj``) and the places above it, each described once."""
        from .jurisdictions import ancestors, places

        node = self.iris.jurisdiction(place_id)
        if node in self._places:
            return node
        for p in ancestors(places()[place_id]):
            here = self.iris.jurisdiction(p.id)
            if here in self._places:
                break
            self._places.add(here)
            self.add((here, RDF.type, DCTERMS.Jurisdiction))
            self.label(here, p.name_zh, p.name_en)
            self.add((here, DCTERMS.identifier, Literal(p.id)))
            self.add((here, POL.jurisdictionLevel, POL[p.level.capitalize()]))
            if p.parent:
                self.add((here, SKOS.broader, self.iris.jurisdiction(p.parent)))
        return node

    def contact(self, task: WorkItem) -> URIRef:
        key = (task.contact.name, task.contact.phone)
        node = self._contacts.get(key)
        if node is None:
            node = self.iris.part("contact", len(self._contacts) + 1)
            self._contacts[key] = node
            self.add((node, RDF.type, VCARD.Individual))
            self.add((node, VCARD.fn, Literal(task.contact.name)))
            self.label(node, task.contact.name)
            self.add((node, VCARD.hasTelephone, URIRef(task.contact.tel_uri)))
            self.lines(node, task.contact.line)
        return node
