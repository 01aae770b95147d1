"""A read-only SPARQL 1.1 Protocol endpoint over an embedded pyoxigraph store.

GET ``/sparql?query=…`` and POST (form ``query=…`` or ``application/sparql-query``); results as JSON, XML,
CSV or TSV by content negotiation (CONSTRUCT/DESCRIBE as N-Triples or Turtle). Updates are refused (403).
Each query runs in a forked child sharing the loaded store, so a query that passes the time limit is
stopped (503) rather than left running; at most ``max_rows`` results are returned (a header says when
the answer was cut). Binds to loopback unless told otherwise.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from .child import run_in_child

RESULT_TYPES = {  # media type → pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE"}


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


class Endpoint:
    """The WSGI application."""

    def __init__(self, store, timeout: float = 10.0, max_rows: int = 10000):
        self.store, self.timeout, self.max_rows = store, timeout, max_rows

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path == "/":
            return self._reply(start_response, "200 OK", "text/plain; charset=utf-8",
                               "policy-kg read-only SPARQL endpoint: GET or POST /sparql?query=…\n")
        if path != "/sparql":
            return self._reply(start_response, "404 Not Found", "text/plain; charset=utf-8", "not found\n")
        method = environ["REQUEST_METHOD"]
        params = parse_qs(environ.get("QUERY_STRING", ""))
        update = "update" in params
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip()
            update = update or ctype == "application/sparql-update" or "update" in parse_qs(body)
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body).items():
                    params.setdefault(k, []).extend(v)
        elif method != "GET":
            return self._reply(start_response, "405 Method Not Allowed", "text/plain; charset=utf-8",
                               "use GET or POST\n", [("Allow", "GET, POST")])
        if update:
            return self._reply(start_response, "403 Forbidden", "text/plain; charset=utf-8",
                               "this endpoint is read-only: SPARQL updates are refused\n")
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._reply(start_response, "400 Bad Request", "text/plain; charset=utf-8",
                               "give exactly one query parameter\n")
        return self._query(queries[0], environ.get("HTTP_ACCEPT", ""), start_response)

    def _query(self, text: str, accept: str, start_response):
        import pyoxigraph as ox

        max_rows, store = self.max_rows, self.store

        def answer():
            result = store.query(text)
            if isinstance(result, ox.QueryBoolean):
                return "boolean", bool(result), False
            if isinstance(result, ox.QueryTriples):
                triples = [t for _, t in zip(range(max_rows + 1), result)]
                return "graph", [ox.serialize(triples[:max_rows], format=ox.RdfFormat.N_TRIPLES)], \
                    len(triples) > max_rows
            variables = [v.value for v in result.variables]
            rows = [[str(s[v]) if s[v] is not None else None for v in variables]
                    for _, s in zip(range(max_rows + 1), result)]
            # the rows travel back as N-Triples terms; the parent has pyoxigraph write them in the format asked for
            return "select", (variables, rows[:max_rows]), len(rows) > max_rows

        outcome = run_in_child(answer, self.timeout)
        if outcome is None:
            return self._reply(start_response, "503 Service Unavailable", "text/plain; charset=utf-8",
                               f"query stopped after the time limit of {self.timeout:g} s\n")
        status, value = outcome
        if status == "error":
            code = "400 Bad Request" if value.startswith("SyntaxError") else "500 Internal Server Error"
            return self._reply(start_response, code, "text/plain; charset=utf-8", value + "\n")
        kind, data, truncated = value
        headers = [("X-Result-Truncated", "true")] if truncated else []
        if kind == "graph":
            media = negotiate(accept, GRAPH_TYPES, "application/n-triples")
            if media is None:
                return self._reply(start_response, "406 Not Acceptable", "text/plain; charset=utf-8",
                                   "graph results as application/n-triples or text/turtle\n")
            triples = list(ox.parse(data[0], format=ox.RdfFormat.N_TRIPLES))
            body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_TYPES[media]))
            return self._reply(start_response, "200 OK", media, body, headers)
        media = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            return self._reply(start_response, "406 Not Acceptable", "text/plain; charset=utf-8",
                               "results as JSON, XML, CSV or TSV\n")
        body = _serialise(kind, data, RESULT_TYPES[media])
        return self._reply(start_response, "200 OK", media + ("; charset=utf-8" if media.startswith("text/") else ""),
                           body, headers)

    @staticmethod
    def _reply(start_response, status, ctype, body, extra=()):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data))),
                                ("Access-Control-Allow-Origin", "*"), *extra])
        return [data]


def _serialise(kind: str, data, fmt: str) -> bytes:
    """Results in the SPARQL 1.1 results format asked for, written by pyoxigraph from the capped rows."""
    import pyoxigraph as ox

    if kind == "boolean":
        store = ox.Store()
        return store.query("ASK { }" if data else "ASK { FILTER(false) }").serialize(
            format=getattr(ox.QueryResultsFormat, fmt))
    variables, rows = data
    store = ox.Store()
    if not rows:
        query = f"SELECT {' '.join('?' + v for v in variables) or '*'} WHERE {{ FILTER(false) }}"
        return store.query(query).serialize(format=getattr(ox.QueryResultsFormat, fmt))
    values = " ".join("(" + " ".join(cell if cell is not None else "UNDEF" for cell in row) + ")" for row in rows)
    query = f"SELECT {' '.join('?' + v for v in variables)} WHERE {{ VALUES ({' '.join('?' + v for v in variables)}) {{ {values} }} }}"
    return store.query(query).serialize(format=getattr(ox.QueryResultsFormat, fmt))


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve(store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, max_rows: int = 10000,
          ready=None) -> None:
    """Serve until interrupted; *ready* is called with the URL once the socket listens."""
    httpd = make_server(host, port, Endpoint(store, timeout, max_rows), handler_class=_QuietHandler)
    url = f"http://{host}:{httpd.server_port}/sparql"
    if ready:
        ready(url)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
