#!/usr/bin/env python3
"""Seed build time as a ratio to the time of merely importing the core libraries.

Both are measured side by side in fresh Python processes, interleaved, several rounds:

* imports: ``import rdflib, pyshacl, networkx, pyvis``;
* build:   parse, map, validate and write the embedded Wenzhou document (after those imports,
           so the two measurements do not overlap), stage by stage.

Goal (issue 2): build / imports ≤ 2.5. Prints medians and the ratio; exits 1 if the goal is missed
with --check.

    python benchmarks/bench_build.py [--rounds 7] [--check]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IMPORTS = """
import time
t = time.perf_counter()
import rdflib, pyshacl, networkx, pyvis
print(time.perf_counter() - t)
"""

BUILD = """
import json, sys, time
import rdflib, pyshacl, networkx, pyvis  # measured separately
from pathlib import Path
from kg.export import turtle_bytes, write_all
from kg.parse import parse_document
from kg.quality import quality_report
from kg.rdf import document_graph
from kg.units import Gazetteer
from kg.validate import validate_graph
out = Path(sys.argv[1])
times = {}
t = time.perf_counter()
doc = parse_document("data/wenzhou-2023-82.txt", Gazetteer.load())
times["parse"] = time.perf_counter() - t
t = time.perf_counter()
graph = document_graph(doc)
times["map"] = time.perf_counter() - t
t = time.perf_counter()
result = validate_graph(graph)
assert result.conforms
times["validate"] = time.perf_counter() - t
t = time.perf_counter()
write_all({out / "w.ttl": turtle_bytes(graph), out / "w.validation.txt": result.report().encode(),
           out / "w.quality.md": quality_report(doc).encode()})
times["write"] = time.perf_counter() - t
times["triples"] = len(graph)
print(json.dumps(times))
"""


def run(code: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return proc.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if the ratio is above the goal")
    parser.add_argument("--goal", type=float, default=2.5)
    args = parser.parse_args()

    run(IMPORTS)  # warm the file cache
    imports, builds = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            imports.append(float(run(IMPORTS)))
            builds.append(json.loads(run(BUILD, tmp)))
    stages = ["parse", "map", "validate", "write"]
    med = {s: statistics.median(b[s] for b in builds) for s in stages}
    total = statistics.median(sum(b[s] for s in stages) for b in builds)
    imp = statistics.median(imports)
    ratio = total / imp
    print(f"seed build of data/wenzhou-2023-82.txt ({builds[0]['triples']} triples), {args.rounds} rounds, medians:")
    for s in stages:
        print(f"  {s:<9} {med[s] * 1000:8.1f} ms")
    print(f"  {'build':<9} {total * 1000:8.1f} ms")
    print(f"  imports  {imp * 1000:8.1f} ms   (import rdflib, pyshacl, networkx, pyvis)")
    print(f"ratio build / imports: {ratio:.2f}x   (goal <= {args.goal}x: {'met' if ratio <= args.goal else 'MISSED'})")
    return 1 if args.check and ratio > args.goal else 0


if __name__ == "__main__":
    sys.exit(main())
