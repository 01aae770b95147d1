"""Fuzz cases for ``policy-kg build``: the source documents, mutated and re-encoded, and how to run one.

The one place the fuzzing strategy lives: ``tests/test_fuzz.py`` draws a few dozen cases in ``make test``,
``benchmarks/fuzz_cli.py`` ten thousand. A case starts from one of the documents — ``data/wenzhou-2023-82.txt``,
the seven of ``../shared/sources/genre/`` (their provenance block of ``# `` lines stripped, as a user would have
the body) and the small cuts of ``tests/data/layouts/`` — and applies a few mutations to its lines: cut to a
slice, duplicate or drop lines, shuffle or drop table rows, insert odd Unicode (zero-width, RTL marks, full-width
or half-width digits, NUL, a BOM in the middle, line separators), markup (``<td rowspan=999999>``, ``| a | b |``
pipes, tabs), structure words (``牵头单位：``, ``一、``, ``共195条``), odd numbers (``0``, ``０``, ``²``, ``①``) and
dates, odd unit names, a table cell replaced, text next to what the readers look for, very long lines. Then
it is encoded — UTF-8 mostly, or GBK, GB18030, UTF-16, Latin-1 mojibake, with surrogates as bytes, cut in the
middle of a character — and written under a file name (sometimes an odd one). A few cases are a missing file,
a directory, an empty or binary file, options (``--layout``, ``--strict-units``, ``--jurisdiction``, an odd
``--base``) or a good document built beside the bad one (all or nothing).

The contract (:func:`check`): exit code 0, 1 (shapes not met) or 2 (bad input), never a traceback; exit 1 or 2
prints a ``policy-kg: error:`` line (exit 2: that one line alone, naming the file) and leaves the output folder
empty; exit 0 writes the Turtle, which parses back to the number of triples the summary gives.

Cases are kept small, as SHACL validation of the graph is most of the time a good case takes (a whole genre
document 0.3–0.6 s, the Wenzhou task list 2–3 s, a rejected input milliseconds): two cases in three are a slice of
their document, and the Wenzhou task list is whole in only 10% of its cases.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import tempfile
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
WENZHOU = ROOT / "data" / "wenzhou-2023-82.txt"
GENRE = ROOT.parent / "shared" / "sources" / "genre"
LAYOUTS = ROOT / "tests" / "data" / "layouts"
COMPANION = LAYOUTS / "brackets.txt"  # a good document built beside a bad one: all or nothing

ODD_CHARS = [
    "\u200b", "\u200c", "\u200d", "\u2060",  # zero-width space, non-joiner, joiner, word joiner
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2067", "\u2069",  # LTR/RTL marks, embeddings
    "\ufeff",  # a BOM in the middle
    "\x00", "\x01", "\x0b", "\x0c", "\x1c", "\x1e", "\x7f", "\x85",  # NUL and controls (\x0b–\x85 split lines)
    "\u2028", "\u2029",  # line and paragraph separators
    "\r", "\r\n",
    "\u3000", "\xa0", "\u2003", "\t",  # ideographic, no-break, em space; tab
    "\u0301", "\u20dd",  # combining marks
    "\U0001F600", "\U00020000", "\U0010FFFF", "\ufffd", "\uffff",  # emoji, CJK ext. B, plane 16, U+FFFD, non-char
    "０１２３４５６７８９", "１９５条", "2023年2月30日", "２０２３年１３月４５日",  # full-width digits, impossible dates
    "²", "₃", "ｶﾀｶﾅ", "＊", "*", "、、", "，，", "（", "）", "〔", "〕", "【", "】", "：", "；", "\\", "\"", "'", "<", ">", "&",
]

MARKUP = [
    "<table><tr><td rowspan=999999>",
    "<table><tr><td colspan=999999>x</td></tr></table>",
    "<table><tr><td rowspan=0 colspan=-1>序号</td><td>任务名称</td><td>牵头单位</td></tr>",
    "<tr><td>1</td><td>任务</td><td>市发改委</td></tr>",
    "<td rowspan=\"3\">", "</td></tr></table>", "<tr>", "</table>", "<br>", "<p>", "<!--", "<![CDATA[",
    "&#0;", "&#xD800;", "&#x110000;", "&nbsp;", "&amp;lt;", "&", "<td rowspan=99999999999999999999>",
    "| a | b |", "|---|---|", "| 序号 | 任务名称 | 牵头单位 | 配合单位 |", "| 1 | 做事 | 市发改委 | |", "|", "||||",
    "序号\t任务名称\t牵头单位\t配合单位", "1\t做事\t市发改委", "\t\t\t\t", "a\tb",
]

STRUCTURE = [
    "一、", "（一）", "1.", "１．", "（1）", "第一条", "附件", "附件1", "二、主要任务", "（十二）做事。",
    "牵头单位：", "牵头单位：市发改委", "配合单位：", "责任单位：省数据局、", "（市发改委牵头，市财政局负责）",
    "（责任单位：）", "（牵头单位：；配合单位：）", "（A、B、C等负责）", "（等负责）", "由牵头", "列第一位者为牵头单位，下同",
    "共195条", "共0条", "共99999999999999999999条", "温政办〔2023〕82号", "国发〔〕号", "〔2023〕",
    "温州市人民政府办公室", "2023年6月1日", "2023年13月1日", "0年0月0日", "9999年12月31日", "2023年底前", "长期", "持续推进",
    "联系人：张三，88888888", "联系人：", "*", "*市发改委", "**", "到2027年，", "到2027年，达到100%。", "翻一番",
    "# 标题: x", "---", "```", "【原文下载】", "**发布日期**: 2023-01-01",
]

NUMBERS = ["0", "00", "0000", "0001", "-1", "9999", "10000", "99999999999999999999", "１", "１３", "²", "¹²", "①", "⑫",
           "٣", "١٢", "Ⅻ", "十万", "〇", "1e9", "NaN", "", "2023.13"]  # ² and ① are digits to str.isdigit, not to int

BASES = ["http://example.org/a b/", "http://example.org/<x>/", "https://example.org/{}|^`/", "http://example.org/%zz/",
         "https://example.org/id#", "http://例子.org/", "ftp://example.org/", "https://example.org/id"]

NAMES = ["{stem}.txt", "{stem}.md", "{stem}", "{stem}.TXT", "文件 名.txt", "a%20b.txt", "x#y.txt", "ü.txt",
         "<a>.txt", "'q\".txt", "a.b.c.txt", "\udcff\udcfe.txt", " .txt", "\u202e.txt", "\t.txt"]


@lru_cache(maxsize=None)
def sources() -> tuple[tuple[str, str], ...]:
    """(name, text) of every document a case can start from; the genre documents only where they are."""
    from kg.evaluate import strip_provenance

    docs = [(WENZHOU.stem, WENZHOU.read_text(encoding="utf-8"))]
    for path in sorted(GENRE.glob("*.txt")) if GENRE.is_dir() else []:
        docs.append((path.stem, strip_provenance(path.read_text(encoding="utf-8"))))
    for path in sorted(LAYOUTS.glob("*.txt")):
        docs.append((path.stem, path.read_text(encoding="utf-8")))
    return tuple(docs)


@dataclass
class Case:
    """One run of ``policy-kg build``: a file (or no file), its name, options, and how it was made."""

    origin: str
    name: str
    data: bytes | None  # None: no file at all
    kind: str = "document"  # document, missing, directory
    options: tuple[str, ...] = ()
    companion: bool = False
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"{self.kind} from {self.origin} as {self.name!r}, {len(self.data or b'')} bytes; options "
                f"{list(self.options)}; companion {self.companion}; steps: {'; '.join(self.steps) or '-'}")


# -- mutations of a document's lines ------------------------------------------------------------------------
def _at(draw, n: int, label: str = "at") -> int:
    return draw(st.integers(0, max(n - 1, 0)), label=label)


def _slice(draw, lines, steps):
    n = len(lines)
    start = draw(st.one_of(st.just(0), st.integers(0, n - 1)), label="slice start")
    length = draw(st.integers(1, max(1, min(n - start, 400))), label="slice length")
    steps.append(f"slice lines {start + 1}-{start + length}")
    return lines[start:start + length]


def _duplicate(draw, lines, steps):
    a = _at(draw, len(lines))
    k = draw(st.integers(1, 20))
    to = _at(draw, len(lines) + 1, "to")
    steps.append(f"duplicate lines {a + 1}-{a + k} before line {to + 1}")
    return lines[:to] + lines[a:a + k] + lines[to:]


def _drop(draw, lines, steps):
    a = _at(draw, len(lines))
    k = draw(st.integers(1, 20))
    steps.append(f"drop lines {a + 1}-{a + k}")
    return lines[:a] + lines[a + k:]


def _is_row(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith(("|", "<tr", "<td"))


def _rows(draw, lines, steps):
    rows = [i for i, line in enumerate(lines) if _is_row(line)]
    if len(rows) < 2:
        return _drop(draw, lines, steps)
    a = _at(draw, len(rows), "first row")
    chosen = rows[a:a + draw(st.integers(2, 40), label="rows")]
    kept = draw(st.permutations([lines[i] for i in chosen]), label="order")
    drop = draw(st.integers(0, len(kept) - 1), label="dropped")
    kept = kept[drop:]
    steps.append(f"shuffle the table rows at lines {', '.join(str(i + 1) for i in chosen)}, dropping {drop}")
    out = list(lines)
    for i, line in zip(chosen, kept + [None] * drop):
        out[i] = line
    return [line for line in out if line is not None]


def _insert(draw, lines, steps, pool, what):
    i = _at(draw, len(lines), "line")
    line = lines[i] if lines else ""
    col = draw(st.integers(0, len(line)), label="column")
    piece = draw(st.sampled_from(pool), label=what)
    if draw(st.booleans(), label="own line"):
        steps.append(f"insert {what} {piece!r} as a line before line {i + 1}")
        return lines[:i] + [piece] + lines[i:]
    steps.append(f"insert {what} {piece!r} at line {i + 1} column {col + 1}")
    return lines[:i] + [line[:col] + piece + line[col:]] + lines[i + 1:]


def _odd(draw, lines, steps):
    return _insert(draw, lines, steps, ODD_CHARS, "character")


def _markup(draw, lines, steps):
    return _insert(draw, lines, steps, MARKUP, "markup")


def _structure(draw, lines, steps):
    return _insert(draw, lines, steps, STRUCTURE, "text")


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_HALF = str.maketrans("０１２３４５６７８９", "0123456789")


def _digits(draw, lines, steps):
    a = _at(draw, len(lines))
    k = draw(st.integers(1, 50))
    if draw(st.booleans(), label="to full width"):
        steps.append(f"full-width digits in lines {a + 1}-{a + k}")
        table = _FULL
    else:
        steps.append(f"half-width digits in lines {a + 1}-{a + k}")
        table = _HALF
    return lines[:a] + [line.translate(table) for line in lines[a:a + k]] + lines[a + k:]


def _number(draw, lines, steps):
    spots = [(i, m) for i, line in enumerate(lines) for m in re.finditer(r"\d+", line)]
    if not spots:
        return _structure(draw, lines, steps)
    i, m = spots[_at(draw, len(spots), "number")]
    new = draw(st.sampled_from(NUMBERS), label="new number")
    steps.append(f"line {i + 1}: number {m.group()!r} → {new!r}")
    line = lines[i]
    return lines[:i] + [line[:m.start()] + new + line[m.end():]] + lines[i + 1:]


def _long(draw, lines, steps):
    """A very long line: the line padded with one filler (repeating the line itself would repeat its items)."""
    i = _at(draw, len(lines), "line")
    size = draw(st.sampled_from([5_000, 50_000, 300_000]), label="length")
    filler = draw(st.sampled_from(["字", " ", "、", "（", "）", "\u200b", "1", "（市发改委", "牵头", "\t", "|", "<td>"]),
                  label="filler")
    col = draw(st.integers(0, len(lines[i])), label="column")
    steps.append(f"line {i + 1}: {size} characters of {filler!r} at column {col + 1}")
    pad = filler * (size // len(filler))
    return lines[:i] + [lines[i][:col] + pad + lines[i][col:]] + lines[i + 1:]


def _cut_line(draw, lines, steps):
    i = _at(draw, len(lines), "line")
    col = draw(st.integers(0, len(lines[i])), label="column")
    steps.append(f"line {i + 1} cut at column {col + 1}")
    return lines[:i] + [lines[i][:col]] + lines[i + 1:]


def _swap_brackets(draw, lines, steps):
    i = _at(draw, len(lines), "line")
    swap = draw(st.sampled_from([("（", "("), ("）", ")"), ("（", ""), ("）", ""), ("、", " "), ("：", ":"), ("，", ",")]))
    steps.append(f"line {i + 1}: {swap[0]!r} → {swap[1]!r}")
    return lines[:i] + [lines[i].replace(*swap)] + lines[i + 1:]


_TOKENS = re.compile(r"[、，,；;：:（）()〔〕*\t|<>]|负责|牵头|参与|单位|部门|号|年|月|日|条|\d+")
UNIT_NAMES = ["", "等", "各", "有关", "市", "（", "）", "市发改委（", "省数据局（筹", "各县（市、区", "\u200b市财政局",
              "市财\u200d政局", "市财政局\u202e", "ＡＢＣ局", "A&B<c>\"局", "市" + "很" * 300 + "局", "一、", "（一）",
              "*", "**市发改委", "*市发改委*", "市发改委、", "、、", "等等", "中共中央 国务院", "\t"]


def _near(draw, lines, steps):
    """Odd text next to what the readers look for: a list separator, a bracket, 负责, a number, a cell's edge."""
    spots = [(i, m) for i, line in enumerate(lines) for m in _TOKENS.finditer(line)]
    if not spots:
        return _odd(draw, lines, steps)
    i, m = spots[_at(draw, len(spots), "token")]
    piece = draw(st.sampled_from(ODD_CHARS + STRUCTURE + NUMBERS), label="piece")
    at = m.end() if draw(st.booleans(), label="after") else m.start()
    steps.append(f"line {i + 1}: {piece!r} inserted at column {at + 1} (next to {m.group()!r})")
    return lines[:i] + [lines[i][:at] + piece + lines[i][at:]] + lines[i + 1:]


