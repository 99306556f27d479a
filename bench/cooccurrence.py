"""Time gene co-occurrence at 10k and 100k figures: pair counting, the scored graph, analyses.

    python bench/cooccurrence.py                   # 10,000 and 100,000 figures
    python bench/cooccurrence.py --sizes 10000

The figure-by-gene table is scaled from the real sample: figure i is a copy of sample figure
(i mod 68). Copy 0 keeps its real genes; a later copy takes a random subset of the sample
figure's genes, sized so that figures average ``--genes-per-figure`` genes (default 27, the
corpus the issue's reference measurement used; 0 keeps the sample's own sizes, 63 a figure),
keeps each with probability 0.3 and replaces the others by distinct genes drawn from a
Zipf(1.1) popularity over a 20,000-gene universe (seeded), so that, as in the real corpus,
most pairs co-occur once and popular pairs many times. Plain copies would repeat every pair
N/68 times, which no real corpus does.

Each step runs in its own process so its peak RSS is its own:
* the floor: a ``collections.Counter`` over ``itertools.combinations`` of each figure's genes;
* pair counting: ``kg.analysis.count_pairs`` (one sparse product);
* the scored graph at ``--min-figures 2`` (``cooccurrence_graph`` from the table);
* analyses on that graph: weighted degree, PageRank, sampled betweenness, Louvain
  communities, connected components, summary.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from corpus import SAMPLE

import kg
from kg.analysis import (
    GeneFigureTable,
    betweenness,
    communities,
    components,
    cooccurrence_graph,
    count_pairs,
    gene_figure_table,
    pagerank,
    summary,
    weighted_degree,
)

UNIVERSE = 20_000
KEEP = 0.3
ZIPF = 1.1


def _distinct_draws(rng: np.random.Generator, popularity: np.ndarray, count: int) -> np.ndarray:
    """``count`` distinct genes drawn by popularity (without replacement, by rejection)."""
    drawn = np.empty(0, dtype=np.int64)
    while len(drawn) < count:
        more = rng.choice(len(popularity), size=2 * (count - len(drawn)) + 8, p=popularity)
        _, first = np.unique(np.concatenate([drawn, more]), return_index=True)
        drawn = np.concatenate([drawn, more])[np.sort(first)]
    return drawn[:count]


def scaled_table(
    sample: GeneFigureTable, figures: int, genes_per_figure: float, seed: int = 7
) -> GeneFigureTable:
    rng = np.random.default_rng(seed)
    base = sample.matrix.tocsr()
    n_sample, n_genes = base.shape
    sample_mean = base.sum() / n_sample
    scale = genes_per_figure / sample_mean if genes_per_figure else 1.0
    ranks = np.arange(1, UNIVERSE + 1, dtype=float)
    popularity = ranks**-ZIPF
    popularity /= popularity.sum()
    rows, cols = [], []
    for i in range(figures):
        genes = base.indices[base.indptr[i % n_sample] : base.indptr[i % n_sample + 1]]
        if i >= n_sample:
            size = max(1, min(len(genes), round(len(genes) * scale)))
            genes = rng.choice(genes, size=size, replace=False)
            kept = genes[rng.random(size) < KEEP]
            drawn = n_genes + _distinct_draws(rng, popularity, size - len(kept))
            genes = np.concatenate([kept, drawn])
        rows.append(np.full(len(genes), i))
        cols.append(genes)
    matrix = sp.csr_matrix(
        (
            np.ones(sum(map(len, cols)), dtype=np.int32),
            (np.concatenate(rows), np.concatenate(cols)),
        ),
        shape=(figures, n_genes + UNIVERSE),
    )
    matrix.data[:] = 1
    present = np.asarray(matrix.sum(axis=0)).ravel() > 0
    matrix = matrix[:, present].tocsr()
    names = [*sample.genes, *(f"synthetic:{g}" for g in range(UNIVERSE))]
    symbols = [*sample.symbols, *(f"G{g}" for g in range(UNIVERSE))]
    taxa = [*sample.taxa, *([None] * UNIVERSE)]
    keep = np.flatnonzero(present)
    return GeneFigureTable(
        figures=[f"figure-{i}" for i in range(figures)],
        genes=[names[k] for k in keep],
        symbols=[symbols[k] for k in keep],
        taxa=[taxa[k] for k in keep],
        matrix=matrix,
        settings={
            "taxon": None,
            "merge_symbols": False,
            "exclude_sources": [],
            "max_figure_genes": 0,
        },
    )


def _counter_floor(table: GeneFigureTable) -> int:
    counts: collections.Counter[tuple[int, int]] = collections.Counter()
    matrix = table.matrix
    for i in range(matrix.shape[0]):
        genes = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tolist()
        counts.update(itertools.combinations(sorted(genes), 2))
    return len(counts)


def _sparse_pairs(table: GeneFigureTable) -> int:
    return len(count_pairs(table.matrix)[0])


def _graph(table: GeneFigureTable) -> str:
    G = cooccurrence_graph(table, min_figures=2)
    return f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"


def _analyses(table: GeneFigureTable) -> list[tuple[str, float, str]]:
    G = cooccurrence_graph(table, min_figures=2)
    results = []
    for name, action in (
        ("weighted degree", lambda: len(weighted_degree(G))),
        ("PageRank", lambda: len(pagerank(G))),
        ("betweenness (100-node sample)", lambda: len(betweenness(G, sample=100))),
        ("Louvain communities (seed 42)", lambda: len(communities(G, seed=42))),
        ("connected components", lambda: len(components(G))),
        ("summary", lambda: summary(G)["largest_component"]),
    ):
        start = time.perf_counter()
        value = action()
        results.append((name, time.perf_counter() - start, str(value)))
    return results


def _in_child(queue: mp.Queue, step: str, table_path: str) -> None:
    data = np.load(table_path, allow_pickle=True)
    table = GeneFigureTable(
        figures=list(data["figures"]),
        genes=list(data["genes"]),
        symbols=list(data["symbols"]),
        taxa=list(data["taxa"]),
        matrix=sp.csr_matrix(
            (data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"])
        ),
        settings={
            "taxon": None,
            "merge_symbols": False,
            "exclude_sources": [],
            "max_figure_genes": 0,
        },
    )
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    value = {
        "floor": _counter_floor,
        "sparse": _sparse_pairs,
        "graph": _graph,
        "analyses": _analyses,
    }[step](table)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak / 1e6, baseline / 1e6, value))


def _run_step(step: str, table_path: Path) -> tuple[float, float, float, object]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_in_child, args=(queue, step, str(table_path)))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--skip-floor-above",
        type=int,
        default=100_000,
        help="skip the Counter floor above this many figures",
    )
    parser.add_argument(
        "--genes-per-figure",
        type=float,
        default=27,
        help="average genes a scaled figure mentions (default 27; 0: the sample's own sizes)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pfocr-bench-cooc-"))
    kg.build([SAMPLE], work / "sample")
    sample = gene_figure_table(work / "sample" / "pfocr.ttl", max_figure_genes=0)
    print(
        f"sample: {len(sample.figures)} figures, {len(sample.genes):,} genes, "
        f"{int(sample.matrix.sum()) / len(sample.figures):.1f} genes per figure"
    )
    for size in args.sizes:
        table = scaled_table(sample, size, args.genes_per_figure)
        path = work / f"table-{size}.npz"
        np.savez(
            path,
            figures=np.array(table.figures),
            genes=np.array(table.genes),
            symbols=np.array(table.symbols, dtype=object),
            taxa=np.array(table.taxa, dtype=object),
            data=table.matrix.data,
            indices=table.matrix.indices,
            indptr=table.matrix.indptr,
            shape=np.array(table.matrix.shape),
        )
        per_figure = table.matrix.sum() / size
        print(
            f"\n== {size:,} figures, {len(table.genes):,} genes, {per_figure:.1f} genes per figure"
        )
        print(f"{'step':34} {'seconds':>9} {'peak RSS GB':>12}  result")
        floor = None
        if size <= args.skip_floor_above:
            floor, peak, _base, pairs = _run_step("floor", path)
            print(f"{'Counter of pairs (floor)':34} {floor:9.2f} {peak:12.2f}  {pairs:,} pairs")
        seconds, peak, _base, pairs = _run_step("sparse", path)
        ratio = f"; {floor / seconds:.0f}x the floor" if floor else ""
        print(
            f"{'sparse pair count (count_pairs)':34} {seconds:9.2f} {peak:12.2f}  "
            f"{pairs:,} pairs{ratio}"
        )
        seconds, peak, _base, shape = _run_step("graph", path)
        print(f"{'scored graph, min 2 figures':34} {seconds:9.2f} {peak:12.2f}  {shape}")
        _, peak, _base, analyses = _run_step("analyses", path)
        for name, seconds, value in analyses:
            print(f"{'  ' + name:34} {seconds:9.2f} {'':12}  {value}")
        print(f"{'  (process peak for the analyses)':34} {'':9} {peak:12.2f}")


if __name__ == "__main__":
    main()
