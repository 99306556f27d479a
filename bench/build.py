"""Time the build against the parse floor and a naive rdflib pipeline, on a scaled corpus.

    python bench/build.py                          # 1,000 and 10,000 figures
    python bench/build.py --sizes 100000 --naive-max 10000

For each size, re-keyed copies of the sample's records and TSVs (bench/corpus.py) are written
to a temporary folder, then three pipelines run, each in its own process (so each peak RSS is
its own), on the same input:

* floor: read every record and its TSVs, parse the front matter with ``yaml.CSafeLoader``;
* naive: ``yaml.safe_load``, the same mapping to triples, rdflib ``Graph.add`` per triple,
  then ``Graph.serialize(format="turtle")`` (up to ``--naive-max`` figures);
* pfocr-kg: ``kg.build`` to Turtle plus the on-disk Oxigraph store, ``--jobs`` workers
  (default: every available core, as the build's own default).

It prints seconds, figures/s, triples/s and peak RSS, and the two ratios the performance
issue asks about: pfocr-kg / floor (target 1.5 or less) and naive / pfocr-kg (target 10 or
more). For pfocr-kg the peak RSS is the main process's peak plus ``--jobs`` times the
largest worker's: an upper bound on the memory of the whole build at any moment (forked
workers share pages, so the true figure is lower).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from corpus import scale_records

from kg.build import available_cores


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


def _pfocr_kg(corpus: Path, out: Path, jobs: int) -> tuple[int, int]:
    import kg

    report = kg.build([corpus], out, ["ttl"], store=out / "store", jobs=jobs)
    return report.records_built, report.triples


PIPELINES = {"floor": _floor, "naive": _naive, "pfocr-kg": _pfocr_kg}


def _child(queue: mp.Queue, name: str, corpus: str, out: str, jobs: int) -> None:
    start = time.perf_counter()
    figures, triples = PIPELINES[name](Path(corpus), Path(out), jobs)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put((seconds, figures, triples, (own + (jobs * worker if worker else 0)) / 1e6))


def _run(name: str, corpus: Path, out: Path, jobs: int) -> tuple[float, int, int, float]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, name, str(corpus), str(out), jobs))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--naive-max", type=int, default=10000, help="largest naive size")
    parser.add_argument(
        "--jobs", type=int, default=available_cores(), help="pfocr-kg worker processes"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pfocr-bench-build-"))
    print(f"{os.cpu_count()} cores; pfocr-kg with --jobs {args.jobs}")
    try:
        for size in args.sizes:
            corpus = work / f"corpus-{size}"
            start = time.perf_counter()
            scale_records(size, corpus)
            print(f"\n== {size:,} figures (corpus written in {time.perf_counter() - start:.0f} s)")
            print(
                f"{'pipeline':10} {'seconds':>9} {'figures/s':>10} {'triples/s':>11} {'peak GB':>8}"
            )
            seconds = {}
            for name in PIPELINES:
                if name == "naive" and size > args.naive_max:
                    print(f"{name:10} {'(skipped: above --naive-max)':>40}")
                    continue
                took, figures, triples, peak = _run(name, corpus, work / f"out-{name}", args.jobs)
                seconds[name] = took
                rate = f"{triples / took:11,.0f}" if triples else f"{'-':>11}"
                print(f"{name:10} {took:9.1f} {figures / took:10,.0f} {rate} {peak:8.2f}")
                shutil.rmtree(work / f"out-{name}", ignore_errors=True)
            ours = seconds["pfocr-kg"]
            print(f"pfocr-kg / floor: {ours / seconds['floor']:.1f}x (target <= 1.5)")
            if "naive" in seconds:
                print(f"naive / pfocr-kg: {seconds['naive'] / ours:.1f}x (target >= 10)")
            shutil.rmtree(corpus, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
