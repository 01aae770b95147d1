"""Corpus mode: many documents into one persistent Oxigraph store, a named graph per document.

Worker processes parse, map and validate the documents (SHACL validation is most of the work, and it is
pure Python, so processes, not threads); this process alone writes the store, one document at a time, in
the order the documents were given. A few documents are in flight at once, so memory stays bounded by the
number of workers, not by the size of the corpus. A bad document is reported and skipped; the others are
stored.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, PolicyKGError
from .vocab import DEFAULT_BASE


@dataclass
class CorpusSummary:
    documents: int = 0
    triples: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    jobs: int = 1
    built: list[tuple[str, str]] = field(default_factory=list)  # (source, what it holds)
    linked: int = 0  # cited documents found in the store and linked to it

    def text(self, store: Path) -> str:
        lines = [f"  {Path(source).name}: {what}" for source, what in self.built]
        linked = f"; {self.linked} cited document(s) found in the store and linked" if self.linked else ""
        lines += [f"stored {self.documents} document(s), {self.triples} triples, in {store}{linked}"
                  f"{'' if not self.failures else f'; {len(self.failures)} failed:'}"]
        lines += [f"  {reason if reason.startswith(source + ':') else f'{source}: {reason}'}"
                  for source, reason in self.failures]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class BuiltDocument:
    """One document, parsed, mapped and validated: its N-Triples and named graph, or why it failed."""

    source: str
    graph: str | None = None
    ntriples: bytes = b""
    triples: int = 0
    error: str | None = None
    summary: str = ""  # layouts, items and units, for the corpus summary


SOURCE_SUFFIXES = (".txt", ".md")


def sources_of(paths: list[Path]) -> list[Path]:
    """The files named, and the .txt and .md entries found in the folders named (but folders), in a stable order.

    An entry that cannot be read (a broken link, a device) is a source like any other, so the build reports it
    rather than passing over it.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                raise InputError(f"cannot list the folder: {exc.strerror or exc}", path) from None
            out += [p for p in entries if p.suffix in SOURCE_SUFFIXES and not p.is_dir()]
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for path in out:  # a file named twice (itself and in its folder) is built once
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def graph_names(sources: list[Path], base: str = DEFAULT_BASE) -> dict[Path, str]:
    """The named graph each source goes to; two sources that would share one are refused, naming both.

    >>> graph_names([Path("a/report.txt"), Path("b/Report 2.txt")])[Path("b/Report 2.txt")]
    'https://w3id.org/policy-kg/id/doc/report-2/graph'
    >>> graph_names([Path("a/report_2.txt"), Path("b/Report 2.txt")])
    Traceback (most recent call last):
    kg.errors.InputError: b/Report 2.txt: would get the same IRI as a/report_2.txt (<https://w3id.org/policy-kg/id/doc/report-2>): rename one of them
    """
    from .rdf import slug
    from .readers import _check_name

    names: dict[Path, str] = {}
    taken: dict[str, Path] = {}
    for source in sources:
        try:
            _check_name(source)
        except InputError:  # a name that is not UTF-8: reading it says so, for this document alone
            continue
        graph = f"{base}doc/{slug(source.stem)}/graph"
        if graph in taken and taken[graph] != source:
            raise InputError(f"would get the same IRI as {taken[graph]} (<{graph.removesuffix('/graph')}>): "
                             "rename one of them", source)
        taken[graph], names[source] = source, graph
    return names


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def open_store(path: Path, read_only: bool = False):
    import pyoxigraph

    try:
        if not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # a store in a folder not made yet
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path) from None


_GAZETTEERS: dict[tuple, object] = {}


def _gazetteers(files: tuple = ()):
    """The gazetteers (every jurisdiction's, and the user's *files*), loaded once per process."""
    from .units import Gazetteer, Gazetteers

    if files not in _GAZETTEERS:
        _GAZETTEERS[files] = Gazetteers([Gazetteer.load(f) for f in files])
    return _GAZETTEERS[files]