def _unit(draw, lines, steps):
    """A name in a list of units (between 、 or after ：, in a bracket or a cell) replaced by an odd one."""
    spots = [(i, m) for i, line in enumerate(lines)
             for m in re.finditer(r"(?<=[、：:（*\t])[^、：:（）*\t\n]{1,20}(?=[、）*\t]|负责|牵头|$)", line)]
    if not spots:
        return _structure(draw, lines, steps)
    i, m = spots[_at(draw, len(spots), "name")]
    name = draw(st.sampled_from(UNIT_NAMES), label="unit name")
    steps.append(f"line {i + 1}: {m.group()!r} → {name!r}")
    return lines[:i] + [lines[i][:m.start()] + name + lines[i][m.end():]] + lines[i + 1:]


CELLS = NUMBERS + ["2025年", "2025年底前", "0000", "0000年", "2023-2027年", "0000-2027年", "2027-2023年", "长期实施",
                   "持续推进", "2024年13月", "2024年2月30日", "蔡景像 0577-88026991", "张三 12345", "张三", "*市发改委",
                   "*", "、", "（一）", "1.做事；2.做别的", "1.", "一、知识产权保护方面（共5项）", "（十六）"]


def _cell(draw, lines, steps):
    """One cell of a table row (tab-separated, Markdown or HTML) replaced: a number, a year, a period, a name."""
    rows = [i for i, line in enumerate(lines) if "\t" in line or line.lstrip().startswith("|") or "<td" in line]
    if not rows:
        return _number(draw, lines, steps)
    i = rows[_at(draw, len(rows), "row")]
    value = draw(st.sampled_from(CELLS), label="cell value")
    line = lines[i]
    if "<td" in line and "\t" not in line:
        cells = list(re.finditer(r"<td[^>]*>(.*?)</td>", line))
        if not cells:
            return _markup(draw, lines, steps)
        m = cells[_at(draw, len(cells), "cell")]
        new = line[:m.start(1)] + value + line[m.end(1):]
    else:
        sep = "\t" if "\t" in line else "|"
        cells = line.split(sep)
        c = _at(draw, len(cells), "cell")
        cells[c] = value if sep == "\t" else f" {value} "
        new = sep.join(cells)
    steps.append(f"line {i + 1}: a cell → {value!r}")
    return lines[:i] + [new] + lines[i + 1:]


