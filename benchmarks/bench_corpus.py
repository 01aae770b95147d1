#!/usr/bin/env python3
"""Corpus build throughput and memory.

1. Throughput: build N synthetic documents (~1M triples by default) into an Oxigraph store — parse, map,
   validate, load — in triples per second, against how fast rdflib merely parses the same documents'
   Turtle, measured in the same run; with one process and with one worker per CPU.
   Goal (issue 6): ratio >= 1.0.
   Also a corpus of real documents in other layouts: the seven documents of ../shared/sources/genre (bodies) and
   Wenzhou's, each copied --real-copies times under other names.
2. Memory: peak resident memory of a corpus build of 50 and of 500 documents, each in a fresh process
   (the builder and, separately, its largest worker). Goal: within 20% of each other (memory bounded by
   the documents in flight, not by the corpus).

    python benchmarks/bench_corpus.py [--documents 166] [--jobs 1,2] [--memory 50,500] [--real-copies 12]
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

from kg.corpus import build_corpus, default_jobs  # noqa: E402
from synthetic import variants  # noqa: E402

PEAK = """
import resource, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from kg.corpus import build_corpus
summary = build_corpus([Path({folder!r})], Path({store!r}), progress=False)
assert not summary.failures, summary.failures
print(summary.documents, summary.triples, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_memory(count: int, tmp: Path) -> tuple[int, int, int, int]:
    """(documents, triples, builder's peak KiB, largest worker's peak KiB) of a build in a fresh process."""
    folder = tmp / f"mem-{count}"
    variants(count, folder)
    code = PEAK.format(root=str(ROOT), folder=str(folder), store=str(tmp / f"store-{count}"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2]), int(out[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=166, help="documents for the throughput run (~6k triples each)")
    parser.add_argument("--jobs", default=f"1,{default_jobs()}", help="worker counts for the throughput runs")
    parser.add_argument("--memory", default="50,500", help="corpus sizes for the memory runs")
    parser.add_argument("--real-copies", type=int, default=12,
                        help="copies of each real document (7 genre + Wenzhou) for the real-layouts run; 0: none")
    args = parser.parse_args()
    from rdflib import Graph

    from kg.export import turtle_bytes
    from kg.rdf import document_graph
    from kg.readers import read_document

    def throughput(folder: Path, label: str) -> None:
        paths = sorted(folder.iterdir())
        turtles = [turtle_bytes(document_graph(read_document(p))) for p in paths]
        start = time.perf_counter()
        parsed = sum(len(Graph().parse(data=t, format="turtle")) for t in turtles)
        parse_s = time.perf_counter() - start
        parse_rate = parsed / parse_s
        print(f"{label}: rdflib parsing the documents' Turtle: {parsed:,} triples in {parse_s:.1f} s "
              f"= {parse_rate:,.0f} triples/s")
        for jobs in sorted({int(j) for j in args.jobs.split(",")}):
            start = time.perf_counter()
            summary = build_corpus([folder], folder.parent / f"{folder.name}-store-jobs{jobs}", progress=False,
                                   jobs=jobs)
            build_s = time.perf_counter() - start
            assert not summary.failures, summary.failures[:3]
            assert summary.triples == parsed, (summary.triples, parsed)
            build_rate = summary.triples / build_s
            ratio = build_rate / parse_rate
            print(f"{label}: corpus build, {summary.jobs} process(es): {summary.documents} documents, "
                  f"{summary.triples:,} triples in {build_s:.1f} s = {build_rate:,.0f} triples/s (parse, map, "
                  f"validate, load); ratio to rdflib parse {ratio:.2f}x "
                  f"(goal >= 1.0x: {'met' if ratio >= 1 else 'MISSED'}; stretch 1.5x: "
                  f"{'met' if ratio >= 1.5 else 'missed'})")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        variants(args.documents, tmp / "corpus")
        throughput(tmp / "corpus", "synthetic task lists")
        if args.real_copies:
            from kg.evaluate import strip_provenance

            real = tmp / "real"
            real.mkdir()
            sources = sorted((ROOT.parent / "shared" / "sources" / "genre").glob("*.txt"))
            bodies = {s.stem: strip_provenance(s.read_text(encoding="utf-8")) for s in sources}
            bodies["wenzhou-2023-82"] = (ROOT / "data" / "wenzhou-2023-82.txt").read_text(encoding="utf-8")
            for copy in range(args.real_copies):
                for stem, body in bodies.items():
                    (real / f"{stem}-{copy:03d}.txt").write_text(body, encoding="utf-8")
            throughput(real, f"real documents ({len(bodies)} layouts' documents x {args.real_copies})")
        sizes = [int(n) for n in args.memory.split(",")]
        peaks = {}
        for n in sizes:
            docs, triples, kib, worker_kib = peak_memory(n, tmp)
            peaks[n] = max(kib, worker_kib)
            print(f"peak memory, {docs} documents ({triples:,} triples): builder {kib / 1024:.0f} MiB, "
                  f"largest worker {worker_kib / 1024:.0f} MiB")
        low, high = min(peaks.values()), max(peaks.values())
        print(f"peak memory ratio {max(sizes)} / {min(sizes)} documents (largest process): {high / low:.2f} "
              f"(goal within 20%: {'met' if high / low <= 1.2 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
