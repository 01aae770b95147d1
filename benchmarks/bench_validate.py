#!/usr/bin/env python3
"""Validation engines side by side: the fast gate against pyshacl, the reference, on the project's graphs and shapes.

For each graph (Wenzhou's, and each document under ../shared/sources/genre), interleaved rounds in one process:

* pyshacl: ``validate_graph(graph, engine="pyshacl")`` — pyshacl as kg/validate.py calls it (no inference, in place);
* shacl:   ``validate_graph(graph, engine="shacl", ntriples=…)`` — the fast gate on the N-Triples the build writes;
* shacl+nt: the same with the N-Triples written from the rdflib Graph first (what a caller without them pays);
* pyshacl-turbo, where that package is installed (it is not a dependency): its pySHACL-compatible ``validate``.

Both engines' verdicts must agree on every graph. Goal (issue 13): the gate ≤ 0.1x pyshacl's time.

    python benchmarks/bench_validate.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate import strip_provenance  # noqa: E402
from kg.rdf import document_graph  # noqa: E402
from kg.readers import read_document  # noqa: E402
from kg.validate import claimed_profiles, load_shapes, validate_graph  # noqa: E402


def graphs() -> list[tuple[str, object]]:
    out = [("wenzhou-2023-82", document_graph(read_document(ROOT / "data" / "wenzhou-2023-82.txt")))]
    genre = ROOT.parent / "shared" / "sources" / "genre"
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted(genre.glob("*.txt")):
            body = Path(tmp) / source.name
            body.write_text(strip_provenance(source.read_text(encoding="utf-8")), encoding="utf-8")
            out.append((source.stem, document_graph(read_document(body))))
    return out


def timed(fn, rounds: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        import pyshacl_turbo
    except ImportError:
        pyshacl_turbo = None
    print(f"{'graph':<45} {'triples':>7} {'pyshacl':>9} {'shacl':>8} {'ratio':>6} {'shacl+nt':>9} {'ratio':>6}"
          + (f" {'turbo':>8} {'ratio':>6}" if pyshacl_turbo else ""))
    ratios, ratios_nt, ratios_turbo = [], [], []
    for name, graph in graphs():
        nt = graph.serialize(format="nt", encoding="utf-8")
        validate_graph(graph, engine="shacl", ntriples=nt)  # shapes parsed and compiled before timing
        validate_graph(graph, engine="pyshacl")
        ref, ref_result = timed(lambda: validate_graph(graph, engine="pyshacl"), args.rounds)
        fast, fast_result = timed(lambda: validate_graph(graph, engine="shacl", ntriples=nt), args.rounds)
        fast_nt, _ = timed(lambda: validate_graph(graph, engine="shacl"), args.rounds)
        assert ref_result.conforms == fast_result.conforms, f"{name}: the engines disagree"
        ratios.append(fast / ref)
        ratios_nt.append(fast_nt / ref)
        line = (f"{name:<45} {len(graph):>7} {ref * 1000:>7.0f}ms {fast * 1000:>6.0f}ms {fast / ref:>5.2f}x "
                f"{fast_nt * 1000:>7.0f}ms {fast_nt / ref:>5.2f}x")
        if pyshacl_turbo:
            shapes = load_shapes(profiles=claimed_profiles(graph))
            turbo, (conforms, _, _) = timed(lambda: pyshacl_turbo.validate(
                graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True), args.rounds)
            assert conforms == ref_result.conforms, f"{name}: pyshacl-turbo disagrees"
            ratios_turbo.append(turbo / ref)
            line += f" {turbo * 1000:>6.0f}ms {turbo / ref:>5.2f}x"
        print(line)
    mean = statistics.geometric_mean(ratios)
    print(f"geometric mean, shacl / pyshacl: {mean:.3f}x on the N-Triples the build writes, "
          f"{statistics.geometric_mean(ratios_nt):.3f}x writing them first"
          + (f"; pyshacl-turbo / pyshacl: {statistics.geometric_mean(ratios_turbo):.3f}x" if ratios_turbo else "")
          + f"   (goal <= 0.1x: {'met' if mean <= 0.1 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