def build_document(source: Path, base: str = DEFAULT_BASE, layout: str | None = None,
                   strict_units: bool = False, jurisdiction: str | None = None,
                   gazetteers: tuple = ()) -> BuiltDocument:
    """Parse, map and validate one document (what a worker does); failures come back as a reason.

    >>> built = build_document(Path("data/wenzhou-2023-82.txt"))
    >>> built.graph, built.triples, built.error, built.summary
    ('https://w3id.org/policy-kg/id/doc/wenzhou-2023-82/graph', 6120, None, 'jurisdiction wz (from its document number); task-list: 32 items, 42 units')
    """
    from rdflib.namespace import DCTERMS

    from .rdf import document_triples, ntriples as to_ntriples, new_graph, slug
    from .readers import read_document
    from .validate import PROFILE_SHAPES, passes_gate, validate_graph

    try:
        doc = read_document(source, _gazetteers(tuple(gazetteers)), layout=layout, strict_units=strict_units,
                            jurisdiction=jurisdiction)
        triples = document_triples(doc, base)  # straight to N-Triples: no rdflib Graph unless the gate fails
        ntriples = to_ntriples(triples)
        profiles = tuple(o for _, p, o in triples if p == DCTERMS.conformsTo and o in PROFILE_SHAPES)
        if not passes_gate(ntriples, profiles):  # the reference decides, and says why
            graph = new_graph()
            for triple in triples:
                graph.add(triple)
            result = validate_graph(graph, engine="pyshacl")
            if not result.conforms:
                first = result.errors[0]
                raise PolicyKGError(f"{len(result.errors)} shape violation(s), e.g. {first.focus}: {first.message}")
        where = f"jurisdiction {doc.jurisdiction_text()}"
        unknown = doc.unknown_units
        summary = (f"{where}; {', '.join(doc.layouts)}: {len(doc.items)} items, {doc.units_text()}"
                   + (f": {'、'.join(u.name_zh for u in unknown)}" if unknown else ""))
        return BuiltDocument(str(source), f"{base}doc/{slug(doc.name)}/graph", ntriples, len(triples), summary=summary)
    except PolicyKGError as exc:
        return BuiltDocument(str(source), error=str(exc).removeprefix(f"{source}: "))
    except Exception as exc:  # noqa: BLE001 - a fault of ours must not cost the user the rest of the corpus
        return BuiltDocument(str(source), error=f"internal error, please report it: {type(exc).__name__}: {exc}")


