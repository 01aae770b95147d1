"""The ``policy-kg`` command line: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import PolicyKGError, ValidationFailed
from .vocab import DEFAULT_BASE


class _Group(click.Group):
    """Turns the toolkit's errors into one line on stderr and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(exc.report_text, err=True, nl=False)
            click.echo(f"policy-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except PolicyKGError as exc:
            click.echo(f"policy-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:  # a bad option or argument: one line too, and where to read more
            where = f"policy-kg {exc.ctx.info_name}" if exc.ctx and exc.ctx.parent else "policy-kg"
            click.echo(f"policy-kg: error: {exc.format_message()} (see '{where} --help')", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy-kg")
def main() -> None:
    """Turn Chinese government policy documents into a validated knowledge graph."""


class _BuildCommand(click.Command):
    """``build --help`` lists the layouts from the readers' registry (imported only for help)."""

    def format_epilog(self, ctx, formatter):
        from .readers import layouts

        with formatter.section("Layouts (found in each document; --layout forces one)"):
            formatter.write_dl(list(layouts().items()))


@main.command("build", cls=_BuildCommand)
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the instance data.")
@click.option("--store", "store_dir", type=click.Path(path_type=Path),
              help="Corpus mode: build SOURCES (files or folders of .txt) into this Oxigraph store, a named graph "
                   "per document; a bad document is reported and the others are stored.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Corpus mode: worker processes that parse, map and validate  [default: one per CPU]")
@click.option("--layout", metavar="NAME", default=None,
              help="Read only this layout instead of finding the document's layouts (see the list below).")
@click.option("--strict-units", is_flag=True,
              help="Refuse a unit name no gazetteer knows (by default it is kept as written, with a note).")
@click.option("--jurisdiction", metavar="ID", default=None,
              help="The jurisdiction (an id of data/places.csv: cn, zj, wz, sh…) of sources whose issuer, number or "
                   "title do not tell.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(path_type=Path),
              help="A gazetteer of your own (CSV: id,name_zh,name_en,aliases,classification), searched first "
                   "(repeatable).")
def build_cmd(sources: tuple[Path, ...], out_dir: Path, base: str, store_dir: Path | None,
              jobs: int | None, layout: str | None, strict_units: bool, jurisdiction: str | None,
              gazetteers: tuple[Path, ...]) -> None:
    """Read SOURCE files (default: the embedded Wenzhou document), validate, write Turtle and reports.

    Each source is a document's text (UTF-8; .txt or .md). Its layouts are found, not configured: every
    item that names a responsible unit — in a bracket after it, in a task table, in 牵头单位：… lines —
    becomes part of the graph. Writes OUT/<name>.ttl, OUT/<name>.validation.txt and OUT/<name>.quality.md
    for each source, and nothing at all if any source fails.
    """
    from .build import build

    if jobs is not None and not store_dir:
        raise click.UsageError("--jobs applies to corpus mode only (with --store)")
    if store_dir:
        from .corpus import build_corpus
        from .resources import DEFAULT_SOURCE, resource

        summary = build_corpus(list(sources) or [resource(DEFAULT_SOURCE)], store_dir, base,
                               progress=sys.stderr.isatty(), jobs=jobs, layout=layout, strict_units=strict_units,
                               jurisdiction=jurisdiction, gazetteers=gazetteers)
        click.echo(summary.text(store_dir), nl=False)
        if summary.failures:
            raise click.exceptions.Exit(2)
        return
    if layout is not None:
        from .readers import READERS

        if layout not in READERS:
            raise click.BadParameter(f"{layout!r} is not a layout (one of {', '.join(READERS)})",
                                     param_hint="'--layout'")
    if jurisdiction is not None:
        from .jurisdictions import place

        place(jurisdiction)  # an unknown id is one clear line before anything is read
    for built in build(list(sources) or None, out_dir, base, layout=layout, strict_units=strict_units,
                       jurisdiction=jurisdiction, gazetteers=list(gazetteers)):
        click.echo(built.summary())
        for path in built.outputs:
            if path.suffix != ".ttl":
                click.echo(f"  wrote {path}")


@main.command("eval")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(path_type=Path),
              help="Folder of gold annotations: <document name>.tsv for each source.")
@click.option("--provenance", is_flag=True,
              help="The sources open with a block of '# ' lines up to the first blank line: read only the body.")
@click.option("--differences", is_flag=True, help="Also list every item and unit that differs from the gold.")
def eval_cmd(sources, gold_dir, provenance, differences) -> None:
    """Score what the readers extract from SOURCES against gold annotations: items found, (item, unit) and
    lead precision / recall / F1, per document and in total.

    \b
    Example:
      policy-kg eval --gold tests/data/genre-gold --provenance ../shared/sources/genre/*.txt
    """
    from .evaluate import evaluate_files, report

    scores = evaluate_files(list(sources), gold_dir, provenance)
    click.echo(report(scores, differences), nl=False)


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "shacl"]), default="auto", show_default=True,
              help="pyshacl: the reference; shacl: the fast engine; auto: the fast engine, and the reference's "
                   "report where it finds a violation.")
