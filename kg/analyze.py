"""The responsibility network, analysed with networkx.

Everything here reads RDF through SPARQL (the query contract of the ontology), never parser
records, so it works on any graph that conforms to the policy-kg ontology.

The functions are pure: they take graphs and return numbers, in the style of networkx.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .errors import InputError
from .query import Engine

_PREFIXES = """
PREFIX pol: <https://w3id.org/policy-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""

TASKS = _PREFIXES + """
SELECT ?t ?number ?label ?areaNumber ?area ?period ?measures ?targets WHERE {
  {
    SELECT ?t (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?g) AS ?targets) WHERE {
      ?t a pol:KeyTask .
      OPTIONAL { ?t pol:hasMeasure ?m }
      OPTIONAL { ?t pol:hasTarget ?g }
    } GROUP BY ?t
  }
  ?t pol:number ?number ; rdfs:label ?label .
  FILTER (lang(?label) = "zh")
  OPTIONAL { ?t pol:area ?a . ?a skos:prefLabel ?area . OPTIONAL { ?a pol:number ?areaNumber } }
  OPTIONAL {
    SELECT DISTINCT ?t ?period WHERE { ?t pol:period ?p . ?p rdfs:label ?period . FILTER (lang(?period) = "zh") }
  }
}
"""

RESPONSIBILITIES = _PREFIXES + """
SELECT ?t ?u ?role WHERE {
  ?t a pol:KeyTask .
  { ?t pol:leadUnit ?u . BIND ("lead" AS ?role) } UNION { ?t pol:supportUnit ?u . BIND ("support" AS ?role) }
}
"""

# Each optional value comes from its own DISTINCT subquery: in a corpus store (union of the document graphs)
# a unit's triples appear once per document, and chained OPTIONALs would multiply those copies.
UNITS = _PREFIXES + """
SELECT ?u ?zh ?en ?classification WHERE {
  { SELECT DISTINCT ?u WHERE { ?u a org:Organization } }
  OPTIONAL { SELECT DISTINCT ?u ?zh WHERE { ?u a org:Organization ; rdfs:label ?zh . FILTER (lang(?zh) = "zh") } }
  OPTIONAL { SELECT DISTINCT ?u ?en WHERE { ?u a org:Organization ; rdfs:label ?en . FILTER (lang(?en) = "en") } }
  OPTIONAL {
    SELECT DISTINCT ?u ?classification WHERE {
      ?u a org:Organization ; org:classification ?c . BIND (REPLACE(STR(?c), "^.*[#/]", "") AS ?classification)
    }
  }
}
"""

ALIASES = _PREFIXES + """
SELECT DISTINCT ?u ?alias WHERE { ?u skos:altLabel ?alias . ?u a org:Organization . }
"""


def _val(term) -> str | None:
    return None if term is None else term.value


def responsibility_network(engine: Engine) -> nx.Graph:
    """The bipartite unit–task graph of a dataset.

    Nodes are IRIs; task nodes have ``kind="task"``, ``number``, ``label``, ``area``, ``period``,
    ``measures``, ``targets``; unit nodes have ``kind="unit"``, ``label`` (zh), ``label_en``,
    ``classification``, ``aliases``. Edges carry ``role`` (``lead`` or ``support``).

    >>> from kg.query import open_engine
    >>> B = responsibility_network(open_engine(["tests/data/mini.ttl"]))
    >>> sorted(d["label"] for _, d in B.nodes(data=True) if d["kind"] == "task"), B.number_of_edges()
    (['优化服务', '加大投资'], 5)
    >>> B.edges["https://example.org/id/b", "https://example.org/id/t1"]["role"]
    'lead'
    """
    graph = nx.Graph()
    tasks = engine.select(TASKS, source="responsibility network: tasks")
    for row in sorted(tasks.records(), key=lambda r: (r["t"])):
        graph.add_node(row["t"], kind="task", number=int(row["number"]), label=row["label"],
                       area=row["area"] or "", area_number=int(row["areaNumber"]) if row["areaNumber"] else 0,
                       period=row["period"] or "", measures=int(row["measures"]), targets=int(row["targets"]))
    units: dict[str, dict] = {}
    for row in engine.select(UNITS, source="responsibility network: units").records():
        units[row["u"]] = {"kind": "unit", "label": row["zh"] or row["u"], "label_en": row["en"] or "",
                           "classification": row["classification"] or ""}
    aliases = defaultdict(set)  # a corpus store gives the same alias once per document graph
    for row in engine.select(ALIASES, source="responsibility network: aliases").records():
        aliases[row["u"]].add(row["alias"])
    edges = sorted((r["u"], r["t"], r["role"]) for r in engine.select(RESPONSIBILITIES).records())
    for unit_iri, task_iri, role in edges:
        if unit_iri not in graph:
            attrs = units.get(unit_iri, {"kind": "unit", "label": unit_iri, "label_en": "", "classification": ""})
            graph.add_node(unit_iri, **attrs, aliases="; ".join(sorted(aliases.get(unit_iri, []))))
        if task_iri in graph:
            graph.add_edge(unit_iri, task_iri, role=role)
    return graph


