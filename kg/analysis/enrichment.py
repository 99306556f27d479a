"""Over-representation of a gene list in pathway figures (each figure a gene set).

For a universe of ``N`` genes, a figure with ``K`` of them and a query list with ``n`` of
them, ``k`` shared, the one-sided hypergeometric p-value is ``P(X >= k)`` for
``X ~ Hypergeom(N, K, n)`` (Fisher's exact test, one-sided), and the odds ratio is the
sample odds ratio of the 2x2 table, ``k (N - K - n + k) / ((K - k) (n - k))``. q-values are
Benjamini-Hochberg over every figure tested: every figure with at least one universe gene,
including those sharing no gene with the list (leaving them out would undercount the tests).

The universe defaults to every gene that any figure of the taxon mentions
(``"all-figure-genes"``), as PFOCR's enrichment tools use it; a caller's own background (the
genes an experiment measured) is the better choice when there is one, and is intersected with
the figure genes, since genes no figure mentions cannot be drawn into any figure's set.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample")], out)
>>> result = enrich(out / "pfocr.ttl", ["STAT3", "JAK1", "JAK2", "NOTAGENE"], taxon=9606)
>>> result.unknown
['NOTAGENE']
>>> result.rows[0]["overlap_genes"]
'JAK1 JAK2 STAT3'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.analysis.cooccurrence import benjamini_hochberg, hypergeometric_sf
from kg.analysis.names import UNIVERSES
from kg.files import read_bounded
from kg.lookups.figures import figure_info
from kg.lookups.incidence import GeneFigureTable, gene_figure_table
from kg.model import evidence_label
from kg.store import QueryResult, TripleStore, open_store

__all__ = ["ENRICHMENT_COLUMNS", "Enrichment", "enrich", "read_gene_list"]

ENRICHMENT_COLUMNS = (
    "figure",
    "figid",
    "title",
    "paper",
    "overlap",
    "figure_genes",
    "overlap_genes",
    "odds_ratio",
    "p_value",
    "q_value",
)


@dataclass(slots=True)
class Enrichment:
    """Figures ranked by over-representation of a gene list (smallest p first).

    ``rows`` are dicts with :data:`ENRICHMENT_COLUMNS` for the figures sharing at least one
    gene with the list; ``tested`` counts every figure tested (the BH denominator).
    """

    rows: list[dict[str, Any]]
    query_genes: list[str]
    unknown: list[str]
    outside_universe: list[str]
    universe_size: int
    tested: int
    settings: dict[str, object] = field(default_factory=dict)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.rows]

    def to_result(self) -> QueryResult:
        """The rows as a :class:`~kg.store.QueryResult` (for CSV, JSON, tables)."""
        return QueryResult(list(ENRICHMENT_COLUMNS), self.to_dicts())

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas)."""
        return self.to_result().to_dataframe()


MAX_GENE_LIST_BYTES = 16 * 1024 * 1024


def read_gene_list(path: Path) -> list[str]:
    """Genes from a text file: one or more per line (tabs, commas or spaces); ``#`` comments.

    Raises
    ------
    OSError : the file is not a regular file, larger than 16 MiB, or unreadable.
    ValueError : it is not UTF-8 text.
    """
    genes = []
    for line in read_bounded(path, MAX_GENE_LIST_BYTES).decode("utf-8").splitlines():
        text = line.split("#", 1)[0].replace(",", " ")
        genes.extend(text.split())
    return genes


def _resolve(
    names: Iterable[str], table: GeneFigureTable
) -> tuple[dict[str, list[int]], list[str]]:
    """Column indexes for each name (an NCBI Gene id, or a symbol in any case)."""
    by_id, by_symbol = table.columns_by_name()
    found: dict[str, list[int]] = {}
    unknown = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        columns = [by_id[name]] if name in by_id else by_symbol.get(name.upper(), [])
        if columns:
            found[name] = columns
        else:
            unknown.append(name)
    return found, unknown


def _odds_ratio(k: np.ndarray, figure: np.ndarray, n: int, total: int) -> np.ndarray:
    a, b, c = k, figure - k, n - k
    d = total - figure - n + k
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (a * d) / (b * c)
    return np.where((b * c) == 0, np.where(a * d == 0, np.nan, np.inf), ratio)


def enrich(
    source: TripleStore | str | Path,
    genes: Iterable[str],
    *,
    taxon: str | int = 9606,
    universe: str | Iterable[str] = "all-figure-genes",
    top: int | None = None,
    exclude_sources: Iterable[str] = (),
    table: GeneFigureTable | None = None,
) -> Enrichment:
    """Rank the figures of ``taxon`` by over-representation of ``genes``.

    Parameters
    ----------
    source : a store, a store folder or an RDF file.
    genes : gene symbols (any case) or NCBI Gene ids; names matching no gene of the taxon
        are listed in ``unknown``.
    universe : ``"all-figure-genes"`` (every gene a figure of the taxon mentions), or the
        caller's background genes (symbols or ids), intersected with the figure genes.
    top : keep the best ``top`` rows (default: every figure sharing a gene with the list).
    exclude_sources : match sources whose evidence does not count (``kg.model.SYNONYM_SOURCES``,
        ``kg.model.FAMILY_SOURCES``); by default all evidence counts, as in PFOCR.
    table : the figure-by-gene table of ``source`` for this taxon and evidence, read before
        (``gene_figure_table(source, taxon=taxon, exclude_sources=..., max_figure_genes=0)``),
        for a caller that runs many enrichments on one store (a server).
    """
    excluded = frozenset(exclude_sources)
    if isinstance(source, TripleStore):
        return _enrich(source, list(genes), taxon, universe, top, excluded, table)
    with open_store(source) as store:
        return _enrich(store, list(genes), taxon, universe, top, excluded, table)


