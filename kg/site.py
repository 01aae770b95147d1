"""A static site of a graph, for portals that host static files.

Every resource with a page (:mod:`kg.pages`) gets a folder of its own below ``id/``, the path its IRI has below
the base (``{base}doc/x/task/7`` → ``id/doc/x/task/7/``), holding ``index.html`` and its RDF as ``index.ttl``,
``index.jsonld`` and ``index.nt``. Beside them: ``index.html`` (documents and units), ``views/`` (the network
views), ``data/`` (the dumps of each document and ``dataset.ttl``, their DCAT description) and
``ontology/index.html``. Every link is relative and names its ``index.html``, so the folder works from
``file://`` and from any path of any web server. Same graph, same bytes.
"""

from __future__ import annotations

from .pages import RDF_FORMATS, Pages, SiteLinks

__all__ = ["site_files", "store_graphs"]


def store_graphs(engine) -> dict[str, object]:
    """The engine's data as rdflib graphs by a file name: one per named graph (a corpus store), named after the
    document it holds, or the whole default graph (files loaded) named after its document."""
    from rdflib import Graph

    from .publish import document_iri
    from .rdf import new_graph

    store, ox = engine.store, engine.ox
    graphs = sorted(store.named_graphs(), key=str) or [ox.DefaultGraph()]
    out: dict[str, Graph] = {}
    for i, data in enumerate(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in graphs):
        graph = new_graph().parse(data=data.decode("utf-8"), format="nt")
        doc = document_iri(graph)
        name = str(doc).rstrip("/").rsplit("/", 1)[-1] if doc else f"graph-{i + 1}"
        while name in out:
            name += "-"
        out[name] = graph
    return out


def site_files(engine, base: str, source: str, progress=None) -> dict[str, bytes]:
    """Every file of the site by its path below the site's folder."""
    from .ontodoc import project_page
    from .publish import dump_files
    from .resources import resource
    from .viz import build_pages

    pages = Pages(engine, base)
    files: dict[str, bytes] = {}
    for n, iri in enumerate(sorted(pages.resources)):
        folder = f"id/{pages.path(iri)}"
        files[f"{folder}/index.html"] = pages.html(pages.describe(iri), SiteLinks(pages, iri)).encode("utf-8")
        for ext in RDF_FORMATS:
            files[f"{folder}/index.{ext}"] = pages.rdf(iri, ext)
        if progress and n % 200 == 199:
            progress(n + 1, len(pages.resources))
    dumps = dump_files(store_graphs(engine), base)
    for name, data in dumps.items():
        files[f"data/{name}"] = data
    files["data/index.html"] = _listing("data", sorted(dumps)).encode("utf-8")
    for view in build_pages(engine, [], [], source, "auto", home="../index.html"):
        files[f"views/{view.name}.html"] = view.html.encode("utf-8")
    files["ontology/index.html"] = project_page(home="../index.html").encode("utf-8")
    files["ontology/policy-kg.ttl"] = resource("ontology/policy-kg.ttl").read_bytes()  # for RDF clients
    files["index.html"] = pages.home(SiteLinks(pages), [("network views", "views/index.html"),
                                                       ("data: dumps and the DCAT description", "data/index.html"),
                                                       ("ontology", "ontology/index.html")]).encode("utf-8")
    return files


def _listing(title: str, names: list[str]) -> str:
    from .pages import _template

    return _template("listing.html").render(title=title, names=names)
