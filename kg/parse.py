"""Kept for existing callers: parsing is done by the reader package, :mod:`kg.readers`."""

from __future__ import annotations

from .readers import read_document as parse_document
from .readers.base import read_lines

__all__ = ["parse_document", "read_lines"]
