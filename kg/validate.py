"""SHACL validation with pyshacl, and a report a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .resources import resource
from .vocab import POL, POLSH, PREFIXES, RDF, RDFS

SHAPES = "shapes/policy-kg-shapes.ttl"
# profiles a document may claim with dcterms:conformsTo, and the extra shapes each one adds to the core
PROFILE_SHAPES = {POLSH.TaskListProfile: "shapes/task-list-profile.ttl"}


@dataclass(frozen=True)
class Violation:
    severity: str  # Violation, Warning, Info
    focus: str  # the node, as a person reads it: label, kind and number, IRI
    path: str
    message: str
    value: str | None

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


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    """Validate *data* against the shapes; warnings do not make it fail.

    >>> from rdflib import Graph
    >>> result = validate_graph(Graph())
    >>> result.conforms, result.violations
    (True, ())
    """
    import pyshacl  # imported late: it is slow to import and not every command needs it

    # inplace: with no inference and no rules pyshacl does not change the graph, so copying it is wasted time
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes or load_shapes(profiles=claimed_profiles(data)),
                                     inference="none",
                                     advanced=True, allow_warnings=True, inplace=True)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        value = results.value(result, SH.value)
        violations.append(Violation(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=describe(data, focus),
            path=_path(results, path) if path is not None else "(the node itself)",
            message="; ".join(messages) or "constraint not satisfied",
            value=describe(data, value) if value is not None else None,
        ))
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message, v.value or ""))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationResult(conforms, tuple(violations), len(data))


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
