"""Gene co-occurrence over figures: pair counts, association scores, and the weighted graph.

For genes ``i`` and ``j`` mentioned by ``C_i`` and ``C_j`` of ``C`` figures, ``C_ij`` of them
both, each pair gets:

* ``figures``: ``C_ij``, the shared-figure count;
* ``jaccard``: ``C_ij / (C_i + C_j - C_ij)``;
* ``pmi``: ``log2(C_ij C / (C_i C_j))``, and ``npmi``: ``pmi / -log2(C_ij / C)``, in [-1, 1];
* ``score``: the co-occurrence score of the STRING and DISEASES text-mining channels,
  ``C_ij^a (C_ij C / (C_i C_j))^(1-a)`` with ``a = 0.6``;
* ``p_value``: one-sided hypergeometric ``P(X >= C_ij)`` for ``X ~ Hypergeom(C, C_i, C_j)``,
  and ``q_value``: its Benjamini-Hochberg adjustment over every tested pair (every pair
  that shares at least one figure, before the ``min_figures`` cut).

Pairs are counted with one sparse product of the figure-by-gene matrix with itself, so no
Python object is made per pair until the graph is built.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample")], out)
>>> G = cooccurrence_graph(out / "pfocr.ttl", taxon=9606, min_figures=2)
>>> G.edges["http://identifiers.org/ncbigene/5594", "http://identifiers.org/ncbigene/5595"]["figures"]
10
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.special import gammaln

from kg.analysis.names import EDGE_ATTRIBUTES
from kg.lookups.incidence import DEFAULT_MAX_FIGURE_GENES, GeneFigureTable, gene_figure_table
from kg.store import TripleStore

__all__ = [
    "TEXT_MINING_ALPHA",
    "EdgeAttributes",
    "PairScores",
    "benjamini_hochberg",
    "cooccurrence_graph",
    "count_pairs",
    "hypergeometric_sf",
    "score_pairs",
]

TEXT_MINING_ALPHA = 0.6
SMALL_N = 16


@dataclass(slots=True)
class PairScores:
    """Co-occurring gene pairs (``first < second`` column indices) that passed
    ``min_figures``, with their scores; ``tested`` counts every co-occurring pair."""

    first: np.ndarray
    second: np.ndarray
    figures: np.ndarray
    jaccard: np.ndarray
    pmi: np.ndarray
    npmi: np.ndarray
    score: np.ndarray
    p_value: np.ndarray
    q_value: np.ndarray
    total: int
    tested: int

    def __len__(self) -> int:
        return len(self.first)


def count_pairs(matrix: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of columns sharing rows: ``(i, j, count)`` with ``i < j``, from ``M^T M``.

    >>> m = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> [a.tolist() for a in count_pairs(m)]
    [[0, 0, 1], [1, 2, 2], [2, 1, 1]]
    """
    binary = sp.csr_matrix(matrix, dtype=np.int32)
    binary.data[:] = 1
    upper = sp.triu((binary.T @ binary).tocsr(), k=1, format="csr")
    upper.sort_indices()  # row-major order, so the output never depends on scipy's internals
    pairs = upper.tocoo()
    return pairs.row, pairs.col, pairs.data.astype(np.int64)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), monotone in p.

    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2])).round(3).tolist()
    [0.04, 0.053, 0.053, 0.2]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def hypergeometric_sf(
    shared: np.ndarray, first: np.ndarray, second: np.ndarray, total: int
) -> np.ndarray:
    """``P(X >= shared)`` for ``X ~ Hypergeom(total, first, second)``, element-wise.

    Most pairs share one figure, where ``P(X >= 1) = 1 - C(N-n, m) / C(N, m)`` has a closed
    form (a product for rare genes, log-gamma otherwise: absolute error below 1e-9
    at 100k figures). The others repeat
    a few ``(shared, first, second)`` triples, so scipy evaluates each distinct one once.
    """
    p = np.ones(len(shared), dtype=float)
    if len(shared) == 0:
        return p
    n = np.minimum(first, second).astype(np.int64)  # the distribution is symmetric in n, m
    m = np.maximum(first, second).astype(np.int64)
    one = shared == 1
    fits = one & (n + m <= total)
    nf, mf = n[fits].astype(float), m[fits].astype(float)
    log_none = (
        gammaln(total - nf + 1)
        - gammaln(total + 1)
        + gammaln(total - mf + 1)
        - gammaln(total - nf - mf + 1)
    )
    # For a rare gene the log-gamma differences cancel badly; the product
    # prod_{i<n} (1 - m / (N - i)) is exact to rounding there.
    rare = nf <= SMALL_N
    exact = np.zeros(int(rare.sum()))
    with np.errstate(divide="ignore", invalid="ignore"):  # masked terms may be undefined
        for i in range(SMALL_N):
            exact += np.where(nf[rare] > i, np.log1p(-mf[rare] / (total - i)), 0.0)
    log_none[rare] = exact
    p[fits] = -np.expm1(log_none)
    rest = ~one
    if rest.any():
        base = np.int64(total + 1)
        keys = (shared[rest].astype(np.int64) * base + n[rest]) * base + m[rest]
        unique, inverse = np.unique(keys, return_inverse=True)
        k, remainder = np.divmod(unique, base * base)
        nn, mm = np.divmod(remainder, base)
        p[rest] = _tail(k, nn, mm, total)[inverse]
    return np.clip(p, 0.0, 1.0)


