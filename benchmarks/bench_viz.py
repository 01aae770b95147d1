#!/usr/bin/env python3
"""Time until each view is interactive (network stabilised, physics frozen) in headless Chromium.

Opens the pages written by `make run` (visualizations/) from file:// with every http(s) request
blocked, several times each, and prints the median time from navigation start to the moment the
page marks itself ready. Goal (issue 4): the responsibility network within 3 s.

    python benchmarks/bench_viz.py [--runs 5] [--dir visualizations]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ["responsibility-network", "unit-network", "policy-hierarchy"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=ROOT / "visualizations")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        print(f"time to interactive in headless {browser.version}, median of {args.runs} loads:")
        results = {}
        for view in VIEWS:
            path = args.dir / f"{view}.html"
            if not path.exists():
                print(f"{path} not found: run `make run` first", file=sys.stderr)
                return 2
            times = []
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route("http*://**/*", lambda route: route.abort())
                page.goto(path.as_uri())
                deadline = time.monotonic() + 30
                while not page.evaluate("() => !!(window.policyKg && window.policyKg.ready)"):
                    if time.monotonic() > deadline:
                        raise SystemExit(f"{view}: not interactive after 30 s")
                    time.sleep(0.02)
                times.append(page.evaluate("() => window.policyKg.readyMs") / 1000)
                page.close()
            results[view] = statistics.median(times)
            print(f"  {view:<24} {results[view] * 1000:7.0f} ms  (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
        browser.close()
    goal = results["responsibility-network"] <= 3.0
    print(f"responsibility network interactive in {results['responsibility-network']:.2f} s "
          f"(goal <= 3 s: {'met' if goal else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
