"""The VoID + DCAT description of the graph in a store, its counts read by SPARQL.

``pfocr-kg build`` writes the same description from its own counts; this one describes any
store (say, after loading more into it).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from kg import __version__
from kg.files import atomic_write_bytes
from kg.rdf.description import GraphStatistics, void_triples, void_turtle
from kg.store import TripleStore

__all__ = ["graph_statistics", "write_void"]

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_LICENSES = """
SELECT DISTINCT ?license WHERE {
  ?figure a fabio:Figure ; schema:license ?license .
  FILTER(isIRI(?license))
}
"""


def graph_statistics(store: TripleStore) -> GraphStatistics:
    """Triples, entities per class, triples per predicate and figure licenses of ``store``."""
    return GraphStatistics(
        triples=store.query(_TRIPLES).rows[0]["n"],
        classes={r["class"]: r["n"] for r in store.query(_CLASSES).rows},
        properties={r["p"]: r["n"] for r in store.query(_PROPERTIES).rows},
        licenses=sorted(r["license"] for r in store.query(_LICENSES).rows),
    )


def write_void(store: TripleStore, path: Path) -> GraphStatistics:
    """Write the VoID description of ``store`` to ``path`` (Turtle); returns its counts."""
    stats = graph_statistics(store)
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    atomic_write_bytes(path, void_turtle(void_triples(stats, version=__version__, created=created)))
    return stats