MUTATIONS = {
    "near": _near, "unit": _unit, "cell": _cell,
    "duplicate": _duplicate, "drop": _drop, "rows": _rows, "odd": _odd, "markup": _markup,
    "structure": _structure, "digits": _digits, "number": _number, "long": _long, "cut-line": _cut_line,
    "punctuation": _swap_brackets,
}


# -- encodings of the text -----------------------------------------------------------------------------------
def _encode(draw, text: str, steps) -> bytes:
    how = draw(st.sampled_from(["utf-8"] * 12 + ["utf-8-sig", "crlf", "cr", "gbk", "gb18030", "utf-16",
                                                 "utf-16-be", "latin-1", "mojibake", "truncated", "surrogate",
                                                 "garbage"]), label="encoding")
    steps.append(f"encoded {how}")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "cr":
        return text.replace("\n", "\r").encode("utf-8", "surrogatepass")
    if how in ("gbk", "gb18030", "latin-1", "utf-16", "utf-16-be", "utf-8-sig"):
        return text.encode(how, "replace")
    if how == "mojibake":  # UTF-8 read as Latin-1 and written back as UTF-8
        return text.encode("utf-8", "surrogatepass").decode("latin-1").encode("utf-8")
    data = text.encode("utf-8", "surrogatepass")
    if how == "utf-8":
        return data
    if how == "truncated":  # cut, most often in the middle of a character
        at = draw(st.integers(0, len(data)), label="cut at")
        return data[:at]
    at = draw(st.integers(0, len(data)), label="byte")
    piece = b"\xed\xa0\x80" if how == "surrogate" else draw(st.binary(min_size=1, max_size=8), label="bytes")
    steps[-1] += f" with {piece!r} at byte {at}"
    return data[:at] + piece + data[at:]


