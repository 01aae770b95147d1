"""Outputs of the network analysis: a Markdown report, JSON, CSV tables, GraphML and GEXF.

Names and titles from the graph are data: escaped in Markdown (:func:`kg.escape.markdown_text`), written as text
in the CSV tables (:func:`kg.escape.csv_cell`).
"""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx

from .analyze import Analysis
from .escape import csv_cell, markdown_code, markdown_text

UNIT_COLUMNS = ["label", "label_en", "classification", "lead_tasks", "support_tasks", "responsible_tasks",
                "involved_tasks", "lead_task_numbers", "support_task_numbers", "responsible_task_numbers",
                "measures_led", "targets_led", "co_lead_tasks", "partners", "shared_task_links", "areas",
                "degree_centrality", "betweenness_centrality", "eigenvector_centrality", "community"]
# not in the figures aggregated in a store
TASK_LISTS = ["lead_task_numbers", "support_task_numbers", "responsible_task_numbers"]
RESPONSIBLE = ["responsible_tasks", "responsible_task_numbers"]  # in the tables only where some unit holds an item jointly
ITEM_LISTS = ["led", "supported", "responsible_for"]
AREA_COLUMNS = ["number", "area", "key_tasks", "measures", "targets", "units_involved", "lead_load", "bridging_units"]


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    """A Markdown table: our own headers, cells of data escaped."""
    return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers),
            *("| " + " | ".join(markdown_text(v) for v in row) + " |" for row in rows)]


def _noun(a: Analysis) -> str:
    """What the report calls the items: Wenzhou's are all key tasks (重点工作)."""
    return "key task" if a.key_tasks_only else "item"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    """A Markdown table, or "- none" when there is no row."""
    return _md_table(headers, rows) if rows else ["- none"]


def unit_answer(a: Analysis, name: str) -> str:
    """What one unit leads, supports and holds jointly, in a few lines of Markdown."""
    u, noun = a.unit(name), _noun(a)
    title = markdown_text(u["label"] + (f" ({u['label_en']})" if u["label_en"] else ""))

    def items(key: str) -> str:
        if a.B is None:  # aggregated in a store: counts only; the items themselves come from a query
            return ""
        return ": " + ("; ".join(markdown_text(f"{t['number']} {t['title']}") for t in u[key]) or "none")

    # said only where there is something to say: in a store, documents without areas or key tasks sit beside others
    areas = f" across {u['areas']} policy area(s)" if a.areas and u["areas"] else ""
    sizes = (f"; under the tasks it leads: {u['measures_led']} measures, {u['targets_led']} targets"
             if a.totals["key_tasks"] and (u["measures_led"] or u["targets_led"]) else "")
    return "\n".join([
        f"## {title}",
        "",
        f"- leads {u['lead_tasks']} {noun}(s){items('led')}",
        f"- supports {u['support_tasks']} {noun}(s){items('supported')}",
        *([f"- jointly responsible for {u['responsible_tasks']} {noun}(s){items('responsible_for')}"]
          if a.has_responsible else []),
        f"- involved in {u['involved_tasks']} {noun}(s){areas}{sizes}",
        f"- co-lead {'tasks' if a.key_tasks_only else 'items'}: {u['co_lead_tasks']}; partner units: {u['partners']}",
        f"- centrality: degree {u['degree_centrality']:.3f}, betweenness {u['betweenness_centrality']:.3f}, "
        f"eigenvector {u['eigenvector_centrality']:.3f}; community {u['community']}",
        *([f"- the {noun}s themselves: policy-kg query unit-tasks --param unit={markdown_text(u['label'])} --store DIR"]
          if a.B is None else []),
    ]) + "\n"


def unit_documents(rows: list[dict]) -> str:
    """The documents a unit has items in (rows of the ``unit-documents`` query), as a Markdown table."""
    rows = [[r["document"], r["number"] or "", r["jurisdiction"] or "", r["leadItems"], r["supportItems"],
             r["responsibleItems"]] for r in rows]
    return "\n".join(["", *_table(["document", "number", "jurisdiction", "leads", "supports", "jointly responsible"],
                                   rows)]) + "\n"


