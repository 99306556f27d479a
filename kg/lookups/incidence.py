"""The figure-by-gene incidence table that co-occurrence analysis starts from.

A figure is the document unit: a gene "occurs" in a figure when the figure mentions it at
least once (with the evidence the caller accepts). The table is a sparse 0/1 matrix, figures
by genes, read from any store with one SPARQL query.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample")], out)
>>> table = gene_figure_table(out / "pfocr.ttl", taxon=9606)
>>> table.matrix.shape[0] > 30, table.symbols[table.genes.index("http://identifiers.org/ncbigene/6774")]
(True, 'STAT3')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.index import Index, open_index
from kg.model import evidence_label
from kg.rdf import iris
from kg.store import TripleStore, open_store

if TYPE_CHECKING:  # imported where tables are made: commands that make none start sooner
    import numpy as np
    import scipy.sparse as sp

__all__ = [
    "DEFAULT_MAX_FIGURE_GENES",
    "GeneFigureTable",
    "gene_figure_table",
]

# Figures with more genes than this are left out by default: a figure listing hundreds of
# genes (a heat map, a gene list) makes every pair among them co-occur once and swamps the
# statistics. The largest pathway diagrams of the sample mention about 100 genes.
DEFAULT_MAX_FIGURE_GENES = 100


_MENTIONS = """
SELECT ?figure ?gene ?symbol ?taxon ?source WHERE {
  ?figure pfocr:hasMention ?mention .
  ?mention a pfocr:GeneMention ; pfocr:mentionOf ?gene .
  ?gene obo:RO_0002162 ?taxon .
  OPTIONAL { ?gene rdfs:label ?symbol }
  OPTIONAL { ?mention pfocr:matchSource ?source }
}
"""


@dataclass(slots=True)
class GeneFigureTable:
    """Figures (rows) by genes (columns), 0/1, with what each gene is.

    ``genes`` are NCBI Gene IRIs, or ``symbol:XYZ`` keys when genes were merged across
    organisms by upper-cased symbol.
    """

    figures: list[str]
    genes: list[str]
    symbols: list[str | None]
    taxa: list[str | None]
    matrix: sp.csr_matrix
    dropped_hub_figures: int = 0
    settings: dict[str, object] = field(default_factory=dict)
    _names: tuple[dict[str, int], dict[str, list[int]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _by_gene: tuple[sp.csc_matrix, np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def by_gene(self) -> tuple[sp.csc_matrix, np.ndarray]:
        """The table by gene (CSC: a gene's figures without a scan of every pair) and each
        figure's gene count (made once per table, for many enrichments of one table)."""
        import numpy as np

        if self._by_gene is None:
            sizes = np.diff(self.matrix.indptr).astype(np.int64)  # 0/1: stored = genes
            self._by_gene = (self.matrix.tocsc(), sizes)
        return self._by_gene

    def columns_by_name(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        """The columns of each NCBI Gene id, and of each upper-cased symbol (made once per
        table: a server resolves many gene lists against one table)."""
        if self._names is None:
            by_id = {iris.gene_id(gene) or gene: i for i, gene in enumerate(self.genes)}
            by_symbol: dict[str, list[int]] = {}
            for i, symbol in enumerate(self.symbols):
                if symbol:
                    by_symbol.setdefault(symbol.upper(), []).append(i)
            self._names = (by_id, by_symbol)
        return self._names

    @property
    def figure_counts(self) -> np.ndarray:
        """How many figures mention each gene."""
        import numpy as np

        return np.asarray(self.matrix.sum(axis=0)).ravel()


def _rows(source: TripleStore | str | Path, taxon: str | int | None) -> list[dict]:
    params = {"taxon": ox.NamedNode(iris.taxon(str(int(taxon))))} if taxon else {}
    if isinstance(source, TripleStore):
        return source.query(_MENTIONS, params).rows
    with open_store(source) as store:
        return store.query(_MENTIONS, params).rows


def gene_figure_table(
    source: TripleStore | str | Path,
    *,
    taxon: str | int | None = None,
    merge_symbols: bool = False,
    exclude_sources: Iterable[str] = (),
    max_figure_genes: int = DEFAULT_MAX_FIGURE_GENES,
) -> GeneFigureTable:
    """Read the figure-by-gene table from ``source`` (a store, a store folder or an RDF file).

    A store the build made has an answer index (:mod:`kg.index`) beside it; the table is
    then read from the index's arrays instead of a SPARQL scan of every mention, with the
    same result.

    Parameters
    ----------
    taxon : keep genes of this NCBI Taxonomy id only.
    merge_symbols : one node per upper-cased symbol across organisms (orthology-naive:
        human ``STAT3`` and mouse ``Stat3`` become ``symbol:STAT3``).
    exclude_sources : match sources whose evidence does not count (see
        :data:`kg.model.SYNONYM_SOURCES`, :data:`kg.model.FAMILY_SOURCES`); a gene still
        counts for a figure if any other mention of it there has another source.
    max_figure_genes : leave out figures mentioning more genes than this; 0 means no cap.
    """
    import numpy as np
    import scipy.sparse as sp

    excluded = frozenset(exclude_sources)
    if isinstance(source, TripleStore):
        found = _from_index(source, taxon, merge_symbols, excluded)
        if found is None:
            found = _from_rows(_rows(source, taxon), merge_symbols, excluded)
    else:
        with open_store(source) as store:
            found = _from_index(store, taxon, merge_symbols, excluded)
            if found is None:
                found = _from_rows(_rows(store, taxon), merge_symbols, excluded)
    figures, genes, about, rows, cols = found
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(figures), len(genes))
    )
    matrix.data[:] = 1  # a pair counts once, however many mentions it has
    dropped = 0
    if max_figure_genes > 0 and figures:
        keep = np.asarray(matrix.sum(axis=1)).ravel() <= max_figure_genes
        dropped = int((~keep).sum())
        matrix = matrix[keep]
        figures = [f for f, k in zip(figures, keep, strict=True) if k]
        present = np.asarray(matrix.sum(axis=0)).ravel() > 0
        matrix = matrix[:, present].tocsr()
        genes = [g for g, p in zip(genes, present, strict=True) if p]
    return GeneFigureTable(
        figures=figures,
        genes=genes,
        symbols=[about[g][0] for g in genes],
        taxa=[about[g][1] for g in genes],
        matrix=matrix,
        dropped_hub_figures=dropped,
        settings={
            "taxon": None if taxon is None else str(taxon),
            "merge_symbols": merge_symbols,
            "exclude_sources": sorted(excluded),
            "evidence": evidence_label(excluded),
            "max_figure_genes": max_figure_genes,
        },
    )


