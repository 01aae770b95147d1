"""The responsibility network, analysed with networkx.

Everything here reads RDF through SPARQL (the query contract of the ontology), never parser
records, so it works on any graph that conforms to the policy-kg ontology. An item is whatever
carries responsibility (the subjects of pol:leadUnit, pol:supportUnit and pol:responsibleUnit):
Wenzhou's key tasks, or the measures and table rows of other documents; a unit leads it, supports
it, or is jointly responsible for it where the document names no lead.

The functions are pure: they take graphs and return numbers, in the style of networkx.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .errors import InputError
from .query import Engine, sparql_prefixes

_PREFIXES = "\n" + sparql_prefixes("pol", "rdfs", "skos", "org")

# the items: subjects of the three responsibility properties, whatever their class
ITEM = "{ SELECT DISTINCT ?t WHERE { ?t pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?anyUnit } }"

TASKS = _PREFIXES + """
SELECT ?t ?number ?path ?label ?keyTask ?line ?deadline ?areaNumber ?area ?period ?measures ?targets WHERE {
  {
    SELECT ?t (MIN(?l) AS ?line) (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?g) AS ?targets) WHERE {
      """ + ITEM + """
      ?t pol:sourceLine ?l .
      OPTIONAL { ?t pol:hasMeasure ?m }
      OPTIONAL { ?t pol:hasTarget ?g }
    } GROUP BY ?t HAVING (COUNT(?l) > 0)
  }
  ?t pol:number ?number ; rdfs:label ?label .
  FILTER (lang(?label) = "zh")
  BIND (EXISTS { ?t a pol:KeyTask } AS ?keyTask)
  OPTIONAL { ?t pol:numberPath ?path }
  OPTIONAL { ?t pol:deadline ?deadline }
  OPTIONAL { ?t pol:area ?a . ?a skos:prefLabel ?area . OPTIONAL { ?a pol:number ?areaNumber } }
  OPTIONAL {
    SELECT DISTINCT ?t ?period WHERE { ?t pol:period ?p . ?p rdfs:label ?period . FILTER (lang(?period) = "zh") }
  }
}
"""

ROLES = ("lead", "support", "responsible")
RESPONSIBILITIES = _PREFIXES + """
SELECT ?t ?u ?role WHERE {
  { ?t pol:leadUnit ?u . BIND ("lead" AS ?role) } UNION { ?t pol:supportUnit ?u . BIND ("support" AS ?role) }
  UNION { ?t pol:responsibleUnit ?u . BIND ("responsible" AS ?role) }
}
"""

# One row per unit and fact, DISTINCT: in a corpus store (the union of the document graphs) a unit's
# triples appear once per document; joining its facts in SPARQL would multiply those copies.
UNIT_FACTS = _PREFIXES + """
SELECT DISTINCT ?u ?key ?value WHERE {
  { SELECT DISTINCT ?u WHERE { ?u a org:Organization } }
  { ?u rdfs:label ?value . BIND (lang(?value) AS ?key) }
  UNION { ?u org:classification ?c . BIND ("classification" AS ?key) BIND (REPLACE(STR(?c), "^.*[#/]", "") AS ?value) }
  UNION { ?u skos:altLabel ?value . BIND ("alias" AS ?key) }
}
"""


def responsibility_network(engine: Engine) -> nx.Graph:
    """The bipartite unit–item graph of a dataset.

    Nodes are IRIs; item nodes have ``kind="task"``, ``number``, ``path`` (the number path as written,
    e.g. 二/（三）), ``label``, ``key_task`` (a pol:KeyTask), ``line`` (first source line), ``deadline``,
    ``area``, ``period``, ``measures``, ``targets`` ("" or 0 where the item has none); unit nodes have
    ``kind="unit"``, ``label`` (zh), ``label_en``, ``classification``, ``aliases``. Edges carry ``role``
    (``lead``, ``support`` or ``responsible``).

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
        number = int(row["number"])
        graph.add_node(row["t"], kind="task", number=number, path=row["path"] or "", label=row["label"],
                       key_task=row["keyTask"] == "true", line=int(row["line"]), deadline=row["deadline"] or "",
                       area=row["area"] or "", area_number=int(row["areaNumber"]) if row["areaNumber"] else 0,
                       period=row["period"] or "", measures=int(row["measures"]), targets=int(row["targets"]))
    units = unit_attributes(engine)
    edges = sorted((r["u"], r["t"], r["role"]) for r in engine.select(RESPONSIBILITIES).records())
    for unit_iri, task_iri, role in edges:
        if unit_iri not in graph:
            graph.add_node(unit_iri, **units.get(unit_iri, _unnamed(unit_iri)))
        if task_iri in graph:
            graph.add_edge(unit_iri, task_iri, role=role)
    return graph


