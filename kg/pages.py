"""Resource pages: what the graph says about one IRI, for a person (HTML) and for a machine (RDF).

Every IRI under the base that is the subject of a triple has a page: its labels in Chinese and English, its
types, every property with its values (IRIs linked, literals with their language or datatype), the resources
that point at it grouped by property and by document (a unit's page lists the items it leads and supports), the
outline of its parts (a document's areas, key tasks and measures), and a small drawing of its neighbourhood. The
same resource's triples are written as Turtle, JSON-LD or N-Triples, sorted, so the same graph gives the same
bytes.

Pages read RDF only, through a query engine (:class:`kg.query.OxigraphEngine`, the union of a store's graphs),
so any graph that conforms to the ontology has them. How a page links is a :class:`Links` object:
:class:`ServerLinks` for ``policy-kg serve`` (absolute paths it answers at: ``/id/doc/…``), :class:`SiteLinks`
for a static site (relative links from folder to folder, ``…/index.html``, so the folder works from ``file://``
and from any path). Text from documents is data: the templates escape it (Jinja2's autoescape).

>>> from kg.query import OxigraphEngine
>>> from kg.vocab import DEFAULT_BASE
>>> engine = OxigraphEngine()
>>> engine.store.bulk_load(f'<{DEFAULT_BASE}org/a> <http://www.w3.org/2000/01/rdf-schema#label> "甲局"@zh .'.encode(),
...                        engine.ox.RdfFormat.N_TRIPLES)
>>> pages = Pages(engine)
>>> sorted(pages.resources)
['https://w3id.org/policy-kg/id/org/a']
>>> pages.describe(DEFAULT_BASE + "org/a").title
'甲局'
>>> ServerLinks(pages).resource(DEFAULT_BASE + "org/a")
'/id/org/a'
>>> SiteLinks(pages, DEFAULT_BASE + "org/a").resource(DEFAULT_BASE + "org/a")
'index.html'
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .query import Term, sparql_prefixes
from .vocab import DEFAULT_BASE, POL, PREFIXES

__all__ = ["Pages", "Description", "Value", "Links", "ServerLinks", "SiteLinks", "RDF_FORMATS", "MAX_INCOMING"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_NS = "http://www.w3.org/ns/prov#"
FIRST = (RDF_TYPE, LABEL, "http://www.w3.org/2004/02/skos/core#prefLabel",
         "http://www.w3.org/2004/02/skos/core#altLabel")
# extension → (media type, the name the serialisers below take)
RDF_FORMATS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}
MAX_INCOMING = 2000  # resources pointing at one page listed at most (the rest is counted)
MAX_NEIGHBOURS = 24  # nodes drawn around a resource
SAFE_PATH = re.compile(r"^(?:[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*/)*"
                       r"[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*$")


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """Sort key that puts ``task/7`` before ``task/10``.

    >>> sorted(["t/10", "t/7", "t/7/m/2"], key=natural_key)
    ['t/7', 't/7/m/2', 't/10']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p)


_BY_LENGTH = sorted(((prefix, str(ns)) for prefix, ns in PREFIXES.items()), key=lambda kv: (-len(kv[1]), kv[0]))


