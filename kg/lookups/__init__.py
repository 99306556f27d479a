"""What analyses and exports read from a store: figures and the figure-by-gene table.

Both :mod:`kg.analysis` and :mod:`kg.exports` start from these lookups, so they live here,
below both, and neither imports the other.

* :mod:`kg.lookups.figures`: each figure's figid, title and paper;
* :mod:`kg.lookups.incidence`: the sparse figure-by-gene table, with the evidence chosen.
"""

from kg.lookups.figures import FigureInfo, figure_info
from kg.lookups.incidence import (
    DEFAULT_MAX_FIGURE_GENES,
    GeneFigureTable,
    gene_figure_table,
)

__all__ = [
    "DEFAULT_MAX_FIGURE_GENES",
    "FigureInfo",
    "GeneFigureTable",
    "figure_info",
    "gene_figure_table",
]
