#!/usr/bin/env python3
"""Fuzz ``policy-kg build`` with many mutated documents; count exit codes and tracebacks (must be 0).

The cases are Hypothesis's, from the one strategy in ``tests/fuzzcases.py`` (also used by ``tests/test_fuzz.py``):
the eight source documents and the small layout cuts, sliced, lines duplicated or dropped, table rows shuffled,
odd Unicode and markup inserted, re-encoded (GBK, UTF-16, truncated …), plus missing, empty and binary files.
Each case runs the command line in this process (as the console script would, output through strict UTF-8),
in a fresh folder, and is checked against the contract: exit 0, 1 or 2, no traceback, one ``policy-kg: error:``
line naming the file and an empty output folder on bad input, Turtle that parses back on success. A case slower
than ``--time-limit`` seconds counts as a failure too.

Sizes: SHACL validation is most of the time a good case takes — a whole genre document 0.3–0.6 s, the whole
Wenzhou task list (6,000 triples) 2–3 s, a rejected input a few milliseconds — so cases are made small: two in three
are a slice of their document, and the Wenzhou task list is whole in only 10% of its cases. A case averages about
0.5 s on an idle 2-CPU machine.

Prints cases run, exits by code, tracebacks and other contract failures, and the time taken; writes each failing
input with its command and output under ``--failures`` (one folder a case) to reproduce it, and each input that
exits 1 under ``--failures``/exit-1 (within the contract, but the readers made a graph the shapes refuse: worth a
look). Exits 1 if any case failed.

    python benchmarks/fuzz_cli.py [--cases 10000] [--jobs 2] [--seed 0] [--failures build/fuzz-failures]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def save_failure(folder: Path, label: str, outcome) -> Path:
    """The input, the command to run it and what it printed, in FOLDER/LABEL/."""
    case = outcome.case
    where = folder / label
    where.mkdir(parents=True, exist_ok=True)
    source = where / os.fsencode(case.name).decode("utf-8", "backslashreplace").replace("/", "_")
    if case.kind == "directory":
        source.mkdir(exist_ok=True)
    elif case.data is not None:
        source.write_bytes(case.data)
    from fuzzcases import COMPANION

    args = ["policy-kg", "build", *([str(COMPANION)] if case.companion else []), str(source), "--out",
            str(where / "out"), *case.options]
    (where / "case.json").write_text(json.dumps({
        "command": " ".join(map(shlex.quote, args)),
        "problems": outcome.problems, "exit_code": outcome.code, "case": case.describe(),
        "stdout": outcome.stdout[-5000:], "stderr": outcome.stderr[-20000:],
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return where


def worker(seed: int, count: int, failures: str, time_limit: int) -> dict:
    """Run COUNT cases drawn with Hypothesis from SEED; return the tallies."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from fuzzcases import cases, run_case

    codes: Counter = Counter()
    problems: Counter = Counter()
    failed: list[str] = []
    kept: list[str] = []
    slow: list[tuple[float, str]] = []

    @hseed(seed)
    @settings(max_examples=count, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(cases())
    def one(case):
        if sum(codes.values()) >= count:
            return
        t = time.perf_counter()
        outcome = run_case(case, time_limit=time_limit)
        took = time.perf_counter() - t
        slow.append((took, case.describe()))
        slow.sort(reverse=True)
        del slow[3:]
        codes[str(outcome.code)] += 1
        if sum(codes.values()) % 500 == 0:
            print(f"  seed {seed}: {sum(codes.values())} of {count} cases", file=sys.stderr, flush=True)
        if outcome.code == 1 and not outcome.problems:  # within the contract, but the readers made a bad graph
            kept.append(str(save_failure(Path(failures) / "exit-1", f"seed{seed}-{sum(codes.values())}", outcome)))
        if outcome.problems:
            for problem in outcome.problems:
                problems[problem.split(":")[0]] += 1
            label = f"seed{seed}-{sum(codes.values())}"
            failed.append(str(save_failure(Path(failures), label, outcome)))
            print(f"FAIL {label}: {'; '.join(outcome.problems)} — {case.describe()[:300]}", file=sys.stderr,
                  flush=True)

    cpu = time.process_time()
    rounds = 0
    while sum(codes.values()) < count and rounds < 20:  # Hypothesis may stop a round early
        one()
        rounds += 1
        hseed(seed + 1000 * rounds)(one)
    return {"codes": codes, "problems": problems, "failed": failed, "kept": kept, "slow": slow,
            "cpu": time.process_time() - cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to run (default 10000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)")
    parser.add_argument("--seed", type=int, default=0, help="Hypothesis seed of the first worker (default 0)")
    parser.add_argument("--failures", default=str(ROOT / "build" / "fuzz-failures"),
                        help="folder for failing inputs (default build/fuzz-failures)")
    parser.add_argument("--time-limit", type=int, default=120, help="seconds a case may take (default 120)")
    args = parser.parse_args()
    jobs = max(1, min(args.jobs, args.cases))
    shares = [args.cases // jobs + (i < args.cases % jobs) for i in range(jobs)]
    t = time.perf_counter()
    if jobs == 1:
        results = [worker(args.seed, shares[0], args.failures, args.time_limit)]
    else:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(worker, [args.seed + i for i in range(jobs)], shares, [args.failures] * jobs,
                                    [args.time_limit] * jobs))
    took = time.perf_counter() - t
    codes = sum((r["codes"] for r in results), Counter())
    problems = sum((r["problems"] for r in results), Counter())
    failed = [f for r in results for f in r["failed"]]
    slow = sorted((s for r in results for s in r["slow"]), reverse=True)[:3]
    run = sum(codes.values())
    print(f"cases run: {run} ({jobs} job(s), seeds {args.seed}–{args.seed + jobs - 1})")
    print("exits by code: " + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())))
    print(f"tracebacks: {problems.get('traceback', 0)}")
    print(f"other contract failures: {sum(problems.values()) - problems.get('traceback', 0)}"
          + (f" ({', '.join(f'{k}: {n}' for k, n in problems.most_common())})" if problems else ""))
    cpu = sum(r["cpu"] for r in results)
    print(f"time: {took:.0f} s ({took / max(run, 1) * jobs:.3f} s a case per job); CPU time {cpu:.0f} s "
          f"({cpu / max(run, 1):.3f} s a case)")
    for took_one, what in slow:
        print(f"  slowest: {took_one:.1f} s — {what[:160]}")
    kept = [f for r in results for f in r["kept"]]
    if kept:
        print(f"inputs that exit 1 (the shapes not met; within the contract): {len(kept)} under "
              f"{Path(args.failures) / 'exit-1'}")
    if failed:
        print(f"failing inputs: {len(failed)} under {args.failures}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