@lru_cache(maxsize=4096)
def curie(iri: str) -> str:
    """``pol:leadUnit`` for an IRI in one of our namespaces, else the IRI.

    >>> curie("https://w3id.org/policy-kg/ontology#leadUnit"), curie("urn:x")
    ('pol:leadUnit', 'urn:x')
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@dataclass(frozen=True)
class Value:
    """A value as a page shows it: an RDF term and, for an IRI, its labels."""

    term: Term
    labels: tuple[tuple[str, str], ...] = ()  # (language, text), sorted
    local: str = ""  # for an IRI of ours: its path below the base (shown when it has no label)

    @property
    def is_iri(self) -> bool:
        return self.term.type == "uri"

    @property
    def text(self) -> str:
        """What a person reads: the Chinese label, else the English one, else a CURIE or the literal."""
        if self.is_iri:
            return pick(dict(self.labels)) or self.local or curie(self.term.value)
        return self.term.value

    @property
    def secondary(self) -> str:
        """The English label beside a Chinese one."""
        labels = dict(self.labels)
        return labels.get("en", "") if labels.get("zh") else ""


def pick(labels: dict[str, str]) -> str:
    return labels.get("zh") or labels.get("en") or labels.get("") or next(iter(sorted(labels.values())), "")


@dataclass
class Group:
    """The values of one property (outgoing), or the resources pointing with one property (incoming)."""

    predicate: Value
    values: list[Value] = field(default_factory=list)
    by_document: list[tuple[Value | None, list[Value]]] = field(default_factory=list)  # incoming only
    more: int = 0  # incoming resources not listed (past MAX_INCOMING)


@dataclass
class OutlineEntry:
    depth: int
    value: Value


@dataclass
class Description:
    """Everything a page shows about one resource."""

    iri: str
    labels: dict[str, str]
    types: list[Value]
    properties: list[Group]
    incoming: list[Group]
    outline: list[OutlineEntry]
    document: Value | None  # the document it is part of (itself for a document)
    neighbours: list[tuple[Value, str, bool]]  # (resource, property CURIE, points at us?)

    @property
    def title(self) -> str:
        return pick(self.labels) or curie(self.iri)


class Pages:
    """The resource pages of a graph: which IRIs have one, what each says, its HTML and its RDF."""

    def __init__(self, engine, base: str = DEFAULT_BASE):
        self.engine, self.base = engine, base
        rows = engine.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "
                             f"{_string(base)})) }}").rows
        self.resources = {r[0].value for r in rows if SAFE_PATH.match(r[0].value[len(base):])}
        self.unsafe = sorted(r[0].value for r in rows if r[0].value not in self.resources)

    def path(self, iri: str) -> str | None:
        """The path of a resource's page below ``id/``, or None when it has none."""
        return iri[len(self.base):] if iri in self.resources else None

    @cached_property
    def vocabulary(self) -> dict[str, dict[str, str]]:
        """Labels of the ontology's terms (to name properties and classes), by IRI and language."""
        from rdflib import Graph
        from rdflib.namespace import RDFS, SKOS

        from .resources import resource

        g = Graph(bind_namespaces="none").parse(resource("ontology/policy-kg.ttl"))
        out: dict[str, dict[str, str]] = {}
        for p in (SKOS.prefLabel, RDFS.label):
            for s, o in g.subject_objects(p):
                out.setdefault(str(s), {}).setdefault(getattr(o, "language", None) or "", str(o))
        return out

    def _labels(self, iris: set[str]) -> dict[str, dict[str, str]]:
        """rdfs:label (or the ontology's label) of each IRI, by language."""
        out: dict[str, dict[str, str]] = {i: dict(self.vocabulary.get(i, {})) for i in iris}
        mine = sorted(i for i in iris if i.startswith(self.base) or i not in self.vocabulary)
        rows = self._for_each(mine, ("rdfs",), "SELECT ?s ?l WHERE { VALUES ?s { %s } ?s rdfs:label ?l }")
        for s, o in _distinct(rows):  # one per language: the first in sorted order, whatever the engine's
            out.setdefault(s.value, {}).setdefault(o.lang or "", o.value)
        self._association_labels(sorted(i for i in mine if not out.get(i)), out)
        return out

    def _association_labels(self, iris: list[str], out: dict[str, dict[str, str]]) -> None:
        """A qualified association (PROV) has no label of its own: it is named by the item it qualifies, its agent
        and its role (向民营企业推介三张项目清单 · 市发展改革委 · 牵头单位)."""
        rows = self._for_each(iris, ("rdfs", "prov"), (
            "SELECT ?s ?item ?agent ?role WHERE { VALUES ?s { %s } "
            "?s prov:agent ?a . ?a rdfs:label ?agent FILTER (lang(?agent) = 'zh') "
            "OPTIONAL { ?s prov:hadRole ?r . BIND (STR(?r) AS ?role) } "
            "OPTIONAL { ?i prov:qualifiedAssociation ?s . ?i rdfs:label ?item FILTER (lang(?item) = 'zh') } }"))
        for s, item, agent, role in _distinct(rows):
            role_label = pick(self.vocabulary.get(role.value, {})) if role else ""
            parts = [x for x in (item.value if item else "", agent.value, role_label) if x]
            out.setdefault(s.value, {}).setdefault("zh", " · ".join(parts))

    def _for_each(self, iris: list[str], prefixes: tuple[str, ...], query: str) -> list[tuple]:
        """The rows of *query* (its ``%s``: a VALUES list of IRIs) for all of *iris*, asked 500 at a time."""
        rows: list[tuple] = []
        for chunk in range(0, len(iris), 500):
            values = " ".join(f"<{i}>" for i in iris[chunk:chunk + 500])
            rows += self.engine.select(sparql_prefixes(*prefixes) + query % values).rows
        return rows

    def _value(self, term: Term, labels: dict[str, dict[str, str]]) -> Value:
        if term.type != "uri":
            return Value(term)
        local = term.value[len(self.base):] if term.value.startswith(self.base) else ""
        return Value(term, tuple(sorted(labels.get(term.value, {}).items())), local)

    def describe(self, iri: str) -> Description | None:
        """What the graph says about *iri*, or None when no triple has it as subject."""
        if iri not in self.resources:
            return None
        out = _distinct(self.engine.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}").rows)
        incoming = _distinct(self.engine.select(
            f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} LIMIT {MAX_INCOMING * 4}").rows)
        direct = {str(POL._NS) + name for name in ("leadUnit", "supportUnit", "responsibleUnit")}
        if any(p.value in direct for _, p in incoming):  # the associations say it again, in detail: not listed
            incoming = [(s, p) for s, p in incoming if p.value != PROV_NS + "agent"]
        listed: dict[str, list[Term]] = {}  # what the page lists: at most MAX_INCOMING per property
        for s, p in incoming:
            listed.setdefault(p.value, []).append(s)
        for p in listed:
            listed[p] = sorted(listed[p], key=lambda t: natural_key(t.value))
        docs = self._documents({s.value for subjects in listed.values() for s in subjects[:MAX_INCOMING]} | {iri})
        outline = self._outline(iri)
        iris = ({p.value for p, _ in out} | {o.value for _, o in out if o.type == "uri"}
                | {s.value for subjects in listed.values() for s in subjects[:MAX_INCOMING]} | set(listed)
                | {d for d in docs.values() if d} | {e[1] for e in outline})
        labels = self._labels(iris | {iri})
        value = lambda t: self._value(t, labels)  # noqa: E731

        groups: dict[str, Group] = {}
        for p, o in sorted(out, key=lambda r: (r[0].value, natural_key(r[1].value), r[1].lang or "")):
            groups.setdefault(p.value, Group(value(p))).values.append(value(o))
        properties = sorted(groups.values(), key=lambda g: (
            FIRST.index(g.predicate.term.value) if g.predicate.term.value in FIRST else len(FIRST),
            curie(g.predicate.term.value)))
        types = groups[RDF_TYPE].values if RDF_TYPE in groups else []

        backlinks = []
        shown = {o.value for _, o in out}
        for p in sorted(listed, key=curie):
            subjects = listed[p]
            if all(s.value in shown for s in subjects):  # the inverse of a property listed above (parts)
                continue
            group = Group(value(Term("uri", p)), more=max(0, len(subjects) - MAX_INCOMING))
            per_doc: dict[str | None, list[Value]] = {}
            for s in subjects[:MAX_INCOMING]:
                per_doc.setdefault(docs.get(s.value), []).append(value(s))
            group.by_document = [(value(Term("uri", d)) if d else None, per_doc[d])
                                 for d in sorted(per_doc, key=lambda d: (d is None, natural_key(d or "")))]
            backlinks.append(group)

        doc = docs.get(iri)
        neighbours = self._neighbours(iri, out, incoming, value)
        return Description(iri, {k or "": v for k, v in labels.get(iri, {}).items()}, types, properties, backlinks,
                           [OutlineEntry(depth, value(Term("uri", part))) for depth, part in outline],
                           value(Term("uri", doc)) if doc else None, neighbours)

    def _documents(self, iris: set[str]) -> dict[str, str]:
        """The policy document each resource is part of (itself for a document)."""
        out: dict[str, str] = {}
        rows = self._for_each(sorted(i for i in iris if i.startswith(self.base)), ("eli", "pol", "prov"), (
            "SELECT ?s ?d WHERE { VALUES ?s { %s } "
            "?s (eli:is_part_of|^prov:qualifiedAssociation|^pol:contact|^pol:hasTarget)* ?d . ?d a pol:PolicyDocument }"))
        for s, d in sorted(rows):
            out.setdefault(s.value, d.value)
        return out

    def _outline(self, iri: str) -> list[tuple[int, str]]:
        """The parts of *iri* (eli:has_part, all the way down) in reading order, with their depth."""
        rows = _distinct(self.engine.select(
            f"{sparql_prefixes('eli')}SELECT ?part ?whole WHERE {{ <{iri}> eli:has_part+ ?part . "
            f"?whole eli:has_part ?part }}").rows)
        children: dict[str, list[str]] = {}
        for part, whole in rows:
            children.setdefault(whole.value, []).append(part.value)
        out: list[tuple[int, str]] = []
        seen = {iri}

        def walk(node: str, depth: int) -> None:
            for child in sorted(set(children.get(node, [])), key=natural_key):
                if child not in seen:
                    seen.add(child)
                    out.append((depth, child))
                    walk(child, depth + 1)

        walk(iri, 0)
        return out

    def _neighbours(self, iri, out, incoming, value) -> list[tuple[Value, str, bool]]:
        seen, found = {iri}, []
        # not the qualified associations (PROV): the units they name are linked straight (lead, support) already
        skip = {RDF_TYPE, PROV_NS + "qualifiedAssociation", PROV_NS + "agent"}
        edges = [(o, p, False) for p, o in out if p.value not in skip] + [(s, p, True) for s, p in incoming
                                                                          if p.value not in skip]
        for node, p, inward in sorted(edges, key=lambda e: (e[2], curie(e[1].value), natural_key(e[0].value))):
            if node.type == "uri" and node.value in self.resources and node.value not in seen:
                seen.add(node.value)
                found.append((value(node), curie(p.value), inward))
        return found

    # -- writing ------------------------------------------------------------------------------
    def rdf(self, iri: str, ext: str) -> bytes:
        """The triples whose subject is *iri*, as Turtle (``ttl``), JSON-LD (``jsonld``) or N-Triples (``nt``)."""
        from .export import turtle_bytes
        from .publish import context, jsonld_bytes, ntriples_bytes
        from .rdf import new_graph

        rows = self.engine.store.quads_for_pattern(self.engine.ox.NamedNode(iri), None, None, None)
        text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in rows)
        graph = new_graph().parse(data=text, format="nt")
        if ext == "ttl":
            return turtle_bytes(graph)
        if ext == "nt":
            return ntriples_bytes(graph)
        return jsonld_bytes(graph, context()["@context"])

    def html(self, description: Description, links: "Links") -> str:
        """The page of a described resource."""
        return _template("resource.html").render(d=description, links=links, curie=curie, formats=RDF_FORMATS,
                                                 names=FORMAT_NAMES, drawing=drawing(description, links))

    def home(self, links: "Links", extra: list[tuple[str, str]] = ()) -> str:
        """The list of documents, and of the other kinds of resources with their counts."""
        rows = self.engine.select(f"{sparql_prefixes('pol', 'eli', 'rdfs')}SELECT DISTINCT ?d WHERE "
                                  f"{{ ?d a pol:PolicyDocument }}").rows
        docs = sorted({r[0].value for r in rows if r[0].value in self.resources}, key=natural_key)
        labels = self._labels(set(docs))
        numbers = {s.value: n.value for s, n in _distinct(self.engine.select(
            f"{sparql_prefixes('eli')}SELECT ?d ?n WHERE {{ ?d eli:id_local ?n }}").rows) if s.value in docs}
        documents = [(self._value(Term("uri", d), labels), numbers.get(d, "")) for d in docs]
        units = self._units()
        same = {}  # a name two units share (各行业主管部门 of two documents): told apart by their path
        for v, _ in units:
            same[v.text] = same.get(v.text, 0) + 1
        return _template("home.html").render(documents=documents, units=[u for u in units if u[1]],
                                             others=[u for u in units if not u[1]], links=links, extra=list(extra),
                                             count=len(self.resources), curie=curie,
                                             shared={name for name, n in same.items() if n > 1})

    def _units(self) -> list[tuple[Value, int]]:
        """Organisations with the items they are responsible for, most first (issuers with none last)."""
        rows = self.engine.select(
            f"{sparql_prefixes('pol', 'org')}SELECT ?u (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?u a org:Organization . "
            f"OPTIONAL {{ ?i pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?u }} }} GROUP BY ?u").rows
        units = [(u.value, int(n.value)) for u, n in rows if u.value in self.resources]
        labels = self._labels({u for u, _ in units})
        return [(self._value(Term("uri", u), labels), n)
                for u, n in sorted(units, key=lambda x: (-x[1], pick(labels.get(x[0], {})), x[0]))]


