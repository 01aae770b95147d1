"""Interactive views of the knowledge graph: pyvis networks, rendered offline and safely.

pyvis builds the nodes, edges and options; the page comes from our own template, which inlines
vis-network (shipped inside pyvis) so that nothing is fetched from the web, and which puts data
into the page only as JSON (escaped for a <script> element) and into the DOM only as text:
a title carrying markup shows as characters.
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network

from .analyze import Analysis, analyse, ref, responsibility_network, tasks_of, units_of
from .query import Engine, sparql_prefixes
from .units import CLASSIFICATIONS

AREA_COLOURS = ("#d62728", "#2ca02c", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f")
_PALETTE = {
    "MunicipalDepartment": "#4e79a7", "PartyCommitteeDepartment": "#e15759", "CourtOrProcuratorate": "#76b7b2",
    "CentralGovernmentBranch": "#f28e2b", "StateOwnedEnterprise": "#59a14f", "MassOrganisation": "#edc948",
    "DistrictCountyGovernment": "#b07aa1", "PublicInstitution": "#9c755f",
}
# classification (local name of its pol: concept) → (colour, "中文 English" label from the gazetteer's table)
_MORE_COLOURS = ("#86bcb6", "#d37295", "#8cd17d", "#b6992d", "#499894", "#fabfd2", "#d4a6c8", "#79706e")
# classifications the palette does not name (a gazetteer's new kinds) take the next of _MORE_COLOURS, in table order
_extra = iter(_MORE_COLOURS * 4)
CLASS_COLOURS = {local: (_PALETTE.get(local) or next(_extra), f"{zh} {en}")
                 for local, zh, en in CLASSIFICATIONS.values()}
OTHER_CLASS = ("#bab0ac", "其他 other")
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", ' \
       '"WenQuanYi Micro Hei", sans-serif'
VIEWS = {
    "responsibility-network": "重点工作与责任单位 Key tasks and responsible units",
    "unit-network": "单位协作网络 Units sharing key tasks",
    "policy-hierarchy": "政策层级 Policy hierarchy",
}
# the titles where the items are not all key tasks (measures, table rows of other documents)
ITEM_VIEWS = {**VIEWS, "responsibility-network": "事项与责任单位 Items and responsible units",
              "unit-network": "单位协作网络 Units sharing items"}
JOINT_COLOUR = "#8e6bb8"  # jointly responsible (pol:responsibleUnit): edges, legend
PART_GROUP = "part:"  # filter group of the items under a top-level part (a section or table), by its IRI

_PREFIXES = "\n" + sparql_prefixes("pol", "rdfs", "eli", "vcard")
CONTACTS = _PREFIXES + """
SELECT ?t ?name ?tel WHERE { ?t pol:contact ?c . ?c vcard:fn ?name . OPTIONAL { ?c vcard:hasTelephone ?tel } }
ORDER BY ?t ?name ?tel
"""
HIERARCHY = _PREFIXES + """
SELECT DISTINCT ?text ?textTitle ?higher ?higherTitle WHERE {
  { SELECT DISTINCT ?text ?textTitle WHERE { ?text a pol:PolicyText ; eli:title ?textTitle } }
  OPTIONAL { { SELECT DISTINCT ?text ?higher ?higherTitle WHERE {
    ?text eli:ensures_implementation_of ?higher . ?higher eli:title ?higherTitle } } }
}
ORDER BY ?text ?higher
"""
# what each item, section and table is part of: the items' way up to their text
PARTS = _PREFIXES + """
SELECT DISTINCT ?part ?parent ?kind ?label ?path WHERE {
  { SELECT DISTINCT ?part ("item" AS ?kind) WHERE { ?part pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?u } }
  UNION { ?part a pol:Section . BIND ("section" AS ?kind) }
  UNION { ?part a pol:TaskList . BIND ("table" AS ?kind) }
  ?part eli:is_part_of ?parent .
  OPTIONAL { ?part rdfs:label ?label . FILTER (lang(?label) = "zh") }
  OPTIONAL { ?part pol:numberPath ?path }
}
ORDER BY ?part ?parent ?kind ?label ?path
"""
# the number of the document each text is the text of (温政办〔2023〕82号), where it has one
NUMBERS = _PREFIXES + """
SELECT DISTINCT ?text ?number WHERE { ?text a pol:PolicyText ; eli:is_part_of ?doc . ?doc eli:id_local ?number }
ORDER BY ?text ?number
"""
SCALES = ("auto", "full", "aggregate")
# what the items (and their targets and measures) cite, and the titles of documents; joined in Python, since on
# a store (a union of graphs, each title once per graph that states it) the join in SPARQL took minutes
CITES = _PREFIXES + """
SELECT DISTINCT ?t ?doc WHERE { { ?t pol:hasMeasure|pol:hasTarget ?part . ?part eli:cites ?doc } UNION { ?t eli:cites ?doc } }
ORDER BY ?t ?doc
"""
TITLES = _PREFIXES + """
SELECT DISTINCT ?doc ?title WHERE { ?doc eli:title ?title }
ORDER BY ?doc ?title
"""


@dataclass(frozen=True)
class Page:
    name: str  # file name without .html
    title: str
    description: str
    html: str


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no '</script>', no HTML comment, no U+2028.

    >>> script_json({"t": "</script><img src=x onerror=alert(1)>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("kg", "templates"), autoescape=True,
                              keep_trailing_newline=True)


def _options(physics: bool = True, hierarchical: bool = False) -> dict:
    options = {
        "nodes": {"font": {"face": FONT, "size": 14}, "borderWidth": 1},
        "edges": {"smooth": False, "color": {"inherit": False}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "multiselect": True},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True}},
    }
    if hierarchical:
        options["layout"] = {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                              "shakeTowards": "roots", "levelSeparation": 230, "nodeSpacing": 30,
                                              "parentCentralization": True}}
        options["physics"] = {"enabled": False}
    return options


def _render(net: Network, name: str, title: str, description: str, legend: list, filters: list,
            filter_title: str = "", groups: dict | None = None) -> Page:
    """The page. *groups*: document → the nodes and edges shown when that document is clicked (several
    documents: each drawn as one node until then)."""
    vis_js, vis_css = _assets()
    nodes, edges = net.nodes, net.edges  # in insertion order, which the views keep deterministic
    for i, edge in enumerate(edges):
        edge["id"] = i
    data = {"nodes": nodes, "edges": edges, "options": net.options, "legend": legend, "filters": filters,
            "filterTitle": filter_title}
    if groups:
        for k, group in enumerate(groups.values()):
            for i, edge in enumerate(group["edges"]):
                edge["id"] = f"{k}.{i}"
        data["groups"] = groups
    html = _env().get_template("network.html").render(
        title=title, description=description, vis_js=Markup(vis_js), vis_css=Markup(vis_css),
        data_json=Markup(script_json(data)))
    return Page(name, title, description, html)


def _group(below: Network, base: Network) -> dict:
    """What a click on a document adds to *base*: the nodes of *below* that *base* has not, and its edges."""
    return {"nodes": [n for n in below.nodes if n["id"] not in base.node_map], "edges": below.edges}


class _Network(Network):
    """pyvis's Network with the same nodes and edges, found in sets: pyvis looks each one up in its lists, which
    took 44 s for the 13,300 edges of a 100-document store."""

    def __init__(self, strict: bool = True, **kwargs):
        super().__init__(**kwargs)
        self._pairs: set[tuple] = set()
        self.strict = strict  # False: edges may end at nodes of another network (a group's, at the page's)

    def add_node(self, n_id, label=None, shape="dot", color="#97c2fc", **options):
        if n_id not in self.node_map:
            super().add_node(n_id, label=label, shape=shape, color=color, **options)

    def add_edge(self, source, to, **options):
        if self.strict:
            assert source in self.node_map, f"non existent node {source!r}"
            assert to in self.node_map, f"non existent node {to!r}"
        # as pyvis does for an undirected network (ours are): the first edge between two nodes, either way, stays
        if (source, to) in self._pairs or (to, source) in self._pairs:
            return
        self._pairs.add((source, to))
        self.edges.append(Edge(source, to, self.directed, **options).options)


def _network(options: dict, strict: bool = True) -> Network:
    net = _Network(strict=strict, directed=False, notebook=False, cdn_resources="local")
    net.options = options
    return net


class Views:
    """Every view of one dataset.

    Items are coloured and filtered by their policy area (pol:area, Wenzhou's 总体任务) where they have one,
    else by the top-level part of the document they are in (一、…, or the task table).
    """

    def __init__(self, engine: Engine, analysis: Analysis | None = None, scale: str = "auto"):
        """*scale*: ``full`` draws every item; ``aggregate`` draws each document as one node, its items shown
        on a click (the responsibility network, the policy hierarchy, unit pages); ``auto``, the default:
        aggregate where the data holds items of more than one document (a corpus store)."""
        if scale not in SCALES:
            raise ValueError(f"scale {scale!r} is not one of {', '.join(SCALES)}")
        self.engine = engine
        self.a = analysis or analyse(responsibility_network(engine))
        B = self.a.B
        self.noun = "重点工作" if self.a.key_tasks_only else "事项"
        self.units = {u["iri"]: u for u in self.a.units}
        self.parts: dict[str, dict] = {}  # IRI -> kind, label, path, parent (the first, where there are several)
        for row in engine.select(PARTS, source="views: parts").records():
            self.parts.setdefault(row["part"], {"kind": row["kind"], "label": row["label"] or "",
                                                "path": row["path"] or "", "parent": row["parent"]})
        # each item's group: its area, or the top-level part it is in (a filter and a colour)
        self.group_of: dict[str, str] = {}
        self.group_label: dict[str, str] = {}
        areas, tops = set(), {}
        for t in tasks_of(B):
            d = B.nodes[t]
            if d["area"]:
                areas.add((d["area_number"], d["area"]))
                self.group_of[t] = f"area:{d['area']}"
                self.group_label[f"area:{d['area']}"] = d["area"]
            else:  # the top-level part it is in, or its text where it stands in the running text
                chain = self.chain(t)
                group = PART_GROUP + (chain[-1] if chain else self.text_of(t) or "")
                self.group_of[t] = group
                self.group_label[group] = self.part_name(chain[-1]) if chain else "正文 main text"
                tops.setdefault(group, (d.get("line", 0), group))
        self.areas = [name for _, name in sorted(areas)]
        self.groups = [f"area:{a}" for a in self.areas] + sorted(tops, key=lambda g: tops[g])
        self.colour = {g: AREA_COLOURS[i % len(AREA_COLOURS)] for i, g in enumerate(self.groups)}
        self.area_colour = {a: self.colour[f"area:{a}"] for a in self.areas}
        self.contacts = {}
        for row in engine.select(CONTACTS, source="views: contacts").records():
            phone = (row["tel"] or "").removeprefix("tel:")
            self.contacts[row["t"]] = f"{row['name']} {phone}".strip()
        # the texts that hold items, by IRI, each with its items in document order
        self.documents: dict[str, list[str]] = {}
        for t in tasks_of(B):
            self.documents.setdefault(self.text_of(t) or "", []).append(t)
        self.documents = dict(sorted(self.documents.items()))
        self.aggregate = scale == "aggregate" or (scale == "auto" and len(self.documents) > 1)
        self.numbers: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        if self.aggregate:
            for row in engine.select(NUMBERS, source="views: document numbers").records():
                self.numbers.setdefault(row["text"], row["number"])
            for row in engine.select(HIERARCHY, source="views: hierarchy").records():
                self.titles.setdefault(row["text"], row["textTitle"])

    def chain(self, node: str) -> list[str]:
        """The sections, tables and items *node* is part of, nearest first, up to (not including) its text."""
        out, seen = [], {node}
        parent = self.parts.get(node, {}).get("parent")
        while parent in self.parts and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.parts[parent]["parent"]
        return out

    def text_of(self, node: str) -> str | None:
        """The policy text *node* is in: what its top-level part (or itself) is part of."""
        chain = self.chain(node)
        return self.parts.get(chain[-1] if chain else node, {}).get("parent")

    def part_name(self, part: str) -> str:
        """一 支持企业稳定发展; a table's title; a table's group by its name (its path is 表/<name>)."""
        p = self.parts[part]
        if p["kind"] != "section" or p["label"] in p["path"]:
            return p["label"] or p["path"]
        return f"{p['path']} {p['label']}".strip()

    def cited(self) -> list[dict]:
        """Rows t, doc, title: the documents each item, its targets and its measures cite, with their titles."""
        items = set(tasks_of(self.a.B))
        titles: dict[str, list[str]] = {}
        for row in self.engine.select(TITLES, source="views: titles").records():
            titles.setdefault(row["doc"], []).append(row["title"])
        rows = [{"t": row["t"], "doc": row["doc"], "title": title}
                for row in self.engine.select(CITES, source="views: cited documents").records()
                if row["t"] in items for title in titles.get(row["doc"], ())]
        return sorted(rows, key=lambda r: (r["t"], r["doc"], r["title"]))

    # -- tooltips (plain text; the page shows them as text) -------------------------------
    def task_title(self, t: str) -> str:
        B, d = self.a.B, self.a.B.nodes[t]
        roles = {role: [B.nodes[u]["label"] for u in sorted(B.neighbors(t)) if B.edges[u, t]["role"] == role]
                 for role in ("lead", "support", "responsible")}
        lines = [f"{'重点工作' if d['key_task'] else '事项'} {ref(d)}：{d['label']}"]
        if d["area"]:
            lines.append(f"总体任务：{d['area']}")
        elif self.group_of[t].startswith(PART_GROUP):
            lines.append(f"所在部分：{self.group_label[self.group_of[t]]}")
        if d["period"]:
            lines.append(f"实施阶段：{d['period']}")
        if d["key_task"] or d["targets"] or d["measures"]:
            lines.append(f"目标 {d['targets']} 项，落实举措 {d['measures']} 条")
        if roles["lead"] or roles["support"] or not roles["responsible"]:
            lines += [f"牵头单位：{'、'.join(roles['lead']) or '—'}", f"配合单位：{'、'.join(roles['support']) or '—'}"]
        if roles["responsible"]:
            lines.append(f"共同负责单位：{'、'.join(roles['responsible'])}（未写明牵头）")
        if d["deadline"]:
            lines.append(f"完成时限：{d['deadline']}")
        if t in self.contacts:
            lines.append(f"联系人：{self.contacts[t]}")
        return "\n".join(lines)

    def unit_title(self, u: str) -> str:
        row = self.units[u]
        kind = CLASS_COLOURS.get(row["classification"], OTHER_CLASS)[1]
        joint = row["responsible_tasks"]
        counts = (f"牵头 {row['lead_tasks']} 项 · 参与 {row['involved_tasks']} 项{self.noun} "
                  f"(leads {row['lead_tasks']}, involved in {row['involved_tasks']})") if not joint else (
                  f"牵头 {row['lead_tasks']} 项 · 共同负责 {joint} 项 · 参与 {row['involved_tasks']} 项{self.noun} "
                  f"(leads {row['lead_tasks']}, jointly responsible for {joint}, involved in {row['involved_tasks']})")
        return "\n".join(x for x in [row["label"], row["label_en"], f"类别：{kind}", counts,
                                     f"协作单位 {row['partners']} 个 partners"] if x)

    def _unit_node(self, net: Network, u: str, size: float | None = None) -> None:
        row = self.units[u]
        colour = CLASS_COLOURS.get(row["classification"], OTHER_CLASS)[0]
        net.add_node(u, label=row["label"], title=self.unit_title(u), color=colour, shape="dot",
                     size=size or 8 + 3 * row["involved_tasks"], kind="unit")

    def _task_node(self, net: Network, t: str) -> None:
        d = self.a.B.nodes[t]
        group = self.group_of[t]
        net.add_node(t, label=f"{ref(d)} {d['label']}", title=self.task_title(t), shape="box",
                     color={"background": self.colour[group], "border": "#333"},
                     font={"color": "#ffffff", "face": FONT}, size=10 + d["measures"], kind="task",
                     filterGroup=group, mass=1 + d["measures"] / 5)

    def _legend(self, with_areas=True, with_classes=True, with_roles=True) -> list:
        legend = []
        if with_areas and self.areas:
            legend.append({"title": "总体任务 Policy areas (key tasks)",
                           "items": [{"label": a, "color": self.area_colour[a], "square": True} for a in self.areas]})
        parts = [g for g in self.groups if g.startswith(PART_GROUP)]
        if with_areas and parts:
            legend.append({"title": "文件的部分 Parts of the document (items)",
                           "items": [{"label": self.group_label[g], "color": self.colour[g], "square": True}
                                     for g in parts]})
        if with_classes:
            present = sorted({self.units[u]["classification"] for u in self.units},
                             key=lambda c: list(CLASS_COLOURS).index(c) if c in CLASS_COLOURS else 99)
            legend.append({"title": "单位类别 Unit classification",
                           "items": [{"label": CLASS_COLOURS.get(c, OTHER_CLASS)[1],
                                      "color": CLASS_COLOURS.get(c, OTHER_CLASS)[0]} for c in present]})
        if with_roles:
            legend.append({"title": "责任 Responsibility", "items": [
                {"kind": "line", "label": "牵头 lead", "color": "#333"},
                {"kind": "line", "label": "配合 support", "color": "#888", "dashed": True},
                *([{"kind": "line", "label": "共同负责 jointly responsible (no lead named)", "color": JOINT_COLOUR,
                    "dotted": True}] if self.a.has_responsible else [])]})
        return legend

    def _area_filters(self) -> list:
        return [{"id": g, "label": self.group_label[g]} for g in self.groups]

    def _filter_title(self) -> str:
        if not self.areas:
            return "按文件的部分筛选 Filter by part"
        return "按总体任务筛选 Filter by area" if len(self.areas) == len(self.groups) else \
            "按总体任务或部分筛选 Filter by area or part"

    @staticmethod
    def _role_edge(net: Network, u: str, t: str, role: str) -> None:
        if role == "lead":
            net.add_edge(u, t, width=3, color="#333333", dashes=False, role="lead", title="牵头 lead")
        elif role == "support":
            net.add_edge(u, t, width=1, color="#999999", dashes=True, role="support", title="配合 support")
        else:
            net.add_edge(u, t, width=2, color=JOINT_COLOUR, dashes=[2, 4], role="responsible",
                         title="共同负责 jointly responsible (no lead named)")

    def _title(self, view: str) -> str:
        return (VIEWS if self.a.key_tasks_only else ITEM_VIEWS)[view]

    # -- views ---------------------------------------------------------------------------
    def _document_node(self, text: str, title: str | None = None) -> dict:
        """A document drawn as one node (a click shows its items): labelled by its number, else its title."""
        title = title or self.titles.get(text) or "（无标题 untitled）"
        number = self.numbers.get(text, "")
        items = self.documents.get(text, [])
        units = {u for t in items for u in self.a.B.neighbors(t)}
        tooltip = "\n".join(x for x in [title, number, f"{len(items)} 项{self.noun}，{len(units)} 个责任单位",
                                         "点击显示或收起其下各项 click to show or hide what is in it"] if x)
        return {"label": number or _wrap(title), "title": tooltip, "shape": "box", "color": "#f8c291",
                "kind": "document", "borderWidth": 2}

    def _aggregate(self, items: list[str], name: str, title: str, description: str, centre: str | None = None,
                   legend: list | None = None) -> Page:
        """*items* grouped by document: units and documents, laid out here (networkx, fixed seed), linked by
        one edge per unit and document (width: items); a click on a document shows its items beside it."""
        B = self.a.B
        docs: dict[str, list[str]] = {}
        for t in items:
            docs.setdefault(self.text_of(t) or "", []).append(t)
        docs = dict(sorted(docs.items()))
        roles: dict[tuple[str, str], Counter] = {}
        for text, ts in docs.items():
            for t in ts:
                for u in B.neighbors(t):
                    roles.setdefault((u, text), Counter())[B.edges[u, t]["role"]] += 1
        involved = Counter(u for t in items for u in B.neighbors(t))
        units = [u for u in units_of(B) if u in involved]
        pos = _spring(units, list(docs), {k: sum(c.values()) for k, c in roles.items()})
        net = _network(_options(physics=False))
        most = max(involved.values())
        for u in units:
            self._unit_node(net, u, size=40 if u == centre else round(10 + 30 * math.sqrt(involved[u] / most), 1))
            net.node_map[u].update(x=pos[u][0], y=pos[u][1])
        for text in docs:
            net.add_node(text, **self._document_node(text), x=pos[text][0], y=pos[text][1])
        heaviest = max(sum(c.values()) for c in roles.values())
        for (u, text), c in sorted(roles.items(), key=lambda kv: (units.index(kv[0][0]), kv[0][1])):
            n = sum(c.values())
            said = " · ".join(f"{word} {c[role]} 项" for role, word in (("lead", "牵头"), ("support", "配合"),
                                                                        ("responsible", "共同负责")) if c[role])
            style = ({"color": "#333333", "dashes": False} if c["lead"] else
                     {"color": "#999999", "dashes": True} if c["support"] else {"color": JOINT_COLOUR, "dashes": [2, 4]})
            net.add_edge(u, text, width=round(1 + 4 * n / heaviest, 1), **style, role="documents", summaryOf=text,
                         title=f"{B.nodes[u]['label']} — {net.node_map[text]['label']}：{said}{self.noun}")
        groups = {}
        for text, ts in docs.items():
            below = _network(net.options, strict=False)
            x, y = pos[text]
            half = (len(ts) + 1) // 2  # two columns beside the document, away from the units
            side = 1 if x >= 0 else -1
            for i, t in enumerate(ts):
                self._task_node(below, t)
                column, row = divmod(i, half)
                rows = half if column == 0 else len(ts) - half
                below.node_map[t].update(x=x + side * (230 + 300 * column), y=y + round((row - (rows - 1) / 2) * 34))
            for t in ts:
                below.add_edge(text, t, color="#cccccc", width=1, title="所在文件 in this document", role="part")
            for u, t, role in sorted((u, t, B.edges[u, t]["role"]) for t in ts for u in B.neighbors(t)):
                self._role_edge(below, u, t, role)
            groups[text] = _group(below, net)
        documents = [{"kind": "line", "label": f"单位—文件：线宽 = {self.noun}数，实线 = 牵头至少一项 "
                                               "unit–document: width = items, solid = leads at least one", "color": "#333"},
                     {"kind": "line", "label": "只配合 supports only", "color": "#888", "dashed": True},
                     *([{"kind": "line", "label": "只共同负责 jointly responsible only", "color": JOINT_COLOUR,
                         "dotted": True}] if self.a.has_responsible else [])]
        legend = [{"title": "文件 Documents", "items": [
            {"label": f"文件：点击显示其{self.noun} document: click to show its items", "color": "#f8c291",
             "square": True}, *documents]}, *(legend or self._legend())]
        return _render(net, name, title, description, legend, self._area_filters(), self._filter_title(), groups)

    def responsibility_network(self) -> Page:
        B = self.a.B
        if self.aggregate:
            items, units = tasks_of(B), units_of(B)
            return self._aggregate(
                items, "responsibility-network", self._title("responsibility-network"),
                f"{len(self.documents)} 份文件的 {len(items)} 项{self.noun}与 {len(units)} 个责任单位（按类别着色，"
                f"大小表示在各文件中参与的{self.noun}数）；每份文件先画作一个节点，连线粗细为单位在该文件中的{self.noun}数；"
                f"点击文件显示其{self.noun}及其牵头、配合单位，再次点击收起。")
        net = _network(_options())
        for t in tasks_of(B):
            self._task_node(net, t)
        for u in units_of(B):
            self._unit_node(net, u)
        for u, t, role in sorted((e[0], e[1], e[2]) if B.nodes[e[0]]["kind"] == "unit" else (e[1], e[0], e[2])
                                 for e in B.edges(data="role")):
            self._role_edge(net, u, t, role)
        coloured = "按总体任务着色" if len(self.areas) == len(self.groups) else \
            ("按所在部分着色" if not self.areas else "按总体任务或所在部分着色")
        lines = "实线为牵头，虚线为配合" + ("，点线为共同负责" if self.a.has_responsible else "")
        return _render(net, "responsibility-network", self._title("responsibility-network"),
                       f"{len(tasks_of(B))} 项{self.noun}（{coloured}）与 {len(units_of(B))} 个责任单位（按类别着色）；"
                       f"{lines}；节点大小表示参与程度。",
                       self._legend(), self._area_filters(), self._filter_title())

    def unit_network(self) -> Page:
        P = self.a.P
        net = _network(_options())
        community_colour = {}
        for i, group in enumerate(self.a.communities):
            for n in group:
                community_colour[n] = AREA_COLOURS[i % len(AREA_COLOURS)]
        for u in units_of(self.a.B):
            row = self.units[u]
            net.add_node(u, label=row["label"], title=self.unit_title(u) + f"\n社区 community {row['community']}",
                         color=community_colour.get(u, OTHER_CLASS[0]), shape="dot", size=8 + 3 * row["involved_tasks"],
                         kind="unit", filterGroup=f"community:{row['community']}")
        for a, b, w in sorted(P.edges(data="weight")):
            net.add_edge(a, b, width=1 + 1.5 * (w - 1), value=w, color="#aaaaaa",
                         title=f"{P.nodes[a]['label']} — {P.nodes[b]['label']}：共同承担 {w} 项{self.noun}")
        shared = "shared key tasks" if self.a.key_tasks_only else "shared items"
        legend = [{"title": "社区 Communities (Louvain)", "items": [
            {"label": f"{i}: {len(g)} 个单位 units", "color": AREA_COLOURS[(i - 1) % len(AREA_COLOURS)]}
            for i, g in enumerate(self.a.communities, 1)]},
            {"title": "连线 Links", "items": [{"kind": "line", "label": f"线宽 = 共同承担的{self.noun}数 {shared}",
                                              "color": "#aaa"}]}]
        filters = [{"id": f"community:{i}", "label": f"社区 community {i}"} for i in range(1, len(self.a.communities) + 1)]
        return _render(net, "unit-network", self._title("unit-network"),
                       f"{P.number_of_nodes()} 个责任单位，{P.number_of_edges()} 对共同承担{self.noun}的单位；按社区着色。",
                       legend, filters, "按社区筛选 Filter by community")

    def policy_hierarchy(self) -> Page:
        """Higher-level documents → this document → its areas, or its sections and tables → its items → the
        documents they cite. Of several documents: each document a group of all below it, shown on a click."""
        B = self.a.B
        net = _network(_options(physics=False, hierarchical=True))
        texts = {}
        rows = self.engine.select(HIERARCHY, source="views: hierarchy").records()
        for row in rows:
            texts[row["text"]] = row["textTitle"]
            if row["higher"]:
                net.add_node(row["higher"], label=_wrap(row["higherTitle"]), title=row["higherTitle"], level=0,
                             shape="box", color="#fde2c8", kind="document")
        for text, title in texts.items():
            if self.aggregate and text in self.documents:
                net.add_node(text, **self._document_node(text, title), level=1)
            else:
                net.add_node(text, label=_wrap(title), title=title, level=1, shape="box", color="#f8c291",
                             kind="document")
        for row in rows:
            if row["higher"]:
                net.add_edge(row["higher"], row["text"], title="由……落实 carried out by", arrows="to", color="#c0392b")
        cited = self.cited()
        deepest = max([3, *(2 + len(self.chain(t)) for t in tasks_of(B) if not B.nodes[t]["area"])])
        groups = {}
        if self.aggregate:
            by_text = {text: [] for text in self.documents}
            for row in cited:
                by_text.get(self.text_of(row["t"]), []).append(row)
            for text, items in self.documents.items():
                below = _network(net.options, strict=False)
                self._hierarchy_below(below, items, texts, by_text[text], deepest, f"@{text}")
                groups[text] = _group(below, net)
        else:
            self._hierarchy_below(net, tasks_of(B), texts, cited, deepest, "")
        parts = [g for g in self.groups if g.startswith(PART_GROUP)]
        legend = [{"title": "层级 Levels", "items": [
            {"label": "上级文件 higher-level documents", "color": "#fde2c8", "square": True},
            {"label": "本文件 this document" if not self.aggregate else "文件（点击展开）documents (click to expand)",
             "color": "#f8c291", "square": True},
            *({"label": a, "color": self.area_colour[a]} for a in self.areas),
            *({"label": self.group_label[g], "color": self.colour[g]} for g in parts),
            *([{"label": "引用文件 cited documents", "color": "#dfe6e9", "square": True}] if cited else [])]}]
        steps = " → ".join(["上级政策", "本文件" if not self.aggregate else f"{len(self.documents)} 份文件",
                            *(["总体任务 → 重点工作"] if self.areas else []),
                            *(["章节与任务表 → 事项"] if parts else []), *(["引用文件"] if cited else [])])
        if self.aggregate:
            steps += "。点击文件展开其下各层，再次点击收起 (click a document to show what is below it)"
        return _render(net, "policy-hierarchy", VIEWS["policy-hierarchy"], steps + "。",
                       legend, self._area_filters(), self._filter_title(), groups)

    def _hierarchy_below(self, net: Network, tasks: list[str], texts: dict, cited: list[dict], deepest: int,
                         area_suffix: str) -> None:
        """Into *net*: the areas, or sections and tables, of *tasks*, the tasks, and the documents they cite;
        linked to their texts (which *net* may hold or not). An area's node is ``area:<name>`` + *area_suffix*."""
        B = self.a.B
        present = {B.nodes[t]["area"] for t in tasks}
        for area in self.areas:
            if area in present:
                area_id = f"area:{area}{area_suffix}"
                net.add_node(area_id, label=area, title=f"总体任务：{area}", level=2, shape="ellipse",
                             color=self.area_colour[area], font={"color": "#ffffff", "face": FONT}, kind="area",
                             filterGroup=f"area:{area}")
        linked = set()

        def link(a: str, b: str) -> None:
            if (a, b) not in linked:
                linked.add((a, b))
                net.add_edge(a, b, arrows="to", color="#888888")

        for t in tasks:
            d = B.nodes[t]
            self._task_node(net, t)
            text = self.text_of(t)
            if d["area"]:  # Wenzhou's task list: text → area → key task
                net.node_map[t]["level"] = 3
                area_id = f"area:{d['area']}{area_suffix}"
                if text in texts:
                    link(text, area_id)
                net.add_edge(area_id, t, arrows="to", color="#888888")
                continue
            chain = self.chain(t)  # nearest first: the sections and tables down from the text to the item
            above = text if text in texts else None
            for depth, part in enumerate(reversed(chain), start=2):
                if part not in net.node_map:
                    if self.parts[part]["kind"] == "item":  # an item inside an item
                        self._task_node(net, part)
                    else:
                        name = self.part_name(part)
                        net.add_node(part, label=_wrap(name), title=name, shape="ellipse",
                                     color=self.colour[self.group_of[t]], font={"color": "#ffffff", "face": FONT},
                                     kind=self.parts[part]["kind"], filterGroup=self.group_of[t])
                    net.node_map[part]["level"] = depth
                if above is not None:
                    link(above, part)
                above = part
            net.node_map[t]["level"] = 2 + len(chain)
            if above is not None:
                link(above, t)
        for row in cited:
            if row["doc"] not in net.node_map and row["doc"] not in texts:
                net.add_node(row["doc"], label=_wrap(row["title"]), title=row["title"], level=deepest + 1, shape="box",
                             color="#dfe6e9", kind="document")
            net.add_edge(row["t"], row["doc"], arrows="to", dashes=True, color="#aaaaaa", title="引用 cites")

    def unit_view(self, name: str) -> Page:
        row = self.a.unit(name)
        u, B = row["iri"], self.a.B
        slug = row["iri"].rstrip("/").rsplit("/", 1)[-1]
        joint = f"共同负责 {row['responsible_tasks']} 项，" if row["responsible_tasks"] else ""
        english = f"（{row['label_en']}）" if row["label_en"] else ""
        title = f"{row['label']}：牵头 {row['lead_tasks']} 项，{joint}参与 {row['involved_tasks']} 项"
        if self.aggregate:
            items = [t for t in tasks_of(B) if B.has_edge(u, t)]
            return self._aggregate(items, f"unit-{slug}", title,
                                   f"{row['label']}{english}在 {len({self.text_of(t) for t in items})} 份文件中的"
                                   f"{self.noun}、角色与协作单位；点击文件显示其中该单位的{self.noun}。", centre=u)
        net = _network(_options())
        self._unit_node(net, u, size=30)
        for t in sorted(B.neighbors(u)):
            self._task_node(net, t)
            for other in sorted(B.neighbors(t)):
                if other not in net.node_map:
                    self._unit_node(net, other)
                self._role_edge(net, other, t, B.edges[other, t]["role"])
        return _render(net, f"unit-{slug}", title,
                       f"{row['label']}{english}的{self.noun}、角色与协作单位。",
                       self._legend(), self._area_filters(), self._filter_title())

    def index(self, pages: list[Page], source: str, home: str | None = None) -> Page:
        from .plots import lead_involvement_chart, unit_area_heatmap

        s, joint = self.a.summary(), self.a.has_responsible
        figures = [(f"{self.noun} {'key tasks' if self.a.key_tasks_only else 'items'}", s["items"]),
                   ("责任单位 responsible units", s["units"]),
                   ("牵头分工 lead assignments", s["lead_assignments"]),
                   ("配合分工 support assignments", s["support_assignments"]),
                   *([("共同负责分工 jointly responsible assignments", s["responsible_assignments"])] if joint else []),
                   (f"多牵头{self.noun} {'tasks' if self.a.key_tasks_only else 'items'} with several leads",
                    len(self.a.multi_lead_tasks)),
                   (f"共同承担的单位对 pairs of units sharing {'tasks' if self.a.key_tasks_only else 'items'}",
                    s["co_responsibility_pairs"]),
                   ("社区 communities", s["communities"])]
        top = [{"label": u["label"], "lead_tasks": u["lead_tasks"], "involved_tasks": u["involved_tasks"],
                "responsible_tasks": u["responsible_tasks"], "numbers": " ".join(map(str, u["lead_task_numbers"]))}
               for u in self.a.units[:10]]
        charts = [(f"各单位牵头与参与的{self.noun} " + ("Key tasks led and supported per unit" if self.a.key_tasks_only
                                                   else "Items led, supported and held jointly per unit"),
                   lead_involvement_chart(self.a)),
                  ("单位 × 总体任务 Units × policy areas", unit_area_heatmap(self.a))]
        plots = [{"title": title, "data": base64.b64encode(png).decode()} for title, png in charts if png is not None]
        views = [{"file": f"{p.name}.html", "title": p.title, "description": p.description} for p in pages]
        html = _env().get_template("index.html").render(
            title="policy-kg views", source=source, figures=figures, views=views, top_units=top, plots=plots,
            items="key tasks" if self.a.key_tasks_only else "items", joint=joint, home=home)
        return Page("index", "policy-kg views", "", html)


def _spring(units: list[str], docs: list[str], weights: dict[tuple[str, str], int]) -> dict[str, tuple[int, int]]:
    """Positions (whole pixels) of units and documents: a spring layout of both (networkx, seed fixed, so the
    same data gives the same page); then the documents, in the order of their angles, evenly on a ring around
    the units, where their labels are not hidden under units and their items have room when shown."""
    G = nx.Graph()
    G.add_nodes_from(units)
    G.add_nodes_from(docs)
    for (u, text), w in sorted(weights.items()):
        G.add_edge(u, text, weight=w)
    scale = 50 * math.sqrt(len(G))
    pos = nx.spring_layout(G, seed=42, weight="weight", scale=scale) if len(G) > 1 else {n: (0, 0) for n in G}
    radius = max(scale + 200, len(docs) * 160 / (2 * math.pi))
    spread = max(1.0, 0.55 * radius / scale)  # many documents, a wide ring: the units spread inside it
    out = {u: (round(float(pos[u][0]) * spread), round(float(pos[u][1]) * spread)) for u in units}
    by_angle = sorted(docs, key=lambda d: (math.atan2(float(pos[d][1]), float(pos[d][0])), d))
    start = math.atan2(float(pos[by_angle[0]][1]), float(pos[by_angle[0]][0])) if docs else 0
    for i, d in enumerate(by_angle):
        angle = start + 2 * math.pi * i / len(docs)
        out[d] = (round(radius * math.cos(angle)), round(radius * math.sin(angle)))
    return out


def _wrap(text: str, width: int = 16) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def build_pages(engine: Engine, views: list[str] | None = None, units: list[str] | None = None,
                source: str = "graph", scale: str = "auto", home: str | None = None) -> list[Page]:
    """The requested views (default: all), any unit views, and the index page (*scale*: see Views; *home*: a link
    back from the index page, as a site gives it)."""
    v = Views(engine, scale=scale)
    wanted = views or list(VIEWS)
    unknown = [w for w in wanted if w not in VIEWS]
    if unknown:
        from .errors import InputError

        raise InputError(f"unknown view {unknown[0]!r} (one of {', '.join(VIEWS)})")
    makers = {"responsibility-network": v.responsibility_network, "unit-network": v.unit_network,
              "policy-hierarchy": v.policy_hierarchy}
    pages = [makers[name]() for name in wanted] + [v.unit_view(u) for u in units or []]
    return pages + [v.index(pages, source, home)]
