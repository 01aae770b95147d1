#!/usr/bin/env python3
"""Resource pages: time to describe and render a page, on the embedded document and on a graph of many.

A unit's page lists every item it leads or supports in every document, so it grows with the corpus. This builds
a synthetic graph of copies of the Wenzhou graph under other document IRIs (units shared: 市发展改革委 is on 14
items of each copy), loads it into Oxigraph, and times, side by side in one run, the pages of a unit, a document
(its outline: 332 parts) and a key task, as ``policy-kg serve`` answers them (describe + HTML) and as their
Turtle. Goal (issue 14): a unit's page with a few hundred links in well under a second (here: 0.5 s p50).

    python benchmarks/bench_pages.py [--copies 30] [--runs 5]
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
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import replicate  # noqa: E402

from kg.pages import Pages, ServerLinks  # noqa: E402
from kg.query import OxigraphEngine  # noqa: E402
from kg.vocab import DEFAULT_BASE  # noqa: E402

GOAL = 0.5  # seconds, a unit's page p50
PAGES = {"unit 市发展改革委": "org/wz-drc", "document": "doc/wenzhou-2023-82", "key task 7": "doc/wenzhou-2023-82/task/7"}


def p50(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="copies of the Wenzhou graph in the larger graph")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--graph", type=Path, default=ROOT / "build" / "wenzhou-2023-82.ttl")
    args = parser.parse_args()
    if not args.graph.exists():
        print(f"{args.graph} not found: run `make run` first", file=sys.stderr)
        return 2
    results: dict[str, dict[str, tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        per_copy = 6120
        path, copies, triples = replicate(args.graph, (args.copies + 1) * per_copy, Path(tmp) / "corpus.nt")
        for name, source, fmt in (("1 document", args.graph, "TURTLE"),
                                  (f"{copies + 1} documents", path, "N_TRIPLES")):
            engine = OxigraphEngine()
            engine.store.bulk_load(path=str(source), format=getattr(engine.ox.RdfFormat, fmt))
            t = time.perf_counter()
            pages = Pages(engine)
            start = time.perf_counter() - t
            pages.vocabulary  # noqa: B018 - the ontology's labels, read once per server
            results[name] = {}
            for label, rest in PAGES.items():
                # the copies are wenzhou-2023-82-copy0000 … (units shared)
                iri = DEFAULT_BASE + (rest if source == args.graph else rest.replace("82", "82-copy0000"))
                links = ServerLinks(pages, iri)
                html = p50(lambda: pages.html(pages.describe(iri), links), args.runs)
                ttl = p50(lambda: pages.rdf(iri, "ttl"), args.runs)
                d = pages.describe(iri)
                count = (sum(len(v) for g in d.incoming for _, v in g.by_document)
                         + sum(len(g.values) for g in d.properties) + len(d.outline))
                results[name][label] = (html, ttl, count)
            print(f"{name}: {len(engine.store):,} triples, {len(pages.resources):,} pages; "
                  f"which IRIs have pages found in {start * 1000:.0f} ms")
    print(f"{'page':<20}{'graph':>14}{'links':>8}{'HTML p50':>12}{'Turtle p50':>12}")
    for label in PAGES:
        for name, rows in results.items():
            html, ttl, count = rows[label]
            print(f"{label:<20}{name:>14}{count:>8}{html * 1000:>9.1f} ms{ttl * 1000:>9.1f} ms")
    unit = results[f"{copies + 1} documents"]["unit 市发展改革委"]
    one = results["1 document"]["unit 市发展改革委"]
    verdict = "met" if unit[0] <= GOAL else "MISSED"
    print(f"unit page with {unit[2]} links: {unit[0] * 1000:.0f} ms p50, {unit[0] / one[0]:.1f}x the one-document "
          f"page ({one[2]} links) (goal <= {GOAL * 1000:.0f} ms: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
