"""Analyses over figures as documents: gene co-occurrence (networkx) and gene-set enrichment.

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

from kg.analysis.cooccurrence import (
    EDGE_ATTRIBUTES,
    SMALLEST_FIRST,
    WEIGHTS,
    EdgeAttributes,
    PairScores,
    benjamini_hochberg,
    cooccurrence_graph,
    count_pairs,
    score_pairs,
)
from kg.analysis.enrichment import ENRICHMENT_COLUMNS, UNIVERSES, Enrichment, enrich, read_gene_list
from kg.analysis.measures import (
    betweenness,
    communities,
    components,
    ego_network,
    find_genes,
    pagerank,
    summary,
    top_partners,
    weighted_degree,
    without_isolates,
)
from kg.analysis.networkfiles import cooccurrence_triples, edge_list_csv, write_graph
from kg.lookups.incidence import (
    DEFAULT_MAX_FIGURE_GENES,
    GeneFigureTable,
    gene_figure_table,
)
from kg.model import FAMILY_SOURCES, SYNONYM_SOURCES  # re-exported: analyses take them

__all__ = [
    "DEFAULT_MAX_FIGURE_GENES",
    "EDGE_ATTRIBUTES",
    "ENRICHMENT_COLUMNS",
    "FAMILY_SOURCES",
    "SMALLEST_FIRST",
    "SYNONYM_SOURCES",
    "UNIVERSES",
    "WEIGHTS",
    "EdgeAttributes",
    "Enrichment",
    "GeneFigureTable",
    "PairScores",
    "benjamini_hochberg",
    "betweenness",
    "communities",
    "components",
    "cooccurrence_graph",
    "cooccurrence_triples",
    "count_pairs",
    "edge_list_csv",
    "ego_network",
    "enrich",
    "find_genes",
    "gene_figure_table",
    "pagerank",
    "read_gene_list",
    "score_pairs",
    "summary",
    "top_partners",
    "weighted_degree",
    "without_isolates",
    "write_graph",
]
