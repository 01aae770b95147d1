"""Deterministic serialisation and all-or-nothing writing of outputs."""

from __future__ import annotations

import os
import shutil
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
    """Write every file or none.

    The files are written into a temporary folder beside their targets (same file system), then renamed into
    place; files they replace are kept aside until every rename has succeeded, and put back if one fails. Any OS
    error (permission, disk full, a path that is a file or a folder) is an :class:`InputError` naming the path:
    nothing changed, no temporary file left.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_all({d / "a.txt": b"x"})]
    ['a.txt']
    >>> write_all({d / "a.txt" / "b.txt": b"y"})
    Traceback (most recent call last):
    kg.errors.InputError: ...a.txt: is a file, not a folder
    """
    from .errors import InputError

    targets = [Path(p) for p in outputs]
    for path in targets:  # what can be known before anything is touched
        if path.is_dir():
            raise InputError("is a folder: give a file name", path)
        _no_file_above(path)
    created: list[Path] = []  # folders made here, removed again if the writing fails
    staging: dict[Path, Path] = {}  # target folder → temporary folder in it
    kept: list[tuple[Path, Path | None]] = []  # (target, its old file set aside, or None: there was none)
    umask = os.umask(0)
    os.umask(umask)
    current = targets[0] if targets else Path(".")
    try:
        for path, data in outputs.items():
            current = path = Path(path)
            for folder in reversed([path.parent, *path.parent.parents]):
                if not folder.exists():
                    current = folder
                    folder.mkdir()
                    created.append(folder)
            if path.parent not in staging:
                current = path.parent
                staging[path.parent] = Path(tempfile.mkdtemp(prefix=".policy-kg-", dir=path.parent))
                current = path
            tmp = staging[path.parent] / path.name
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~umask)
        for path in targets:
            current = path
            if path.exists():
                old = staging[path.parent] / f".old.{path.name}"
                try:
                    os.link(path, old)
                except OSError:  # a file system without hard links
                    shutil.copy2(path, old)
                kept.append((path, old))
            else:
                kept.append((path, None))
        done: list[tuple[Path, Path | None]] = []
        try:
            for (path, old) in kept:
                current = path
                os.replace(staging[path.parent] / path.name, path)
                done.append((path, old))
        except OSError:
            for path, old in reversed(done):  # put back what was there
                if old is not None:
                    os.replace(old, path)
                else:
                    path.unlink()
            raise
    except OSError as exc:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", current) from None
    for folder in staging.values():
        shutil.rmtree(folder, ignore_errors=True)
    return targets


def _no_file_above(path: Path) -> None:
    """Refuse a path below a file (mkdir would say only "File exists")."""
    from .errors import InputError

    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError("is a file, not a folder", parent)


SITE_MARK = ".policy-kg-site"


def write_tree(folder: Path, files: dict[str, bytes]) -> bool:
    """Write a whole folder or nothing: *files* (by path below *folder*) go into a temporary folder beside it,
    which is then renamed into its place. A folder already there is replaced only if it is empty or was written
    this way (it holds ``.policy-kg-site``); it is removed once the new one is in place, and put back if the
    rename fails. Returns whether a folder was replaced.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "site"
    >>> write_tree(d, {"a/index.html": b"x"}), sorted(p.name for p in d.rglob("*"))
    (False, ['.policy-kg-site', 'a', 'index.html'])
    >>> write_tree(d, {"b.txt": b"y"}), sorted(p.name for p in d.rglob("*"))
    (True, ['.policy-kg-site', 'b.txt'])
    """
    from .errors import InputError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file: give a folder", folder)
    _no_file_above(folder)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / SITE_MARK).is_file():
        raise InputError("is a folder that policy-kg did not write: give a new or empty folder", folder)
    for name in files:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or not parts:
            raise InputError(f"refusing to write {name!r} outside the folder", folder)
    current = folder
    stage = old = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)
        for name, data in sorted({**files, SITE_MARK: b"written by policy-kg site\n"}.items()):
            current = folder / name
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
        current = folder
        replaced = folder.exists()
        if replaced:
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.replace(folder, old / "site")
        try:
            os.replace(stage, folder)
        except OSError:
            if old is not None:
                os.replace(old / "site", folder)
            raise
        stage = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", current) from None
    finally:
        for leftover in (stage, old):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
    return replaced