def units_of(B: nx.Graph) -> list[str]:
    """Unit nodes, in a stable order (by label, then IRI)."""
    return sorted((n for n, d in B.nodes(data=True) if d["kind"] == "unit"),
                  key=lambda n: (B.nodes[n]["label"], n))


def tasks_of(B: nx.Graph) -> list[str]:
    """Item nodes in document order: by first source line, number, then IRI."""
    return sorted((n for n, d in B.nodes(data=True) if d["kind"] == "task"), key=lambda n: _order(B.nodes[n], n))


def ref(d: dict) -> str | int:
    """How an item is referred to: its number path as written (二/（三）), else its number (Wenzhou's key tasks)."""
    return d.get("path") or d["number"]


def _order(d: dict, iri: str) -> tuple:
    return d.get("line", 0), d["number"], iri


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
    shared: Counter = Counter()
    for task in tasks_of(B):
        members = sorted(B.neighbors(task))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                shared[a, b] += 1
    return _unit_graph(nx.Graph(), B.nodes, units_of(B), shared, with_distance=True)


def _unit_graph(G, attrs, units: list[str], weights: Counter, with_distance: bool = False):
    """*G* with the *units* as nodes (attributes ``attrs[unit]``) and weighted edges, both in a fixed order,
    so that Louvain and the centralities give the same answer however the weights were counted."""
    for u in units:
        G.add_node(u, **attrs[u])
    for (a, b), w in sorted(weights.items()):
        G.add_edge(a, b, weight=w, **({"distance": 1.0 / w} if with_distance else {}))
    return G


def lead_support_graph(B: nx.Graph) -> nx.DiGraph:
    """Directed lead → support graph: an edge from each lead unit of a task to each supporting unit."""
    pairs: Counter = Counter()
    for task in tasks_of(B):
        leads = sorted(u for u in B.neighbors(task) if B.edges[u, task]["role"] == "lead")
        supports = sorted(u for u in B.neighbors(task) if B.edges[u, task]["role"] == "support")
        for a in leads:
            for b in supports:
                pairs[a, b] += 1
    return _unit_graph(nx.DiGraph(), B.nodes, units_of(B), pairs)


def communities(P: nx.Graph, seed: int = 42) -> list[list[str]]:
    """Louvain communities of the unit projection, with a fixed seed: largest first, members sorted."""
    if P.number_of_edges() == 0:
        return [[n] for n in sorted(P)]
    found = nx.community.louvain_communities(P, weight="weight", seed=seed)
    groups = [sorted(c, key=lambda n: (P.nodes[n]["label"], n)) for c in found]
    return sorted(groups, key=lambda g: (-len(g), P.nodes[g[0]]["label"]))


@dataclass
class Analysis:
    """The figures of one dataset.

    ``B`` is the unit–task graph when the figures were computed from it (``analyse``), None when they
    were aggregated in the store first (``analyse_store``); the unit graphs ``P`` and ``D`` are always there.
    """

    B: nx.Graph | None
    P: nx.Graph
    D: nx.DiGraph
    units: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    multi_lead_tasks: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)  # items, key_tasks, lead/support/responsible_assignments
    unit_areas: dict = field(default_factory=dict)  # (unit IRI, policy area) -> [items involved, led]

    def unit(self, name: str) -> dict:
        """One unit's figures, found by its Chinese or English name or an alias."""
        key = "".join(name.split())
        for row in self.units:
            names = [row["label"], row["label_en"], *[a for a in row["aliases"].split("; ") if a]]
            if key in {"".join(n.split()) for n in names} or key == row["iri"]:
                return row
        raise InputError(f"no unit named {name!r} in the graph (try a name from `policy-kg query lead-counts`)")

    def summary(self) -> dict:
        return {**self.totals, "units": len(self.units), "co_responsibility_pairs": self.P.number_of_edges(),
                "communities": len(self.communities)}

    @property
    def key_tasks_only(self) -> bool:
        """Every item is a key task (Wenzhou's task list): reports then say "key tasks", else "items"."""
        return self.totals["items"] > 0 and self.totals["key_tasks"] == self.totals["items"]

    @property
    def has_responsible(self) -> bool:
        """Some unit is jointly responsible (pol:responsibleUnit) for some item: tables get that column."""
        return self.totals["responsible_assignments"] > 0


