"""Records to triples: vocabulary, IRI minting, JSON-LD processing and writers."""

from kg.rdf.figure import ENTITY_KINDS, FigureGraph, FigureMapper
from kg.rdf.jsonld import JsonLdConverter, OfflineContextLoader

__all__ = ["ENTITY_KINDS", "FigureGraph", "FigureMapper", "JsonLdConverter", "OfflineContextLoader"]