def _universe(table: GeneFigureTable, universe: str | Iterable[str]) -> tuple[np.ndarray, str]:
    """Which genes (columns) are in the universe, and how to say what it is."""
    if isinstance(universe, str):
        if universe not in UNIVERSES:
            raise ValueError(f"unknown universe {universe!r}; give {UNIVERSES} or a gene list")
        return np.ones(len(table.genes), dtype=bool), universe
    background, _ = _resolve(universe, table)
    mask = np.zeros(len(table.genes), dtype=bool)
    for columns in background.values():
        mask[columns] = True
    return mask, f"{int(mask.sum())} background genes mentioned by figures"


@dataclass(slots=True)
class _Tests:
    """One test per figure with a universe gene: sizes, overlaps and statistics."""

    tested: np.ndarray
    figure_sizes: np.ndarray
    overlap: np.ndarray
    p_values: np.ndarray
    q_values: np.ndarray
    odds: np.ndarray

    @classmethod
    def run(cls, figure_sizes: np.ndarray, overlap: np.ndarray, n: int, total: int) -> _Tests:
        """The tests of every figure with a universe gene: ``figure_sizes`` and ``overlap``
        (query genes in it) per figure; ``n`` query genes of ``total`` in the universe."""
        tested = np.flatnonzero(figure_sizes > 0)
        p_values = np.ones(len(tested))
        hits = overlap[tested] > 0
        p_values[hits] = hypergeometric_sf(
            overlap[tested][hits],
            figure_sizes[tested][hits],
            np.full(int(hits.sum()), n, dtype=np.int64),
            total,
        )
        q_values = benjamini_hochberg(p_values) if len(p_values) else p_values
        odds = _odds_ratio(overlap[tested], figure_sizes[tested], n, total)
        return cls(tested, figure_sizes, overlap, p_values, q_values, odds)


def _enrich(
    store: TripleStore,
    names: list[str],
    taxon: str | int,
    universe: str | Iterable[str],
    top: int | None,
    excluded: frozenset[str],
    table: GeneFigureTable | None,
) -> Enrichment:
    if table is None:
        table = gene_figure_table(store, taxon=taxon, max_figure_genes=0, exclude_sources=excluded)
    in_universe, universe_label = _universe(table, universe)
    found, unknown = _resolve(names, table)
    query = np.zeros(len(table.genes), dtype=bool)
    outside = []
    for name, columns in found.items():
        inside = [c for c in columns if in_universe[c]]
        if inside:
            query[inside] = True
        else:
            outside.append(name)
    universe_genes = np.flatnonzero(in_universe)
    by_gene, figure_sizes = table.by_gene()
    if len(universe_genes) < len(table.genes):  # a background: its genes' columns only
        by_gene = by_gene[:, universe_genes]
        figure_sizes = np.bincount(by_gene.indices, minlength=len(table.figures))
    query_columns = query[in_universe]
    total = int(in_universe.sum())
    # The query genes' columns only: their figures, and so each figure's overlap.
    query_genes = np.flatnonzero(query_columns)
    shared_table = by_gene[:, query_genes].tocsr()
    overlap = np.diff(shared_table.indptr).astype(np.int64)
    tests = _Tests.run(figure_sizes, overlap, len(query_genes), total)
    hits = tests.overlap[tests.tested] > 0
    about = figure_info(store, {table.figures[row] for row in tests.tested[hits]})
    labels = [table.symbols[g] or table.genes[g] for g in universe_genes[query_genes]]
    rows = []
    for position in np.flatnonzero(hits):
        row = tests.tested[position]
        start, end = shared_table.indptr[row], shared_table.indptr[row + 1]
        shared = sorted(labels[c] for c in shared_table.indices[start:end])
        info = about.get(table.figures[row])
        rows.append(
            {
                "figure": table.figures[row],
                "figid": info.figid if info else "",
                "title": info.title if info else "",
                "paper": info.paper if info else None,
                "overlap": int(tests.overlap[row]),
                "figure_genes": int(tests.figure_sizes[row]),
                "overlap_genes": " ".join(shared),
                "odds_ratio": float(tests.odds[position]),
                "p_value": float(tests.p_values[position]),
                "q_value": float(tests.q_values[position]),
            }
        )
    rows.sort(key=lambda r: (r["p_value"], -r["overlap"], r["figid"]))
    if top is not None:
        rows = rows[:top]
    return Enrichment(
        rows=rows,
        query_genes=list(found),
        unknown=unknown,
        outside_universe=outside,
        universe_size=total,
        tested=len(tests.tested),
        settings={
            "taxon": str(taxon),
            "universe": universe_label,
            "evidence": evidence_label(excluded),
        },
    )