@click.option("--allow-remote-context", is_flag=True,
              help="Fetch a JSON-LD @context named by URL (by default reading never uses the network).")
def validate_cmd(files: tuple[Path, ...], engine: str, allow_remote_context: bool) -> None:
    """Validate RDF FILES (Turtle, N-Triples, JSON-LD…) against the policy-kg shapes."""
    from .build import load_graph
    from .validate import validate_graph

    graph = load_graph(list(files), allow_remote_context=allow_remote_context)
    result = validate_graph(graph, engine=engine)
    name = ", ".join(map(str, files))
    if not result.conforms:
        raise ValidationFailed(result.report(name), len(result.errors))
    click.echo(result.report(name), nl=False)


def _GRAPH(fn):
    """--graph FILE… or --store DIR: the data a reading command works on."""
    fn = click.option("--store", "store_dir", type=click.Path(path_type=Path),
                      help="Read an Oxigraph store built with `policy-kg build --store` instead of files.")(fn)
    return click.option("--graph", "graphs", multiple=True, type=click.Path(path_type=Path),
                        help="RDF file(s) to read (repeatable). Default: build/wenzhou-2023-82.ttl.")(fn)



def _source_name(graphs, store_dir: Path | None) -> str:
    """What a reading command read, as its reports name it: the store, or the graph files."""
    from .query import default_graph_path

    return str(store_dir) if store_dir else ", ".join(map(str, graphs or [default_graph_path()]))


@main.command("query")
@click.argument("query", required=False)
@click.option("--sparql", help="An ad hoc SPARQL query instead of a named query or file.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@_GRAPH
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table",
              show_default=True, help="json is the SPARQL 1.1 Query Results JSON format.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="SPARQL engine: embedded pyoxigraph store, or rdflib's own engine.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and what they answer.")
def query_cmd(query, sparql, params, graphs, store_dir, fmt, engine, list_) -> None:
    """Run a named query (see --list), a QUERY.rq file, or --sparql "…" on the graph.

    \b
    Examples:
      policy-kg query lead-counts
      policy-kg query unit-tasks --param unit=市发改委
      policy-kg query measures-of-task --param task=7 --format md
      policy-kg query --sparql "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    """
    from . import query as q

    if list_:
        for named in q.named_queries().values():
            params_text = "".join(f" --param {p.name}=…" for p in named.params)
            click.echo(f"{named.name}{params_text}\n    {named.description}")
            for p in named.params:
                click.echo(f"    {p.name}: {p.description}")
        return
    named = q.resolve_query(query, sparql)
    engine_ = q.open_engine(list(graphs), engine, store_dir)
    results = q.run(named, engine_, q.parse_params(params))
    click.echo(q.FORMATTERS[fmt](results), nl=False)


@main.command("analyze")
@_GRAPH
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default="md", show_default=True,
              help="md: a report to read; json: every figure; csv: the per-unit table.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Write every output here: report, JSON, CSV tables, GraphML/GEXF networks, PNG plots.")
