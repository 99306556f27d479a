"""Read PFOCR records and their companion TSVs into :mod:`kg.model` records (no RDF here)."""

from kg.sources.frontmatter import ReadLimits, RecordError, parse_front_matter, read_front_matter
from kg.sources.layout import Discovery, RecordSource, discover
from kg.sources.reader import RecordResult, read_record
from kg.sources.symbols import SymbolIndex, keyword_lookups, resolve_gene_keywords
from kg.sources.taxa import TaxonTable

__all__ = [
    "Discovery",
    "ReadLimits",
    "RecordError",
    "RecordResult",
    "RecordSource",
    "SymbolIndex",
    "TaxonTable",
    "discover",
    "keyword_lookups",
    "parse_front_matter",
    "read_front_matter",
    "read_record",
    "resolve_gene_keywords",
]