def _distinct(rows) -> list[tuple]:
    """Rows without repeats (a union of graphs repeats a triple several graphs hold), in a stable order."""
    return sorted(set(rows), key=lambda r: tuple((t.type, t.value, t.lang or "", t.datatype or "") for t in r))


def _string(text: str) -> str:
    import json

    return json.dumps(text)


def drawing(d: Description, links: "Links", size: int = 540) -> dict:
    """Positions for the neighbourhood drawing: the resource in the middle, its neighbours on a circle (those
    with a label first), each name outside its node.

    >>> from kg.query import Term
    >>> d = Description("urn:a", {"zh": "甲"}, [], [], [], [], None, [(Value(Term("uri", "urn:b"), (("zh", "乙"),)), "pol:x", False)])
    >>> class L: resource = staticmethod(lambda iri: None)
    >>> n = drawing(d, L())["nodes"][0]; (n["x"], n["y"], n["anchor"], n["short"])
    (405.0, 75.6, 'middle', '乙')
    """
    labelled = [n for n in d.neighbours if n[0].labels]  # not the unnamed parts (associations): named things
    shown = labelled[:MAX_NEIGHBOURS]
    r, c, cx = size * 0.36, size / 2, size * 0.75
    nodes = []
    for i, (v, prop, inward) in enumerate(shown):
        a = 2 * math.pi * i / max(1, len(shown)) - math.pi / 2
        x, y = cx + r * math.cos(a), c + r * math.sin(a)
        anchor = "middle" if abs(math.cos(a)) < 0.3 else ("start" if math.cos(a) > 0 else "end")
        tx = x + (0 if anchor == "middle" else (9 if anchor == "start" else -9))
        # near the top and the bottom the names stand above and below their nodes, every other one a line further
        # out, so that neighbours' names do not overlap
        ty = y + (4 if anchor != "middle" else (-10 - 13 * (i % 2) if math.sin(a) < 0 else 18 + 13 * (i % 2)))
        nodes.append({"x": round(x, 1), "y": round(y, 1), "tx": round(tx, 1), "ty": round(ty, 1), "anchor": anchor,
                      "value": v, "prop": prop, "inward": inward, "href": links.resource(v.term.value),
                      "short": _short(v.text, 12)})
    return {"width": round(2 * cx), "height": size, "cx": cx, "c": c, "nodes": nodes,
            "more": len(d.neighbours) - len(shown), "title": _short(d.title)}