def _assignments(s: dict) -> str:
    if not s["responsible_assignments"]:
        return f"{s['lead_assignments']} lead and {s['support_assignments']} support assignments"
    return (f"{s['lead_assignments']} lead, {s['support_assignments']} support and {s['responsible_assignments']} "
            "jointly responsible assignments")


def markdown_report(a: Analysis, source: str = "graph", top: int = 15) -> str:
    s = a.summary()
    label = {n: d["label"] for n, d in a.P.nodes(data=True)}
    numbers = a.B is not None  # aggregated in a store, the many documents' item numbers are not listed
    noun, joint, sizes, areas = _noun(a), a.has_responsible, a.totals["key_tasks"] > 0, bool(a.areas)
    lines = [
        "# Responsibility network analysis",
        "",
        f"Source: {markdown_code(source)} — {s['items']} {noun}s, {s['units']} responsible units, {_assignments(s)}, "
        f"{s['co_responsibility_pairs']} pairs of units sharing {'tasks' if a.key_tasks_only else 'items'}, "
        f"{s['communities']} communities."
        + ("" if numbers else " Counted in the store (SPARQL aggregates), then analysed with networkx.")
        + (" Jointly responsible units (pol:responsibleUnit) are those of items that name no lead: they count "
           "as involved, not as leads." if joint else ""),
        "",
        f"## Who leads the most {noun}s",
        "",
        *_table(["unit", "leads", "supports", *(["jointly"] if joint else []), "involved",
                 *(["measures led", "targets led"] if sizes else []), *([f"{noun}s led"] if numbers else [])],
                [[u["label"], u["lead_tasks"], u["support_tasks"], *([u["responsible_tasks"]] if joint else []),
                  u["involved_tasks"], *([u["measures_led"], u["targets_led"]] if sizes else []),
                  *([" ".join(map(str, u["lead_task_numbers"]))] if numbers else [])]
                 for u in a.units if u["lead_tasks"]][:top]),
        "",
        f"## Who is involved in the most {noun}s",
        "",
        *_table(["unit", "involved", "leads", "supports", *(["jointly"] if joint else []), "partners",
                 *(["areas"] if areas else [])],
                [[u["label"], u["involved_tasks"], u["lead_tasks"], u["support_tasks"],
                  *([u["responsible_tasks"]] if joint else []), u["partners"], *([u["areas"]] if areas else [])]
                 for u in sorted(a.units, key=lambda u: (-u["involved_tasks"], -u["lead_tasks"], u["label"]))][:top]),
        "",
        f"## {noun.capitalize()}s with more than one lead unit",
        "",
        *([f"- {markdown_text(t['number'])} {markdown_text(t['task'])}: {markdown_text('、'.join(t['lead_units']))}"
            for t in a.multi_lead_tasks] or ["- none"]),
        "",
        f"## Strongest co-responsibility (units sharing the most {noun}s)",
        "",
        *_table(["unit A", "unit B", f"shared {noun}s"],
                [[p["unit_a"], p["unit_b"], p["shared_tasks"]] for p in a.pairs[:top]]),
        "",
        "## Who is central",
        "",
        f"Betweenness treats a link's length as 1 / shared {'tasks' if a.key_tasks_only else 'items'} (units that "
        f"share more are closer); eigenvector centrality weighs links by shared {'tasks' if a.key_tasks_only else 'items'}.",
        "",
        *_table(["unit", "betweenness", "eigenvector", "degree", "partners"],
                [[u["label"], f"{u['betweenness_centrality']:.3f}", f"{u['eigenvector_centrality']:.3f}",
                  f"{u['degree_centrality']:.3f}", u["partners"]]
                 for u in sorted(a.units, key=lambda u: (-u["betweenness_centrality"], u["label"]))][:10]),
        "",
        "## Communities (Louvain, fixed seed)",
        "",
        *([f"{i}. {len(g)} units: {markdown_text('、'.join(label[n] for n in g))}"
           for i, g in enumerate(a.communities, 1)]
          or ["- none"]),
        *(["",
           "## Units that bridge policy areas",
           "",
           *_md_table(["unit", "areas", "involved", "betweenness"],
                      [[u["label"], u["areas"], u["involved_tasks"], f"{u['betweenness_centrality']:.3f}"]
                       for u in sorted(a.units, key=lambda u: (-u["areas"], -u["betweenness_centrality"], u["label"]))
                       if u["areas"] > 1][:top]),
           "",
           "## Policy areas",
           "",
           *_md_table(["#", "area", "key tasks", "measures", "targets", "units", "lead load"],
                      [[r["number"], r["area"], r["key_tasks"], r["measures"], r["targets"], r["units_involved"],
                        "、".join(f"{k} {v}" for k, v in r["lead_load"].items())] for r in a.areas])]
          if areas else []),
        "",
        f"## Who coordinates whom (lead → support, by shared {noun}s)",
        "",
        *_table(["lead unit", "supporting unit", f"{noun}s"],
                [[label[x], label[y], w] for x, y, w in
                 sorted(a.D.edges(data="weight"), key=lambda e: (-e[2], label[e[0]], label[e[1]]))][:top]),
    ]
    return "\n".join(lines) + "\n"


