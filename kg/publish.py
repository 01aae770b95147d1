"""Portal-ready dumps of a graph (JSON-LD, N-Triples, TriG) and their DCAT / VoID description.

Reads RDF (any graph following the ontology). Every file is deterministic: N-Triples and TriG are
sorted, JSON-LD is compacted with our context file (written beside it and referenced by a relative
IRI, so expanding it needs no network) and its nodes and values are sorted. Dates in the dataset
description come from the documents or ``SOURCE_DATE_EPOCH``, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.parse
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD

from .export import turtle_bytes
from .query import RdflibEngine, sparql_prefixes
from .rdf import new_graph
from .vocab import DEFAULT_BASE, POL, PREFIXES

CONTEXT_FILE = "context.jsonld"
PROFILES = ("personal-phones",)
MOBILE = re.compile(r"^tel:\+86-1\d{2}-\d{4}-\d{4}$")
FORMATS = {  # suffix: (media type, EU file-type, title)
    "ttl": ("text/turtle", "RDF_TURTLE", "Turtle"),
    "jsonld": ("application/ld+json", "JSON_LD", "JSON-LD"),
    "nt": ("application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    "trig": ("application/trig", "RDF_TRIG", "TriG"),
}
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
DATA_THEMES = URIRef("http://publications.europa.eu/resource/authority/data-theme")
LICENSE = URIRef("http://creativecommons.org/licenses/by/4.0/")


def context() -> dict:
    """The JSON-LD context: our prefixes, and the contract properties as short names."""
    ctx = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    return {"@context": ctx}


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, one triple per line, sorted."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def trig_bytes(graph: Graph, graph_iri: URIRef) -> bytes:
    """TriG with the document's triples in one named graph."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, replace=True)
    named = ds.graph(graph_iri)
    for triple in graph:
        named.add(triple)
    text = ds.serialize(format="trig", encoding="utf-8").decode("utf-8")
    return _sorted_trig(text).encode("utf-8")


def _sorted_trig(text: str) -> str:
    # rdflib's TriG writer sorts subjects within a graph, but its prefix lines follow a hash order
    lines = text.splitlines()
    prefixes = sorted(l for l in lines if l.startswith("@prefix"))
    rest = [l for l in lines if not l.startswith("@prefix")]
    return "\n".join(prefixes + rest) + "\n"


