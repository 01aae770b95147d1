"""The ontology as one HTML page: its metadata, every ``pol:`` term, the terms it reuses, and the SHACL shapes that
constrain each class.

Each ``pol:`` term has an element whose id is its local name (``#Measure``, ``#leadUnit``), so other pages link
terms to ``…/ontology.html#LocalName``; a reused term's id is its CURIE (``#eli:LegalResource``), a shape's is
``shape-`` and its local name. The page is deterministic (everything sorted, no date), and nothing on it makes
a request: the stylesheet is inline, there is no script, and a Content-Security-Policy says so to the browser.
Labels, comments and messages are data: the template escapes them.

Why a template of our own and not pyLODE (measured with pyLODE 3.4.1, the latest on PyPI, BSD-3-Clause; it
needs ``rdflib>=7.5,<8``, which our rdflib 7.6.0 meets, and adds httpx, dominate, markdown, html5lib, tqdm):

- the 3.4.1 wheel does not import: ``pylode/version.py`` opens a ``pyproject.toml`` beside the package, which the
  wheel does not ship (``FileNotFoundError`` on ``import pylode``); it ran only after writing that file by hand;
- its anchors come from the labels, not the local names: ``#Policydocument``, ``#leadunit``,
  ``#inagazetteer``, ``#supportingunit`` — other pages could not link ``#PolicyDocument`` or ``#leadUnit``;
- its output changes from run to run on the same input (the embedded JSON-LD is in another order each time,
  with ``--sort`` too): three runs, three different files;
- it shows no SHACL: nothing of ``shapes/`` per class, and given the shapes file itself it shows no
  ``sh:minCount``; zh and en labels are run together (``Measure落实举措``) without a language;
- its first run writes a 2.4 MB pickle into its own installed package;
- the output itself is offline (inline CSS, icons as ``data:`` URIs, no script or stylesheet links), and it ran
  with the network unshared.

So: jinja2 (already installed with pyvis, now pinned) and ``kg/templates/ontology.html``, autoescaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import SH

from .resources import resource
from .validate import PROFILE_SHAPES, SHAPES
from .vocab import DCTERMS, ONTOLOGY_IRI, OWL, POL, POLSH, PREFIXES, RDF, RDFS, SKOS, XSD

ONTOLOGY = "ontology/policy-kg.ttl"
CORE_SHAPES = URIRef(str(POLSH))  # the owl:Ontology the core shapes file declares
SHAPE_FILES = {CORE_SHAPES: SHAPES, **PROFILE_SHAPES}
NS = str(POL._NS)
_PREFIXES = sorted({**PREFIXES, "polsh": POLSH, "sh": SH, "vann": "http://purl.org/vocab/vann/"}.items(),
                   key=lambda kv: -len(str(kv[1])))  # the longest namespace wins
_LANGS = {"zh": 0, "en": 1}
_PROPERTY_TYPES = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype",
                   OWL.AnnotationProperty: "annotation", RDF.Property: "property"}
_DATATYPES = (str(XSD), str(RDF.langString), str(RDFS.Literal))
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
# what a shape says that the page shows in its own place, not in the list of other constraints
_SHOWN = {RDF.type, SH.property, SH.message, SH.severity, SH.sparql, SH.declare, SH.prefixes, SH.path,
          SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.node, SH.hasValue,
          SH.pattern, RDFS.label, RDFS.comment, *_TARGETS}


def curie(iri) -> str:
    """*iri* as ``prefix:local`` with the project's prefixes, else ``<iri>``.

    >>> curie(POL.Measure), curie(URIRef("http://data.europa.eu/eli/ontology#LegalResource"))
    ('pol:Measure', 'eli:LegalResource')
    """
    text = str(iri)
    for prefix, ns in _PREFIXES:
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return f"<{text}>"


@dataclass(frozen=True, order=True)
class Link:
    text: str
    href: str
    title: str = ""


@dataclass
class Shape:
    """One node shape as the page shows it."""
    iri: str
    name: str  # CURIE, or "(blank node)"
    anchor: str
    source: str
    targets: list = field(default_factory=list)  # parts: how it finds its focus nodes
    properties: list = field(default_factory=list)  # dicts, one per property shape
    constraints: list = field(default_factory=list)  # (name, parts) on the node itself
    sparql: list = field(default_factory=list)  # (message, query)
    messages: list = field(default_factory=list)
    severity: str = "Violation"
    terms: list = field(default_factory=list)  # the terms it is shown under (Links)


def load() -> tuple[Graph, Dataset]:
    """The project's ontology, and its shapes with one named graph per shapes file (named by the owl:Ontology the
    file declares: ``polsh:`` for the core, ``polsh:TaskListProfile`` for the task-list profile)."""
    ontology = Graph(bind_namespaces="none")
    ontology.parse(resource(ONTOLOGY), format="turtle")
    shapes = Dataset(default_union=True)
    for iri, path in sorted(SHAPE_FILES.items()):
        shapes.graph(iri).parse(resource(path), format="turtle")
    return ontology, shapes


def project_page(home: str | None = None) -> str:
    """The page for the project's own ontology and shapes (*home*: a link back, as a site or server gives it)."""
    return ontology_page(*load(), home=home)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("kg", "templates"), autoescape=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.get_template("ontology.html")