def _short(text: str, n: int = 10) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


_ENV = None


def _template(name: str):
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

        _ENV = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
                           autoescape=select_autoescape(default=True, default_for_string=True),
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return _ENV.get_template(name)


# -- links ----------------------------------------------------------------------------------------
class Links:
    """Where a page links: the pages of resources, the ontology's terms, the RDF of this page."""

    def __init__(self, pages: Pages):
        self.pages = pages

    def resource(self, iri: str) -> str | None:
        """The page of a resource of ours, or None (no page: shown as text)."""
        raise NotImplementedError

    def term(self, iri: str) -> str | None:
        """The documentation of an ontology term (ours), or the IRI itself where it is a web address (other
        vocabularies); None for any other scheme (``javascript:``, ``data:``…: shown as text, never a link)."""
        ns = str(POL._NS)
        if iri.startswith(ns):
            return f"{self.ontology()}#{iri[len(ns):]}"
        return iri if iri.startswith(("http://", "https://")) else None

    def href(self, value: Value) -> str | None:
        """Where a value links: its page, its term documentation, or nothing (a literal)."""
        if not value.is_iri:
            return None
        iri = value.term.value
        if iri.startswith(self.pages.base):
            return self.resource(iri)
        return self.term(iri)

    def ontology(self) -> str:
        raise NotImplementedError

    def home(self) -> str:
        raise NotImplementedError

    def alternates(self) -> dict[str, str]:
        """The RDF of this page by extension (empty on the home page)."""
        return {}

    def extra(self) -> list[tuple[str, str]]:
        """Further links of the navigation bar: (text, href)."""
        return []


