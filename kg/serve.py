"""A read-only SPARQL 1.1 Protocol endpoint over an embedded pyoxigraph store, with a SPARQL editor at ``/``.

GET ``/sparql?query=…`` and POST (form ``query=…`` or ``application/sparql-query``); results as JSON, XML,
CSV or TSV by content negotiation (CONSTRUCT/DESCRIBE as N-Triples or Turtle), written by pyoxigraph's own
serialisers, so every term (blank nodes, literals with a language or a datatype) comes out as the formats
define it. Updates are refused (403); so is ``SERVICE`` (400): the endpoint makes no request of its own.
``/`` is a SPARQL editor (:mod:`kg.editor`: YASGUI, vendored, with the named queries as examples and a bar
chart of counts) that asks this endpoint only and loads nothing from elsewhere; its files are under ``/yasgui/``.

HTTP is spoken by waitress, a production WSGI server: requests are read whole by its I/O thread before a
worker sees them, so a slow, idle or half-sent connection holds up no one and is closed after
``read_timeout`` seconds; bodies past ``max_body`` bytes are refused (413). Each query runs in a forked child
(:func:`kg.child.run_in_child`) with a time limit, a memory allowance and no way to open a file or a socket;
a query past either limit is stopped with 503 and the server goes on. At most ``max_rows`` results are
returned (a header says when the answer was cut). Binds to loopback unless told otherwise; cross-origin
pages may read the answers only with ``cors``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from dataclasses import dataclass
from urllib.parse import parse_qs

from . import editor
from .child import run_in_child
from .vocab import DEFAULT_BASE

RESULT_TYPES = {  # media type → pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE"}
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
              "application/ld+json": "jsonld", "application/json": "jsonld", "application/n-triples": "nt",
              "text/plain": "nt"}  # media type → extension (JSON-LD is JSON; N-Triples is plain text)
_PAGE_CSP = ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")


@dataclass(frozen=True)
class Limits:
    """What one query and one connection may take."""

    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10000  # results returned at most
    memory_mb: int = 1024  # memory a query may take, beyond the loaded store
    max_body: int = 1 << 20  # bytes of a request body
    read_timeout: float = 30.0  # seconds a connection may stay silent
    threads: int = 4  # queries answered at once
    connections: int = 100  # connections held at once
    cors: bool = False  # Access-Control-Allow-Origin: * (let any web page read the answers)


def negotiate(accept: str, options: dict[str, str], default: str) -> str | None:
    """The first media type of the Accept header we can produce (``*/*`` or none: *default*).

    >>> negotiate("text/csv;q=0.9, application/sparql-results+xml", RESULT_TYPES, "application/json")
    'application/sparql-results+xml'
    >>> negotiate("image/png", RESULT_TYPES, "application/json") is None
    True
    """
    if not accept.strip():
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media))
    for _, _, media in sorted(ranked):
        if media in options:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


# The SPARQL tokens inside which a word is not a keyword: strings (long and short, with escapes), IRIs (as the
# grammar's IRIREF, \u escapes included) and comments. What is left is scanned for the keyword SERVICE.
_OPAQUE = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                     r'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*\''''
                     r'''|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>|#[^\n\r]*''', re.S)
_SERVICE = re.compile(r"(?<![\w:?$-])SERVICE(?![\w:-])", re.I)


def asks_for_service(query: str) -> bool:
    """Whether a query has a ``SERVICE`` clause (a federated query, which would make this server a client).

    Errs on the side of yes: a word that might be the keyword counts.

    >>> asks_for_service("SELECT * { SeRvIcE <http://127.0.0.1:22/> { ?s ?p ?o } }")
    True
    >>> asks_for_service('SELECT * { ?service ex:service "SERVICE" . <urn:SERVICE> ?p ?o } # SERVICE')
    False
    >>> asks_for_service("SELECT * { ?s ?p ?o .SERVICE<http://x/>{ ?a ?b ?c } }")
    True
    """
    return bool(_SERVICE.search(_OPAQUE.sub(" ", query)))


class Endpoint:
    """The WSGI application."""

    def __init__(self, store, limits: Limits = Limits(), base: str = DEFAULT_BASE):
        self.store, self.limits = store, limits
        from .pages import Pages
        from .query import OxigraphEngine

        self.pages = Pages(OxigraphEngine(store), base)
        self._ontology: bytes | None = None

    def __call__(self, environ, start_response):
        try:
            return self._route(environ, start_response)
        except Exception as exc:  # noqa: BLE001 - one line in the log and a 500, never a traceback
            print(f"policy-kg serve: error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return self._reply(start_response, "500 Internal Server Error", TEXT, "internal error\n")

    def _route(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        page = path in ("/", "/id", "/ontology", "/ontology/") or path.startswith(("/id/", "/yasgui/"))
        if page and environ["REQUEST_METHOD"] not in ("GET", "HEAD"):  # pages and files are only read
            return self._reply(start_response, "405 Method Not Allowed", TEXT, "use GET\n", [("Allow", "GET, HEAD")])
        if path == "/id" or path.startswith("/id/"):
            try:  # WSGI hands the path over as Latin-1: the IRI's characters are its UTF-8 bytes
                rest = path[4:].encode("latin-1").decode("utf-8")
            except UnicodeError:
                return self._reply(start_response, "404 Not Found", TEXT, "not found: the path is not UTF-8\n")
            return self._resource(rest, environ.get("HTTP_ACCEPT", ""), start_response)
        if path in ("/ontology", "/ontology/"):  # the ontology's documentation (kg.ontodoc)
            kind = negotiate(environ.get("HTTP_ACCEPT", ""), {"text/html": "html", "application/xhtml+xml": "html",
                                                              "text/turtle": "ttl"}, "text/html")
            if kind == "text/turtle":  # what an RDF client resolving a pol: term asks for
                from .resources import resource

                return self._reply(start_response, "200 OK", "text/turtle; charset=utf-8",
                                   resource("ontology/policy-kg.ttl").read_bytes(), [("Vary", "Accept")])
            return self._reply(start_response, "200 OK", HTML, self.ontology_page(), [_PAGE_CSP, ("Vary", "Accept")])
        if path == "/" or path.startswith("/yasgui/"):  # the SPARQL editor (kg.editor) and its files
            if path == "/":
                return self._reply(start_response, "200 OK", editor.HTML, editor.page(),
                                   [("Content-Security-Policy", editor.CSP), ("Cache-Control", "no-cache")])
            found = editor.asset(path[len("/yasgui/"):])
            if found is None:
                return self._reply(start_response, "404 Not Found", TEXT, "not found\n")
            return self._reply(start_response, "200 OK", found[0], found[1], [("Cache-Control", editor.CACHE)])
        if path != "/sparql":
            return self._reply(start_response, "404 Not Found", TEXT, "not found\n")
        method = environ["REQUEST_METHOD"]
        params = parse_qs(environ.get("QUERY_STRING", ""))
        update = "update" in params
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return self._reply(start_response, "400 Bad Request", TEXT, "bad Content-Length\n")
            if length > self.limits.max_body:  # waitress refuses bodies past the limit before they reach us
                return self._reply(start_response, "413 Content Too Large", TEXT,
                                   f"request body over {self.limits.max_body} bytes\n")
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip()
            update = update or ctype == "application/sparql-update" or "update" in parse_qs(body)
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body).items():
                    params.setdefault(k, []).extend(v)
        elif method != "GET":
            return self._reply(start_response, "405 Method Not Allowed", TEXT, "use GET or POST\n",
                               [("Allow", "GET, POST")])
        if update:
            return self._reply(start_response, "403 Forbidden", TEXT,
                               "this endpoint is read-only: SPARQL updates are refused\n")
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._reply(start_response, "400 Bad Request", TEXT, "give exactly one query parameter\n")
        if asks_for_service(queries[0]):
            return self._reply(start_response, "400 Bad Request", TEXT,
                               "SERVICE (federated query) is refused: this endpoint sends no requests of its own\n")
        return self._query(queries[0], environ.get("HTTP_ACCEPT", ""), start_response)

    def _query(self, text: str, accept: str, start_response):
        results = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        graphs = negotiate(accept, GRAPH_TYPES, "application/n-triples")
        formats = (RESULT_TYPES.get(results or ""), GRAPH_TYPES.get(graphs or ""))
        limits, store = self.limits, self.store

        outcome = run_in_child(lambda: answer(store, text, formats, limits.max_rows), limits.timeout,
                               memory_mb=limits.memory_mb, isolated=True)
        if outcome.status == "timeout":
            return self._reply(start_response, "503 Service Unavailable", TEXT,
                               f"query stopped after the time limit of {limits.timeout:g} s\n")
        if outcome.status == "memory":
            return self._reply(start_response, "503 Service Unavailable", TEXT,
                               f"query stopped: it needed more than the memory limit of {limits.memory_mb} MB\n")
        if outcome.status == "died":
            return self._reply(start_response, "503 Service Unavailable", TEXT,
                               f"query stopped ({outcome.value})\n")
        if outcome.status == "error":
            code = "400 Bad Request" if outcome.value.startswith("SyntaxError") else "500 Internal Server Error"
            return self._reply(start_response, code, TEXT, outcome.value.splitlines()[0] + "\n")
        kind, body, truncated = outcome.value
        media = results if kind != "graph" else graphs
        if body is None:
            return self._reply(start_response, "406 Not Acceptable", TEXT,
                               "graph results as application/n-triples or text/turtle\n" if kind == "graph"
                               else "results as JSON, XML, CSV or TSV\n")
        headers = [("X-Result-Truncated", "true")] if truncated else []
        ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
        return self._reply(start_response, "200 OK", ctype, body, headers)

    def ontology_page(self) -> bytes:
        if self._ontology is None:
            from .ontodoc import project_page

            self._ontology = project_page(home="/id/").encode("utf-8")
        return self._ontology

    def _resource(self, rest: str, accept: str, start_response):
        """A resource's page (``/id/doc/x.html``), its RDF (``.ttl``, ``.jsonld``, ``.nt``), or from its IRI's path
        (``/id/doc/x``) a 303 to the one the Accept header asks for (W3C "Cool URIs", 303 recipe)."""
        from .pages import RDF_FORMATS, ServerLinks

        pages = self.pages
        if rest == "":
            return self._reply(start_response, "200 OK", HTML, pages.home(ServerLinks(pages)), [_PAGE_CSP])
        if pages.base + rest in pages.resources:
            ext = negotiate(accept, PAGE_TYPES, "text/html")
            if ext is None:
                return self._reply(start_response, "406 Not Acceptable", TEXT,
                                   "a resource is described as text/html, text/turtle, application/ld+json or "
                                   "application/n-triples\n", [("Vary", "Accept")])
            target = f"/id/{rest}.{PAGE_TYPES[ext]}"
            return self._reply(start_response, "303 See Other", TEXT, f"See {target}\n",
                               [("Location", target), ("Vary", "Accept")])
        stem, _, ext = rest.rpartition(".")
        iri = pages.base + stem
        if stem and iri in pages.resources and (ext == "html" or ext in RDF_FORMATS):
            links = [f'<{href}>; rel="alternate"; type="{RDF_FORMATS[e]}"'
                     for e, href in ServerLinks(pages, iri).alternates().items()]
            headers = [("Link", ", ".join(links))]
            if ext == "html":
                body = pages.html(pages.describe(iri), ServerLinks(pages, iri))
                return self._reply(start_response, "200 OK", HTML, body, [_PAGE_CSP, *headers])
            ctype = RDF_FORMATS[ext] + ("; charset=utf-8" if ext != "jsonld" else "")
            return self._reply(start_response, "200 OK", ctype, pages.rdf(iri, ext), headers)
        shown = rest if len(rest) <= 200 else rest[:200] + "…"
        return self._reply(start_response, "404 Not Found", TEXT, f"no resource <{pages.base}{shown}> here\n")

    def _reply(self, start_response, status, ctype, body, extra=()):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        cors = [("Access-Control-Allow-Origin", "*")] if self.limits.cors else []
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data))), *cors, *extra])
        return [data]


def answer(store, text: str, formats: tuple[str | None, str | None], max_rows: int) -> tuple[str, bytes | None, bool]:
    """Run a query and write its answer: (kind, bytes in the format asked for or None, truncated?).

    *formats*: the pyoxigraph format names for solutions and for graphs (None: not acceptable).

    >>> import pyoxigraph as ox
    >>> kind, body, cut = answer(ox.Store(), 'SELECT ?b ?l WHERE { BIND(BNODE() AS ?b) BIND("市"@zh AS ?l) }',
    ...                          ("TSV", None), 10)
    >>> kind, body.decode().splitlines()[0], body.decode().split("\\t")[-1].strip(), cut
    ('select', '?b\\t?l', '"市"@zh', False)
    """
    import pyoxigraph as ox

    solutions_format, graph_format = formats
    result = store.query(text, use_default_graph_as_union=True)  # a corpus store: every document's graph
    if isinstance(result, ox.QueryBoolean):
        if solutions_format is None:
            return "boolean", None, False
        return "boolean", result.serialize(format=getattr(ox.QueryResultsFormat, solutions_format)), False
    if isinstance(result, ox.QueryTriples):
        triples = [t for _, t in zip(range(max_rows + 1), result)]
        if graph_format is None:
            return "graph", None, False
        return ("graph", ox.serialize(triples[:max_rows], format=getattr(ox.RdfFormat, graph_format)),
                len(triples) > max_rows)
    variables = list(result.variables)
    rows = [[s[v] for v in variables] for _, s in zip(range(max_rows + 1), result)]
    if solutions_format is None:
        return "select", None, False
    return "select", _solutions(variables, rows[:max_rows], solutions_format), len(rows) > max_rows


_ROW, _AT = "urn:x-policy-kg:row", "urn:x-policy-kg:at"


def _solutions(variables, rows, fmt: str) -> bytes:
    """The first rows of a SELECT answer, written by pyoxigraph: the rows are stored as the objects of a small
    graph (any term may be an object: IRIs, literals, blank nodes, triple terms) and selected back in order."""
    import pyoxigraph as ox

    store = ox.Store()
    quads = []
    for i, row in enumerate(rows):
        subject = ox.NamedNode(f"{_ROW}/{i}")
        quads.append(ox.Quad(subject, ox.NamedNode(_AT), ox.Literal(str(i), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))))
        for j, term in enumerate(row):
            if term is not None:
                quads.append(ox.Quad(subject, ox.NamedNode(f"{_ROW}/var/{j}"), term))
    store.extend(quads)
    if not variables:  # SELECT with no variables: as many empty rows
        query = f"SELECT * WHERE {{ VALUES () {{ {'() ' * len(rows)}}} }}"
    else:
        names = " ".join(f"?{v.value}" for v in variables)
        optional = " ".join(f"OPTIONAL {{ ?row <{_ROW}/var/{j}> ?{v.value} }}" for j, v in enumerate(variables))
        query = f"SELECT {names} WHERE {{ ?row <{_AT}> ?at {optional} }} ORDER BY ?at"
    return store.query(query).serialize(format=getattr(ox.QueryResultsFormat, fmt))


def is_loopback(host: str) -> bool:
    """Whether *host* names only this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def serve(store, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(), ready=None,
          base: str = DEFAULT_BASE) -> None:
    """Serve until interrupted; *ready* is called with the URL once the socket listens."""
    import logging

    from waitress import create_server

    logging.getLogger("waitress").setLevel(logging.ERROR)  # not "task queue depth" for every busy moment
    server = create_server(Endpoint(store, limits, base), host=host, port=port, threads=limits.threads,
                           channel_timeout=limits.read_timeout,
                           cleanup_interval=max(1, min(30, limits.read_timeout / 2)),
                           max_request_body_size=limits.max_body, connection_limit=limits.connections,
                           ident="policy-kg", expose_tracebacks=False)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/sparql"
    if ready:
        ready(url)
    try:
        server.run()
    finally:
        server.close()