def build_corpus(paths: list[Path], store_dir: Path, base: str = DEFAULT_BASE, progress: bool = True,
                 jobs: int | None = None, layout: str | None = None, strict_units: bool = False,
                 jurisdiction: str | None = None, gazetteers: tuple = ()) -> CorpusSummary:
    """Build every document into the store at *store_dir* (created if needed).

    *jobs* worker processes (default: one per CPU) parse, map and validate; with 1, or a single document,
    everything runs in this process. The stored graphs and the summary do not depend on *jobs*.
    """
    sources = sources_of(paths)
    if not sources:
        raise InputError("no documents (.txt, .md) to build", paths[0] if paths else None)
    graph_names(sources, base)  # before anything is stored: no document may overwrite another's graph
    jobs = max(1, min(jobs or default_jobs(), len(sources)))
    pool = _start_workers(jobs)  # before the store is opened: the workers must not inherit it
    try:
        return _build_into(store_dir, sources, base, progress, pool, jobs,
                           (layout, strict_units, jurisdiction, tuple(map(str, gazetteers))))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _build_into(store_dir: Path, sources: list[Path], base: str, progress: bool, pool, jobs: int,
                options: tuple = ()) -> CorpusSummary:
    import pyoxigraph as ox

    # The store is only reached through this dict, which is emptied at the end: something inside pyshacl
    # keeps an old frame of this function alive, and a local variable would then keep the store (and its
    # lock on the folder) open after we return.
    db = {"store": open_store(store_dir)}
    summary = CorpusSummary(jobs=jobs)

    def store(built: BuiltDocument) -> None:
        if built.error is not None:
            summary.failures.append((built.source, built.error))
            return
        name = ox.NamedNode(built.graph)
        what = built.summary
        if db["store"].contains_named_graph(name):  # rebuilding a document replaces its graph, and says so
            db["store"].remove_graph(name)
            what += f"; replaced the graph <{built.graph}> stored before"
        # bulk_load writes the graph's sorted files straight to disk (no write-ahead log, no memtable to flush):
        # fast, and memory does not grow with the corpus; only this process writes the store
        db["store"].bulk_load(built.ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        summary.documents += 1
        summary.triples += built.triples
        summary.built.append((built.source, what))

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    try:
        with Progress(*columns, disable=not progress, transient=True) as bar:
            task = bar.add_task("building", total=len(sources))
            for built in _built(pool, sources, base, jobs, options):
                bar.update(task, description=Path(built.source).name)
                store(built)
                bar.advance(task)
        db["store"].flush()
        summary.linked = link_cited_documents(db["store"])
        db["store"].flush()
    finally:
        db.clear()
    return summary


# A document cited by another and held in the store itself (same number, or same exact title) is one resource:
# in every graph, what pointed at the cited node points at the stored document (or its text, where the title is
# the text's); the cited node's own description, now redundant, goes. The cited nodes and the stored documents are
# selected apart and matched here by their keys: one query joining them on the key made every pair of documents
# sharing a title (variants of one plan) a row — 53 s for 120 such documents, growing with their square.
_CITED = """
SELECT DISTINCT ?x ?g ?number ?title WHERE {
  GRAPH ?g { ?x a eli:LegalResource . OPTIONAL { ?x eli:id_local ?number } OPTIONAL { ?x eli:title ?title } }
  FILTER NOT EXISTS { GRAPH ?any { ?x a pol:PolicyDocument } }
  FILTER NOT EXISTS { GRAPH ?any2 { ?x a pol:PolicyText } }
}
"""
_STORED = """
SELECT DISTINCT ?d ?g ?number ?title WHERE {
  { GRAPH ?g { ?d a pol:PolicyDocument . OPTIONAL { ?d eli:id_local ?number } OPTIONAL { ?d eli:title ?title } } }
  UNION
  { GRAPH ?g { ?d a pol:PolicyText ; eli:title ?title } }
}
"""


def link_cited_documents(store) -> int:
    """Make each cited document the store holds the stored document; returns how many cited nodes were linked.

    Run after every corpus build over the whole store, so a document stored later links the citations of
    documents stored before it, and rebuilding a document (whose graph comes back unlinked) links it again. A cited
    node matched by its number takes the document of that number; else, by its exact title, the first document
    or text of that title (in IRI order) described in another graph.
    """
    from .query import sparql_prefixes

    prefixes = sparql_prefixes("pol", "eli", "rdf")

    def value(term):
        return None if term is None else str(term.value)

    by_key: dict[tuple[str, str], set[tuple[str, str]]] = {}  # (kind, key) → {(document, its graph)}
    for r in store.query(prefixes + _STORED):
        d, g = value(r["d"]), value(r["g"])
        for kind in ("number", "title"):
            key = value(r[kind])
            if key:
                by_key.setdefault((kind, key), set()).add((d, g))
    cited: dict[str, dict] = {}
    for r in store.query(prefixes + _CITED):
        node = cited.setdefault(value(r["x"]), {"graphs": set(), "number": set(), "title": set()})
        node["graphs"].add(value(r["g"]))
        for kind in ("number", "title"):
            if r[kind] is not None:
                node[kind].add(value(r[kind]))
    first: dict[str, str] = {}
    for x, node in sorted(cited.items()):
        for kind in ("number", "title"):  # the number first: it names one document
            found = sorted({d for key in node[kind] for d, g in by_key.get((kind, key), ())
                            if d != x and node["graphs"] - {g}})
            if found:
                first[x] = found[0]
                break
    for x, d in first.items():
        store.update(prefixes + f"""
            DELETE {{ GRAPH ?g {{ ?s ?p <{x}> }} }} INSERT {{ GRAPH ?g {{ ?s ?p <{d}> }} }}
            WHERE {{ GRAPH ?g {{ ?s ?p <{x}> }} }};
            DELETE {{ GRAPH ?g {{ <{x}> ?p ?o }} }} WHERE {{ GRAPH ?g {{ <{x}> ?p ?o }} }}""")
    return len(first)


def _start_workers(jobs: int):
    """A pool of *jobs* worker processes, started now (None for 1: the work is done in this process).

    Where the platform allows, the workers are forked, with the shapes and the gazetteer already loaded;
    this is done before the store is opened and the progress bar starts, so no other thread is running.
    """
    if jobs == 1:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .validate import PROFILE_SHAPES, _compiled, load_shapes

    _compiled(load_shapes())  # parsed and compiled once, here: the forked workers share them
    for profile in PROFILE_SHAPES:
        _compiled(load_shapes(profiles=(profile,)))
    from .jurisdictions import places

    for place_id in places():
        _gazetteers().of(place_id)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_end_with, initargs=(os.getpid(),))
    for _ in range(jobs):  # with fork, the first task starts every worker at once
        pool.submit(int)
    return pool


def _end_with(builder: int) -> None:
    """In a worker: end when the builder ends, even if it is killed (the kernel's parent-death signal where there
    is one, else a thread that watches the parent)."""
    import threading
    import time

    from .child import die_with_parent

    if die_with_parent():
        if os.getppid() != builder:  # it died before the signal was asked for
            os._exit(1)
        return

    def watch():  # pragma: no cover - not Linux
        while os.getppid() == builder:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _built(pool, sources: list[Path], base: str, jobs: int, options: tuple = ()):
    """The documents built, in the order of *sources*; at most 2 × jobs in flight."""
    if pool is None:
        for source in sources:
            yield build_document(source, base, *options)
        return
    from concurrent.futures.process import BrokenProcessPool

    pending: deque = deque()

    def result(item):
        source, future = item
        try:
            return future.result()
        except BrokenProcessPool:  # a worker was killed (out of memory, a signal): the rest cannot be built
            raise InputError("a worker process died while building this document (out of memory?); the documents "
                             "before it are stored", source) from None

    for source in sources:
        if len(pending) >= 2 * jobs:
            yield result(pending.popleft())
        pending.append((source, pool.submit(build_document, source, base, *options)))
    while pending:
        yield result(pending.popleft())
