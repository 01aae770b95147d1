"""SPARQL over policy-kg graphs: named queries, parameters, two engines, result formats.

Queries run on an embedded pyoxigraph store by default (fast on large graphs); rdflib's own
engine gives the same results and is there for comparison.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError, PolicyKGError
from .escape import csv_cell, markdown_text
from .resources import DEFAULT_SOURCE, resource

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "json", "md")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_PARAM = re.compile(r"^#\s*@param\s+(\w+)(?:\s+(string|integer|iri|label)\b)?\s*(.*)$")


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for queries built in code, from the project's vocabulary (:data:`kg.vocab.PREFIXES`).

    >>> print(sparql_prefixes("pol", "rdfs"), end="")
    PREFIX pol: <https://w3id.org/policy-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    """
    from .vocab import PREFIXES

    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


def default_graph_path() -> Path:
    """The build output of the embedded default document: ``build/wenzhou-2023-82.ttl``."""
    return Path("build") / (Path(DEFAULT_SOURCE).stem + ".ttl")


# -- terms and results -----------------------------------------------------------------
def _canonical(value: str, datatype: str | None) -> str:
    """The canonical lexical form of an xsd:decimal (engines write 300 or 300.0 for the same value)."""
    if datatype == XSD + "decimal":
        try:
            return format(Decimal(value).normalize(), "f")
        except ArithmeticError:
            return value
    return value


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term as SPARQL results carry it (engine-independent)."""

    type: str  # uri, literal, bnode, triple
    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value

    def to_json(self) -> dict:
        out = {"type": self.type, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out


@dataclass
class Results:
    """Rows of a SELECT (or the answer of an ASK)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def column(self, name: str) -> list[str | None]:
        i = self.variables.index(name)
        return [str(r[i]) if r[i] is not None else None for r in self.rows]

    def records(self) -> list[dict[str, str | None]]:
        return [{v: (str(t) if t is not None else None) for v, t in zip(self.variables, row)} for row in self.rows]


# -- named queries -----------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # string, integer, iri, label (a name: "…"@zh "…"@en "…", for a VALUES clause)
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    description: str
    params: tuple[Param, ...]


def read_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file: its leading comment is the description, ``# @param`` lines the parameters."""
    if not path.exists():
        raise InputError("query file not found", path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("query file is not valid UTF-8", path) from None
    description, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2) or "string", m.group(3).strip()))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(path.stem, path, text, " ".join(d for d in description if d), tuple(params))


def named_queries() -> dict[str, NamedQuery]:
    """The project's named queries (``queries/*.rq``), by name."""
    folder = resource("queries")
    return {p.stem: read_query(p) for p in sorted(folder.glob("*.rq"))}


def resolve_query(name_or_file: str | None, sparql: str | None = None) -> NamedQuery:
    """A named query, a ``.rq`` file, or ad hoc text given with ``--sparql``."""
    if sparql is not None:
        if name_or_file:
            raise InputError("give either a query name/file or --sparql, not both")
        return NamedQuery("--sparql", Path("--sparql"), sparql, "ad hoc query", ())
    if not name_or_file:
        raise InputError("no query: give a query name (see --list), a .rq file, or --sparql")
    if name_or_file.endswith(".rq") or "/" in name_or_file:
        return read_query(Path(name_or_file))
    queries = named_queries()
    if name_or_file not in queries:
        raise InputError(f"unknown query {name_or_file!r}; named queries: {', '.join(queries)}")
    return queries[name_or_file]


