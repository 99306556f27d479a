"""The names analyses answer to: scores, weights and enrichment universes.

Commands and the web page build their choices from these, so this module imports nothing:
``pfocr-kg`` parses its arguments without loading networkx, numpy or scipy.

>>> "npmi" in WEIGHTS, "q_value" in WEIGHTS, UNIVERSES[0]
(True, False, 'all-figure-genes')
"""

from __future__ import annotations

__all__ = ["EDGE_ATTRIBUTES", "SMALLEST_FIRST", "UNIVERSES", "WEIGHTS"]

# The scores of a gene pair (kg.analysis.cooccurrence), in the order tables and files give them.
EDGE_ATTRIBUTES = ("figures", "jaccard", "pmi", "npmi", "score", "p_value", "q_value")
# Scores that rank smallest first; the others rank largest first and can weight an edge.
SMALLEST_FIRST = frozenset({"p_value", "q_value"})
WEIGHTS = tuple(name for name in EDGE_ATTRIBUTES if name not in SMALLEST_FIRST)

# The backgrounds enrichment counts against when the caller gives no gene list of its own
# (kg.analysis.enrichment): every gene any figure of the taxon mentions.
UNIVERSES = ("all-figure-genes",)
