"""policy-kg: Chinese government policy documents as a SHACL-validated knowledge graph."""

__version__ = "0.1.0"
