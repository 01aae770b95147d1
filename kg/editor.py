"""The SPARQL editor of ``policy-kg serve``: the page at ``/`` and the files it loads from ``/yasgui/<name>``.

The page is YASGUI (``@zazuko/yasgui``, vendored in ``kg/static/yasgui/``: see its README for the version and
licence) wired to the server's own read-only endpoint, with the project's named queries offered as examples
and a small bar-chart view of count results (``kg/static/editor/``). It loads nothing from elsewhere: every
YASGUI feature that would make a request of another site is switched off, and :data:`CSP` has the browser
refuse any request that is not to the page's own origin.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
FOLDERS = (STATIC / "yasgui", STATIC / "editor")  # vendored YASGUI, then the editor's own script and style
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".md": "text/markdown; charset=utf-8"}  # anything else (LICENSE, VERSION, *.txt): plain text
HTML = "text/html; charset=utf-8"
# What the page may load: its own origin only, no inline script, no eval (the examples are data, in a JSON
# <script> that is never run). One loosening, the least YASGUI works with: inline <style> *elements*
# (style-src-elem 'unsafe-inline'), because the results table's column resizer (column-resizer, bundled in
# yasgui.min.js) writes its rules into a <style> element it makes, with the table's id in them, so no hash can
# name it. Style *attributes* stay refused (style-src 'self'; YASGUI sets styles through the DOM, which CSP
# allows); the one place YASGUI writes one, the underline in a syntax error's tooltip, is lost. A browser
# without style-src-elem falls back to style-src 'self' and loses only the resizer's look.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; style-src-elem 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
CACHE = "public, max-age=3600"  # for /yasgui/<name>: files that change only with the package
_EXAMPLE = re.compile(r"e\.g\.\s*([^\s,;)]+)")


@lru_cache(maxsize=1)
def _files() -> dict[str, Path]:
    """The files that may be asked for, by name: those in the asset folders, nothing else."""
    return {p.name: p for folder in FOLDERS if folder.is_dir() for p in sorted(folder.iterdir()) if p.is_file()}


@lru_cache(maxsize=16)
def asset(name: str) -> tuple[str, bytes] | None:
    """Content type and bytes of an editor file (``yasgui.min.js``, ``editor.js``, …); None for any other name.

    A name is looked up in the list of the folders' files, never joined to a path, so ``../serve.py`` is
    just a name that is not there.

    >>> asset("yasgui.min.js")[0], asset("../serve.py"), asset("")
    ('text/javascript; charset=utf-8', None, None)
    """
    path = _files().get(name)
    if path is None:
        return None
    return TYPES.get(path.suffix, "text/plain; charset=utf-8"), path.read_bytes()


def script_json(value) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the JavaScript line ends escaped.

    >>> script_json(["</script>&"])
    '["\\\\u003c/script\\\\u003e\\\\u0026"]'
    """
    import json

    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def example(query) -> dict:
    """A named query as the editor offers it: a parameter is bound to the example value its ``@param`` line
    gives ("e.g. 2026"), written in place of its variable as ``policy-kg query --param`` would, with a comment
    saying so, so that the query runs as it is and the value is there to edit."""
    from .query import bind_params, substitute

    text, params, values = query.text, [], {}
    for p in query.params:
        m = _EXAMPLE.search(p.description)
        value = m.group(1) if m else ""
        values[p.name] = value
        params.append({"name": p.name, "kind": p.kind, "description": p.description, "value": value})
    if values and all(values.values()):
        text = substitute(text, bind_params(query, values))
        lines = text.split("\n")
        head = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        note = [f"# Example value: ?{name} = {value} (written in its place below; change it there)"
                for name, value in values.items()]
        text = "\n".join(lines[:head] + note + lines[head:])
    return {"name": query.name, "description": query.description, "params": params, "query": text}


def examples() -> list[dict]:
    """The named queries (``queries/*.rq``) as examples, by name."""
    from .query import named_queries

    return [example(q) for q in named_queries().values()]


def _version() -> str:
    version = asset("VERSION")
    return version[1].decode("utf-8").split(" integrity")[0].strip() if version else "YASGUI"


def page(endpoint: str = "/sparql") -> bytes:
    """The HTML of the editor page, its queries sent to *endpoint*."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.PackageLoader("kg", "templates"), autoescape=True,
                             keep_trailing_newline=True)
    items = examples()
    return env.get_template("editor.html").render(
        endpoint=endpoint, examples=items, examples_json=Markup(script_json(items)), yasgui=_version(),
    ).encode("utf-8")
