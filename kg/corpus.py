"""Corpus mode: many documents into one persistent Oxigraph store, a named graph per document.

One document at a time is parsed, mapped, validated and loaded, then dropped, so memory stays bounded
by the largest document. A bad document is reported and skipped; the others are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, PolicyKGError
from .parse import parse_document
from .rdf import document_graph, slug
from .units import Gazetteer
from .validate import validate_graph
from .vocab import DEFAULT_BASE


@dataclass
class CorpusSummary:
    documents: int = 0
    triples: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def text(self, store: Path) -> str:
        lines = [f"stored {self.documents} document(s), {self.triples} triples, in {store}"
                 f"{'' if not self.failures else f'; {len(self.failures)} failed:'}"]
        lines += [f"  {source}: {reason}" for source, reason in self.failures]
        return "\n".join(lines) + "\n"


def sources_of(paths: list[Path]) -> list[Path]:
    """The .txt files named, or found in the folders named, in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.glob("*.txt"))
        else:
            out.append(path)
    return out


def open_store(path: Path, read_only: bool = False):
    import pyoxigraph

    try:
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path) from None


def build_corpus(paths: list[Path], store_dir: Path, base: str = DEFAULT_BASE, progress: bool = True) -> CorpusSummary:
    """Build every document into the store at *store_dir* (created if needed)."""
    import pyoxigraph as ox

    sources = sources_of(paths)
    if not sources:
        raise InputError("no documents (.txt) to build", paths[0] if paths else None)
    # The store is only reached through this dict, which is emptied at the end: something inside pyshacl
    # keeps an old frame of this function alive, and a local variable would then keep the store (and its
    # lock on the folder) open after we return.
    db = {"store": open_store(store_dir)}
    gazetteer = Gazetteer.load()
    summary = CorpusSummary()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task("building", total=len(sources))
        for source in sources:
            bar.update(task, description=source.name)
            try:
                doc = parse_document(source, gazetteer)
                graph = document_graph(doc, base)
                result = validate_graph(graph)
                if not result.conforms:
                    first = result.errors[0]
                    raise PolicyKGError(f"{len(result.errors)} shape violation(s), e.g. {first.focus}: {first.message}")
                name = ox.NamedNode(f"{base}doc/{slug(doc.name)}/graph")
                if db["store"].contains_named_graph(name):  # rebuilding a document replaces its graph
                    db["store"].remove_graph(name)
                db["store"].load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                                 to_graph=name)
                db["store"].flush()  # to disk now: unflushed writes would make memory grow with the corpus
                summary.documents += 1
                summary.triples += len(graph)
            except PolicyKGError as exc:
                summary.failures.append((str(source), str(exc).removeprefix(f"{source}: ")))
            bar.advance(task)
    db["store"].flush()
    db.clear()
    return summary