@click.option("--unit", help="Answer for one unit (any name or alias), e.g. 市发展改革委.")
def analyze_cmd(graphs, store_dir, fmt, out_dir, unit) -> None:
    """Analyse the responsibility network: who leads, who is involved, who works with whom, who is central.

    \b
    Examples:
      policy-kg analyze
      policy-kg analyze --unit 市发改委
      policy-kg analyze --format csv > units.csv
      policy-kg analyze --out build
    """
    from . import report
    from .analyze import analyse, analyse_store, responsibility_network
    from .query import open_engine

    engine = open_engine(list(graphs), store=store_dir)
    # a store may hold a corpus: count there first (SPARQL aggregates), then analyse the unit graphs
    result = analyse_store(engine) if store_dir else analyse(responsibility_network(engine))
    source = _source_name(graphs, store_dir)
    if unit:
        row = result.unit(unit)
        if fmt == "json":
            click.echo(json.dumps(row, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            click.echo(report._csv([row], report.unit_columns(result)), nl=False)
        else:
            click.echo(report.unit_answer(result, unit), nl=False)
            if store_dir:  # a corpus: in which documents
                from .query import named_queries, run

                rows = run(named_queries()["unit-documents"], engine, {"unit": unit}).records()
                click.echo(report.unit_documents(rows), nl=False)
        return
    if out_dir:
        from .export import write_all

        files = {Path(out_dir) / name: data for name, data in report.analysis_files(result, source).items()}
        for path in write_all(files):
            click.echo(f"wrote {path}")
        return
    text = {"md": lambda: report.markdown_report(result, source), "json": lambda: report.to_json(result),
            "csv": lambda: report.units_csv(result)}[fmt]()
    click.echo(text, nl=False)


@main.command("viz")
@_GRAPH
@click.option("--out", "out_dir", default="visualizations", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the HTML pages.")
@click.option("--view", "views", multiple=True,
              type=click.Choice(["responsibility-network", "unit-network", "policy-hierarchy"]),
              help="Only these views (repeatable; default: all). index.html is always written.")
@click.option("--unit", "units", multiple=True, help="Also a view of one unit (any name or alias; repeatable).")
@click.option("--scale", type=click.Choice(["auto", "aggregate", "full"]), default="auto", show_default=True,
              help="aggregate: each document drawn as one node, its items shown on a click; full: every item "
                   "drawn (slow past a few hundred); auto: aggregate where there are several documents.")
def viz_cmd(graphs, store_dir, out_dir, views, units, scale) -> None:
    """Write interactive network views (HTML) that work offline, from file://, with no network at all.

    \b
    Examples:
      policy-kg viz
      policy-kg viz --unit 市发展改革委
      policy-kg viz --view unit-network --out /tmp/views
      policy-kg viz --store corpus.db
    """
    from .export import write_all
    from .query import open_engine
    from .viz import build_pages

    source = _source_name(graphs, store_dir)
    pages = build_pages(open_engine(list(graphs), store=store_dir), list(views), list(units), source, scale)
    for path in write_all({Path(out_dir) / f"{p.name}.html": p.html.encode("utf-8") for p in pages}):
        click.echo(f"wrote {path}")


@main.command("export-table")
@_GRAPH
@click.option("--format", "fmt", type=click.Choice(["tsv", "md", "xlsx"]), default="tsv", show_default=True)
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Write to this file (xlsx needs it).")
def export_table_cmd(graphs, store_dir, fmt, out_file) -> None:
    """Write the document's items back from the graph alone: Wenzhou's task list as the source's table has it,
    or for any other document one row per item in the columns it has (number path, item, text, lead, supporting
    and jointly responsible units, deadline; period, contact and area where present).

    \b
    Examples:
      policy-kg export-table --format md
      policy-kg export-table --format xlsx --out task-list.xlsx
      policy-kg export-table --graph build/guofa-2018-39-jiuye.ttl --format md
    """
    from .errors import InputError
    from .export import write_all
    from .query import open_engine
    from .table import export_table

    table = export_table(open_engine(list(graphs), store=store_dir), sep="\n" if fmt == "xlsx" else " ")
    if fmt == "xlsx":
        if not out_file:
            raise InputError("--format xlsx needs --out FILE.xlsx")
        data = table.xlsx()
    else:
        data = (table.tsv() if fmt == "tsv" else table.markdown()).encode("utf-8")
    if out_file:
        write_all({Path(out_file): data})
        click.echo(f"wrote {out_file}: {len(table.rows)} {table.noun}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command("ontology-doc")
@click.option("--out", "out_file", default="build/ontology.html", show_default=True, type=click.Path(path_type=Path),
              help="The HTML file to write.")
def ontology_doc_cmd(out_file: Path) -> None:
    """Write the ontology's documentation as one HTML page that works offline: every class and property with its
    Chinese and English labels and comments, the terms reused from other vocabularies, and under each class the
    SHACL shapes (core and task-list profile) that constrain it.
    """
    from .export import write_all
    from .ontodoc import project_page

    write_all({Path(out_file): project_page().encode("utf-8")})
    click.echo(f"wrote {out_file}")


@main.command("dump")
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(path_type=Path))
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI (for the dataset description).")
@click.option("--redact", "profile", type=click.Choice(["personal-phones"]),
              help="Privacy profile: personal-phones drops personal mobile numbers, keeps office landlines.")
@click.option("--endpoint-url", help="The public SPARQL endpoint serving this data, for the dataset description.")
def dump_cmd(graphs, out_dir, base, profile, endpoint_url) -> None:
    """Portal-ready dumps of GRAPHS (default: build/wenzhou-2023-82.ttl): Turtle, JSON-LD, N-Triples, TriG,
    and OUT/dataset.ttl, their DCAT/VoID description.
    """
    from .build import load_graph
    from .export import write_all
    from .publish import dump_files
    from .query import default_graph_path

    paths = list(graphs) or [default_graph_path()]
    loaded = {Path(p).stem: load_graph([p]) for p in paths}
    files = dump_files(loaded, base, profile, endpoint_url)
    for path in write_all({Path(out_dir) / name: data for name, data in files.items()}):
        click.echo(f"wrote {path}")


@main.command("serve")
@_GRAPH
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (loopback by default; any other address is reachable from other machines).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a query may run.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(min=1),
              help="Most results returned per query.")
@click.option("--max-memory", "memory_mb", default=1024, show_default=True, type=click.IntRange(min=16),
              help="Megabytes a query may take beyond the loaded data.")
@click.option("--max-body", default=1 << 20, show_default=True, type=click.IntRange(min=1024),
              help="Largest request body in bytes.")
@click.option("--read-timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a connection may stay silent before it is closed.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Queries answered at once.")
@click.option("--cors", is_flag=True, help="Let web pages of any origin read the answers (Access-Control-Allow-Origin: *).")
@click.option("--base", default=DEFAULT_BASE, show_default=True,
              help="The IRIs served as pages: BASE + path answers at /id/ + path.")
@click.option("--redact", "profile", type=click.Choice(["personal-phones"]),
              help="Privacy profile: personal-phones serves the data without personal mobile numbers (loaded into "
                   "memory without them; a --store is not changed).")
def serve_cmd(graphs, store_dir, host, port, timeout, max_rows, memory_mb, max_body, read_timeout, threads,
              cors, base, profile) -> None:
    """A read-only SPARQL 1.1 endpoint over the graph (GET or POST /sparql, results as JSON, XML, CSV or TSV)
    and a page for every resource: the IRI BASE + path answers at /id/ + path, as HTML for a browser or as
    Turtle, JSON-LD or N-Triples by the Accept header (a 303 to path.html, .ttl, .jsonld or .nt).

    Updates and SERVICE (federated queries) are refused; a query past its time or memory limit is stopped
    with 503 and the server goes on.

    \b
    Examples:
      policy-kg serve &
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql?query=SELECT+(COUNT(*)+AS+?n)+{?s+?p+?o}'
      curl -L -H 'Accept: text/turtle' http://127.0.0.1:7878/id/doc/wenzhou-2023-82/task/7
    """
    from .errors import InputError
    from .query import open_engine
    from .serve import Limits, is_loopback, serve

    store = _redacted(open_engine(list(graphs), store=store_dir), profile).store
    limits = Limits(timeout=timeout, max_rows=max_rows, memory_mb=memory_mb, max_body=max_body,
                    read_timeout=read_timeout, threads=threads, cors=cors)
    if not is_loopback(host):
        click.echo(f"policy-kg: warning: serving on {host}, reachable from other machines: anyone who can reach "
                   f"port {port} can query the data", err=True)
    try:
        serve(store, host, port, limits, base=base,
              ready=lambda url: click.echo(f"serving {len(store)} triples read-only at {url} (Ctrl-C stops)"))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass


def _redacted(engine, profile: str | None):
    """The engine, or an in-memory copy without what the privacy profile removes (and how much that was, said)."""
    if not profile:
        return engine
    from .publish import redact_engine

    engine, removed = redact_engine(engine, profile)
    click.echo(f"{profile}: {removed} value(s) left out")
    return engine


@main.command("site")
@_GRAPH
@click.option("--out", "out_dir", default="site", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the site (replaced whole if policy-kg wrote it; any other non-empty folder is refused).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="The IRIs that get pages: BASE + path is id/path/.")
@click.option("--redact", "profile", type=click.Choice(["personal-phones"]),
              help="Privacy profile: personal-phones leaves personal mobile numbers out of every page and file.")
def site_cmd(graphs, store_dir, out_dir, base, profile) -> None:
    """Write a static site: a folder per resource (index.html and its RDF as index.ttl, index.jsonld and
    index.nt), the views, the dumps and their DCAT description, the ontology's documentation. Links are
    relative: the folder works from file:// and from any path of a web server.

    \b
    Examples:
      policy-kg site --out site
      policy-kg site --store corpus.db --out /var/www/policy-kg
    """
    from .export import write_tree
    from .query import open_engine
    from .site import site_files

    engine = _redacted(open_engine(list(graphs), store=store_dir), profile)
    # the views name what they were made from: here the file's or store's name, not a path on this machine
    files = site_files(engine, base, ", ".join(Path(p).name for p in ([store_dir] if store_dir else graphs))
                       or "the default graph")
    replaced = write_tree(Path(out_dir), files)
    pages = sum(1 for name in files if name.startswith("id/") and name.endswith("/index.html"))
    click.echo(f"{'replaced' if replaced else 'wrote'} {out_dir}: {pages} resource pages, {len(files)} files")


@main.command("publish")
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph-iri", help="Named graph to replace (default: <document IRI>/graph).")
@click.option("--user", envvar="POLICY_KG_USER", show_envvar=True,
              help="name:password for HTTP basic authentication; set POLICY_KG_USER instead to keep the password "
                   "off the command line. A name:password@ in --endpoint is used the same way.")
@click.option("--redact", "profile", type=click.Choice(["personal-phones"]), help="Privacy profile to apply first.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Each document's upload (connect, send, the store's complete answer) must "
                                      "end within this time.")
def publish_cmd(graphs, endpoint, graph_iri, user, profile, timeout) -> None:
    """Upload GRAPHS (default: build/wenzhou-2023-82.ttl) to a SPARQL 1.1 Graph Store Protocol store
    (Oxigraph, Fuseki, GraphDB, Virtuoso…), one named graph per document, replacing what was there.
    Messages never show a password, nor the value of a token-like parameter of the URL.
    """
    from .build import load_graph
    from .errors import InputError
    from .export import turtle_bytes
    from .publish import document_iri, redact, redact_url, upload
    from .query import default_graph_path

    paths = list(graphs) or [default_graph_path()]
    if graph_iri and len(paths) > 1:
        raise InputError("--graph-iri names one graph: give one file")
    for path in paths:
        graph = load_graph([path])
        if profile:
            graph = redact(graph, profile)[0]
        doc = document_iri(graph)
        iri = graph_iri or (f"{doc}/graph" if doc else None)
        if iri is None:
            raise InputError("no pol:PolicyDocument in the graph to name it after: give --graph-iri", path)
        status = upload(turtle_bytes(graph), endpoint, iri, user, timeout)
        click.echo(f"published {path} ({len(graph)} triples) to <{iri}> at {redact_url(endpoint)}: HTTP {status}")


def run() -> None:  # pragma: no cover - console-script entry point
    sys.exit(main())