def to_json(a: Analysis) -> str:
    doc = {
        "summary": a.summary(),
        "units": [{k: u[k] for k in ["label", "label_en", "iri", "classification", "aliases", *UNIT_COLUMNS[3:],
                                     *ITEM_LISTS] if k in u} for u in a.units],
        "areas": a.areas,
        "pairs": a.pairs,
        "multi_lead_tasks": a.multi_lead_tasks,
        "communities": [[a.P.nodes[n]["label"] for n in g] for g in a.communities],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _csv(rows: list[dict], columns: list[str]) -> str:
    """A CSV table of *rows* in *columns*, lists joined in a cell; text never a formula (:func:`csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = []
        for c in columns:
            v = row[c]
            if isinstance(v, list):
                v = " ".join(map(str, v)) if all(isinstance(x, int) for x in v) else "、".join(map(str, v))
            elif isinstance(v, dict):
                v = "、".join(f"{k} {n}" for k, n in v.items())
            values.append(csv_cell(v))
        writer.writerow(values)
    return out.getvalue()


def unit_columns(a: Analysis) -> list[str]:
    """The per-unit table's columns: without the item numbers when the figures were aggregated in a store, and
    with the jointly responsible ones only where some unit is jointly responsible for an item."""
    left_out = (TASK_LISTS if a.B is None else []) + ([] if a.has_responsible else RESPONSIBLE)
    return [c for c in UNIT_COLUMNS if c not in left_out]


def units_csv(a: Analysis) -> str:
    return _csv(a.units, unit_columns(a))


def areas_csv(a: Analysis) -> str:
    return _csv(a.areas, AREA_COLUMNS)


def pairs_csv(a: Analysis) -> str:
    return _csv(a.pairs, ["unit_a", "unit_b", "shared_tasks"])


def graphml(G: nx.Graph) -> bytes:
    return ("\n".join(nx.generate_graphml(G, prettyprint=True)) + "\n").encode("utf-8")


def gexf(G: nx.Graph) -> bytes:
    """GEXF for Gephi, without the writer's "last modified" date, so the same graph gives the same bytes."""
    text = "\n".join(nx.generate_gexf(G, prettyprint=True)) + "\n"
    return re.sub(r'<meta lastmodifieddate="[^"]*">', "<meta>", text, count=1).encode("utf-8")


def analysis_files(a: Analysis, source: str) -> dict[str, bytes]:
    """Every analysis output, by file name: report, tables, networks for Gephi, plots."""
    from .plots import lead_involvement_chart, unit_area_heatmap

    files = {
        "analysis.md": markdown_report(a, source).encode(),
        "analysis.json": to_json(a).encode(),
        "units.csv": units_csv(a).encode(),
        "areas.csv": areas_csv(a).encode(),
        "co-responsibility.csv": pairs_csv(a).encode(),
        "unit-task.graphml": graphml(a.B) if a.B is not None else None,
        "unit-task.gexf": gexf(a.B) if a.B is not None else None,
        "unit-unit.graphml": graphml(a.P),
        "unit-unit.gexf": gexf(a.P),
        "lead-support.graphml": graphml(a.D),
        "lead-support.gexf": gexf(a.D),
        "lead-involvement.png": lead_involvement_chart(a),
        "unit-area-heatmap.png": unit_area_heatmap(a),
    }
    return {name: data for name, data in files.items() if data is not None}  # no unit-task graph from a store
