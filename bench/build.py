"""Time the build against the work it must do, on a scaled corpus.

    python bench/build.py                          # 2,000 figures
    python bench/build.py --sizes 2000 100000 --naive-max 0

For each size, re-keyed copies of the sample's records and TSVs (bench/corpus.py) are written
to a temporary folder. Then each pipeline runs as its own process, on the same input:

* floor: read every record and its TSVs, parse the front matter with ``yaml.CSafeLoader``,
  one process;
* load: ``pyoxigraph.Store.bulk_load`` of the build's own N-Triples into a fresh on-disk
  store, one process (the N-Triples are made first, untimed);
* turtle: ``pfocr-kg build CORPUS -o OUT --format ttl`` (Turtle only);
* store: ``pfocr-kg build CORPUS -o OUT --store OUT/store`` (Turtle plus the store and its
  answer index);
* naive: ``yaml.safe_load``, the same mapping to triples, rdflib ``Graph.add`` per triple,
  then ``Graph.serialize(format="turtle")`` (up to ``--naive-max`` figures).

Each pipeline runs ``--repeat`` times for its time (rounds interleave the pipelines, so a
busy spell on the machine falls on all of them), and once more, sampled, for its memory:
the sampler (bench/treemem.py: summed PSS of the pipeline's process and every worker it
starts, read from /proc every 50 ms: measured, not an upper bound) costs a 2-core machine
5-15% of a build, so it never runs during a timed run. It prints the median seconds and
the range, figures/s and triples/s at the median, and the peak memory. Then the ratios
the build-speed issue sets, from the medians: turtle / floor (target 2.5 or less) and
store / D, D = floor + load (target 1.3 or less). The builds prepare records in
``--jobs`` processes (default: the build's own choice, ``kg.build.default_jobs``: one a
core for Turtle only, one fewer with the store). Pipelines keep their compiled modules in the
workspace's ``pycache`` folder, as an installed package keeps its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import scale_records
from treemem import run_measured

from kg.build import default_jobs


def _floor(corpus: Path, _out: Path, _jobs: int) -> tuple[int, int]:
    import yaml

    companions: dict[str, list[Path]] = {}
    for path in (corpus / "_data").iterdir():  # listed once, as the build does
        companions.setdefault(path.name.rsplit("-", 1)[0], []).append(path)
    figures = 0
    for record in sorted((corpus / "_figures").glob("*.md")):
        text = record.read_text("utf-8")
        block = text.split("\n---", 1)[0].removeprefix("---\n")
        yaml.load(block, Loader=yaml.CSafeLoader)
        for companion in companions.get(record.stem, []):
            companion.read_text("utf-8")
        figures += 1
    return figures, 0


def _naive(corpus: Path, out: Path, _jobs: int) -> tuple[int, int]:
    import rdflib
    import yaml

    from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
    from kg.sources import TaxonTable, discover, frontmatter, read_record

    # The naive reader: PyYAML's pure-Python safe loader for every record.
    frontmatter._FastLoader = yaml.SafeLoader
    taxa = TaxonTable.bundled()
    mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
    graph = rdflib.Graph()

    def term(node):
        if node.__class__.__name__ == "NamedNode":
            return rdflib.URIRef(node.value)
        if node.__class__.__name__ == "BlankNode":
            return rdflib.BNode(node.value)
        datatype = rdflib.URIRef(node.datatype.value) if not node.language else None
        return rdflib.Literal(node.value, lang=node.language, datatype=datatype)

    figures = 0
    for source in discover([corpus]).records:
        figure = read_record(source, taxa).figure
        if figure is None:
            continue
        for triple in mapper.map(figure).triples():
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        figures += 1
    out.mkdir(parents=True, exist_ok=True)
    graph.serialize(out / "naive.ttl", format="turtle")
    return figures, len(graph)


def _load(corpus: Path, out: Path, _jobs: int) -> tuple[int, int]:
    import pyoxigraph as ox

    triples = out.parent / f"{corpus.name}.nt"  # made by main() before this runs
    store = ox.Store(str(out / "store"))
    store.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return len(list((corpus / "_figures").iterdir())), len(store)


def _turtle(corpus: Path, out: Path, jobs: int) -> tuple[int, int]:
    import kg

    report = kg.build([corpus], out, ["ttl"], jobs=jobs or None)
    return report.records_built, report.triples


def _store(corpus: Path, out: Path, jobs: int) -> tuple[int, int]:
    import kg

    report = kg.build([corpus], out, ["ttl"], store=out / "store", jobs=jobs or None)
    return report.records_built, report.triples


PIPELINES = {"floor": _floor, "load": _load, "turtle": _turtle, "store": _store, "naive": _naive}


def _child(name: str, corpus: str, out: str, jobs: int) -> None:
    """Run one pipeline in this process (for :func:`_timed`, :func:`_peak`); print its counts."""
    figures, triples = PIPELINES[name](Path(corpus), Path(out), jobs)
    print(json.dumps({"figures": figures, "triples": triples}))


def _command(name: str, corpus: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, __file__, "--child", name, str(corpus), str(out), str(jobs)]


def _environment(work: Path) -> dict[str, str]:
    """The pipelines' environment: Python may keep compiled modules, in the workspace. An
    installed package has them; where PYTHONDONTWRITEBYTECODE is set (this project's CI
    machines set it), each build would compile pfocr-kg again, 0.1-0.15 s."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return environment