# per role: (count, the items' numbers, the items themselves) among a unit's facts
ROLE_FACTS = {"lead": ("lead_tasks", "lead_task_numbers", "led"),
              "support": ("support_tasks", "support_task_numbers", "supported"),
              "responsible": ("responsible_tasks", "responsible_task_numbers", "responsible_for")}


def _unit_facts() -> dict:
    facts = {"measures_led": 0, "targets_led": 0, "co_lead_tasks": 0, "areas": set()}
    for count, numbers, items in ROLE_FACTS.values():
        facts.update({count: 0, numbers: [], items: []})
    return facts


def _totals() -> dict:
    return {"items": 0, "key_tasks": 0, "lead_assignments": 0, "support_assignments": 0, "responsible_assignments": 0}


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
    tasks = tasks_of(B)
    task_leads = {t: [u for u in B.neighbors(t) if B.edges[u, t]["role"] == "lead"] for t in tasks}
    facts = {}
    unit_areas: dict = defaultdict(lambda: [0, 0])
    for u in units_of(B):
        f = facts[u] = _unit_facts()
        for t in sorted(B.neighbors(u), key=lambda t: _order(B.nodes[t], t)):
            d, role = B.nodes[t], B.edges[u, t]["role"]
            count, numbers, items = ROLE_FACTS[role]
            f[count] += 1
            f[numbers].append(ref(d))
            f[items].append({"number": ref(d), "title": d["label"]})
            if d["area"]:
                f["areas"].add(d["area"])
                unit_areas[u, d["area"]][0] += 1
            if role == "lead":
                f["measures_led"] += d["measures"]
                f["targets_led"] += d["targets"]
                f["co_lead_tasks"] += len(task_leads[t]) > 1
                if d["area"]:
                    unit_areas[u, d["area"]][1] += 1
    areas: dict = {}
    for t in tasks:
        d = B.nodes[t]
        if d["area"]:
            row = areas.setdefault((d["area_number"], d["area"]), {"key_tasks": 0, "measures": 0, "targets": 0})
            row["key_tasks"] += 1
            row["measures"] += d["measures"]
            row["targets"] += d["targets"]
    roles = Counter(role for _, _, role in B.edges(data="role"))
    totals = {**_totals(), "items": len(tasks), "key_tasks": sum(B.nodes[t]["key_task"] for t in tasks),
              **{f"{role}_assignments": roles[role] for role in ROLES}}
    multi_lead = [{"number": ref(B.nodes[t]), "task": B.nodes[t]["label"],
                   "lead_units": sorted(B.nodes[u]["label"] for u in leads)}
                  for t, leads in task_leads.items() if len(leads) > 1]
    return _analysis(B, unit_projection(B), lead_support_graph(B), facts, areas, dict(unit_areas), totals,
                     multi_lead, seed)


# Aggregates for a store (a corpus of documents): every count is a GROUP BY in the store, so what comes
# back is bounded by the units and areas, not by the number of documents or items.
_TASK_SIZES = """
  { SELECT ?t (COUNT(DISTINCT ?m) AS ?measures) WHERE { """ + ITEM + """ OPTIONAL { ?t pol:hasMeasure ?m } }
    GROUP BY ?t }
  { SELECT ?t (COUNT(DISTINCT ?g) AS ?targets) WHERE { """ + ITEM + """ OPTIONAL { ?t pol:hasTarget ?g } }
    GROUP BY ?t }
  { SELECT ?t (IF(COUNT(DISTINCT ?l) > 1, 1, 0) AS ?coLead) WHERE { """ + ITEM + """ OPTIONAL { ?t pol:leadUnit ?l } }
    GROUP BY ?t }
  OPTIONAL { SELECT DISTINCT ?t ?area ?areaNumber WHERE {
      ?t pol:area ?a . ?a skos:prefLabel ?area . OPTIONAL { ?a pol:number ?areaNumber } } }
"""

UNIT_ROLE_FIGURES = _PREFIXES + """
SELECT ?u ?role ?area ?areaNumber (COUNT(?t) AS ?tasks) (SUM(?measures) AS ?measureCount)
       (SUM(?targets) AS ?targetCount) (SUM(?coLead) AS ?coLeadTasks) WHERE {
  { SELECT DISTINCT ?t ?u ?role WHERE {
      { ?t pol:leadUnit ?u . BIND ("lead" AS ?role) } UNION { ?t pol:supportUnit ?u . BIND ("support" AS ?role) }
      UNION { ?t pol:responsibleUnit ?u . BIND ("responsible" AS ?role) } } }
""" + _TASK_SIZES + """} GROUP BY ?u ?role ?area ?areaNumber HAVING (COUNT(?t) > 0)
"""

