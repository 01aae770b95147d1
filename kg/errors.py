"""Errors the toolkit reports to people: one line, naming the file and line."""

from __future__ import annotations

from pathlib import Path


class PolicyKGError(Exception):
    """Base class for errors reported as a single line, without a traceback."""

    exit_code = 1


class InputError(PolicyKGError):
    """The input cannot be read or does not have the expected structure (exit code 2).

    >>> str(InputError("key task 3 has no measures", path="a.txt", line=71))
    'a.txt:71: key task 3 has no measures'
    """

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ValidationFailed(PolicyKGError):
    """The graph does not conform to the SHACL shapes (exit code 1)."""

    exit_code = 1

    def __init__(self, report_text: str, count: int):
        self.report_text = report_text
        self.count = count
        super().__init__(f"the graph does not conform to the shapes: {count} violation(s)")