def bind_params(query: NamedQuery, given: dict[str, str]) -> dict[str, Term | list[Term]]:
    """Check and type the parameters a query declares."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise InputError(f"query {query.name} has no parameter {unknown[0]!r} (its parameters: {known})")
    missing = [p.name for p in query.params if p.name not in given]
    if missing:
        p = declared[missing[0]]
        raise InputError(f"query {query.name} needs --param {p.name}=… ({p.description})")
    bound = {}
    for name, value in given.items():
        kind = declared[name].kind
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise InputError(f"parameter {name} must be an integer, got {value!r}")
            bound[name] = Term("literal", str(int(value)), datatype=XSD + "integer")
        elif kind == "iri":
            bound[name] = Term("uri", value)
        elif kind == "label":
            bound[name] = [Term("literal", value, lang="zh"), Term("literal", value, lang="en"), Term("literal", value)]
        else:
            bound[name] = Term("literal", value)
    return bound


# -- engines -----------------------------------------------------------------------------
class Engine:
    """A loaded dataset that answers SPARQL queries."""

    name = "?"

    def select(self, text: str, source: str = "query") -> Results:
        """Run a query; *source* names it in error messages (a file, or --sparql)."""
        raise NotImplementedError


class OxigraphEngine(Engine):
    """An in-memory (or on-disk) pyoxigraph store."""

    name = "oxigraph"

    def __init__(self, store=None):
        import pyoxigraph

        self.ox = pyoxigraph
        self.store = store if store is not None else pyoxigraph.Store()

    @classmethod
    def from_files(cls, paths: Sequence[str | Path]) -> "OxigraphEngine":
        """Load RDF files; JSON-LD is read with rdflib (:func:`kg.build.read_rdf`): Oxigraph cannot resolve a
        context named by a relative path (our dumps' ``context.jsonld``), and reading never uses the network."""
        engine = cls()
        for path in map(Path, paths):
            check_rdf_file(path)
            fmt = engine.ox.RdfFormat.from_extension(path.suffix.lstrip(".") or "ttl")
            if fmt is None:
                raise InputError(f"unknown RDF format for extension {path.suffix!r}", path)
            if fmt == engine.ox.RdfFormat.JSON_LD:
                from rdflib import Dataset

                from .build import read_rdf

                quads = read_rdf(Dataset(), path, "json-ld").serialize(format="nquads", encoding="utf-8")
                engine.store.bulk_load(quads, engine.ox.RdfFormat.N_QUADS)
                continue
            try:
                engine.store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as exc:
                raise InputError(f"not valid {fmt.name}: {exc}", path) from None
        return engine

    def _term(self, t) -> Term | None:
        ox = self.ox
        if t is None:
            return None
        if isinstance(t, ox.NamedNode):
            return Term("uri", t.value)
        if isinstance(t, ox.BlankNode):
            return Term("bnode", t.value)
        if isinstance(t, ox.Literal):
            dt = t.datatype.value
            dt = None if dt in (XSD + "string", RDF_LANGSTRING) else dt
            return Term("literal", _canonical(t.value, dt), t.language, dt)
        return Term("triple", str(t))

    def select(self, text, source="query"):
        ox = self.ox
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QuerySyntaxError(source, str(exc)) from None
        except OSError as exc:
            raise PolicyKGError(f"{source}: query failed: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return Results([], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            rows = [(self._term(t.subject), self._term(t.predicate), self._term(t.object)) for t in result]
            return Results(["subject", "predicate", "object"], sorted(rows))
        variables = [v.value for v in result.variables]
        cache: dict = {}  # the same unit, label or period comes back in many rows

        def term(t):
            if t is None:
                return None
            found = cache.get(t)
            if found is None:
                found = cache[t] = self._term(t)
            return found

        return Results(variables, [tuple(term(s[i]) for i in range(len(variables))) for s in result])


class RdflibEngine(Engine):
    """rdflib's own SPARQL engine over an in-memory graph."""

    name = "rdflib"

    def __init__(self, graph):
        self.graph = graph

    @classmethod
    def from_files(cls, paths: Sequence[str | Path]) -> "RdflibEngine":
        from .build import load_graph

        return cls(load_graph(list(paths)))

    @staticmethod
    def _term(t) -> Term | None:
        from rdflib import BNode, Literal, URIRef

        if t is None:
            return None
        if isinstance(t, URIRef):
            return Term("uri", str(t))
        if isinstance(t, BNode):
            return Term("bnode", str(t))
        if isinstance(t, Literal):
            dt = str(t.datatype) if t.datatype and str(t.datatype) != XSD + "string" else None
            return Term("literal", _canonical(str(t), dt), t.language, dt)
        return Term("triple", str(t))

    def select(self, text, source="query"):
        from pyparsing import ParseException

        try:
            result = self.graph.query(text)
        except ParseException as exc:
            raise QuerySyntaxError(source, f"error at {exc.lineno}:{exc.col}: {exc.msg}") from None
        if result.type == "ASK":
            return Results([], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [tuple(map(self._term, t)) for t in result]
            return Results(["subject", "predicate", "object"], sorted(rows))
        variables = [str(v) for v in result.vars]
        return Results(variables, [tuple(self._term(row[v]) for v in variables) for row in result])


class QuerySyntaxError(InputError):
    """A malformed query: says where."""

    def __init__(self, source: str, detail: str):
        m = re.search(r"(?:error )?at (\d+):(\d+):?\s*(.*)", detail)
        if m:
            super().__init__(f"SPARQL syntax error: {m.group(3).strip() or detail}", f"{source}:{m.group(1)}:{m.group(2)}")
        else:
            super().__init__(f"SPARQL syntax error: {detail}", source)


def check_rdf_file(path: Path) -> None:
    """An RDF input must be an existing, non-empty file (else an InputError naming it)."""
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a directory, expected an RDF file", path)
    if path.stat().st_size == 0:
        raise InputError("file is empty", path)


def open_engine(paths: Sequence[str | Path] | None, engine: str = "oxigraph", store: str | Path | None = None) -> Engine:
    """Load RDF files into the chosen engine (default: the default document's build output), or open a store."""
    if store is not None:
        if paths:
            raise InputError("give --graph files or --store, not both")
        if engine != "oxigraph":
            raise InputError("--store is an Oxigraph store: use --engine oxigraph")
        if not Path(store).is_dir():
            raise InputError("store not found (build one with `policy-kg build SOURCES --store DIR`)", store)
        from .corpus import open_store

        return OxigraphEngine(open_store(Path(store), read_only=True))
    if not paths:
        default = default_graph_path()
        if not default.exists():
            raise InputError(f"{default} not found: run `policy-kg build` (or `make run`) first, or give --graph FILE")
        paths = [default]
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    return (OxigraphEngine if engine == "oxigraph" else RdflibEngine).from_files(paths)


def sparql_term(t: Term) -> str:
    """A term written in SPARQL syntax, escaped.

    >>> sparql_term(Term("literal", 'say "hi"'))
    '"say \\\\"hi\\\\""'
    >>> sparql_term(Term("literal", "7", datatype=XSD + "integer"))
    '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if t.type == "uri":
        if re.search(r'[\s<>"{}|^`\\]', t.value):
            raise InputError(f"not a valid IRI: {t.value!r}")
        return f"<{t.value}>"
    escaped = t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if t.lang:
        return f'"{escaped}"@{t.lang}'
    return f'"{escaped}"^^<{t.datatype}>' if t.datatype else f'"{escaped}"'


def substitute(text: str, bindings: dict[str, Term | list[Term]]) -> str:
    """Put each parameter's value in place of its variable (``?unit`` or ``$unit``) in the query text.

    Both engines then run the very same query, and a value can never change the query's structure.
    A ``label`` parameter becomes several terms (the name tagged @zh, @en, and plain), meant for
    ``VALUES ?name { ?unit }``, so that the engine looks the name up in its index.

    >>> substitute("VALUES ?n { ?unit }", {"unit": [Term("literal", "甲", "zh"), Term("literal", "甲")]})
    'VALUES ?n { "甲"@zh "甲" }'
    """
    for name, value in bindings.items():
        terms = value if isinstance(value, list) else [value]
        written = " ".join(sparql_term(t) for t in terms)
        text = re.sub(rf"[?$]{re.escape(name)}\b", lambda _: written, text)
    return text


def run(query: NamedQuery, engine: Engine, params: dict[str, str] | None = None) -> Results:
    """Run a (named) query with its parameters on an engine."""
    return engine.select(substitute(query.text, bind_params(query, params or {})), source=str(query.path))


# -- output formats --------------------------------------------------------------------
def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}, ensure_ascii=False, indent=2) + "\n"
    bindings = [{v: t.to_json() for v, t in zip(results.variables, row) if t is not None} for row in results.rows]
    doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(results: Results) -> str:
    """Results as CSV (SPARQL 1.1 Query Results CSV), a value that would start a formula written as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if results.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if results.boolean else "false"])
        return out.getvalue()
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow(["" if t is None else csv_cell(t.value) for t in row])
    return out.getvalue()


def to_markdown(results: Results) -> str:
    """Results as a Markdown table, each value shown as the characters it is made of."""
    if results.boolean is not None:
        return f"**{'true' if results.boolean else 'false'}**\n"

    def cell(t: Term | None) -> str:
        return "" if t is None else markdown_text(" ".join(t.value.split()))

    lines = ["| " + " | ".join(results.variables) + " |", "|" + "---|" * len(results.variables)]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in results.rows]
    return "\n".join(lines) + "\n"


def to_table(results: Results, width: int | None = None) -> str:
    """A terminal table; rich measures Chinese characters as two columns, so columns line up."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width or 160, highlight=False, color_system=None)
    if results.boolean is not None:
        console.print("true" if results.boolean else "false")
    else:
        table = Table(show_lines=False, header_style="bold")
        for v in results.variables:
            numeric = all(t is None or (t.datatype or "").startswith(XSD) and t.datatype != XSD + "date"
                          for t in (row[results.variables.index(v)] for row in results.rows)) and results.rows
            table.add_column(v, justify="right" if numeric else "left", overflow="fold")
        for row in results.rows:  # Text: a value is never rich's own markup ("[bold]…")
            table.add_row(*(Text("" if t is None else t.value) for t in row))
        console.print(table)
        console.print(f"{len(results.rows)} row(s)")
    return console.file.getvalue()


FORMATTERS = {"table": to_table, "csv": to_csv, "json": to_json, "md": to_markdown}


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--param needs key=value, got {pair!r}")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out