AREA_FIGURES = _PREFIXES + """
SELECT ?area ?areaNumber (COUNT(?t) AS ?tasks) (SUM(?keyTask) AS ?keyTasks) (SUM(?measures) AS ?measureCount)
       (SUM(?targets) AS ?targetCount)
WHERE {""" + _TASK_SIZES + """  BIND (IF(EXISTS { ?t a pol:KeyTask }, 1, 0) AS ?keyTask)
} GROUP BY ?area ?areaNumber HAVING (COUNT(?t) > 0)
"""

_UNITS_OF_ITEMS = "{ ?t pol:leadUnit ?%s } UNION { ?t pol:supportUnit ?%s } UNION { ?t pol:responsibleUnit ?%s }"
SHARED_TASKS = _PREFIXES + """
SELECT ?a ?b (COUNT(DISTINCT ?t) AS ?shared) WHERE {
  { SELECT DISTINCT ?t ?a WHERE { """ + _UNITS_OF_ITEMS % ("a", "a", "a") + """ } }
  { SELECT DISTINCT ?t ?b WHERE { """ + _UNITS_OF_ITEMS % ("b", "b", "b") + """ } }
  FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b HAVING (COUNT(?t) > 0)
"""

LEAD_SUPPORT = _PREFIXES + """
SELECT ?a ?b (COUNT(DISTINCT ?t) AS ?shared) WHERE { ?t pol:leadUnit ?a ; pol:supportUnit ?b }
GROUP BY ?a ?b HAVING (COUNT(?t) > 0)
"""

MULTI_LEAD = _PREFIXES + """
SELECT ?t ?number ?path ?line ?label ?lead WHERE {
  { SELECT ?t (MIN(?l) AS ?line) WHERE { ?t pol:leadUnit ?x ; pol:sourceLine ?l } GROUP BY ?t
    HAVING (COUNT(DISTINCT ?x) > 1) }
  ?t pol:number ?number ; rdfs:label ?label ; pol:leadUnit ?lead .
  OPTIONAL { ?t pol:numberPath ?path }
  FILTER (lang(?label) = "zh")
}
"""


def analyse_store(engine: Engine, seed: int = 42) -> Analysis:
    """The figures of a store, aggregated by SPARQL first; networkx then works on the unit graphs.

    For a corpus of many documents: the store counts (per unit, role and area; per pair of units; per
    area) and only those counts come back, so nothing here grows with the number of items. The figures
    equal ``analyse(responsibility_network(engine))``, without the per-item lists (``led``, item numbers),
    which name items that many documents share numbers with.

    >>> from kg.query import open_engine
    >>> a = analyse_store(open_engine(["tests/data/mini.ttl"]))
    >>> bureau = a.unit("甲")
    >>> bureau["lead_tasks"], bureau["support_tasks"], bureau["co_lead_tasks"], bureau["partners"], "led" in bureau
    (1, 1, 1, 2, False)
    """
    names = unit_attributes(engine)
    facts: dict = defaultdict(_unit_facts)
    unit_areas: dict = defaultdict(lambda: [0, 0])
    totals = _totals()
    for row in engine.select(UNIT_ROLE_FIGURES, source="analysis: units by role and area").records():
        u, role, area, tasks = row["u"], row["role"], row["area"] or "", int(row["tasks"])
        f = facts[u]
        f[ROLE_FACTS[role][0]] += tasks
        if area:
            f["areas"].add(area)
            unit_areas[u, area][0] += tasks
        totals[f"{role}_assignments"] += tasks
        if role == "lead":
            f["measures_led"] += int(row["measureCount"])
            f["targets_led"] += int(row["targetCount"])
            f["co_lead_tasks"] += int(row["coLeadTasks"])
            if area:
                unit_areas[u, area][1] += tasks
    areas = {}
    for row in engine.select(AREA_FIGURES, source="analysis: areas").records():
        totals["items"] += int(row["tasks"])
        totals["key_tasks"] += int(row["keyTasks"])
        if row["area"]:
            key = (int(row["areaNumber"]) if row["areaNumber"] else 0, row["area"])
            areas[key] = {"key_tasks": int(row["tasks"]), "measures": int(row["measureCount"]),
                          "targets": int(row["targetCount"])}
    attrs = {u: names.get(u) or _unnamed(u) for u in facts}
    units = sorted(facts, key=lambda u: (attrs[u]["label"], u))
    shared = Counter({(r["a"], r["b"]): int(r["shared"]) for r in engine.select(SHARED_TASKS).records()})
    coordinates = Counter({(r["a"], r["b"]): int(r["shared"]) for r in engine.select(LEAD_SUPPORT).records()})
    P = _unit_graph(nx.Graph(), attrs, units, shared, with_distance=True)
    D = _unit_graph(nx.DiGraph(), attrs, units, coordinates)
    leads_of: dict = defaultdict(list)
    for row in engine.select(MULTI_LEAD, source="analysis: items with several leads").records():
        number = int(row["number"])
        key = (int(row["line"]), number, row["t"], row["path"] or number, row["label"])
        leads_of[key].append(attrs[row["lead"]]["label"])
    multi_lead = [{"number": ref, "task": label, "lead_units": sorted(leads)}
                  for (_, _, _, ref, label), leads in sorted(leads_of.items())]
    return _analysis(None, P, D, dict(facts), areas, dict(unit_areas), totals, multi_lead, seed)


