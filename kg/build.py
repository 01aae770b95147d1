"""The build pipeline: source text → records → RDF → SHACL validation → files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import InputError, ValidationFailed
from .export import turtle_bytes, write_all
from .readers import read_document
from .quality import quality_report
from .rdf import document_graph
from .records import PolicyDocument
from .resources import DEFAULT_SOURCE, resource
from .units import Gazetteer, Gazetteers
from .validate import ValidationResult, validate_graph
from .vocab import DEFAULT_BASE


@dataclass
class Built:
    """One document, parsed, mapped and validated, with the bytes of each output."""

    doc: PolicyDocument
    graph: Graph
    validation: ValidationResult
    outputs: dict[Path, bytes]

    @property
    def turtle(self) -> Path:
        return next(p for p in self.outputs if p.suffix == ".ttl")

    def summary(self) -> str:
        doc = self.doc
        if doc.tasks and len(doc.tasks) == len(doc.items):
            counts = (f"{len(doc.tasks)} key tasks, {doc.target_count} targets, "
                      f"{doc.measure_count} measures (declared {doc.declared_measures}条)")
        else:
            counts = f"{len(doc.items)} items"
        roles = [m.role for item in doc.items for m in item.units]
        where = (f"; jurisdiction: {doc.jurisdiction_text()}" if doc.jurisdiction else
                 "; jurisdiction: unknown (give --jurisdiction)")
        return (f"built {self.turtle}: {counts}, {doc.units_text()}, {roles.count('lead')} lead / "
                f"{roles.count('support')} support / {roles.count('responsible')} jointly responsible, "
                f"{len(self.graph)} triples — conforms to the shapes; layout: {', '.join(doc.layouts)}{where}; "
                f"{len(doc.notes)} data-quality notes")


def build(sources: list[str | Path] | None = None, out_dir: str | Path = "build",
          base: str = DEFAULT_BASE, write: bool = True, layout: str | None = None,
          strict_units: bool = False, jurisdiction: str | None = None,
          gazetteers: list[str | Path] = ()) -> list[Built]:
    """Build every source; write the outputs only if all of them parse and validate.

    *layout* forces one reader (see :data:`kg.readers.READERS`); *strict_units* refuses unit names no gazetteer
    knows; *jurisdiction* (an id of ``data/places.csv``) is the sources' where they do not tell; *gazetteers* are
    the user's own gazetteer files, searched first for every source.

    >>> [b.doc.name for b in build(write=False)]
    ['wenzhou-2023-82']
    """
    sources = [Path(s) for s in (sources or [resource(DEFAULT_SOURCE)])]
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise InputError(f"base IRI {base!r} must be an http(s) IRI ending in '/' or '#'")
    if not base.isascii():
        raise InputError(f"base IRI {base!r} must be ASCII")
    out = Path(out_dir)
    from .corpus import graph_names

    graph_names(sources, base)  # two sources with one name would share their IRIs and their files
    gazetteer = Gazetteers([Gazetteer.load(g) for g in gazetteers])
    results = []
    for source in sources:
        doc = read_document(source, gazetteer, layout=layout, strict_units=strict_units, jurisdiction=jurisdiction)
        graph = document_graph(doc, base)
        validation = validate_graph(graph)
        if not validation.conforms:
            raise ValidationFailed(validation.report(str(source)), len(validation.errors))
        outputs = {
            out / f"{doc.name}.ttl": turtle_bytes(graph),
            out / f"{doc.name}.validation.txt": validation.report(f"{doc.name}.ttl").encode(),
            out / f"{doc.name}.quality.md": quality_report(doc).encode(),
        }
        results.append(Built(doc, graph, validation, outputs))
    if write:
        write_all({path: data for built in results for path, data in built.outputs.items()})
    return results


def load_graph(paths: list[str | Path], allow_remote_context: bool = False) -> Graph:
    """Read RDF files (format from the extension) into one graph; unreadable files are InputErrors.

    Reading never uses the network (:mod:`kg.offline`): a JSON-LD file whose context is remote is refused, unless
    *allow_remote_context*.
    """
    from .rdf import new_graph

    graph = new_graph()
    for path in map(Path, paths):
        read_rdf(graph, path, allow_remote_context=allow_remote_context)
    return graph


def read_rdf(graph: Graph, path: Path, fmt: str | None = None, allow_remote_context: bool = False) -> Graph:
    """Parse one RDF file into *graph* (a Dataset keeps its named graphs) with rdflib, offline; format from the
    extension unless *fmt*."""
    from rdflib.util import guess_format

    from .offline import offline
    from .query import check_rdf_file

    check_rdf_file(path)
    fmt = fmt or guess_format(str(path)) or "turtle"
    with offline(path, allow_remote_context, what="JSON-LD context" if fmt == "json-ld" else "resource"):
        try:
            graph.parse(path, format=fmt)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", path) from None
        except Exception as exc:  # rdflib raises many kinds of syntax errors
            first = " ".join(str(exc).split())[:300]
            raise InputError(f"not valid {fmt}: {first}", path) from None
    return graph
