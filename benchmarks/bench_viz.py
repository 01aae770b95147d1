#!/usr/bin/env python3
"""Time until each view is interactive in headless Chromium: one document, and a 100-document store.

Pages are opened from file:// with every http(s) request blocked. Interactive means: the page has drawn its
network at rest (vis-network's first 'afterDrawing' once stabilised, or at once where physics is off: the page
then sets window.policyKg.ready), and a mouse click on a node, sent as soon as the page is ready, has selected
that node (vis-network's 'selectNode' event). Time to interactive is the moment of that selection, from the
start of navigation (performance.now()); the median of several loads is printed, with the time the page
became ready.

1. One document: the pages written by `make run` (visualizations/). Goal (issue 4): the responsibility network
   within 3 s.
2. A store of N synthetic documents (benchmarks/synthetic.py variants, built with `policy-kg build --store`),
   side by side in one run (goal, issue 13: within 3 s):
   - full: every item drawn, as before (forceAtlas2 physics stabilising 400 iterations; the hierarchy laid out
     by vis-network's hierarchical layout);
   - full, stabilisation limited: the same with 50 iterations (the responsibility network; the hierarchy has
     no physics);
   - full, layout precomputed: every item drawn at positions computed in Python, physics off (the
     responsibility network at the aggregate's positions with every document shown; the hierarchy in layers);
   - aggregate: what `policy-kg viz --store` writes now (documents as nodes, units sized by their items;
     a click on a document shows its items), and how long that click takes to draw.

    python benchmarks/bench_viz.py [--runs 5] [--dir visualizations] [--documents 100] [--store-runs 3]
                                   [--full-runs 1] [--store DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
VIEWS = ["responsibility-network", "unit-network", "policy-hierarchy"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def time_to_interactive(browser, path: Path, timeout: float = 900) -> tuple[float, float]:
    """(ready, interactive) in seconds from navigation start: see the module's docstring."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("http*://**/*", lambda route: route.abort())
    page.goto(path.as_uri(), wait_until="commit")  # a page laying out thousands of nodes holds its load event
    page.wait_for_function("() => !!(window.policyKg && window.policyKg.ready)", timeout=timeout * 1000)
    target = page.evaluate("""() => {
        const k = window.policyKg, n = k.network;
        // the unit on the most items where there are units, else the first document
        const nodes = k.nodes.get().filter(x => n.body.nodes[x.id]);
        const units = nodes.filter(x => x.kind === "unit").sort((a, b) => (b.size || 0) - (a.size || 0));
        const node = units[0] || nodes.find(x => x.kind === "document") || nodes[0];
        n.once("selectNode", () => { window.__selectedMs = performance.now(); });
        return { id: node.id, at: n.canvasToDOM(n.getPositions([node.id])[node.id]) };
    }""")
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + target["at"]["x"], box["y"] + target["at"]["y"])
    page.wait_for_function("() => window.__selectedMs !== undefined", timeout=timeout * 1000)
    # the node under the pointer: the target, or one drawn over it
    assert len(page.evaluate("() => window.policyKg.network.getSelectedNodes()")) == 1, target["id"]
    ready, interactive = page.evaluate("() => [window.policyKg.readyMs, window.__selectedMs]")
    page.close()
    return ready / 1000, interactive / 1000


