"""Synthetic corpora for benchmarks: variants of the Wenzhou document that the parser really parses.

Each variant gets its own document number (温政办〔2023〕N号) and file name, and its responsible units are
reshuffled among the gazetteer (a seeded shuffle per variant; lead marks kept), so every variant goes
through the whole pipeline — parse, gazetteer lookups, mapping, validation — with different data.
"""

from __future__ import annotations

import random
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def variants(count: int, out: Path, seed: int = 42) -> list[Path]:
    """*count* variants of the embedded document, written to *out*."""
    sys.path.insert(0, str(ROOT))
    from kg.units import Gazetteer

    source = (ROOT / "data" / "wenzhou-2023-82.txt").read_text(encoding="utf-8")
    names = sorted(u.name_zh for u in Gazetteer.load().units if u.id != "wz-gov-office")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        rng = random.Random(seed + i)
        mapping = dict(zip(names, rng.sample(names, len(names))))
        lines = []
        for line in source.split("\n"):
            cells = line.split("\t")
            if len(cells) == 8 and cells[0].isdigit():
                cells[6] = _reshuffle(cells[6], mapping)
                line = "\t".join(cells)
            lines.append(line)
        text = "\n".join(lines).replace("温政办〔2023〕82号", f"温政办〔2023〕{100 + i}号")
        path = out / f"variant-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _reshuffle(cell: str, mapping: dict[str, str]) -> str:
    """Replace each unit name in a units cell by its image under *mapping* (spaces inside names removed)."""
    mentions = _gazetteer().segment(cell, "synthetic", 0)
    return " ".join(("*" if m.lead and len(mentions) > 1 else "") + mapping[m.unit.name_zh] for m in mentions)


@lru_cache(maxsize=1)
def _gazetteer():
    from kg.units import Gazetteer

    return Gazetteer.load()