def units_of(B: nx.Graph) -> list[str]:
    """Unit nodes, in a stable order (by label, then IRI)."""
    return sorted((n for n, d in B.nodes(data=True) if d["kind"] == "unit"),
                  key=lambda n: (B.nodes[n]["label"], n))


def tasks_of(B: nx.Graph) -> list[str]:
    """Task nodes, by number then IRI."""
    return sorted((n for n, d in B.nodes(data=True) if d["kind"] == "task"),
                  key=lambda n: (B.nodes[n]["number"], n))


def unit_projection(B: nx.Graph) -> nx.Graph:
    """Unit–unit co-responsibility graph: an edge for every pair sharing a task.

    ``weight`` is the number of shared tasks; ``distance`` is ``1 / weight``, so that
    shortest-path measures treat strongly linked units as close.

    >>> B = nx.Graph()
    >>> B.add_nodes_from(["t1", "t2"], kind="task", number=1)
    >>> B.add_nodes_from(["a", "b"], kind="unit", label="")
    >>> B.add_edges_from([("a", "t1"), ("b", "t1"), ("a", "t2"), ("b", "t2")], role="lead")
    >>> unit_projection(B).edges["a", "b"]
    {'weight': 2, 'distance': 0.5}
    """
    P = nx.Graph()
    for u in units_of(B):
        P.add_node(u, **{k: v for k, v in B.nodes[u].items()})
    for task in tasks_of(B):
        members = sorted(B.neighbors(task))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                w = P.edges[a, b]["weight"] + 1 if P.has_edge(a, b) else 1
                P.add_edge(a, b, weight=w, distance=1.0 / w)
    return P


def lead_support_graph(B: nx.Graph) -> nx.DiGraph:
    """Directed lead → support graph: an edge from each lead unit of a task to each supporting unit."""
    D = nx.DiGraph()
    for u in units_of(B):
        D.add_node(u, **B.nodes[u])
    for task in tasks_of(B):
        leads = sorted(u for u in B.neighbors(task) if B.edges[u, task]["role"] == "lead")
        supports = sorted(u for u in B.neighbors(task) if B.edges[u, task]["role"] == "support")
        for a in leads:
            for b in supports:
                w = D.edges[a, b]["weight"] + 1 if D.has_edge(a, b) else 1
                D.add_edge(a, b, weight=w)
    return D


def communities(P: nx.Graph, seed: int = 42) -> list[list[str]]:
    """Louvain communities of the unit projection, with a fixed seed: largest first, members sorted."""
    if P.number_of_edges() == 0:
        return [[n] for n in sorted(P)]
    found = nx.community.louvain_communities(P, weight="weight", seed=seed)
    groups = [sorted(c, key=lambda n: (P.nodes[n]["label"], n)) for c in found]
    return sorted(groups, key=lambda g: (-len(g), P.nodes[g[0]]["label"]))


@dataclass
class Analysis:
    """The figures of one dataset."""

    B: nx.Graph
    P: nx.Graph
    D: nx.DiGraph
    units: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    multi_lead_tasks: list[dict] = field(default_factory=list)

    def unit(self, name: str) -> dict:
        """One unit's figures, found by its Chinese or English name or an alias."""
        key = "".join(name.split())
        for row in self.units:
            names = [row["label"], row["label_en"], *[a for a in row["aliases"].split("; ") if a]]
            if key in {"".join(n.split()) for n in names} or key == row["iri"]:
                return row
        raise InputError(f"no unit named {name!r} in the graph (try a name from `policy-kg query lead-counts`)")

    def summary(self) -> dict:
        tasks = tasks_of(self.B)
        roles = Counter(d["role"] for _, _, d in self.B.edges(data=True))
        return {"key_tasks": len(tasks), "units": len(self.units), "lead_assignments": roles["lead"],
                "support_assignments": roles["support"], "co_responsibility_pairs": self.P.number_of_edges(),
                "communities": len(self.communities)}