def expand_time(browser, path: Path) -> float:
    """Seconds from a click on a document (the page's handler) to the network drawn with its items."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("http*://**/*", lambda route: route.abort())
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function("() => !!(window.policyKg && window.policyKg.ready)", timeout=900_000)
    ms = page.evaluate("""() => new Promise(done => {
        const k = window.policyKg, id = Object.keys(k.data.groups)[0], t0 = performance.now();
        k.network.once("afterDrawing", () => done(performance.now() - t0));
        k.toggle(id);
    })""")
    page.close()
    return ms / 1000


def measure(browser, path: Path, runs: int) -> tuple[float, float, float, float]:
    """Medians of (ready, interactive), and the min and max of interactive."""
    times = [time_to_interactive(browser, path) for _ in range(runs)]
    ready = statistics.median(t[0] for t in times)
    interactive = [t[1] for t in times]
    return ready, statistics.median(interactive), min(interactive), max(interactive)


def page_data(path: Path) -> tuple[str, dict]:
    html = path.read_text(encoding="utf-8")
    start = html.index("const DATA = ") + len("const DATA = ")
    end = html.index(";\n(function", start)
    return html, json.loads(html[start:end])


def with_data(html: str, data: dict) -> str:
    from kg.viz import script_json

    start = html.index("const DATA = ") + len("const DATA = ")
    end = html.index(";\n(function", start)
    return html[:start] + script_json(data) + html[end:]


def variants(full: Path, aggregate: Path, out: Path) -> dict[str, dict[str, Path]]:
    """The full pages with stabilisation limited, and with positions precomputed (physics off)."""
    out.mkdir(parents=True, exist_ok=True)
    pages: dict[str, dict[str, Path]] = {"limited": {}, "precomputed": {}}
    # responsibility network: 50 iterations; and the aggregate's positions, every document shown
    html, data = page_data(full / "responsibility-network.html")
    limited = json.loads(json.dumps(data))
    limited["options"]["physics"]["stabilization"]["iterations"] = 50
    pages["limited"]["responsibility-network"] = out / "limited-responsibility-network.html"
    pages["limited"]["responsibility-network"].write_text(with_data(html, limited), encoding="utf-8")
    _, agg = page_data(aggregate / "responsibility-network.html")
    at = {n["id"]: (n["x"], n["y"]) for n in agg["nodes"]}
    for group in agg["groups"].values():
        at.update({n["id"]: (n["x"], n["y"]) for n in group["nodes"]})
    fixed = json.loads(json.dumps(data))
    fixed["options"]["physics"] = {"enabled": False}
    for node in fixed["nodes"]:
        node["x"], node["y"] = at[node["id"]]
    pages["precomputed"]["responsibility-network"] = out / "precomputed-responsibility-network.html"
    pages["precomputed"]["responsibility-network"].write_text(with_data(html, fixed), encoding="utf-8")
    # policy hierarchy: layers (x by level), nodes in each layer in order (y), vis-network's layout off
    html, data = page_data(full / "policy-hierarchy.html")
    layered = json.loads(json.dumps(data))
    del layered["options"]["layout"]
    rows: dict[int, int] = {}
    for node in layered["nodes"]:
        level = node.get("level", 0)
        node["x"], node["y"] = 230 * level, 40 * rows.get(level, 0)
        rows[level] = rows.get(level, 0) + 1
    pages["precomputed"]["policy-hierarchy"] = out / "precomputed-policy-hierarchy.html"
    pages["precomputed"]["policy-hierarchy"].write_text(with_data(html, layered), encoding="utf-8")
    return pages


def one_document(browser, folder: Path, runs: int) -> int:
    print(f"one document ({folder}): time to interactive in headless {browser.version}, median of {runs} loads:")
    results = {}
    for view in VIEWS:
        path = folder / f"{view}.html"
        if not path.exists():
            print(f"{path} not found: run `make run` first", file=sys.stderr)
            return 2
        ready, median, low, high = measure(browser, path, runs)
        results[view] = median
        print(f"  {view:<24} {median * 1000:7.0f} ms  (min {low * 1000:.0f}, max {high * 1000:.0f}; "
              f"drawn at rest {ready * 1000:.0f} ms)")
    goal = results["responsibility-network"] <= 3.0
    print(f"responsibility network interactive in {results['responsibility-network']:.2f} s "
          f"(goal <= 3 s: {'met' if goal else 'MISSED'})")
    return 0


def store_views(browser, documents: int, runs: int, full_runs: int, store: Path | None, tmp: Path) -> None:
    from kg.query import open_engine
    from kg.viz import build_pages
    from synthetic import variants as synthetic_variants

    if store is None or not store.exists():
        store = store or tmp / "store"
        synthetic_variants(documents, tmp / "corpus")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "build", str(tmp / "corpus"), "--store", str(store)],
                       check=True, capture_output=True)
        print(f"built {documents} synthetic documents into a store in {time.perf_counter() - start:.0f} s")
    engine = open_engine([], store=store)
    written = {}
    for scale in ("full", "aggregate"):
        start = time.perf_counter()
        pages = build_pages(engine, source=str(store), scale=scale)
        written[scale] = tmp / scale
        written[scale].mkdir(exist_ok=True)
        for page in pages:
            (written[scale] / f"{page.name}.html").write_text(page.html, encoding="utf-8")
        print(f"pages written ({scale}) in {time.perf_counter() - start:.1f} s")
    more = variants(written["full"], written["aggregate"], tmp / "variants")
    rows = [("full, as before", {v: written["full"] / f"{v}.html" for v in VIEWS}),
            ("full, stabilisation 50 iterations", more["limited"]),
            ("full, layout precomputed, physics off", more["precomputed"]),
            ("aggregate (viz --store now)", {v: written["aggregate"] / f"{v}.html" for v in VIEWS})]
    print(f"{documents}-document store: time to interactive (ms from navigation; median of {runs} loads, "
          f"{full_runs} of the full pages as before; min-max; in brackets: nodes drawn at first)")
    print(f"  {'':<40}" + "".join(f"{v:>34}" for v in VIEWS))
    results = {}
    for name, paths in rows:
        cells = []
        for view in VIEWS:
            if view not in paths:
                cells.append(f"{'—':>34}")
                continue
            _, data = page_data(paths[view])
            ready, median, low, high = measure(browser, paths[view], full_runs if name.startswith("full, as") else runs)
            results[name, view] = median
            cells.append(f"{median * 1000:>8.0f} ({low * 1000:.0f}-{high * 1000:.0f}) [{len(data['nodes'])}]".rjust(34))
        print(f"  {name:<40}" + "".join(cells), flush=True)
    for view in ("responsibility-network", "policy-hierarchy"):
        spent = statistics.median(expand_time(browser, written["aggregate"] / f"{view}.html") for _ in range(runs))
        print(f"  aggregate {view}: a click on a document draws its items in {spent * 1000:.0f} ms")
    worst = max(results["aggregate (viz --store now)", v] for v in VIEWS)
    before = max(results["full, as before", v] for v in VIEWS)
    print(f"store views interactive within {worst:.2f} s (before: {before:.1f} s; "
          f"goal <= 3 s: {'met' if worst <= 3 else 'MISSED'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="loads of each one-document page")
    parser.add_argument("--dir", type=Path, default=ROOT / "visualizations")
    parser.add_argument("--documents", type=int, default=100, help="documents in the store (0: no store case)")
    parser.add_argument("--store-runs", type=int, default=3, help="loads of each store page")
    parser.add_argument("--full-runs", type=int, default=1, help="loads of each full store page as before (slow)")
    parser.add_argument("--store", type=Path, help="reuse this store (built here when it does not exist)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        if (args.dir / f"{VIEWS[0]}.html").exists():  # a first load (fonts, code caches) not counted
            time_to_interactive(browser, args.dir / f"{VIEWS[0]}.html")
        status = one_document(browser, args.dir, args.runs)
        if status == 0 and args.documents:
            store_views(browser, args.documents, args.store_runs, args.full_runs, args.store, Path(tmp))
        browser.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
