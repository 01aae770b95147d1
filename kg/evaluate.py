"""Score what the readers extract against gold annotations written by reading the documents.

A gold file (``tests/data/genre-gold/<document>.tsv``, conventions in its README) lists per item its number path,
its first characters and its lead, support and jointly responsible units as written. Items are matched by
number path (in order where several share one); then

* items: how many gold items were found, and how many found items the gold has;
* (item, unit): precision, recall and F1 over every unit named by an item, whatever its role;
* lead: the same over (item, lead unit) pairs;
* role: the same over (item, unit, role) triples.

Pure functions over records; ``policy-kg eval`` prints them.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .escape import markdown_text
from .normalize import fullwidth_brackets
from .records import PolicyDocument

__all__ = ["GoldItem", "Score", "load_gold", "score", "strip_provenance", "evaluate_files", "report"]

COLUMNS = ["path", "first", "lead", "support", "responsible", "deadline", "note"]


@dataclass(frozen=True)
class GoldItem:
    path: str
    first: str
    units: tuple[tuple[str, str], ...]  # (name, role)
    deadline: str
    line: int


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Score:
    """One document's (or a total's) figures, with the differences that explain them."""

    name: str
    gold_items: int
    found_items: int
    matched: int
    units: PRF
    leads: PRF
    roles: PRF
    deadlines: PRF
    differences: tuple[str, ...] = ()

    @property
    def item_recall(self) -> float:
        return self.matched / self.gold_items if self.gold_items else 1.0

    @property
    def item_precision(self) -> float:
        return self.matched / self.found_items if self.found_items else 1.0

    def __add__(self, other: "Score") -> "Score":
        return Score("total", self.gold_items + other.gold_items, self.found_items + other.found_items,
                     self.matched + other.matched, self.units + other.units, self.leads + other.leads,
                     self.roles + other.roles, self.deadlines + other.deadlines)


def _norm(name: str) -> str:
    return fullwidth_brackets("".join(name.split()))


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold TSV (header ``path first lead support responsible deadline note``)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if reader.fieldnames != COLUMNS:
                raise InputError(f"gold header must be {' '.join(COLUMNS)}", path, 1)
            out = []
            for row in reader:
                units = tuple((_norm(n), role) for role in ("lead", "support", "responsible")
                              for n in (row[role] or "").split(";") if n.strip())
                out.append(GoldItem(row["path"].strip(), row["first"] or "", units, row["deadline"] or "",
                                    reader.line_num))
            return out
    except FileNotFoundError:
        raise InputError("gold file not found", path) from None


def _prf(found: set, gold: set) -> PRF:
    return PRF(len(found & gold), len(found - gold), len(gold - found))


def score(doc: PolicyDocument, gold: list[GoldItem]) -> Score:
    """Score *doc*'s items against *gold*.

    >>> from kg.records import WorkItem, PolicyDocument
    >>> from kg.units import Unit, UnitMention
    >>> u = lambda n: Unit(n, n, "", (), "", known=False)
    >>> item = WorkItem(("part", 1), ("一",), 1, "measure", "甲", "甲。", (UnitMention(u("A部"), "lead", "A部"),), (3,))
    >>> s = score(PolicyDocument("x", "x", items=(item,)), [GoldItem("一", "甲", (("A部", "lead"), ("B部", "support")), "", 2)])
    >>> s.matched, round(s.units.recall, 2), s.leads.f1
    (1, 0.5, 1.0)
    """
    found_by_path: dict[str, list] = {}
    for item in doc.items:
        found_by_path.setdefault("/".join(item.path), []).append(item)
    gold_by_path: dict[str, list[GoldItem]] = {}
    for g in gold:
        gold_by_path.setdefault(g.path, []).append(g)
    found_u, gold_u, found_r, gold_r, found_d, gold_d = set(), set(), set(), set(), set(), set()
    diffs: list[str] = []
    matched = 0
    for path, golds in gold_by_path.items():
        items = found_by_path.get(path, [])
        for k, g in enumerate(golds):
            key = (path, k)
            gold_r |= {(key, n, r) for n, r in g.units}
            gold_u |= {(key, n) for n, _ in g.units}
            if g.deadline:
                gold_d.add((key, _norm(g.deadline)))
            if k >= len(items):
                diffs.append(f"missing item {path} ({g.first}…, gold line {g.line})")
                continue
            matched += 1
            item = items[k]
            if g.first and not _norm(item.text or item.title).startswith(_norm(g.first)[:4]) and not _norm(
                    item.title).startswith(_norm(g.first)[:4]):
                diffs.append(f"item {path}: text starts {item.text[:10]!r}, gold {g.first!r}")
            mentions = {(key, _norm(m.written), m.role) for m in item.units}
            found_r |= mentions
            found_u |= {(key, n) for _, n, _ in mentions}
            if item.deadline:
                found_d.add((key, _norm(item.deadline.written)))
            want = {(n, r) for _, n, r in {(key, n, r) for n, r in g.units}}
            got = {(n, r) for _, n, r in mentions}
            if want != got:
                diffs.append(f"item {path}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    extra = [p for p, items in found_by_path.items() for k in range(len(gold_by_path.get(p, [])), len(items))]
    for p in extra:
        diffs.append(f"extra item {p}")
    for p, items in found_by_path.items():
        for k, item in enumerate(items[len(gold_by_path.get(p, [])):]):
            key = (p, len(gold_by_path.get(p, [])) + k)
            found_r |= {(key, _norm(m.written), m.role) for m in item.units}
            found_u |= {(key, _norm(m.written)) for m in item.units}
    leads_f = {(k, n) for k, n, r in found_r if r == "lead"}
    leads_g = {(k, n) for k, n, r in gold_r if r == "lead"}
    return Score(doc.name, len(gold), len(doc.items), matched, _prf(found_u, gold_u), _prf(leads_f, leads_g),
                 _prf(found_r, gold_r), _prf(found_d, gold_d), tuple(diffs))


def strip_provenance(text: str) -> str:
    """The body of a file that opens with a block of ``# `` lines ended by the first blank line.

    >>> strip_provenance("# 标题: x\\n# 来源: y\\n\\n正文\\n")
    '正文\\n'
    """
    lines = text.split("\n")
    if not lines or not lines[0].startswith("# "):
        return text
    k = 0
    while k < len(lines) and lines[k].startswith("# "):
        k += 1
    if k < len(lines) and lines[k].strip() == "":
        return "\n".join(lines[k + 1:])
    return text


def evaluate_files(sources: list[Path], gold_dir: Path, provenance: bool = False, read=None) -> list[Score]:
    """Read each source (its body, with *provenance*) and score it against ``gold_dir/<stem>.tsv``."""
    from .readers import read_document

    read = read or read_document
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            path = Path(source)
            gold_path = Path(gold_dir) / f"{path.stem}.tsv"
            if not gold_path.exists():
                raise InputError(f"no gold file {gold_path} for this document", path)
            if provenance:
                body = Path(tmp) / path.name
                body.write_text(strip_provenance(path.read_text(encoding="utf-8")), encoding="utf-8")
                path = body
            gold = load_gold(gold_path)
            try:
                doc = read(path)
            except InputError as exc:  # a document the readers refuse scores nothing, and says why
                s = score(PolicyDocument(str(path), path.stem), gold)
                scores.append(replace(s, differences=(f"not read: {exc.message}",) + s.differences))
                continue
            scores.append(score(doc, gold))
    return scores


def report(scores: list[Score], differences: bool = False) -> str:
    """A Markdown table of the scores, one row per document and a total (names and differences escaped)."""
    head = ("| document | items found | extra items | (item, unit) P / R / F1 | lead P / R / F1 | role F1 |\n"
            "|---|---|---|---|---|---|\n")
    rows = []
    total = None
    for s in scores:
        total = s if total is None else total + s
    for s in scores + ([total] if total is not None and len(scores) > 1 else []):
        rows.append(f"| {markdown_text(s.name)} | {s.matched}/{s.gold_items} ({s.item_recall:.1%}) | {s.found_items - s.matched} | "
                    f"{s.units.precision:.3f} / {s.units.recall:.3f} / {s.units.f1:.3f} | "
                    f"{s.leads.precision:.3f} / {s.leads.recall:.3f} / {s.leads.f1:.3f} | {s.roles.f1:.3f} |")
    out = head + "\n".join(rows) + "\n"
    if differences:
        for s in scores:
            if s.differences:
                out += f"\n{markdown_text(s.name)}:\n" + "".join(f"- {markdown_text(d)}\n" for d in s.differences)
    return out
