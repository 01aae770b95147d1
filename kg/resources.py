"""Where the project's data files are: inside the installed package, or in the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE / "_resources", _PACKAGE.parent)


def resource(relative: str) -> Path:
    """Path of a shipped file such as ``ontology/policy-kg.ttl`` or ``data/gazetteers/wenzhou.csv``."""
    for root in _CANDIDATES:
        path = root / relative
        if path.exists():
            return path
    return _CANDIDATES[-1] / relative


DEFAULT_SOURCE = "data/wenzhou-2023-82.txt"