@st.composite
def cases(draw, wenzhou_whole: float = 0.1) -> Case:
    """A :class:`Case`: mostly a mutated document, two in three a slice of it; the Wenzhou task list is whole in
    only *wenzhou_whole* of its cases."""
    kind = draw(st.sampled_from(["document"] * 40 + ["missing", "directory", "empty", "blank", "binary"]),
                label="kind")
    origin, text = draw(st.sampled_from(sources()), label="document")
    steps: list[str] = []
    stem = origin
    name = draw(st.sampled_from(NAMES[:1] * 12 + NAMES[1:]), label="name").format(stem=stem)
    options: list[str] = []
    if draw(st.integers(0, 9), label="options?") == 0:
        from kg.readers import READERS

        options += draw(st.sampled_from([["--layout", layout] for layout in READERS]
                                        + [["--strict-units"], ["--jurisdiction", "cn"], ["--jurisdiction", "wz"],
                                           ["--jurisdiction", "sh"]]
                                        + [["--base", base] for base in BASES]), label="options")
    companion = draw(st.integers(0, 14), label="companion?") == 0
    if kind in ("missing", "directory"):
        return Case(origin, name, None, kind, tuple(options), companion, [kind])
    if kind != "document":
        data = {"empty": b"", "blank": " \t\r\n\u3000\n".encode(),
                "binary": draw(st.binary(min_size=1, max_size=2000), label="binary")}[kind]
        return Case(origin, name, data, "document", tuple(options), companion, [kind])
    lines = text.split("\n")
    whole_ok = origin != WENZHOU.stem or draw(st.floats(0, 1), label="whole?") < wenzhou_whole
    if not whole_ok or draw(st.integers(0, 2), label="slice?") != 0:
        lines = _slice(draw, lines, steps)
    for op in draw(st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=4), label="mutations"):
        if lines:
            lines = MUTATIONS[op](draw, lines, steps)
    return Case(origin, name, _encode(draw, "\n".join(lines), steps), "document", tuple(options), companion, steps)


