#!/usr/bin/env python3
"""Corpus build throughput and memory.

1. Throughput: build N synthetic documents (~1M triples by default) into an Oxigraph store — parse, map,
   validate, load — in triples per second, against how fast rdflib merely parses the same documents'
   Turtle, measured in the same run. Goal (issue 6): ratio >= 1.0.
2. Memory: peak resident memory of a corpus build of 50 and of 500 documents, each in a fresh process.
   Goal: within 20% of each other (memory bounded by one document at a time).

    python benchmarks/bench_corpus.py [--documents 166] [--memory 50,500]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import variants  # noqa: E402

PEAK = """
import resource, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from kg.corpus import build_corpus
summary = build_corpus([Path({folder!r})], Path({store!r}), progress=False)
assert not summary.failures, summary.failures
print(summary.documents, summary.triples, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(count: int, tmp: Path) -> tuple[int, int, int]:
    folder = tmp / f"mem-{count}"
    variants(count, folder)
    code = PEAK.format(root=str(ROOT), folder=str(folder), store=str(tmp / f"store-{count}"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=166, help="documents for the throughput run (~6k triples each)")
    parser.add_argument("--memory", default="50,500", help="corpus sizes for the memory runs")
    args = parser.parse_args()
    from rdflib import Graph

    from kg.corpus import build_corpus
    from kg.export import turtle_bytes
    from kg.parse import parse_document
    from kg.rdf import document_graph

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = variants(args.documents, tmp / "corpus")
        start = time.perf_counter()
        summary = build_corpus([tmp / "corpus"], tmp / "store", progress=False)
        build_s = time.perf_counter() - start
        assert not summary.failures, summary.failures[:3]
        turtles = [turtle_bytes(document_graph(parse_document(p))) for p in paths]
        start = time.perf_counter()
        parsed = sum(len(Graph().parse(data=t, format="turtle")) for t in turtles)
        parse_s = time.perf_counter() - start
        build_rate, parse_rate = summary.triples / build_s, parsed / parse_s
        print(f"corpus build: {summary.documents} documents, {summary.triples:,} triples in {build_s:.1f} s "
              f"= {build_rate:,.0f} triples/s (parse, map, validate, load)")
        print(f"rdflib parsing the same Turtle: {parsed:,} triples in {parse_s:.1f} s = {parse_rate:,.0f} triples/s")
        ratio = build_rate / parse_rate
        print(f"throughput ratio build / rdflib parse: {ratio:.2f}x (goal >= 1.0x: {'met' if ratio >= 1 else 'MISSED'})")
        sizes = [int(n) for n in args.memory.split(",")]
        peaks = {}
        for n in sizes:
            docs, triples, kib = peak_memory(n, tmp)
            peaks[n] = kib
            print(f"peak memory, {docs} documents ({triples:,} triples): {kib / 1024:.0f} MiB")
        low, high = min(peaks.values()), max(peaks.values())
        print(f"peak memory ratio {max(sizes)} / {min(sizes)} documents: {high / low:.2f} "
              f"(goal within 20%: {'met' if high / low <= 1.2 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
