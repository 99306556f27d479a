"""Analyses over figures as documents: gene co-occurrence (networkx) and gene-set enrichment.

The names below load their module, and with it networkx, numpy and scipy, when first used
(PEP 562): a command that only parses its arguments, or builds, loads none of them.

Example
-------
>>> import pathlib, tempfile, kg
>>> from kg.analysis import cooccurrence_graph, top_partners
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample")], out)
>>> G = cooccurrence_graph(out / "pfocr.ttl", taxon=9606, min_figures=2)
>>> [p["symbol"] for p in top_partners(G, "MAPK1", n=3, score="figures")]
['MAPK3', 'MAPK10', 'MAPK8']
"""

from __future__ import annotations

import importlib
from typing import Any

from kg.analysis.names import EDGE_ATTRIBUTES, SMALLEST_FIRST, UNIVERSES, WEIGHTS
from kg.lookups import DEFAULT_MAX_FIGURE_GENES, GeneFigureTable, gene_figure_table
from kg.model import FAMILY_SOURCES, SYNONYM_SOURCES  # re-exported: analyses take them

# Each module's public names, loaded on first use.
_LAZY = {
    "cooccurrence": (
        "EdgeAttributes",
        "PairScores",
        "benjamini_hochberg",
        "cooccurrence_graph",
        "count_pairs",
        "score_pairs",
    ),
    "enrichment": ("ENRICHMENT_COLUMNS", "Enrichment", "enrich", "read_gene_list"),
    "measures": (
        "betweenness",
        "communities",
        "components",
        "ego_network",
        "find_genes",
        "pagerank",
        "summary",
        "top_partners",
        "weighted_degree",
        "without_isolates",
    ),
    "networkfiles": ("GRAPH_FORMATS", "cooccurrence_triples", "edge_list_csv", "write_graph"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "DEFAULT_MAX_FIGURE_GENES",
    "EDGE_ATTRIBUTES",
    "FAMILY_SOURCES",
    "SMALLEST_FIRST",
    "SYNONYM_SOURCES",
    "UNIVERSES",
    "WEIGHTS",
    "GeneFigureTable",
    "gene_figure_table",
]
__all__ += list(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return [*__all__, *_LAZY, "names"]
