"""What every reader shares: the source's lines, its notes, its errors, and the contract a layout meets.

A layout module (``kg/readers/<name>.py``, registered in ``kg/readers/__init__.py``) provides::

    NAME: str                        # the layout's name, as ``--layout`` takes it
    DESCRIPTION: str                 # one line for ``policy-kg build --help``
    detect(ctx: Context) -> bool     # does this document have the layout? (decides only)
    read(ctx: Context) -> None       # claims the blocks it reads and adds items to ctx.items

Readers run in registry order; each sees what earlier ones claimed (``ctx.claimed``) and passes on the rest,
as Python-Markdown's block processors do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import Note, PolicyDocument, Rule, WorkItem

__all__ = ["read_lines", "Source", "Context"]


def read_lines(path: str | Path) -> list[str]:
    """Read a UTF-8 text file into lines; unreadable input is an :class:`InputError`.

    >>> read_lines("data/wenzhou-2023-82.txt")[4]
    '温政办〔2023〕82号'
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a directory, expected a text file", path)
    if not path.is_file():  # a pipe or a device would block or never end
        raise InputError("is not a regular file, expected a text file", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError("file is empty", path)
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise InputError("binary data (NUL byte), expected UTF-8 text", path, data[:at].count(b"\n") + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "; it looks like GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`"
        except UnicodeDecodeError:
            pass
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}){hint}",
                         path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class Source:
    """One source file: its path and lines, and the notes and errors that name its lines."""

    path: Path
    lines: list[str]
    notes: list[Note] = field(default_factory=list)

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, self.path, line)

    def note(self, kind: str, line: int, message: str) -> None:
        self.notes.append(Note(kind, line, message))


@dataclass
class Context:
    """A document being read: its source, text model, the record under construction and what is claimed."""

    source: Source
    doc: PolicyDocument
    text: "object"  # kg.readers.text.Text
    outline: "object"  # kg.readers.outline.Outline
    units: "object"  # kg.readers.resolve.UnitResolver
    items: list[WorkItem] = field(default_factory=list)
    claimed: set = field(default_factory=set)  # ids of blocks (tables, outline parts) a reader has read
    rules: list[Rule] = field(default_factory=list)
    main_text_modelled: bool = False  # a reader modelled the main text itself (the task list's areas …)
    front: "object" = None  # kg.readers.frontmatter.FrontMatter
    grouping: set = field(default_factory=set)  # keys of claimed parts that head unnumbered items (sections)
    leftover: list = field(default_factory=list)  # (section key or None, [(line, text)], path): text after an item

    def error(self, message: str, line: int | None = None) -> InputError:
        return self.source.error(message, line)

    def note(self, kind: str, line: int, message: str) -> None:
        self.source.note(kind, line, message)

    def rule_at(self, line: int) -> Rule | None:
        """The first-listed-lead rule in force at *line* (stated on this line or before)."""
        return next((r for r in self.rules if r.line <= line), None)
