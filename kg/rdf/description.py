"""A VoID and DCAT description of a built graph: size, classes, predicates, license, source.

The description is its own small graph (``void.ttl`` beside ``pfocr.ttl``), in the W3C
vocabularies that dataset catalogues read: ``void:Dataset`` with ``void:triples``, one
``void:classPartition`` per class (``void:entities``) and one ``void:propertyPartition`` per
predicate (``void:triples``); ``dcat:Dataset`` with ``dcterms:license``, ``dcterms:source``,
``dcterms:created`` and ``dcat:version``.

Example
-------
>>> stats = GraphStatistics(
...     triples=3,
...     classes={"http://purl.org/spar/fabio/Figure": 1},
...     properties={"http://purl.org/dc/terms/title": 2, RDF.type.value: 1},
...     licenses=["https://creativecommons.org/publicdomain/zero/1.0/"],
... )
>>> description = void_triples(stats, version="0.1.0", created="2026-11-26T12:00:00+00:00")
>>> [t.object.value for t in description if t.predicate == VOID.triples][0]
'3'
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.rdf import iris
from kg.rdf.ntriples import Statement, iri_value
from kg.rdf.vocab import DCAT, DCTERMS, RDF, SCHEMA, VOID, XSD

__all__ = [
    "DATASET",
    "PFOCR_SOURCE",
    "VOID_PREFIXES",
    "GraphStatistics",
    "StatementCounts",
    "void_triples",
    "void_turtle",
]

DATASET = ox.NamedNode(iris.dataset())
PFOCR_SOURCE = ox.NamedNode(iris.PFOCR_SITE)
VOID_PREFIXES = {
    "void": VOID.base,
    "dcat": DCAT.base,
    "dcterms": DCTERMS.base,
    "xsd": XSD.base,
}


@dataclass(slots=True)
class GraphStatistics:
    """Counts that describe a graph: triples, entities per class, triples per predicate."""

    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    licenses: list[str] = field(default_factory=list)


_RDF_TYPE, _LICENSE = RDF.nt.type, SCHEMA.nt.license


@dataclass(slots=True)
class StatementCounts:
    """What :class:`GraphStatistics` counts, tallied over statements as they are made.

    Counts add up (:meth:`update`), so a parallel build counts each figure where it is
    made and sums the counts, instead of sending the statements themselves.
    """

    triples: int = 0
    predicates: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    licenses: set[str] = field(default_factory=set)

    def add(self, statements: list[Statement]) -> StatementCounts:
        """Count ``statements`` (each time it is given them); return ``self``."""
        self.triples += len(statements)
        self.predicates.update([predicate for _, predicate, _ in statements])
        for _, predicate, obj in statements:
            if predicate == _RDF_TYPE:
                self.classes[obj] += 1
            elif predicate == _LICENSE and obj[0] == "<":
                self.licenses.add(obj)
        return self

    def update(self, other: StatementCounts) -> None:
        """Add ``other``'s counts to these."""
        self.triples += other.triples
        self.predicates.update(other.predicates)
        self.classes.update(other.classes)
        self.licenses.update(other.licenses)

    def statistics(self) -> GraphStatistics:
        """The counts as IRIs and numbers."""
        return GraphStatistics(
            triples=self.triples,
            classes={iri_value(c): n for c, n in self.classes.items()},
            properties={iri_value(p): n for p, n in self.predicates.items()},
            licenses=sorted(iri_value(x) for x in self.licenses),
        )


def _partition(kind: str, iri: str) -> ox.NamedNode:
    # Stable across builds, and safe for any IRI a class or predicate may have.
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
    return ox.NamedNode(f"{DATASET.value}/{kind}-partition/{digest}")


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def void_triples(
    stats: GraphStatistics,
    *,
    version: str,
    created: str,
    title: str = "PFOCR knowledge graph",
    description: str = "Pathway figures from PubMed Central (PFOCR) with the papers, "
    "organisms, genes, chemicals and diseases they mention, built by pfocr-kg.",
) -> list[ox.Triple]:
    """The VoID + DCAT description of a graph with ``stats``.

    ``version`` is the pfocr-kg version that built it; ``created`` an ISO 8601 date-time.
    """
    d = DATASET
    out = [
        ox.Triple(d, RDF.type, VOID.Dataset),
        ox.Triple(d, RDF.type, DCAT.Dataset),
        ox.Triple(d, DCTERMS.title, ox.Literal(title, language="en")),
        ox.Triple(d, DCTERMS.description, ox.Literal(description, language="en")),
        ox.Triple(d, DCTERMS.source, PFOCR_SOURCE),
        ox.Triple(d, DCTERMS.created, ox.Literal(created, datatype=XSD.dateTime)),
        ox.Triple(d, DCAT.version, ox.Literal(version)),
        ox.Triple(d, VOID.triples, _integer(stats.triples)),
        ox.Triple(d, VOID.classes, _integer(len(stats.classes))),
        ox.Triple(d, VOID.properties, _integer(len(stats.properties))),
    ]
    out.extend(ox.Triple(d, DCTERMS.license, ox.NamedNode(x)) for x in sorted(stats.licenses))
    partitions: list[ox.Triple] = []  # after the dataset's own, so Turtle groups by subject
    for iri, entities in sorted(stats.classes.items()):
        part = _partition("class", iri)
        out.append(ox.Triple(d, VOID.classPartition, part))
        partitions.append(ox.Triple(part, VOID.term("class"), ox.NamedNode(iri)))
        partitions.append(ox.Triple(part, VOID.entities, _integer(entities)))
    for iri, triples in sorted(stats.properties.items()):
        part = _partition("property", iri)
        out.append(ox.Triple(d, VOID.propertyPartition, part))
        partitions.append(ox.Triple(part, VOID.property, ox.NamedNode(iri)))
        partitions.append(ox.Triple(part, VOID.triples, _integer(triples)))
    return out + partitions


def void_turtle(triples: Iterable[ox.Triple]) -> bytes:
    """``triples`` as Turtle with the VoID prefixes."""
    return ox.serialize(list(triples), format=ox.RdfFormat.TURTLE, prefixes=VOID_PREFIXES)
