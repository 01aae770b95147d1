"""Deterministic serialisation and all-or-nothing writing of outputs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import BNode, Graph


def turtle_bytes(graph: Graph) -> bytes:
    """Turtle that is byte-identical for the same triples, across runs and hash seeds.

    rdflib's ``longturtle`` writer sorts subjects, predicates and objects; ``canon=True``
    also gives blank nodes stable names (only needed when there are any).
    """
    has_bnodes = any(isinstance(t, BNode) for triple in graph for t in triple)
    return graph.serialize(format="longturtle", canon=has_bnodes, encoding="utf-8")


def write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every file or none: each goes to a temporary file first, then all are renamed.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_all({d / "a.txt": b"x"})]
    ['a.txt']
    """
    temps: list[tuple[Path, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, data in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~umask)
            temps.append((Path(tmp), path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                tmp.unlink()
    return list(outputs)