def jsonld_bytes(graph: Graph, context_ref: str | dict = CONTEXT_FILE) -> bytes:
    """Compact JSON-LD referencing ``context.jsonld`` (or with *context_ref* as its context, e.g. the context
    itself for a file that must stand alone); nodes sorted by @id, values sorted."""
    ctx = context()["@context"]
    data = json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    doc = {"@context": context_ref, "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def read_jsonld(path: Path) -> Graph:
    """Read our JSON-LD back, resolving the context from the file beside it (no network: a remote context is an
    InputError, see :mod:`kg.offline`)."""
    from .offline import offline

    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("@context") == CONTEXT_FILE:
        data["@context"] = json.loads((path.parent / CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    with offline(path, what="JSON-LD context"):
        return Graph().parse(data=json.dumps(data), format="json-ld")


# the document of a graph: a pol:PolicyDocument (pol:Notice is one, for transmittal notices like Wenzhou's);
# its date and number where it has them; its jurisdiction (pol:jurisdiction) and the names of that place
DOCS = sparql_prefixes("pol", "eli", "dcterms", "rdfs") + """
SELECT DISTINCT ?doc ?title ?number ?date ?textTitle ?place ?placeId ?placeZh ?placeEn ?keyTasks WHERE {
  ?doc a ?class ; eli:title ?title .
  VALUES ?class { pol:PolicyDocument pol:Notice }
  OPTIONAL { ?doc eli:id_local ?number }
  OPTIONAL { ?doc eli:date_document ?date }
  OPTIONAL { ?doc eli:has_part ?text . ?text a pol:PolicyText ; eli:title ?textTitle . }
  OPTIONAL {
    ?doc pol:jurisdiction ?place . ?place dcterms:identifier ?placeId ; rdfs:label ?placeZh . FILTER (lang(?placeZh) = "zh")
    OPTIONAL { ?place rdfs:label ?placeEn . FILTER (lang(?placeEn) = "en") }
  }
  BIND (EXISTS { ?t a pol:KeyTask } AS ?keyTasks)
}
ORDER BY ?doc ?textTitle
"""
# an item to show: Wenzhou's key task 1, else the first item in the document
FIRST_ITEM = sparql_prefixes("pol") + """
SELECT ?t (MIN(?l) AS ?line) WHERE { ?t pol:leadUnit|pol:supportUnit|pol:responsibleUnit ?u ; pol:sourceLine ?l }
GROUP BY ?t HAVING (COUNT(?l) > 0) ORDER BY ?line ?t LIMIT 1
"""
YEARS = sparql_prefixes("pol", "time") + """
SELECT (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  ?t pol:period ?p . ?p time:hasBeginning|time:hasEnd ?i . ?i time:inXSDgYear ?y .
}
"""
AREAS = sparql_prefixes("pol", "skos") + """
SELECT DISTINCT ?area WHERE { ?a a pol:PolicyArea ; skos:prefLabel ?area . } ORDER BY ?area
"""


def document_iri(graph: Graph) -> URIRef | None:
    """The policy document a graph is about (a pol:PolicyDocument, or a pol:Notice, which is one); None if none."""
    found = sorted({*graph.subjects(RDF.type, POL.PolicyDocument), *graph.subjects(RDF.type, POL.Notice)})
    return found[0] if found else None


def modified_date(default: dt.date | None) -> dt.date | None:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else *default*; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return default


def dataset_description(items: list[tuple[str, Graph, dict[str, int]]], base: str = DEFAULT_BASE,
                        download_base: str | None = None, profile: str | None = None,
                        endpoint: str | None = None) -> Graph:
    """DCAT 3 and VoID description of the dumps.

    *items*: (name, graph, {file name: byte size}) for each document.
    """
    download_base = download_base or base.rstrip("/") + "/dump/"
    g = new_graph()
    for prefix, ns in (("dcat", DCAT), ("void", VOID), ("foaf", FOAF), ("dct", DCTERMS)):
        g.bind(prefix, ns)
    catalog = URIRef(base + "catalog")
    publisher = URIRef(base + "org/policy-kg")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("policy-kg", lang="en")))
    g.add((LICENSE, RDF.type, DCTERMS.LicenseDocument))
    g.add((LICENSE, RDFS.label, Literal("Creative Commons Attribution 4.0", lang="en")))
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("policy-kg 政策知识图谱", lang="zh")))
    g.add((catalog, DCTERMS.title, Literal("policy-kg knowledge graphs of policy documents", lang="en")))
    g.add((catalog, DCTERMS.description, Literal("由政府政策文件生成、经 SHACL 校验的知识图谱。", lang="zh")))
    g.add((catalog, DCTERMS.description, Literal(
        "Knowledge graphs built from Chinese government policy documents, validated with SHACL.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.license, LICENSE))
    g.add((catalog, DCAT.themeTaxonomy, DATA_THEMES))
    g.add((DATA_THEMES, RDF.type, SKOS.ConceptScheme))
    g.add((DATA_THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
    for theme, label in (("ECON", "Economy and finance"), ("GOVE", "Government and public sector")):
        g.add((DATA_THEME[theme], RDF.type, SKOS.Concept))
        g.add((DATA_THEME[theme], SKOS.prefLabel, Literal(label, lang="en")))
        g.add((DATA_THEME[theme], SKOS.inScheme, DATA_THEMES))
    service = None
    if endpoint:  # where `policy-kg serve` (or a store it was published to) answers SPARQL
        service = URIRef(base + "sparql-service")
        g.add((catalog, DCAT.service, service))
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCTERMS.title, Literal("policy-kg SPARQL endpoint", lang="en")))
        g.add((service, DCTERMS.title, Literal("policy-kg SPARQL 查询服务", lang="zh")))
        g.add((service, DCAT.endpointURL, URIRef(endpoint)))
        g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
        g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))
    for suffix, (media, file_type, _) in FORMATS.items():
        g.add((URIRef(IANA + media), RDF.type, DCTERMS.MediaType))
        g.add((FILE_TYPE[file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
    for name, graph, sizes in items:
        engine = RdflibEngine(graph)
        docs = engine.select(DOCS, source="dataset description").records()
        if not docs:
            continue
        d = docs[0]
        task_list = d["keyTasks"] == "true"
        dataset = URIRef(f"{base}dataset/{name}")
        issued = dt.date.fromisoformat(d["date"]) if d["date"] else None
        title = d["textTitle"] or d["title"]
        g.add((catalog, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, RDF.type, VOID.Dataset))
        if d["number"]:
            g.add((dataset, DCTERMS.title, Literal(f"{title}（{d['number']}）知识图谱", lang="zh")))
            g.add((dataset, DCTERMS.title, Literal(f"Knowledge graph of {d['number']} ({name})", lang="en")))
        else:
            g.add((dataset, DCTERMS.title, Literal(f"{title}知识图谱", lang="zh")))
            g.add((dataset, DCTERMS.title, Literal(f"Knowledge graph of the policy document {name}", lang="en")))
        if task_list:
            g.add((dataset, DCTERMS.description, Literal(
                f"{d['title']}：通知、正文、总体任务、重点工作及其目标、量化指标、落实举措、实施阶段、责任单位与联系人，"
                "以及所落实和引用的文件。", lang="zh")))
            g.add((dataset, DCTERMS.description, Literal(
                "The notice, its main text, policy areas, key tasks with targets, indicators and measures, "
                "implementation periods, responsible units and contacts, and the documents it implements and cites, "
                "as RDF validated with the policy-kg SHACL shapes.", lang="en")))
        else:
            g.add((dataset, DCTERMS.description, Literal(
                f"{d['title']}：正文、章节与任务表、各项任务或举措及其牵头、配合与共同责任单位、完成时限和量化指标，"
                "以及所落实和引用的文件。", lang="zh")))
            g.add((dataset, DCTERMS.description, Literal(
                "The policy document, its main text, sections and task tables, the tasks or measures it assigns with "
                "their lead, supporting and jointly responsible units, deadlines and indicators, and the documents it "
                "implements and cites, as RDF validated with the policy-kg SHACL shapes.", lang="en")))
        g.add((dataset, DCTERMS.publisher, publisher))
        g.add((dataset, DCTERMS.license, LICENSE))
        g.add((dataset, PROV.wasDerivedFrom, URIRef(d["doc"])))  # DCAT-AP keeps dct:source for datasets
        for theme in ("ECON", "GOVE"):
            g.add((dataset, DCAT.theme, DATA_THEME[theme]))
        if issued:
            g.add((dataset, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
        modified = modified_date(issued) if issued else modified_date(None)
        if modified:
            g.add((dataset, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.date)))
        if d["place"]:  # the document's jurisdiction, as DCAT-AP's dct:Location
            place = URIRef(d["place"])
            g.add((dataset, DCTERMS.spatial, place))
            g.add((place, RDF.type, DCTERMS.Location))
            g.add((place, SKOS.prefLabel, Literal(d["placeZh"], lang="zh")))
            if d["placeEn"]:
                g.add((place, SKOS.prefLabel, Literal(d["placeEn"], lang="en")))
        years = (engine.select(YEARS).records() or [{"first": None}])[0]  # no row where nothing has a period
        if years["first"]:
            period = URIRef(f"{dataset}/temporal")
            g.add((dataset, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(f"{years['first']}-01-01", datatype=XSD.date)))
            g.add((period, DCAT.endDate, Literal(f"{years['last']}-12-31", datatype=XSD.date)))
        place_words = ([(d["placeZh"].removesuffix("市").removesuffix("省") if d["placeId"] != "cn" else "中国", "zh")]
                       if d["place"] else []) + ([(d["placeEn"], "en")] if d["placeEn"] else [])
        for keyword, lang in [*place_words, ("政策文件", "zh"), ("policy document", "en"), ("knowledge graph", "en")]:
            g.add((dataset, DCAT.keyword, Literal(keyword, lang=lang)))
        for row in engine.select(AREAS).records():
            g.add((dataset, DCAT.keyword, Literal(row["area"], lang="zh")))
        g.add((dataset, VOID.triples, Literal(len(graph))))
        if service is not None:
            g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
            g.add((service, DCAT.servesDataset, dataset))
        g.add((dataset, POL.privacyProfile, Literal(profile or "none")))
        if profile == "personal-phones":
            g.add((dataset, DCTERMS.description, Literal(
                "Privacy profile personal-phones: contacts' personal mobile numbers are removed; office landlines "
                "are kept.", lang="en")))
            g.add((dataset, DCTERMS.description, Literal("隐私规则 personal-phones：已删除联系人的个人手机号码，保留办公电话。",
                                                         lang="zh")))
        g.add((dataset, VOID.uriSpace, Literal(base)))
        for prefix in ("pol", "eli", "org", "prov", "skos", "dcterms", "time", "vcard", "schema"):
            g.add((dataset, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))
        first = engine.select(FIRST_ITEM, source="dataset description: an item").records()
        item = URIRef(f"{d['doc']}/task/1")
        if (item, None, None) not in graph and first:
            item = URIRef(first[0]["t"])
        for example in (URIRef(d["doc"]), item, URIRef(base + "org/wz-drc")):
            if (example, None, None) in graph:
                g.add((dataset, VOID.exampleResource, example))
        for suffix, (media, file_type, title) in FORMATS.items():
            file_name = f"{name}.{suffix}"
            if file_name not in sizes:
                continue
            dist = URIRef(f"{dataset}/distribution/{suffix}")
            url = URIRef(download_base + file_name)
            g.add((dataset, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{title} dump", lang="en")))
            g.add((dist, DCAT.accessURL, url))
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
            g.add((dist, DCTERMS.format, FILE_TYPE[file_type]))
            g.add((dist, DCAT.byteSize, Literal(sizes[file_name], datatype=XSD.nonNegativeInteger)))
            g.add((dist, DCTERMS.license, LICENSE))
            if suffix == "ttl":
                g.add((dataset, VOID.dataDump, url))
    return g


def redact(graph: Graph, profile: str) -> tuple[Graph, int]:
    """A copy of *graph* without what the privacy profile removes; returns it and how many values went.

    ``personal-phones``: personal mobile numbers (11 digits, 1xx) are removed from contacts, which are
    marked ``pol:phoneRedacted true``; office landlines stay.
    """
    from .vocab import POL, VCARD

    _check_profile(profile)
    out = new_graph()
    removed = 0
    for s, p, o in graph:
        if p == VCARD.hasTelephone and MOBILE.match(str(o)):
            removed += 1
            out.add((s, POL.phoneRedacted, Literal(True)))
            continue
        out.add((s, p, o))
    return out, removed


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        from .errors import InputError

        raise InputError(f"unknown privacy profile {profile!r} (one of {', '.join(PROFILES)})")


def redact_engine(engine, profile: str):
    """A new in-memory engine holding *engine*'s quads (named graphs kept) less what :func:`redact` removes, for
    what serves or writes a store's pages; returns it and how many values went."""
    from .query import OxigraphEngine
    from .vocab import VCARD

    _check_profile(profile)
    ox = engine.ox
    out = OxigraphEngine()
    phone, redacted, true = ox.NamedNode(str(VCARD.hasTelephone)), ox.NamedNode(str(POL.phoneRedacted)), \
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    quads, removed = [], 0
    for q in engine.store:
        if q.predicate == phone and MOBILE.match(q.object.value):
            removed += 1
            quads.append(ox.Quad(q.subject, redacted, true, q.graph_name))
        else:
            quads.append(q)
    out.store.extend(quads)
    return out, removed


def dump_files(graphs: dict[str, Graph], base: str = DEFAULT_BASE, profile: str | None = None,
               endpoint: str | None = None) -> dict[str, bytes]:
    """Every dump of every graph, the context file and ``dataset.ttl``, by file name."""
    if profile:
        graphs = {name: redact(g, profile)[0] for name, g in graphs.items()}
    files: dict[str, bytes] = {CONTEXT_FILE: (json.dumps(context(), ensure_ascii=False, indent=1, sort_keys=True)
                                              + "\n").encode("utf-8")}
    items = []
    for name, graph in sorted(graphs.items()):
        doc_iri = document_iri(graph)
        mine = {
            f"{name}.ttl": turtle_bytes(graph),
            f"{name}.jsonld": jsonld_bytes(graph),
            f"{name}.nt": ntriples_bytes(graph),
            f"{name}.trig": trig_bytes(graph, URIRef(f"{doc_iri or base + 'doc/' + name}/graph")),
        }
        files.update(mine)
        items.append((name, graph, {k: len(v) for k, v in mine.items()}))
    files["dataset.ttl"] = turtle_bytes(dataset_description(items, base, profile=profile, endpoint=endpoint))
    return files


# -- uploading to a Graph Store Protocol store ---------------------------------------------------------------

# names of query parameters whose values are credentials (matched in the lower-cased, percent-decoded name):
# token, access_token, X-Amz-Security-Token, secret, client_secret, password, passwd, pwd, pass, auth, authorization
# (not author), sig, signature, X-Amz-Signature, session, sessionid, credential, cookie, key, api_key, apikey…
SECRET_PARAM = re.compile(r"token|secret|passw|pwd|pass$|auth(?!ors?$)|sig$|signature|session|credential|cookie"
                          r"|jwt|key$")


def redact_url(url: str) -> str:
    """*url* fit to print: user-info and the values of query (or fragment) parameters that look like
    credentials masked. Every message that shows an endpoint shows it through this.

    >>> redact_url("http://user:p%40ss@127.0.0.1:7878/store?token=SECRET&graph=g")
    'http://user:***@127.0.0.1:7878/store?token=***&graph=g'
    >>> redact_url("https://glpat-abc123@example.org/store")  # a login without a password may be a token
    'https://***@example.org/store'
    >>> redact_url("https://example.org/ds/data?api_key=1&X-Amz-Signature=2&access_token=3&sessionid=4&page=5")
    'https://example.org/ds/data?api_key=***&X-Amz-Signature=***&access_token=***&sessionid=***&page=5'
    >>> redact_url("https://example.org/cb#access_token=abc&state=1&author=me")
    'https://example.org/cb#access_token=***&state=1&author=me'
    >>> redact_url("http://127.0.0.1:7878/store")  # nothing to hide
    'http://127.0.0.1:7878/store'
    >>> redact_url("http://[::1/store?password=x")  # unreadable: nothing of it shown
    '(an unreadable URL)'
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(an unreadable URL)"
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = (f"{userinfo.partition(':')[0]}:***@" if ":" in userinfo else "***@") + hostport if at else hostport
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, _redact_params(parts.query),
                                    _redact_params(parts.fragment)))


def _redact_params(text: str) -> str:
    pieces = re.split(r"([&;])", text)
    for i, piece in enumerate(pieces):
        name, eq, _ = piece.partition("=")
        if eq and SECRET_PARAM.search(urllib.parse.unquote_plus(name).lower()):
            pieces[i] = f"{name}=***"
    return "".join(pieces)


def _secret_values(parts: urllib.parse.SplitResult, user: str | None) -> set[str]:
    """What must not appear in a message, as written and percent-decoded: the URL's user-info, the password
    of *user*, the values of credential-like parameters."""
    found = set()
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        name, colon, password = userinfo.partition(":")
        found.update({password} if colon else {name})
    if user:
        name, colon, password = user.partition(":")
        found.add(password if colon else name)
    for text in (parts.query, parts.fragment):
        for piece in re.split(r"[&;]", text):
            name, eq, value = piece.partition("=")
            if eq and SECRET_PARAM.search(urllib.parse.unquote_plus(name).lower()):
                found.add(value)
    found |= {urllib.parse.unquote_plus(v) for v in found} | {urllib.parse.unquote(v) for v in found}
    return {v for v in found if len(v) >= 4}  # shorter ones would mask ordinary words, and hide nothing


def _scrub(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def upload(data: bytes, endpoint: str, graph_iri: str, user: str | None = None, timeout: float = 30.0) -> int:
    """PUT Turtle into a named graph of any SPARQL 1.1 Graph Store Protocol store; returns the HTTP status.

    *endpoint* is the store's graph-store URL (Oxigraph: ``…/store``; Fuseki: ``…/dataset/data``). A login in
    it (``http://name:password@host/…``, percent-encoded) is sent as HTTP basic authentication, not in the
    URL. *user* is ``name:password`` for basic authentication too; given both, they must be the same.

    The whole upload — name lookup, connecting, sending, the store's complete answer — must end within
    *timeout* seconds: at the deadline the connection is shut down, so neither a server that never answers
    nor one that drips its answer keeps it alive. Every failure is an ``InputError`` of one line naming the
    endpoint as :func:`redact_url` shows it; no credential appears in any message.
    """
    import base64
    import threading
    import urllib.error
    import urllib.request

    from .errors import InputError

    form = ("the endpoint must be an http(s) URL: http(s)://[name:password@]host[:port]/path "
            "(percent-encode @ : / ? # in a name or password)")
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InputError(form) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.path:
        raise InputError(form)  # an @ in the path: most likely a password with a / in it
    shown, secrets = redact_url(endpoint), _secret_values(parts, user)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    user = user or None
    if user is not None and ":" not in user:
        user += ":"
    if at:
        name, _, password = userinfo.partition(":")
        login = f"{urllib.parse.unquote(name)}:{urllib.parse.unquote(password)}"
        if user is not None and user != login:
            raise InputError("--user (or POLICY_KG_USER) and the login in the endpoint URL differ: give one")
        user = login
    url = urllib.parse.urlunsplit((parts.scheme, hostport, parts.path or "/", parts.query, ""))
    url += ("&" if parts.query else "?") + urllib.parse.urlencode({"graph": graph_iri})
    request = urllib.request.Request(url, data=data, method="PUT",
                                     headers={"Content-Type": "text/turtle; charset=utf-8"})
    if user:
        request.add_header("Authorization", "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii"))

    exchange = _Exchange()
    outcome: dict = {}

    def put() -> None:
        try:
            with exchange.opener().open(request, timeout=timeout) as response:
                outcome["status"] = response.status
        except urllib.error.HTTPError as exc:
            outcome["error"] = exc
            try:
                outcome["detail"] = exc.read(65536).decode("utf-8", "replace").strip().splitlines()[:1]
            except Exception:  # noqa: BLE001 - the status says enough
                pass
        except Exception as exc:  # noqa: BLE001 - reported below as one line
            outcome["error"] = exc

    worker = threading.Thread(target=put, name="policy-kg publish", daemon=True)
    worker.start()
    try:
        worker.join(timeout)
    finally:
        if worker.is_alive():
            exchange.expire()  # the cut connection ends the worker at once; a hung name lookup ends on its own
            worker.join(1.0)
    if exchange.expired or _timed_out(outcome.get("error")):
        raise InputError(f"{shown}: no complete answer within {timeout:g} s")
    error = outcome.get("error")
    if error is None:
        return outcome["status"]
    if isinstance(error, urllib.error.HTTPError):
        detail = "".join(c if c.isprintable() else "?" for c in " ".join(outcome.get("detail", [])))[:200]
        detail = _scrub(detail, secrets)  # the store's first line, without terminal controls or credentials
        raise InputError(_scrub(f"{shown} answered {error.code} {error.reason}", secrets)
                         + (f": {detail}" if detail else ""))
    if isinstance(error, urllib.error.URLError):  # before the request was sent: connecting, TLS
        raise InputError(f"cannot reach {shown}: {_scrub(_why(error.reason), secrets)}")
    raise InputError(f"{shown}: {_scrub(_why(error), secrets)}")


class _Exchange:
    """An opener whose connections can be shut down from another thread (at the deadline)."""

    def __init__(self):
        import threading

        self.connections: list = []
        self.lock = threading.Lock()
        self.expired = False

    def _track(self, connection_class):
        def make(host, **kwargs):
            connection = connection_class(host, **kwargs)
            with self.lock:
                if self.expired:
                    raise TimeoutError("deadline passed")
                self.connections.append(connection)
            return connection

        return make

    def opener(self):
        import http.client
        import urllib.request

        track = self._track

        class Http(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(track(http.client.HTTPConnection), req)

        class Https(urllib.request.HTTPSHandler):
            def https_open(self, req):  # the default TLS context: certificates and host names checked
                return self.do_open(track(http.client.HTTPSConnection), req)

        return urllib.request.build_opener(Http, Https)  # with the usual proxy, redirect and error handlers

    def expire(self) -> None:
        import socket

        with self.lock:
            self.expired = True
            for connection in self.connections:
                sock = connection.sock
                if sock is not None:
                    try:  # the plain socket's shutdown, also under TLS: a blocked read or write returns at once
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
                    except OSError:
                        pass


def _timed_out(error: BaseException | None) -> bool:
    import urllib.error

    if isinstance(error, urllib.error.URLError) and not hasattr(error, "code"):
        error = error.reason
    return isinstance(error, TimeoutError)


def _why(error: BaseException | str) -> str:
    """What went wrong on the network, in a few words."""
    import http.client
    import socket
    import ssl

    if isinstance(error, str):
        return error
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed: {error.reason or error}"
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error.strerror})"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.BadStatusLine):
        return "not an HTTP answer"
    if isinstance(error, http.client.HTTPException):
        return f"not a valid HTTP answer ({type(error).__name__})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