def ontology_page(ontology: Graph, shapes: Graph, *, term_href: Callable[[str], str | None] | None = None,
                  home: str | None = None) -> str:
    """The HTML page documenting *ontology*, with the node shapes of *shapes* under the classes they constrain.

    *shapes*: a Graph, or a Dataset with a named graph per shapes file (see :func:`load`), whose owl:Ontology
    names the file and profile each shape comes from. *term_href*: called with a term's IRI for every link to a
    term; what it returns is the link (None: the default, ``#LocalName`` for ``pol:`` terms, the IRI otherwise).
    Same graphs, same bytes.
    """
    return _Page(ontology, shapes, term_href).render(home)


class _Page:
    def __init__(self, g: Graph, shapes: Graph, term_href):
        self.g, self.term_href = g, term_href
        self.files = [shapes]  # the graphs shapes come from, each with the owl:Ontology that names it
        if isinstance(shapes, Dataset):  # read through one merged Graph: rdflib's union view warns as it reads
            self.files = [graph for graph in shapes.graphs() if len(graph)]
        self.sg = Graph(bind_namespaces="none")
        for graph in self.files:
            for triple in graph:
                self.sg.add(triple)

    # ---------------------------------------------------------------- links and values

    def href(self, iri) -> str:
        if self.term_href is not None:
            chosen = self.term_href(str(iri))
            if chosen is not None:
                return chosen
        text = str(iri)
        if text.startswith(NS) and len(text) > len(NS):
            return "#" + text[len(NS):]
        if text.startswith(str(POLSH)) and len(text) > len(str(POLSH)):
            return "#shape-" + text[len(str(POLSH)):]
        return text

    def link(self, iri) -> Link:
        return Link(curie(iri), self.href(iri), str(iri))

    def texts(self, graph: Graph, subject, *predicates) -> list[tuple[str, str]]:
        """(language, text) of the literals, Chinese first, then English, then the rest."""
        found = {(o.language or "", str(o)) for p in predicates for o in graph.objects(subject, p)
                 if isinstance(o, Literal)}
        return sorted(found, key=lambda lt: (_LANGS.get(lt[0], 2), lt))

    def members(self, graph: Graph, node) -> list:
        """The IRIs a class expression names: itself, or those of an owl:unionOf."""
        if isinstance(node, URIRef):
            return [node]
        union = graph.value(node, OWL.unionOf)
        return sorted(m for m in Collection(graph, union) if isinstance(m, URIRef)) if union is not None else []

    def expr(self, graph: Graph, node) -> list:
        """A class expression, as parts to show: links, and words between them."""
        if isinstance(node, URIRef):
            return [self.link(node)]
        for key, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
            items = graph.value(node, key)
            if items is not None:
                parts: list = []
                for i, member in enumerate(sorted(Collection(graph, items), key=str)):
                    parts += ([word] if i else []) + self.expr(graph, member)
                return parts
        return [self.node_text(graph, node)]

    def value(self, graph: Graph, node) -> list:
        """An RDF value as parts: an IRI as a link, a literal as Turtle writes it, a list, a nested shape."""
        if isinstance(node, URIRef):
            return [self.link(node)]
        if isinstance(node, Literal):
            return [self.literal(node)]
        if graph.value(node, RDF.first) is not None or node == RDF.nil:
            parts: list = ["( "]
            for item in Collection(graph, node):
                parts += self.value(graph, item) + [" "]
            return parts + [")"]
        return [self.node_text(graph, node)]

    @staticmethod
    def literal(lit: Literal) -> str:
        if lit.datatype in (XSD.integer, XSD.boolean, XSD.decimal):
            return str(lit)
        text = '"' + str(lit).replace("\\", "\\\\").replace('"', '\\"') + '"'
        return text + (f"@{lit.language}" if lit.language else "") + (
            f"^^{curie(lit.datatype)}" if lit.datatype and lit.datatype != XSD.string else "")

    def node_text(self, graph: Graph, node) -> str:
        """A blank node (a nested shape, a path) as compact Turtle-like text."""
        if isinstance(node, URIRef):
            return curie(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if graph.value(node, RDF.first) is not None or node == RDF.nil:
            return "( " + " ".join(self.node_text(graph, i) for i in Collection(graph, node)) + " )"
        pairs = sorted((curie(p), self.node_text(graph, o)) for p, o in graph.predicate_objects(node))
        return "[ " + " ; ".join(f"{p} {o}" for p, o in pairs) + " ]"

    def path(self, graph: Graph, node) -> list:
        """A SHACL property path as parts: ``pol:x``, ``^pol:x``, ``(a | b)``, ``a / b``, ``a*``."""
        if isinstance(node, URIRef):
            return [self.link(node)]
        if graph.value(node, RDF.first) is not None:
            parts: list = []
            for i, step in enumerate(Collection(graph, node)):
                parts += ([" / "] if i else []) + self.path(graph, step)
            return parts
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return ["^"] + self.path(graph, inverse)
        alternatives = graph.value(node, SH.alternativePath)
        if alternatives is not None:
            parts = ["("]
            for i, step in enumerate(Collection(graph, alternatives)):
                parts += ([" | "] if i else []) + self.path(graph, step)
            return parts + [")"]
        for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = graph.value(node, key)
            if inner is not None:
                return ["("] + self.path(graph, inner) + [")" + mark]
        return [self.node_text(graph, node)]

    def path_iris(self, graph: Graph, node) -> set:
        if isinstance(node, URIRef):
            return {node}
        found: set = set()
        for o in graph.objects(node, None):
            if not isinstance(o, Literal):
                found |= self.path_iris(graph, o)
        return found - {RDF.nil}

    # ---------------------------------------------------------------- shapes

    def shape_sources(self) -> dict:
        """Shape → where it comes from: the one owl:Ontology of its graph (a graph that declares none, or several,
        as files merged into one Graph do, names no source)."""
        sources: dict = defaultdict(set)
        for graph in self.files:
            onts = sorted(o for o in graph.subjects(RDF.type, OWL.Ontology) if isinstance(o, URIRef))
            if len(onts) != 1:
                continue
            iri = onts[0]
            label = next((t for lang, t in self.texts(graph, iri, RDFS.label) if lang == "en"), curie(iri))
            where = f"{label} ({curie(iri)}" + (f", {SHAPE_FILES[iri]})" if iri in SHAPE_FILES else ")")
            for shape in set(graph.subjects(RDF.type, SH.NodeShape)) | {
                    s for t in _TARGETS for s in graph.subjects(t, None)}:
                sources[shape].add(where)
        return {k: "; ".join(sorted(v)) for k, v in sources.items()}

    def prefixes(self, node) -> dict:
        """The prefixes an ``sh:prefixes`` node declares."""
        ns = {}
        for owner in self.sg.objects(node, SH.prefixes):
            for decl in self.sg.objects(owner, SH.declare):
                prefix, namespace = self.sg.value(decl, SH.prefix), self.sg.value(decl, SH.namespace)
                if prefix is not None and namespace is not None:
                    ns[str(prefix)] = str(namespace)
        return ns

    def sparql_focus(self, target) -> list:
        """Classes a SPARQL target's ?this belongs to: ``?this a C``; subject of a property (its domain); object
        of one (its range). Patterns inside FILTERs are not read."""
        from rdflib.plugins.sparql import prepareQuery

        select = self.sg.value(target, SH.select)
        if select is None:
            return []
        try:
            query = prepareQuery(str(select), initNs=self.prefixes(target))
        except Exception:  # a query rdflib cannot parse: shown, but not put under a class
            return []
        triples: list = []

        def walk(node):
            if isinstance(node, dict):
                if getattr(node, "name", None) == "BGP":
                    triples.extend(node["triples"])
                for key, child in node.items():
                    if key != "expr":
                        walk(child)
            elif isinstance(node, (list, tuple)):
                for child in node:
                    walk(child)

        walk(query.algebra)
        this, found = Variable("this"), []
        for s, p, o in triples:
            if s == this and p == RDF.type and isinstance(o, URIRef):
                found.append((o, f"?this a {curie(o)}"))
            elif s == this and isinstance(p, URIRef):
                found += [(c, f"?this {curie(p)} …: its domain") for d in self.g.objects(p, RDFS.domain)
                          for c in self.members(self.g, d)]
            elif o == this and isinstance(p, URIRef):
                found += [(c, f"… {curie(p)} ?this: its range") for r in self.g.objects(p, RDFS.range)
                          for c in self.members(self.g, r)]
        return sorted(set(found))

    def focus_classes(self, shape) -> list:
        """(class, how) for each class whose members the shape targets."""
        found = [(c, "sh:targetClass") for c in self.sg.objects(shape, SH.targetClass) if isinstance(c, URIRef)]
        for key, word, what in ((SH.targetSubjectsOf, "subjects", RDFS.domain),
                                (SH.targetObjectsOf, "objects", RDFS.range)):
            for p in self.sg.objects(shape, key):
                found += [(c, f"{key.fragment} {curie(p)}: its {what.fragment}") for d in self.g.objects(p, what)
                          for c in self.members(self.g, d)]
        for target in self.sg.objects(shape, SH.target):
            found += [(c, f"SPARQL target ({how})") for c, how in self.sparql_focus(target)]
        return sorted(set(found))

    def property_shape(self, node) -> dict:
        sg = self.sg
        values: list = []
        for key in (SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.hasValue, SH.node):
            for o in sorted(sg.objects(node, key), key=str):
                values.append((curie(key), self.value(sg, o)))
        others = [(curie(p), self.value(sg, o)) for p, o in sorted(sg.predicate_objects(node), key=lambda po: (
            curie(po[0]), self.node_text(sg, po[1]))) if p not in _SHOWN]
        severity = sg.value(node, SH.severity)
        return {
            "path": self.path(sg, sg.value(node, SH.path)) if sg.value(node, SH.path) is not None else ["—"],
            "sort": self.node_text(sg, sg.value(node, SH.path)) if sg.value(node, SH.path) is not None else "",
            "min": str(sg.value(node, SH.minCount) or ""), "max": str(sg.value(node, SH.maxCount) or ""),
            "values": values, "patterns": [str(p) for p in sorted(sg.objects(node, SH.pattern), key=str)],
            "others": others, "messages": self.texts(sg, node, SH.message),
            "severity": severity.fragment if isinstance(severity, URIRef) else "Violation",
        }

    def shapes(self) -> dict:
        """Every node shape (with a target, or named by one), by its IRI."""
        sg, sources = self.sg, self.shape_sources()
        nodes = set(sg.subjects(RDF.type, SH.NodeShape)) | {s for t in _TARGETS for s in sg.subjects(t, None)}
        nodes = {n for n in nodes if isinstance(n, URIRef)}
        result = {}
        for node in sorted(nodes):
            local = str(node)[len(str(POLSH)):] if str(node).startswith(str(POLSH)) else curie(node)
            shape = Shape(iri=str(node), name=curie(node), anchor=f"shape-{local}", source=sources.get(node, ""))
            for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
                for o in sorted(sg.objects(node, key), key=str):
                    shape.targets.append([curie(key) + " "] + self.value(sg, o))
            for target in sorted(sg.objects(node, SH.target), key=lambda t: self.node_text(sg, t)):
                kinds = sorted(curie(k) for k in sg.objects(target, RDF.type))
                select = sg.value(target, SH.select)
                shape.targets.append([f"sh:target ({', '.join(kinds) or 'custom'})"])
                if select is not None:
                    shape.sparql.append(("target", str(select).strip("\n")))
            props = [self.property_shape(p) for p in sg.objects(node, SH.property)]
            shape.properties = sorted(props, key=lambda p: (p["sort"], p["min"], p["max"], str(p["messages"]),
                                                            str(p["others"]), str(p["values"])))
            shape.constraints = [(curie(p), self.value(sg, o)) for p, o in sorted(
                sg.predicate_objects(node), key=lambda po: (curie(po[0]), self.node_text(sg, po[1])))
                if p not in _SHOWN]
            for key in (SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.node):
                for o in sorted(sg.objects(node, key), key=str):
                    shape.constraints.append((curie(key), self.value(sg, o)))
            for constraint in sg.objects(node, SH.sparql):
                messages = " ".join(t for _, t in self.texts(sg, constraint, SH.message))
                shape.sparql.append((messages or "SPARQL constraint", str(sg.value(constraint, SH.select) or "")))
            shape.sparql.sort()
            shape.messages = self.texts(sg, node, SH.message)
            severity = sg.value(node, SH.severity)
            shape.severity = severity.fragment if isinstance(severity, URIRef) else "Violation"
            result[node] = shape
        return result

    # ---------------------------------------------------------------- terms

    def render(self, home: str | None = None) -> str:
        g = self.g
        terms = sorted({s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)
                        and len(str(s)) > len(NS)})
        types = {t: set(g.objects(t, RDF.type)) for t in terms}
        classes = [t for t in terms if types[t] & {OWL.Class, RDFS.Class}]
        props = {kind: [t for t in terms if rdf_type in types[t] and t not in classes]
                 for rdf_type, kind in _PROPERTY_TYPES.items()}
        documented = set(classes) | {t for ts in props.values() for t in ts}
        individuals = [t for t in terms if t not in documented]

        shapes = self.shapes()
        by_class: dict = defaultdict(list)  # class → [(how, Shape)]
        for iri, shape in shapes.items():
            for cls, how in self.focus_classes(iri):
                by_class[cls].append((how, shape))
        by_path: dict = defaultdict(set)  # property → shapes with a property shape on it
        for iri in shapes:
            for p in self.sg.objects(iri, SH.property):
                path = self.sg.value(p, SH.path)
                for prop in (self.path_iris(self.sg, path) if path is not None else ()):
                    by_path[prop].add(iri)

        domain_of: dict = defaultdict(set)
        range_of: dict = defaultdict(set)
        for p in {t for ts in props.values() for t in ts}:
            for d in g.objects(p, RDFS.domain):
                for c in self.members(g, d):
                    domain_of[c].add(p)
            for r in g.objects(p, RDFS.range):
                for c in self.members(g, r):
                    range_of[c].add(p)

        def links(iris) -> list[Link]:
            return sorted(self.link(i) for i in iris)

        def labels(graph, t) -> list:
            return self.texts(graph, t, RDFS.label, SKOS.prefLabel)

        def shapes_of(t) -> list:
            found = sorted(by_class.get(t, ()), key=lambda hs: (hs[1].name, hs[0]))
            merged: dict = {}
            for how, shape in found:
                merged.setdefault(shape.name, (shape, []))[1].append(how)
                here = Link(curie(t), "#" + (str(t)[len(NS):] if str(t).startswith(NS) else curie(t)), str(t))
                if here not in shape.terms:
                    shape.terms.append(here)
            return [{"shape": s, "how": "; ".join(hows)} for s, hows in merged.values()]

        def term(t) -> dict:
            kind = next((k for rdf_type, k in _PROPERTY_TYPES.items() if rdf_type in types.get(t, ())), "")
            rows = []
            for key, name in ((RDFS.subClassOf, "subclass of"), (OWL.equivalentClass, "equivalent class"),
                              (RDFS.subPropertyOf, "subproperty of"), (OWL.equivalentProperty, "equivalent property"),
                              (OWL.inverseOf, "inverse of"), (RDFS.domain, "domain"), (RDFS.range, "range"),
                              (SKOS.inScheme, "in scheme"), (SKOS.topConceptOf, "top concept of"),
                              (SKOS.broader, "broader"), (RDFS.isDefinedBy, "defined by"), (RDFS.seeAlso, "see also")):
                objects = sorted(g.objects(t, key), key=lambda o: self.node_text(g, o))
                if objects:
                    rows.append((name, [self.expr(g, o) for o in objects]))
            typed = sorted(o for o in types.get(t, ()) if o != OWL.NamedIndividual and o not in _PROPERTY_TYPES
                           and o not in (OWL.Class, RDFS.Class))
            if typed and t in individuals:
                rows.insert(0, ("instance of", [[self.link(o)] for o in typed]))
            for key, name in ((SKOS.notation, "notation"),):
                for o in sorted(g.objects(t, key), key=str):
                    rows.append((name, [[self.literal(o)]]))
            for name, iris in (("subclasses", g.subjects(RDFS.subClassOf, t)),
                               ("subproperties", g.subjects(RDFS.subPropertyOf, t)),
                               ("domain of", domain_of.get(t, ())), ("range of", range_of.get(t, ())),
                               ("instances", [i for i in individuals if t in types[i]]),
                               ("in shapes (as a path)", by_path.get(t, ()))):
                iris = sorted({i for i in iris if isinstance(i, URIRef)})
                if iris:
                    rows.append((name, [[self.link(i)] for i in iris]))
            local = str(t)[len(NS):] if str(t).startswith(NS) else curie(t)
            return {"id": local, "curie": curie(t), "iri": str(t), "kind": kind, "labels": labels(g, t),
                    "comments": self.texts(g, t, RDFS.comment, SKOS.definition), "rows": rows,
                    "shapes": shapes_of(t)}

        sections = [
            ("classes", "Classes", "class", [term(t) for t in classes]),
            ("object-properties", "Object properties", "property", [term(t) for t in props["object"]]),
            ("datatype-properties", "Datatype properties", "property", [term(t) for t in props["datatype"]]),
            ("annotation-properties", "Annotation properties", "property", [term(t) for t in props["annotation"]]),
        ]
        if props["property"]:
            sections.append(("other-properties", "Other properties", "property",
                             [term(t) for t in props["property"]]))
        sections.append(("individuals", "Named individuals", "individual", [term(t) for t in individuals]))

        # external terms: what the ontology builds on and what the shapes constrain
        ext_classes, ext_props = set(), set()
        for key in (RDFS.subClassOf, OWL.equivalentClass):
            for o in g.objects(None, key):
                ext_classes.update(self.members(g, o))
        for key in (RDFS.domain, RDFS.range):
            for o in g.objects(None, key):
                ext_classes.update(self.members(g, o))
        for key in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf):
            ext_props.update(o for o in g.objects(None, key) if isinstance(o, URIRef))
        ext_classes.update(c for c in by_class)
        for key in (SH.targetClass, SH["class"]):
            ext_classes.update(o for o in self.sg.objects(None, key) if isinstance(o, URIRef))
        for key in (SH.targetSubjectsOf, SH.targetObjectsOf):
            ext_props.update(o for o in self.sg.objects(None, key) if isinstance(o, URIRef))
        ext_props.update(by_path)

        def external(iris):
            return sorted(i for i in iris if not str(i).startswith(NS) and not str(i).startswith(_DATATYPES))

        ext = [dict(term(t), kind="class") for t in external(ext_classes)]
        ext += [dict(term(t), kind="property") for t in external(set(ext_props) - ext_classes)]
        ext.sort(key=lambda e: e["curie"])
        for e in ext:
            e["id"] = e["curie"]
            e["vocabulary"] = e["curie"].split(":", 1)[0]

        for shape in shapes.values():
            shape.terms.sort()
        unshown = [s for s in shapes.values() if not s.terms]

        ont = next(iter(sorted(g.subjects(RDF.type, OWL.Ontology))), ONTOLOGY_IRI)
        meta_rows = []
        for key, name in ((OWL.versionIRI, "version IRI"), (OWL.versionInfo, "version"),
                          (DCTERMS.license, "licence"), (DCTERMS.creator, "creator"),
                          (DCTERMS.publisher, "publisher"), (DCTERMS.created, "created"),
                          (DCTERMS.modified, "modified"), (OWL.imports, "imports")):
            objects = sorted(g.objects(ont, key), key=str)
            if objects:
                meta_rows.append((name, [[Link(str(o), str(o))] if isinstance(o, URIRef) else [str(o)]
                                         for o in objects]))
        shown = {RDF.type, RDFS.label, DCTERMS.title, RDFS.comment, DCTERMS.description, OWL.versionIRI,
                 OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.publisher, DCTERMS.created,
                 DCTERMS.modified, OWL.imports}
        for p, o in sorted(g.predicate_objects(ont), key=lambda po: (curie(po[0]), str(po[1]))):
            if p not in shown:
                meta_rows.append((curie(p), [[Link(str(o), str(o))] if isinstance(o, URIRef) else [str(o)]]))

        used_ns = {str(x) for triple in g for x in triple if isinstance(x, URIRef)}
        used_ns |= {str(x) for triple in self.sg for x in triple if isinstance(x, URIRef)}
        namespaces = sorted((prefix, str(ns)) for prefix, ns in _PREFIXES
                            if any(i.startswith(str(ns)) for i in used_ns))

        counts = {key: len(items) for key, _, _, items in sections}
        return _template().render(
            iri=str(ont), titles=self.texts(g, ont, RDFS.label, DCTERMS.title),
            descriptions=self.texts(g, ont, RDFS.comment, DCTERMS.description), meta_rows=meta_rows,
            namespaces=namespaces, sections=sections, external=ext, shapes=list(shapes.values()),
            unshown=unshown, counts=counts, home=home)
