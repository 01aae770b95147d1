"""SHACL validation, and a report a person can read.

Two engines give the same verdicts, focus nodes, paths and constraint components on the project's shapes (a
test holds them to it on every shape mutation and every document under ``../shared/sources``):

- ``pyshacl``, the reference: pure Python, long-established, slow (~0.5 s for a 6,000-triple document);
- ``shacl``, the fast gate: a SHACL engine in Rust (MIT/Apache-2.0), tens of times faster on the same graph.

``auto`` (what builds use) runs the fast gate, and where it finds a violation runs the reference and reports what
the reference says: the reference wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .resources import resource
from .vocab import POL, POLSH, PREFIXES, RDF, RDFS

SHAPES = "shapes/policy-kg-shapes.ttl"
ENGINES = ("auto", "pyshacl", "shacl")
REFERENCE = "pyshacl"
# profiles a document may claim with dcterms:conformsTo, and the extra shapes each one adds to the core
PROFILE_SHAPES = {POLSH.TaskListProfile: "shapes/task-list-profile.ttl"}


@dataclass(frozen=True)
class Violation:
    severity: str  # Violation, Warning, Info
    focus: str  # the node, as a person reads it: label, kind and number, IRI
    path: str
    message: str
    value: str | None
    component: str = ""  # the SHACL constraint component, e.g. sh:MinCountConstraintComponent

    def __str__(self) -> str:
        lines = [f"- {self.severity}: {self.focus}", f"    path: {self.path}", f"    problem: {self.message}"]
        if self.value:
            lines.append(f"    value: {self.value}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int
    engine: str = REFERENCE  # the engine whose report this is

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "Violation")

    def report(self, name: str = "graph") -> str:
        """The validation report as plain text."""
        head = (f"{name}: conforms to the policy-kg shapes ({self.triples} triples)" if self.conforms else
                f"{name}: does NOT conform to the policy-kg shapes: {len(self.errors)} violation(s) "
                f"({self.triples} triples)")
        others = len(self.violations) - len(self.errors)
        if others:
            head += f"; {others} warning(s)"
        return "\n".join([head, *map(str, self.violations)]) + "\n"


@lru_cache(maxsize=4)
def _shapes(path: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    return graph


def load_shapes(path: str | Path | None = None, profiles: tuple[URIRef, ...] = ()) -> Graph:
    """The project's SHACL shapes (parsed once per process): the core, plus the shapes of each profile."""
    if not profiles:
        return _shapes(str(path or resource(SHAPES)))
    return _combined(str(path or resource(SHAPES)), tuple(sorted(profiles)))


@lru_cache(maxsize=4)
def _combined(core: str, profiles: tuple[URIRef, ...]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for triple in _shapes(core):
        graph.add(triple)
    for profile in profiles:
        for triple in _shapes(str(resource(PROFILE_SHAPES[profile]))):
            graph.add(triple)
    return graph


def claimed_profiles(data: Graph) -> tuple[URIRef, ...]:
    """The known profiles *data* claims (``dcterms:conformsTo``)."""
    from rdflib.namespace import DCTERMS

    return tuple(sorted({p for p in data.objects(None, DCTERMS.conformsTo) if p in PROFILE_SHAPES}))


def validate_graph(data: Graph, shapes: Graph | None = None, engine: str = "auto",
                   ntriples: bytes | None = None) -> ValidationResult:
    """Validate *data* against the shapes (default: the core and the profiles it claims); warnings do not make it
    fail. *engine*: one of :data:`ENGINES`; *ntriples*: *data* already written as N-Triples, if at hand (the
    fast engine reads text).

    >>> from rdflib import Graph
    >>> result = validate_graph(Graph())
    >>> result.conforms, result.violations
    (True, ())
    """
    if engine not in ENGINES:
        from .errors import InputError

        raise InputError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    shapes = shapes if shapes is not None else load_shapes(profiles=claimed_profiles(data))
    if engine == REFERENCE:
        raw, used = _pyshacl(data, shapes), REFERENCE
    else:
        raw, used = _fast(data, shapes, ntriples), "shacl"
        if engine == "auto" and any(r[0] == "Violation" for r in raw):  # the reference wins
            raw, used = _pyshacl(data, shapes), REFERENCE
    violations = sorted((Violation(severity=severity, focus=describe(data, focus), path=path, message=message,
                                   value=describe(data, value) if value is not None else None, component=component)
                         for severity, focus, path, message, value, component in raw),
                        key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message, v.value or "",
                                       v.component))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationResult(conforms, tuple(violations), len(data), used)