def _log_choose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)


def _tail(k: np.ndarray, n: np.ndarray, m: np.ndarray, total: int, steps: int = 200) -> np.ndarray:
    """``P(X >= k)`` by summing probabilities with the ratio recurrence, vectorized.

    Above the mean the upper tail is summed from ``k`` until its terms vanish; at or below
    it, ``1 - P(X < k)`` is summed over the few terms below ``k`` (no cancellation: the
    answer is large there). What does not converge in ``steps`` goes to scipy.
    """
    k, n, m = k.astype(float), n.astype(float), m.astype(float)
    N = float(total)
    result = np.full(len(k), np.nan)

    def pmf(x: np.ndarray, nn: np.ndarray, mm: np.ndarray) -> np.ndarray:
        return np.exp(_log_choose(nn, x) + _log_choose(N - nn, mm - x) - _log_choose(N, mm))

    def ratio(x: np.ndarray, nn: np.ndarray, mm: np.ndarray) -> np.ndarray:
        return (nn - x) * (mm - x) / ((x + 1) * (N - nn - mm + x + 1))

    upper = k > n * m / N
    idx = np.flatnonzero(upper)
    if len(idx):
        kk, nn, mm = k[idx], n[idx], m[idx]
        term = pmf(kk, nn, mm)
        acc = term.copy()
        top = np.minimum(nn, mm)
        done = np.zeros(len(idx), dtype=bool)
        for step in range(steps):
            x = kk + step
            term = np.where(x < top, term * ratio(x, nn, mm), 0.0)
            acc += term
            done = term <= 1e-17 * acc
            if done.all():
                break
        result[idx[done]] = acc[done]
    low = ~upper & (k <= steps)
    idx = np.flatnonzero(low)
    if len(idx):
        kk, nn, mm = k[idx], n[idx], m[idx]
        start = np.maximum(0.0, nn + mm - N)
        term = pmf(start, nn, mm)
        below = np.zeros(len(idx))
        for step in range(int(kk.max())):
            x = start + step
            below += np.where(x < kk, term, 0.0)
            term = term * ratio(x, nn, mm)
        result[idx] = 1.0 - below
    todo = np.isnan(result)
    if todo.any():
        # Imported here: scipy.stats takes about a second to import, and every pfocr-kg
        # command would pay it, where only these rare pairs need it.
        from scipy.stats import hypergeom

        result[todo] = hypergeom.sf(k[todo] - 1, total, n[todo], m[todo])
    return result