# -- running a case ------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    case: Case
    code: int | None  # None: an exception escaped the command line
    stdout: str
    stderr: str
    out_files: list[str]
    source: Path
    problems: list[str]


class _Slow(Exception):
    pass


SLOW = "fuzz: stopped, slower than"  # what run_cli prints for a case over its time limit


def _raise_slow(signum, frame):
    raise _Slow()


def run_cli(args: list[str], time_limit: int = 0) -> tuple[int | None, str, str]:
    """Run ``policy-kg ARGS`` in this process as the console script would: (exit code, stdout, stderr).

    With ``standalone_mode=False`` click returns the command's value (``None``: exit 0), returns the code of
    ``ctx.exit(code)``, and raises a usage error (``ClickException``) instead of printing it, so that is shown
    here as click would show it. Any other exception is what a user would see as a traceback: its formatted
    traceback goes to stderr and the code is ``None``. Output goes through strict UTF-8 (stdout) and
    backslash-replacing UTF-8 (stderr), as in a real process under a UTF-8 locale.
    """
    import click

    from kg.cli import main

    out_b, err_b = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_b, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_b, encoding="utf-8", errors="backslashreplace", write_through=True)
    old = signal.signal(signal.SIGALRM, _raise_slow) if time_limit else None
    if time_limit:
        signal.alarm(time_limit)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main.main(args=args, prog_name="policy-kg", standalone_mode=False)
                code = 0 if code is None else code
            except click.ClickException as exc:
                exc.show()
                code = exc.exit_code
            except _Slow:
                print(f"{SLOW} {time_limit} s", file=err)
                code = None
            except BaseException:  # noqa: BLE001 — everything else is a traceback to the user
                traceback.print_exc(file=err)
                code = None
    finally:
        if time_limit:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    return code, out_b.getvalue().decode("utf-8", "replace"), err_b.getvalue().decode("utf-8", "replace")