def unit_attributes(engine: Engine) -> dict[str, dict]:
    """Node attributes of every unit (org:Organization), by IRI: labels, classification, aliases.

    >>> from kg.query import open_engine
    >>> unit_attributes(open_engine(["tests/data/mini.ttl"]))["https://example.org/id/a"]["aliases"]
    '甲'
    """
    facts: dict = defaultdict(lambda: defaultdict(set))
    for row in engine.select(UNIT_FACTS, source="units").records():
        facts[row["u"]][row["key"]].add(row["value"])

    def first(values: set) -> str:
        return min(values) if values else ""

    return {u: {"kind": "unit", "label": first(f["zh"]) or u, "label_en": first(f["en"]),
                "classification": first(f["classification"]), "aliases": "; ".join(sorted(f["alias"]))}
            for u, f in sorted(facts.items())}


def _unnamed(iri: str) -> dict:
    return {"kind": "unit", "label": iri, "label_en": "", "classification": "", "aliases": ""}


def _analysis(B, P: nx.Graph, D: nx.DiGraph, facts: dict, areas: dict, unit_areas: dict, totals: dict,
              multi_lead: list[dict], seed: int) -> Analysis:
    """Centralities and communities of the unit graph, and the tables, from the counted facts."""
    result = Analysis(B, P, D, multi_lead_tasks=multi_lead, totals=totals, unit_areas=unit_areas)
    result.communities = communities(P, seed)
    community_of = {n: i + 1 for i, group in enumerate(result.communities) for n in group}
    degree = nx.degree_centrality(P) if len(P) > 1 else {n: 0.0 for n in P}
    betweenness = nx.betweenness_centrality(P, weight="distance", normalized=True)
    eigenvector = _eigenvector(P)
    for u in P:
        d, f = P.nodes[u], facts[u]
        result.units.append({
            "label": d["label"], "label_en": d["label_en"], "iri": u, "classification": d["classification"],
            "aliases": d.get("aliases", ""),
            "lead_tasks": f["lead_tasks"], "support_tasks": f["support_tasks"],
            "responsible_tasks": f["responsible_tasks"],
            "involved_tasks": f["lead_tasks"] + f["support_tasks"] + f["responsible_tasks"],
            **({} if B is None else {**{numbers: f[numbers] for _, numbers, _ in ROLE_FACTS.values()},
                                     **{items: f[items] for _, _, items in ROLE_FACTS.values()}}),
            "measures_led": f["measures_led"], "targets_led": f["targets_led"], "co_lead_tasks": f["co_lead_tasks"],
            "partners": P.degree(u),
            "shared_task_links": P.degree(u, weight="weight"),
            "areas": len(f["areas"]),
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
    result.areas = _areas(areas, facts, unit_areas, P)
    return result


def _eigenvector(P: nx.Graph) -> dict:
    if P.number_of_edges() == 0:
        return {}
    try:
        return nx.eigenvector_centrality(P, weight="weight", max_iter=10000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - only on pathological graphs
        return nx.eigenvector_centrality_numpy(P, weight="weight")


def _areas(areas: dict, facts: dict, unit_areas: dict, P: nx.Graph) -> list[dict]:
    """The per-area table: tasks, measures, targets, units involved, who leads how many, who bridges areas."""
    label = {u: P.nodes[u]["label"] for u in P}
    rows = []
    for (number, name), counts in sorted(areas.items()):
        involved = sorted(u for (u, area), (n, _) in unit_areas.items() if area == name and n)
        leads: Counter = Counter()
        for u in involved:
            leads[label[u]] += unit_areas[u, name][1]
        leads = +leads  # units that lead nothing here are left out
        rows.append({
            "number": number, "area": name, **counts,
            "units_involved": len(involved),
            "lead_load": dict(sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))),
            "bridging_units": sorted(label[u] for u in involved if len(facts[u]["areas"]) > 1),
        })
    return rows