# figures, gene keys (both sorted), what each key is, and the pairs' row and column numbers
_Found = tuple[
    list[str], list[str], dict[str, tuple[str | None, str | None]], "np.ndarray", "np.ndarray"
]


def _from_rows(rows: list[dict], merge_symbols: bool, excluded: frozenset[str]) -> _Found:
    """The pairs from the SPARQL mention rows."""
    import numpy as np

    pairs: dict[tuple[str, str], None] = {}
    about: dict[str, tuple[str | None, str | None]] = {}
    for row in rows:
        if row["source"] in excluded:
            continue
        symbol = row["symbol"]
        if merge_symbols:
            if not symbol:
                continue  # a gene with no symbol cannot be merged by symbol
            key = f"symbol:{symbol.upper()}"
            about.setdefault(key, (symbol.upper(), None))
        else:
            key = row["gene"]
            about.setdefault(key, (symbol, row["taxon"]))
        pairs[(row["figure"], key)] = None
    figures = sorted({figure for figure, _ in pairs})
    genes = sorted(about)
    figure_index = {f: i for i, f in enumerate(figures)}
    gene_index = {g: i for i, g in enumerate(genes)}
    rows_ = np.fromiter((figure_index[f] for f, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((gene_index[g] for _, g in pairs), dtype=np.int64, count=len(pairs))
    return figures, genes, about, rows_, cols


def _from_index(
    store: TripleStore, taxon: str | int | None, merge_symbols: bool, excluded: frozenset[str]
) -> _Found | None:
    """The pairs from the store's answer index; ``None`` when it has none, or when the
    evidence choice is not one of the tiers it holds."""
    index = open_index(store)
    if index is None:
        return None
    try:
        bit = index.tier_bit(excluded)
    except KeyError:
        return None
    return _index_pairs(index, taxon, merge_symbols, bit)


def _index_pairs(index: Index, taxon: str | int | None, merge_symbols: bool, bit: int) -> _Found:
    import numpy as np

    genes = index.genes
    wanted = iris.taxon(str(int(taxon))) if taxon else None
    keys: list[str | None] = []
    about: dict[str, tuple[str | None, str | None]] = {}
    for iri, symbol, gene_taxon in zip(genes.iris, genes.symbols, genes.taxa, strict=True):
        if gene_taxon is None or (wanted is not None and gene_taxon != wanted):
            keys.append(None)
        elif merge_symbols:
            key = f"symbol:{symbol.upper()}" if symbol else None
            if key is not None:
                about.setdefault(key, (symbol.upper(), None))  # type: ignore[union-attr]
            keys.append(key)
        else:
            keys.append(iri)
            about[iri] = (symbol, gene_taxon)
    gene_keys = sorted(about)
    key_column = {key: place for place, key in enumerate(gene_keys)}
    column_of = np.array([key_column.get(k, -1) for k in keys], dtype=np.int64)
    incidence = index.incidence
    figure_of = np.repeat(
        np.arange(len(incidence.indptr) - 1, dtype=np.int64), np.diff(incidence.indptr)
    )
    cols = column_of[incidence.genes]
    keep = cols >= 0
    if bit:
        keep &= (incidence.tiers & bit) != 0
    figure_of, cols = figure_of[keep], cols[keep]
    # Only genes with a pair kept, as from the mention rows.
    present = np.flatnonzero(np.bincount(cols, minlength=len(gene_keys)))  # sorted, no sort
    gene_keys = [gene_keys[c] for c in present.tolist()]
    about = {key: about[key] for key in gene_keys}
    renumber = np.zeros(len(key_column), dtype=np.int64)
    renumber[present] = np.arange(len(present))
    cols = renumber[cols]
    used = np.flatnonzero(np.bincount(figure_of, minlength=len(incidence.indptr) - 1))
    figure_iris = index.figure_iris
    named = sorted((figure_iris[f], f) for f in used.tolist())
    row_of = np.zeros(len(figure_iris), dtype=np.int64)
    row_of[[f for _, f in named]] = np.arange(len(named))
    return [iri for iri, _ in named], gene_keys, about, row_of[figure_of], cols
