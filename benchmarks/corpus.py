"""Synthetic large graphs for benchmarks: copies of a built document under other document IRIs.

Units, periods and areas' shared resources (units, periods) stay shared, as in a real corpus
of documents from one city; everything under ``doc/<name>`` is renamed per copy.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph


def replicate(ttl: Path, target_triples: int, out: Path) -> tuple[Path, int, int]:
    """Write N-Triples holding about *target_triples* triples; returns (path, copies, lines)."""
    graph = Graph().parse(ttl)
    nt = graph.serialize(format="nt")
    lines = sorted(set(nt.splitlines()))
    doc = re.search(r"<(https://[^>]*/doc/)(wenzhou-2023-82)>", nt)
    prefix, name = doc.group(1), doc.group(2)
    per_doc = [l for l in lines if prefix + name in l]
    shared = [l for l in lines if prefix + name not in l]
    copies = max(1, (target_triples - len(shared)) // len(per_doc))
    written = 0
    with open(out, "w", encoding="utf-8") as fh:
        for line in shared:
            fh.write(line + "\n")
            written += 1
        for i in range(copies):
            renamed = f"{prefix}{name}-copy{i:04d}"
            for line in per_doc:
                fh.write(line.replace(prefix + name, renamed) + "\n")
                written += 1
    return out, copies, written
