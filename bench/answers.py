"""Time every named query, enrichment and co-occurrence on a built store: from its answer
index, by SPARQL on the same Oxigraph store, and (with --virtuoso) on a private Virtuoso
loaded with the same build's N-Triples, checking that all give the same rows.

    python bench/build.py ...  # or: pfocr-kg build RECORDS -o OUT --format nt --store OUT/store
    python bench/answers.py OUT                      # index vs SPARQL on Oxigraph
    python bench/answers.py OUT --virtuoso           # and Virtuoso, loaded from OUT/pfocr.nt
    python bench/answers.py OUT --no-sparql          # the index only (100k: SPARQL is slow)

OUT is a build's output folder with a store (and pfocr.nt for --virtuoso). Parameters are
the realistic heavy ones: the top human gene (MAPK3 on corpora scaled from the sample), its
top chemical, the sample's biggest journal. Each time is the best of --repeat runs, in this
process, with the store open (as a notebook or the server has it); the CLI adds about a
second of Python start-up.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import kg
from kg.analysis import cooccurrence_graph, enrich
from kg.analysis.measures import top_partners
from kg.index import open_index
from kg.queries import load_queries, run_named
from kg.rdf import iris
from kg.store import RemoteStore, open_store
from kg.store.virtuoso import PrivateVirtuoso

PARAMS = {
    "figures-mentioning-gene": {"gene": "MAPK3", "taxon": "9606"},
    "genes-comentioned-with-gene": {"gene": "MAPK3", "taxon": "9606"},
    "top-genes": {"taxon": "9606", "limit": "20"},
    "figures-per-organism": {},
    "papers-per-year": {},
    "figures-mentioning-gene-and-chemical": {"gene": "MAPK3", "chemical": "D005990"},
    "diseases-comentioned-with-gene": {"gene": "MAPK3", "taxon": "9606"},
    "figure-card": {"figure": "PMC8632218__fimmu-12-767939-g001-k0"},
    "genes-shared-by-figures": {
        "figure_a": "PMC10039534__12943_2023_1761_Fig2_HTML-k0",
        "figure_b": "PMC6040882__elife-34890-fig11-k0",
    },
    "figures-of-journal": {"journal": "Front Immunol"},
    "mention-evidence": {"gene": "MAPK3", "taxon": "9606"},
    "top-chemicals": {"limit": "20"},
    "graph-summary": {},
}
GENES = ["STAT3", "JAK1", "JAK2", "SOCS3", "IL6"]


def _best(repeat: int, action, *args, **kwargs):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = action(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return value, best


def _cell(seconds: float | None) -> str:
    return f"{seconds:9.3f}" if seconds is not None else "        -"


def run(out: Path, repeat: int, sparql: bool, virtuoso: bool, memory_gb: float) -> None:
    catalog = load_queries()
    store = open_store(out / "store")
    index = open_index(store)
    if index is None:
        raise SystemExit(f"{out / 'store'}: no answer index beside it (build with this version)")
    figures = index.rows("SELECT COUNT(*) FROM figure")[0][0]
    print(f"pfocr-kg {kg.__version__}; {os.cpu_count()} cores; {figures:,} figures; "
          f"index {index.path.stat().st_size / 1e6:,.0f} MB")  # fmt: skip
    remote = server = None
    if virtuoso:
        work = Path(tempfile.mkdtemp(prefix="pfocr-bench-virtuoso-"))
        load = (out / "pfocr.nt").resolve().parent
        server = PrivateVirtuoso(work / "db", load, max_rows=10_000_000, memory_gb=memory_gb)
        server.start()
        _, seconds = _best(1, server.bulk_load, "pfocr.nt", iris.dataset())
        print(f"virtuoso: bulk load {seconds:.1f} s")
        remote = RemoteStore(server.sparql_url, default_graph=iris.dataset(), timeout=3600)
    try:
        print(f"{'query':38} {'rows':>6} {'index s':>9} {'oxigraph s':>10} {'virtuoso s':>10} same")
        for name, params in PARAMS.items():
            answer, fast = _best(repeat, run_named, store, name, params, catalog, index=index)
            same = []
            slow = other = None
            if sparql:
                expected, slow = _best(1, run_named, store, name, params, catalog, index=False)
                same.append(expected.rows == answer.rows)
            if remote is not None:
                theirs, other = _best(repeat, run_named, remote, name, params, catalog)
                same.append(theirs.rows == answer.rows)
            mark = "yes" if all(same) else "NO"
            print(f"{name:38} {len(answer.rows):6d} {_cell(fast)} {_cell(slow):>10} "
                  f"{_cell(other):>10} {mark if same else '-'}")  # fmt: skip
        result, seconds = _best(repeat, enrich, store, GENES, taxon=9606)
        tested, overlapping = result.tested, len(result.rows)
        print(f"\nenrich {' '.join(GENES)} (taxon 9606): {seconds:.3f} s, "
              f"{tested:,} figures tested, {overlapping:,} with an overlap")  # fmt: skip
        graph, seconds = _best(repeat, cooccurrence_graph, store, taxon=9606)
        _, more = _best(repeat, top_partners, graph, "MAPK3", n=20)
        print(f"cooccur --gene MAPK3 --taxon 9606: {seconds + more:.3f} s (scored graph "
              f"{seconds:.3f} s: {graph.number_of_nodes():,} genes, "
              f"{graph.number_of_edges():,} edges; partners {more:.3f} s)")  # fmt: skip
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a build's output folder with a store")
    parser.add_argument("--repeat", type=int, default=3, help="runs a measurement (best)")
    parser.add_argument("--no-sparql", action="store_true", help="skip SPARQL on Oxigraph")
    parser.add_argument("--virtuoso", action="store_true", help="also load and time Virtuoso")
    parser.add_argument("--virtuoso-memory", type=float, default=8, metavar="GB")
    args = parser.parse_args()
    run(args.out, args.repeat, not args.no_sparql, args.virtuoso, args.virtuoso_memory)


if __name__ == "__main__":
    main()
