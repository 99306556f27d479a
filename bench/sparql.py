"""Time every named query on Oxigraph and on rdflib over a scaled corpus, in one run.

    python bench/sparql.py                      # 1,000 and 10,000 figures
    python bench/sparql.py --sizes 10000 100000 --rdflib-max 10000

For each size: builds the sample, scales its graph (bench/corpus.py), bulk-loads it into an
on-disk Oxigraph store and into rdflib (up to --rdflib-max figures: rdflib needs about 1 KB
of memory per triple), then runs each named query on both and prints the times and the
rdflib / Oxigraph ratio. Aggregate queries (GROUP BY) are marked; the target is Oxigraph at
least 20x faster on them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from answers import PARAMS  # the realistic heavy parameters
from corpus import SAMPLE, scale_graph

import kg
from kg.queries import load_queries, run_named
from kg.store import OxigraphStore, RdflibStore


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(action, *args):
    start = time.perf_counter()
    value = action(*args)
    return value, time.perf_counter() - start


def _rdflib_child(store, name, params, catalog, answer) -> None:
    _, seconds = _timed(run_named, store, name, params, catalog)
    answer.send(seconds)


def _time_rdflib(store, name: str, params: dict, catalog, timeout: float) -> float | None:
    """Seconds rdflib takes on one named query, or None past ``timeout``.

    rdflib cannot be interrupted, so the query runs in a forked child (which shares the
    parsed graph copy-on-write) that is killed when time is up.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_rdflib_child, args=(store, name, params, catalog, send))
    child.start()
    seconds = receive.recv() if receive.poll(timeout) else None
    child.kill()
    child.join()
    return seconds


def run(
    sizes: list[int], rdflib_max: int, repeat: int, timeout: float, only: list[str] | None
) -> None:
    catalog = load_queries()
    aggregate = {name for name, q in catalog.items() if "GROUP BY" in q.text}
    work = Path(tempfile.mkdtemp(prefix="pfocr-bench-sparql-"))
    try:
        kg.build([SAMPLE], work / "sample", ["nt"])
        for size in sizes:
            nt = work / f"scaled-{size}.nt"
            triples, seconds = _timed(scale_graph, work / "sample" / "pfocr.nt", size, nt)
            print(
                f"\n== {size:,} figures: {triples:,} triples "
                f"({nt.stat().st_size / 1e9:.2f} GB N-Triples, made in {seconds:.1f} s)"
            )
            store_dir = work / f"store-{size}"
            oxigraph = OxigraphStore(store_dir)
            _, load_ox = _timed(oxigraph.load, nt)
            oxigraph.optimize()
            print(
                f"oxigraph: bulk load {load_ox:.1f} s ({triples / load_ox:,.0f} triples/s), "
                f"store on disk {_folder_size(store_dir) / 1e9:.2f} GB"
            )
            rdflib_store = None
            if size <= rdflib_max:
                rdflib_store = RdflibStore()
                _, load_rl = _timed(rdflib_store.load, nt)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
                print(
                    f"rdflib:   parse {load_rl:.1f} s ({triples / load_rl:,.0f} triples/s), "
                    f"process peak RSS {peak:.1f} GB"
                )
            print(f"{'query':40} {'rows':>6} {'oxigraph s':>11} {'rdflib s':>9} {'ratio':>7}")
            for name, params in PARAMS.items():
                if only and name not in only:
                    continue
                best_ox = min(
                    _timed(run_named, oxigraph, name, params, catalog)[1] for _ in range(repeat)
                )
                rows = len(run_named(oxigraph, name, params, catalog).rows)
                rl = None
                if rdflib_store is not None:
                    rl = _time_rdflib(rdflib_store, name, params, catalog, timeout)
                if rl is not None:
                    ratio = f"{rl / best_ox:7.0f}x"
                    rl_text = f"{rl:9.3f}"
                elif rdflib_store is not None:  # timed out: the ratio is at least this
                    ratio = f">{timeout / best_ox:6.0f}x"
                    rl_text = f"{'>' + str(int(timeout)):>9}"
                else:
                    ratio, rl_text = "      -", "        -"
                mark = " (aggregate)" if name in aggregate else ""
                print(f"{name + mark:40} {rows:6d} {best_ox:11.3f} {rl_text} {ratio}")
            oxigraph.close()
            del rdflib_store
            shutil.rmtree(store_dir, ignore_errors=True)
            nt.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=10000,
        help="largest size also run on rdflib (default: 10000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="Oxigraph runs per query (best)")
    parser.add_argument(
        "--rdflib-timeout",
        type=float,
        default=600,
        help="seconds to wait for rdflib on one query before giving up (default: 600)",
    )
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="only these named queries")
    args = parser.parse_args()
    print(f"pfocr-kg {kg.__version__}; {os.cpu_count()} cores")
    run(args.sizes, args.rdflib_max, args.repeat, args.rdflib_timeout, args.queries)


if __name__ == "__main__":
    main()