class ServerLinks(Links):
    """Links of ``policy-kg serve``: a resource ``{base}doc/x`` answers at ``/id/doc/x``."""

    def __init__(self, pages: Pages, here: str | None = None):
        super().__init__(pages)
        self.here = here

    def resource(self, iri):
        path = self.pages.path(iri)
        return None if path is None else f"/id/{path}"

    def ontology(self):
        return "/ontology"

    def home(self):
        return "/id/"

    def alternates(self):
        if self.here is None:
            return {}
        return {ext: f"/id/{self.pages.path(self.here)}.{ext}" for ext in RDF_FORMATS}

    def extra(self):
        return [("SPARQL", "/")]


class SiteLinks(Links):
    """Relative links of a static site: ``{base}doc/x`` is ``id/doc/x/index.html`` below the site's folder."""

    def __init__(self, pages: Pages, here: str | None = None):
        super().__init__(pages)
        self.here = here
        self.folder = f"id/{pages.path(here)}" if here else "."

    def _rel(self, target: str) -> str:
        return posixpath.relpath(target, self.folder)

    def resource(self, iri):
        path = self.pages.path(iri)
        return None if path is None else self._rel(f"id/{path}/index.html")

    def ontology(self):
        return self._rel("ontology/index.html")

    def home(self):
        return self._rel("index.html")

    def alternates(self):
        return {ext: f"index.{ext}" for ext in RDF_FORMATS} if self.here else {}

    def extra(self):
        return [("views", self._rel("views/index.html")), ("data", self._rel("data/index.html"))]