def passes_gate(ntriples: bytes, profiles: tuple[URIRef, ...] = ()) -> bool:
    """Whether N-Triples text conforms to the core shapes and *profiles*, by the fast engine alone (no report,
    no rdflib Graph). Where it says no, ask :func:`validate_graph` for the reference's verdict and report.

    >>> passes_gate('<urn:a> <urn:b> "c" .'.encode())
    True
    """
    report = _compiled(load_shapes(profiles=tuple(sorted(set(profiles))))).validate_text(
        ntriples.decode("utf-8"), "nt", allow_warnings=True)
    return not any(r.severity == "Violation" for r in report.results)


def _pyshacl(data: Graph, shapes: Graph) -> list[tuple]:
    """(severity, focus, path, message, value, component) of each result, by pyshacl."""
    import pyshacl  # imported late: it is slow to import and not every command needs it

    # inplace: with no inference and no rules pyshacl does not change the graph, so copying it is wasted time
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                     allow_warnings=True, inplace=True)
    raw = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        raw.append((str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                    results.value(result, SH.focusNode),
                    _path(results, path) if path is not None else "(the node itself)",
                    "; ".join(messages) or "constraint not satisfied",
                    results.value(result, SH.value),
                    _component(str(component)) if component is not None else ""))
    return raw


_COMPILED: dict[int, tuple[Graph, object]] = {}


def _compiled(shapes: Graph):
    """The fast engine's compiled form of a shapes graph (kept for as long as the graph is)."""
    import shacl

    key = id(shapes)
    if key not in _COMPILED or _COMPILED[key][0] is not shapes:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        _COMPILED[key] = (shapes, shacl.Shapes.from_text(shapes.serialize(format="nt"), "nt"))
    return _COMPILED[key][1]


def _fast(data: Graph, shapes: Graph, ntriples: bytes | None = None) -> list[tuple]:
    """(severity, focus, path, message, value, component) of each result, by the ``shacl`` engine."""
    from rdflib.util import from_n3

    text = (ntriples if ntriples is not None else data.serialize(format="nt", encoding="utf-8")).decode("utf-8")
    report = _compiled(shapes).validate_text(text, "nt", allow_warnings=True)
    raw = []
    for r in report.results:
        path = _n3_path(r.path) if r.path else "(the node itself)"
        raw.append((r.severity, from_n3(r.focus_node), path, "; ".join(sorted(r.messages)) or "constraint not satisfied",
                    from_n3(r.value) if r.value is not None else None, _component(r.component_iri)))
    return raw


def _component(iri: str) -> str:
    """A constraint component as the reports name it: ``sh:MinCountConstraintComponent``, else the IRI."""
    return "sh:" + iri[len(str(SH)):] if iri.startswith(str(SH)) else f"<{iri}>"


def _n3_path(text: str) -> str:
    """A SPARQL-style property path as the reports write paths.

    >>> _n3_path("(^<https://w3id.org/policy-kg/ontology#hasTarget>|^<https://w3id.org/policy-kg/ontology#hasMeasure>)")
    '^pol:hasTarget | ^pol:hasMeasure'
    """
    import re

    text = re.sub(r"<([^>]*)>", lambda m: _qname(m.group(1)), text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return " | ".join(part.strip() for part in text.split("|"))


def describe(graph: Graph, node) -> str:
    """A node as a person reads it: its label, what it is and its number, then its IRI."""
    if isinstance(node, Literal):
        return repr(str(node)) + (f"@{node.language}" if node.language else "")
    labels = {l.language: str(l) for l in graph.objects(node, RDFS.label) if isinstance(l, Literal)}
    label = labels.get("zh") or labels.get("en") or labels.get(None)
    kinds = sorted(_qname(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(POL._NS)))
    number = graph.value(node, POL.number)
    kind = " ".join(kinds)
    if kind and number is not None:
        kind += f" {number}"
    parts = [f"«{label}»" if label else None, f"({kind})" if kind else None, f"<{node}>"]
    return " ".join(p for p in parts if p)


def _qname(iri) -> str:
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return f"<{text}>"


def _path(results: Graph, path) -> str:
    if isinstance(path, URIRef):
        return _qname(path)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(results, inverse)
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        from rdflib.collection import Collection

        return " | ".join(_path(results, p) for p in Collection(results, alternatives))
    return "(complex path)"