def score_pairs(
    table: GeneFigureTable, min_figures: int = 1, alpha: float = TEXT_MINING_ALPHA
) -> PairScores:
    """Count and score the co-occurring pairs of ``table``'s genes.

    p-values and their Benjamini-Hochberg q-values are computed over every co-occurring
    pair; the other scores only for pairs sharing at least ``min_figures`` figures.
    """
    first, second, shared = count_pairs(table.matrix)
    total = table.matrix.shape[0]
    per_gene = table.figure_counts.astype(np.int64)
    p_value = hypergeometric_sf(shared, per_gene[first], per_gene[second], total)
    q_value = benjamini_hochberg(p_value)
    tested = len(shared)
    keep = np.flatnonzero(shared >= min_figures)
    first, second, shared = first[keep], second[keep], shared[keep]
    p_value, q_value = p_value[keep], q_value[keep]
    ci, cj = per_gene[first], per_gene[second]
    c_ij = shared.astype(float)
    ratio = c_ij * total / (ci * cj)
    pmi = np.log2(ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(c_ij == total, 1.0, pmi / -np.log2(c_ij / total))
    return PairScores(
        first=first,
        second=second,
        figures=shared,
        jaccard=c_ij / (ci + cj - c_ij),
        pmi=pmi,
        npmi=npmi,
        score=c_ij**alpha * ratio ** (1 - alpha),
        p_value=p_value,
        q_value=q_value,
        total=total,
        tested=tested,
    )


class EdgeAttributes(MutableMapping[str, Any]):
    """The attribute mapping of one co-occurrence edge, read from the scored-pair arrays.

    A graph of millions of edges cannot afford a ``dict`` and seven ``float`` objects per
    edge (about 660 bytes); this mapping holds a row number into columns the whole graph
    shares, and behaves as a ``dict`` for networkx and for users. The first write turns it
    into an ordinary ``dict`` of its own, so edges stay independent.

    >>> columns = {"figures": np.array([3, 5]), "npmi": np.array([0.25, 0.5])}
    >>> edge = EdgeAttributes(columns, 1)
    >>> dict(edge)
    {'figures': 5, 'npmi': 0.5}
    >>> edge["weight"] = 2.0
    >>> edge == {"figures": 5, "npmi": 0.5, "weight": 2.0}
    True
    """

    __slots__ = ("_columns", "_own", "_row")

    def __init__(self, columns: dict[str, np.ndarray], row: int) -> None:
        self._columns = columns
        self._row = row
        self._own: dict[str, Any] | None = None

    def __getitem__(self, key: str) -> Any:
        if self._own is not None:
            return self._own[key]
        return self._columns[key].item(self._row)

    def get(self, key: str, default: Any = None) -> Any:
        # networkx reads weights with .get once per edge: the Mapping default (try/except
        # around __getitem__) would double the cost of every weighted algorithm.
        if self._own is not None:
            return self._own.get(key, default)
        column = self._columns.get(key)
        return default if column is None else column.item(self._row)

    def __iter__(self) -> Iterator[str]:
        return iter(self._own if self._own is not None else self._columns)

    def __len__(self) -> int:
        return len(self._own if self._own is not None else self._columns)

    def __contains__(self, key: object) -> bool:
        return key in (self._own if self._own is not None else self._columns)

    def _materialize(self) -> dict[str, Any]:
        if self._own is None:
            self._own = {key: self[key] for key in self._columns}
        return self._own

    def __setitem__(self, key: str, value: Any) -> None:
        self._materialize()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._materialize()[key]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __repr__(self) -> str:
        return repr(self.copy())

    def __reduce__(self) -> tuple[type, tuple[dict[str, Any]]]:
        # Pickled (and deep-copied) as a plain dict: the shared columns stay behind.
        return dict, (self.copy(),)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: making millions of acyclic objects otherwise
    triggers a collection pass every few hundred of them (3x the time of the fill)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cooccurrence_graph(
    source: TripleStore | str | Path | GeneFigureTable,
    *,
    taxon: str | int | None = None,
    min_figures: int = 1,
    max_figure_genes: int = DEFAULT_MAX_FIGURE_GENES,
    merge_symbols: bool = False,
    exclude_sources: Iterable[str] = (),
) -> nx.Graph:
    """The weighted gene co-occurrence graph of ``source``.

    Parameters
    ----------
    source : a store, a store folder, an RDF file, or a :class:`GeneFigureTable`.
    taxon, merge_symbols, exclude_sources, max_figure_genes : see
        :func:`~kg.lookups.incidence.gene_figure_table`.
    min_figures : keep edges of pairs sharing at least this many figures.

    Returns
    -------
    networkx.Graph
        Nodes are genes (NCBI Gene IRIs, or ``symbol:XYZ`` when merged) with ``symbol``,
        ``taxon`` and ``figures``; edges carry ``figures``, ``jaccard``, ``pmi``, ``npmi``,
        ``score``, ``p_value`` and ``q_value``. ``G.graph`` records the settings and the
        number of figures and of tested pairs.
    """
    table = (
        source
        if isinstance(source, GeneFigureTable)
        else gene_figure_table(
            source,
            taxon=taxon,
            merge_symbols=merge_symbols,
            exclude_sources=exclude_sources,
            max_figure_genes=max_figure_genes,
        )
    )
    pairs = score_pairs(table, min_figures=min_figures)
    graph = nx.Graph(
        figures=pairs.total,
        tested_pairs=pairs.tested,
        min_figures=min_figures,
        dropped_hub_figures=table.dropped_hub_figures,
        orthology_naive_symbol_merge=bool(table.settings.get("merge_symbols")),
        **{k: v for k, v in table.settings.items() if k != "merge_symbols"},
    )
    counts = table.figure_counts
    graph.add_nodes_from(
        (gene, {"symbol": symbol or "", "taxon": taxon_iri or "", "figures": int(count)})
        for gene, symbol, taxon_iri, count in zip(
            table.genes, table.symbols, table.taxa, counts, strict=True
        )
    )
    columns = {name: getattr(pairs, name) for name in EDGE_ATTRIBUTES}
    # Filled directly: add_edges_from would copy each attribute mapping into a new dict,
    # the very cost EdgeAttributes exists to avoid.
    genes = table.genes
    neighbours = [graph._adj[gene] for gene in genes]
    with _collector_paused():
        for row, (i, j) in enumerate(zip(pairs.first.tolist(), pairs.second.tolist(), strict=True)):
            attributes = EdgeAttributes(columns, row)
            neighbours[i][genes[j]] = attributes
            neighbours[j][genes[i]] = attributes
    return graph
