"""Reading an RDF file never uses the network.

A JSON-LD file may name its ``@context`` by URL (at the top, in a list, scoped to a term, through ``@import``,
relative to a remote ``@base``, or inside a local context file), and rdflib fetches such a context while it
parses. The toolkit refuses: while a file is read, :class:`offline` turns every network request of this thread
(a URL opened with urllib, a socket connected, a host name looked up) into an :class:`~kg.errors.InputError`
naming the file and the URL, before anything leaves the machine. A local context (``context.jsonld`` beside our
dumps, any file named by a relative path or a ``file:`` URL) is read as before; one that is a device or a pipe
(``/dev/zero``, a FIFO), which would never end or block, is refused too. ``allow_remote_context`` lets the
network be used for that read (``policy-kg validate --allow-remote-context``).

This is the measure rdflib documents for untrusted input (Python's runtime audit hooks, PEP 578): the hook sees
urllib's ``urllib.Request`` event and the socket events whatever code path asks, so no list of JSON-LD keywords
has to stay in step with the parser. It is installed once per process, and does nothing outside a read (a
context variable: other threads, such as a server's, are never affected). RDF/XML external entities and DTDs are
not fetched by either parser (expat's external entities are off; Oxigraph does not resolve them), and the hook
would refuse them as well.
"""

from __future__ import annotations

import contextvars
import os
import stat
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError

__all__ = ["offline"]

_NETWORK = frozenset({"urllib.Request", "socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                      "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"})
_WATCHED = _NETWORK | {"open"}
_LOCAL_SCHEMES = ("file", "data")  # urllib opens these without the network (a file is checked when opened)
_READING: contextvars.ContextVar[offline | None] = contextvars.ContextVar("policy_kg_reading", default=None)
_installed = False


class _Refused(Exception):
    """Raised inside the parser where it would use the network; :class:`offline` reports it as an InputError."""


def _hook(event: str, args: tuple) -> None:
    if event not in _WATCHED:
        return
    reading = _READING.get()
    if reading is None:
        return
    if event == "open":
        reading._check_file(args[0])
    elif not reading.allow_network:
        reading._refuse(event, args)


class offline:
    """While reading *path*: no network request (unless *allow_network*), no device or pipe opened.

    Used as ``with offline(path): graph.parse(path)``. A refused request raises, at the end of the block, an
    :class:`InputError` naming *path* and what was asked for (*what*: "JSON-LD context" for a JSON-LD file), in
    place of whatever error the parser made of it.

    >>> import urllib.request
    >>> with offline("a.jsonld", what="JSON-LD context"):
    ...     urllib.request.urlopen("http://127.0.0.1:9/ctx.jsonld")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.InputError: a.jsonld: JSON-LD context http://127.0.0.1:9/ctx.jsonld is remote: not fetched, ...
    """

    def __init__(self, path: str | Path, allow_network: bool = False, what: str = "resource"):
        self.path = path
        self.allow_network = allow_network
        self.what = what
        self.refused: str | None = None
        self._token = None

    def __enter__(self) -> offline:
        global _installed
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True
        self._token = _READING.set(self)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        _READING.reset(self._token)
        if self.refused:
            raise InputError(self.refused, self.path) from None
        return False

    def _refuse(self, event: str, args: tuple) -> None:
        if event == "urllib.Request":
            url = str(args[0])
            if urlsplit(url).scheme.lower() in _LOCAL_SCHEMES:
                return
            asked = f"{self.what} {url}"
        elif event == "socket.connect" and isinstance(args[1], tuple):
            asked = f"a connection to {args[1][0]}:{args[1][1]}"
        else:
            asked = f"a network request ({event} {args[0]!r})"
        self.refused = self.refused or (
            f"{asked} is remote: not fetched, reading RDF never uses the network (save it beside the file and name "
            "it by a relative path, or give validate --allow-remote-context)")
        raise _Refused(self.refused)

    def _check_file(self, target) -> None:
        if not isinstance(target, (str, bytes, os.PathLike)):
            return  # an open file descriptor
        try:
            mode = os.stat(target).st_mode
        except (OSError, ValueError):
            return  # not there (opening it fails as it would), or not a path
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            self.refused = self.refused or (f"{os.fsdecode(target)} is a device or a pipe, not a file: not read "
                                            f"(named as a {self.what})")
            raise _Refused(self.refused)
