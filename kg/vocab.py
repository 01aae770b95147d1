"""The project's vocabulary: one place that names every term of ``ontology/policy-kg.ttl``.

A test keeps this module and the ontology file in step.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespace

ELI = Namespace("http://data.europa.eu/eli/ontology#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


class POL(DefinedNamespace):
    """policy-kg ontology terms (``pol:``)."""

    _NS = Namespace("https://w3id.org/policy-kg/ontology#")
    _fail = True

    # classes
    AreaParagraph: URIRef
    Citation: URIRef
    CitationKind: URIRef
    CollectiveUnit: URIRef
    Comparator: URIRef
    ImplementationPeriod: URIRef
    Indicator: URIRef
    JurisdictionLevel: URIRef
    KeyTask: URIRef
    Measure: URIRef
    Notice: URIRef
    OrganisationalGuarantee: URIRef
    OverallGoal: URIRef
    PolicyArea: URIRef
    PolicyDocument: URIRef
    PolicyText: URIRef
    Principle: URIRef
    ResponsibilityRole: URIRef
    Section: URIRef
    Target: URIRef
    TaskList: URIRef
    UnitClassification: URIRef

    # properties
    addressee: URIRef
    area: URIRef
    ccRecipient: URIRef
    citationKind: URIRef
    citedDocument: URIRef
    citingVerb: URIRef
    comparator: URIRef
    contact: URIRef
    deadline: URIRef
    declaredMeasureCount: URIRef
    dueDate: URIRef
    dueYear: URIRef
    goalYear: URIRef
    hasCitation: URIRef
    hasIndicator: URIRef
    hasKeyTask: URIRef
    hasMeasure: URIRef
    hasTarget: URIRef
    inGazetteer: URIRef
    jurisdiction: URIRef
    isLongTerm: URIRef
    jurisdictionLevel: URIRef
    layout: URIRef
    leadUnit: URIRef
    nameAsWritten: URIRef
    normalisedValue: URIRef
    number: URIRef
    numberPath: URIRef
    period: URIRef
    phoneRedacted: URIRef
    position: URIRef
    printDate: URIRef
    privacyProfile: URIRef
    recurring: URIRef
    releaseStatement: URIRef
    responsibleUnit: URIRef
    sourceLine: URIRef
    status: URIRef
    supportUnit: URIRef
    text: URIRef
    unnumbered: URIRef

    # individuals
    Applies: URIRef
    Approximately: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    Comparators: URIRef
    Exactly: URIRef
    LessThan: URIRef
    MoreThan: URIRef
    CitationKinds: URIRef
    JurisdictionLevels: URIRef
    Mentions: URIRef
    Municipal: URIRef
    National: URIRef
    Produces: URIRef
    Provincial: URIRef
    CentralGovernmentBranch: URIRef
    CourtOrProcuratorate: URIRef
    DistrictCountyGovernment: URIRef
    LeadRole: URIRef
    MassOrganisation: URIRef
    MunicipalDepartment: URIRef
    NationalAdministration: URIRef
    PartyCommitteeDepartment: URIRef
    ProvincialDepartment: URIRef
    PublicInstitution: URIRef
    ResponsibleRole: URIRef
    StateCouncilAgency: URIRef
    StateCouncilDepartment: URIRef
    StateOwnedEnterprise: URIRef
    SupportRole: URIRef
    UnitClassifications: URIRef


ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/ontology")
POLSH = Namespace("https://w3id.org/policy-kg/shapes#")
# shape profiles a document may meet beyond the core (dcterms:conformsTo), by the name the readers give them
PROFILES = {"task-list": POLSH.TaskListProfile}
DEFAULT_BASE = "https://w3id.org/policy-kg/id/"

PREFIXES = {
    "pol": POL._NS,
    "eli": ELI,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "time": TIME,
    "vcard": VCARD,
    "schema": SDO,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

__all__ = ["POL", "POLSH", "PROFILES", "ELI", "DCAT", "PREFIXES", "ONTOLOGY_IRI", "DEFAULT_BASE", "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS",
           "SDO", "SKOS", "TIME", "VCARD", "XSD"]
