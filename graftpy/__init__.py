"""graftpy: merge YAML documents and evaluate graft's (( operator )) expressions."""

__version__ = "0.1.0"