def run_case(case: Case, folder: Path | None = None, time_limit: int = 0) -> Outcome:
    """Write *case* into a fresh folder, build it into ``out/`` there, and check the contract."""
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-", dir=folder))
    try:
        source = tmp / "in" / case.name
        source.parent.mkdir()
        if case.kind == "directory":
            source.mkdir()
        elif case.data is not None:
            source.write_bytes(case.data)
        out = tmp / "out"
        args = ["build", *([str(COMPANION)] if case.companion else []), str(source), "--out", str(out),
                *case.options]
        code, stdout, stderr = run_cli(args, time_limit)
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
        outcome = Outcome(case, code, stdout, stderr, files, source, [])
        outcome.problems = check(outcome, out)
        return outcome
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check(o: Outcome, out: Path) -> list[str]:
    """What *o* does against the contract (an empty list: nothing)."""
    problems = []
    text = o.stdout + o.stderr
    if o.stderr.startswith(SLOW):
        return [o.stderr.strip().removeprefix("fuzz: stopped, ")]
    if o.code not in (0, 1, 2):
        problems.append(f"exit code {o.code!r}")
    if "Traceback" in text:
        problems.append("traceback")
    errors = [line for line in o.stderr.splitlines() if line.startswith("policy-kg: error: ")]
    if o.code in (1, 2):
        if not errors:
            problems.append(f"exit {o.code} without a 'policy-kg: error:' line")
        if o.out_files:
            problems.append(f"exit {o.code} left files in the output folder: {o.out_files}")
    if o.code == 2 and errors:
        lines = [line for line in o.stderr.splitlines() if line.strip()]
        if len(lines) != 1:
            problems.append(f"exit 2 with {len(lines)} lines on stderr, expected one")
        named = os.fsdecode(os.fsencode(o.source)).encode("utf-8", "backslashreplace").decode()
        if not o.case.options and named not in errors[0]:
            problems.append("the error line does not name the file")
    if o.code == 0:
        problems += _check_written(o, out)
    return problems


def _check_written(o: Outcome, out: Path) -> list[str]:
    """The outputs are there and the Turtle parses (with Oxigraph: strict about IRIs, and fast) to the triples
    the summary counts."""
    import pyoxigraph

    built = re.findall(r"^built (.+\.ttl): .*, (\d+) triples — conforms", o.stdout, re.M)
    expected = 2 if o.case.companion else 1
    if len(built) != expected:
        return [f"exit 0 but {len(built)} 'built' lines, expected {expected}"]
    names = {Path(path).with_suffix(suffix).name for path, _ in built
             for suffix in (".ttl", ".validation.txt", ".quality.md")}
    if names != set(o.out_files):
        return [f"exit 0 but the output folder holds {o.out_files}, expected {sorted(names)}"]
    path, triples = built[-1]
    ttl = Path(path)
    try:
        count = sum(1 for _ in pyoxigraph.parse(ttl.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        return [f"the Turtle written does not parse: {' '.join(str(exc).split())[:300]}"]
    if count != int(triples):
        return [f"the Turtle written holds {count} triples, the summary says {triples}"]
    return []