def analyse(B: nx.Graph, seed: int = 42) -> Analysis:
    """Per-unit, per-area and per-pair figures of a responsibility network.

    >>> from kg.query import open_engine
    >>> a = analyse(responsibility_network(open_engine(["tests/data/mini.ttl"])))
    >>> bureau = a.unit("甲")  # an alias of 甲局
    >>> bureau["lead_task_numbers"], bureau["support_task_numbers"], bureau["co_lead_tasks"], bureau["partners"]
    ([1], [2], 1, 2)
    >>> a.pairs[0]
    {'unit_a': '丙办', 'unit_b': '甲局', 'shared_tasks': 2}
    """
    P = unit_projection(B)
    D = lead_support_graph(B)
    result = Analysis(B, P, D)
    result.communities = communities(P, seed)
    community_of = {n: i + 1 for i, group in enumerate(result.communities) for n in group}
    degree = nx.degree_centrality(P) if len(P) > 1 else {n: 0.0 for n in P}
    betweenness = nx.betweenness_centrality(P, weight="distance", normalized=True)
    eigenvector = _eigenvector(P)
    task_leads = {t: [u for u in B.neighbors(t) if B.edges[u, t]["role"] == "lead"] for t in tasks_of(B)}
    for u in units_of(B):
        d = B.nodes[u]
        led = sorted((t for t in B.neighbors(u) if B.edges[u, t]["role"] == "lead"), key=lambda t: B.nodes[t]["number"])
        supported = sorted((t for t in B.neighbors(u) if B.edges[u, t]["role"] == "support"),
                           key=lambda t: B.nodes[t]["number"])
        involved = led + supported
        result.units.append({
            "label": d["label"], "label_en": d["label_en"], "iri": u, "classification": d["classification"],
            "aliases": d.get("aliases", ""),
            "lead_tasks": len(led), "support_tasks": len(supported), "involved_tasks": len(involved),
            "lead_task_numbers": [B.nodes[t]["number"] for t in led],
            "support_task_numbers": [B.nodes[t]["number"] for t in supported],
            "led": [{"number": B.nodes[t]["number"], "title": B.nodes[t]["label"]} for t in led],
            "supported": [{"number": B.nodes[t]["number"], "title": B.nodes[t]["label"]} for t in supported],
            "measures_led": sum(B.nodes[t]["measures"] for t in led),
            "targets_led": sum(B.nodes[t]["targets"] for t in led),
            "co_lead_tasks": sum(1 for t in led if len(task_leads[t]) > 1),
            "partners": P.degree(u),
            "shared_task_links": P.degree(u, weight="weight"),
            "areas": len({B.nodes[t]["area"] for t in involved}),
            "degree_centrality": round(degree.get(u, 0.0), 6),
            "betweenness_centrality": round(betweenness.get(u, 0.0), 6),
            "eigenvector_centrality": round(eigenvector.get(u, 0.0), 6),
            "community": community_of.get(u, 0),
        })
    result.units.sort(key=lambda r: (-r["lead_tasks"], -r["involved_tasks"], r["label"], r["iri"]))
    pairs = []
    for a, b, w in P.edges(data="weight"):
        first, second = sorted((P.nodes[a]["label"], P.nodes[b]["label"]))
        pairs.append({"unit_a": first, "unit_b": second, "shared_tasks": w})
    result.pairs = sorted(pairs, key=lambda r: (-r["shared_tasks"], r["unit_a"], r["unit_b"]))
    result.multi_lead_tasks = [
        {"number": B.nodes[t]["number"], "task": B.nodes[t]["label"],
         "lead_units": sorted(B.nodes[u]["label"] for u in leads)}
        for t, leads in task_leads.items() if len(leads) > 1]
    result.areas = _areas(B)
    return result


def _eigenvector(P: nx.Graph) -> dict:
    if P.number_of_edges() == 0:
        return {}
    try:
        return nx.eigenvector_centrality(P, weight="weight", max_iter=10000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - only on pathological graphs
        return nx.eigenvector_centrality_numpy(P, weight="weight")


def _areas(B: nx.Graph) -> list[dict]:
    by_area: dict[tuple[int, str], list[str]] = defaultdict(list)
    for t in tasks_of(B):
        by_area[(B.nodes[t]["area_number"], B.nodes[t]["area"])].append(t)
    areas_of_unit: dict[str, set] = defaultdict(set)
    for t in tasks_of(B):
        for u in B.neighbors(t):
            areas_of_unit[u].add(B.nodes[t]["area"])
    rows = []
    for (number, name), tasks in sorted(by_area.items()):
        units = {u for t in tasks for u in B.neighbors(t)}
        leads = Counter(B.nodes[u]["label"] for t in tasks for u in B.neighbors(t) if B.edges[u, t]["role"] == "lead")
        rows.append({
            "number": number, "area": name, "key_tasks": len(tasks),
            "measures": sum(B.nodes[t]["measures"] for t in tasks),
            "targets": sum(B.nodes[t]["targets"] for t in tasks),
            "units_involved": len(units),
            "lead_load": dict(sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))),
            "bridging_units": sorted(B.nodes[u]["label"] for u in units if len(areas_of_unit[u]) > 1),
        })
    return rows