def _counts(name: str, returncode: int, stdout: str, stderr: str) -> tuple[int, int]:
    if returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr}")
    counts = json.loads(stdout.strip().splitlines()[-1])
    return counts["figures"], counts["triples"]


def _fresh(out: Path) -> None:
    """``out`` made anew (a folder of the workspace, which :func:`workspace` vouched for)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)


def _timed(name: str, corpus: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds, figures and triples of one pipeline run, with nothing sampling it."""
    _fresh(out)
    start = time.perf_counter()
    done = subprocess.run(
        _command(name, corpus, out, jobs),
        cwd=Path(__file__).parent,
        env=_environment(out.parent),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return (seconds, *_counts(name, done.returncode, done.stdout, done.stderr))


def _peak(name: str, corpus: Path, out: Path, jobs: int) -> float:
    """The tree's peak memory (GB) of one more run, sampled."""
    _fresh(out)
    measured = run_measured(
        _command(name, corpus, out, jobs), cwd=Path(__file__).parent, env=_environment(out.parent)
    )
    _counts(name, measured.returncode, measured.stdout, measured.stderr)
    return measured.peak_bytes / 1e9


def _ntriples(corpus: Path, work: Path, jobs: int) -> None:
    """The build's own N-Triples of ``corpus``, for the load pipeline (untimed)."""
    import kg

    out = work / f"nt-{corpus.name}"
    kg.build([corpus], out, ["nt"], jobs=jobs or None)
    shutil.move(str((out / "pfocr.nt").resolve()), work / f"{corpus.name}.nt")
    shutil.rmtree(out, ignore_errors=True)


# The file that marks a --keep folder as this script's: it removes and remakes what it
# made there (corpus-N, nt-corpus-N, out-PIPELINE-N), so it works in no other folder.
MARK = ".pfocr-bench-build"


def workspace(keep: Path | None) -> Path:
    """The folder to work in: a new temporary one, or ``keep``, which must not exist yet, be
    empty, or hold :data:`MARK` (made by an earlier run); any other folder is refused."""
    if keep is None:
        work = Path(tempfile.mkdtemp(prefix="pfocr-bench-build-"))
    else:
        if keep.exists() and any(keep.iterdir()) and not (keep / MARK).is_file():
            raise SystemExit(
                f"{keep}: not a folder bench/build.py made (no {MARK} in it); give a new one"
            )
        keep.mkdir(parents=True, exist_ok=True)
        work = keep
    (work / MARK).touch()
    return work


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--naive-max", type=int, default=0, help="largest naive size")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each pipeline")
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="processes pfocr-kg prepares records in (default: the build's own choice)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the corpora and outputs in this folder: a new one, or one an earlier run "
        "made (else a temporary one)",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = workspace(args.keep)
    turtle_jobs, store_jobs = default_jobs(store=False), default_jobs(store=True)
    jobs = args.jobs or f"the build's default ({turtle_jobs}, with the store {store_jobs})"
    print(f"{os.cpu_count()} cores; pfocr-kg with --jobs {jobs}")
    try:
        for size in args.sizes:
            corpus = work / f"corpus-{size}"
            start = time.perf_counter()
            if not corpus.exists():
                scale_records(size, corpus)
            _ntriples(corpus, work, args.jobs)
            made = time.perf_counter() - start
            print(f"\n== {size:,} figures (corpus and N-Triples in {made:.0f} s)")
            print(
                f"{'pipeline':10} {'seconds':>9} {'range':>11} {'figures/s':>10} "
                f"{'triples/s':>11} {'peak GB':>8}"
            )
            names = [n for n in PIPELINES if n != "naive" or size <= args.naive_max]
            runs: dict[str, list[float]] = {name: [] for name in names}
            counts: dict[str, tuple[int, int]] = {}
            for _ in range(args.repeat):
                for name in names:
                    took, *counted = _timed(name, corpus, work / f"out-{name}-{size}", args.jobs)
                    runs[name].append(took)
                    counts[name] = (counted[0], counted[1])
            seconds = {}
            for name in names:
                out = work / f"out-{name}-{size}"
                peak = _peak(name, corpus, out, args.jobs)
                took = seconds[name] = statistics.median(runs[name])
                figures, triples = counts[name]
                spread = f"{min(runs[name]):.1f}-{max(runs[name]):.1f}"
                rate = f"{triples / took:11,.0f}" if triples else f"{'-':>11}"
                print(
                    f"{name:10} {took:9.1f} {spread:>11} {figures / took:10,.0f} {rate} {peak:8.2f}"
                )
                if not args.keep:
                    shutil.rmtree(out, ignore_errors=True)
            floor, both = seconds["floor"], seconds["floor"] + seconds["load"]
            print(f"D = floor + load = {both:.1f} s")
            print(f"turtle / floor: {seconds['turtle'] / floor:.2f}x (target <= 2.5)")
            print(f"store / D: {seconds['store'] / both:.2f}x (target <= 1.3)")
            if "naive" in seconds:
                print(f"naive / store: {seconds['naive'] / seconds['store']:.1f}x")
            if not args.keep:
                shutil.rmtree(corpus, ignore_errors=True)
                (work / f"{corpus.name}.nt").unlink(missing_ok=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
