"""The build: records stream from :mod:`kg.sources` through :mod:`kg.rdf` into the outputs.

:func:`build` is a short pipeline: check the inputs and the output folder, open the
outputs in a new generation, plan (which records the cache still holds), prepare (read, map
and render, shared with worker processes), emit (each figure to every output), then finish
(VoID and report) and switch the whole output set in. What stays in memory across records is
what the build needs: the figids seen, the symbol index, a digest per shared statement and
the report.

Example
-------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> report = build([pathlib.Path("data/sample")], out)
>>> report.records_built, (out / "pfocr.ttl").exists()
(68, True)
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kg import __version__
from kg.build.emit import Loop, Outputs
from kg.build.prepare import Prepared, RecordPreparer
from kg.build.report import BuildReport, write_report
from kg.build.workers import WorkerLost, Workers, available_cores, default_jobs
from kg.files import FileRefused, atomic_write_bytes
from kg.model import Problem, Severity
from kg.outputs.cache import CACHE_NAME, BuildCache, record_hash
from kg.outputs.folder import (
    STATE_NAME,
    BuildInProgress,
    Generation,
    OutputFolder,
    OutputRefused,
)
from kg.outputs.writers import output_name
from kg.rdf.description import void_triples, void_turtle
from kg.rdf.formats import BUILD_FORMATS
from kg.sources import ReadLimits, RecordSource, TaxonTable, discover

__all__ = [
    "REPORT_NAME",
    "VOID_NAME",
    "BuildInProgress",
    "BuildInterrupted",
    "BuildReport",
    "InputError",
    "NothingBuilt",
    "OutputRefused",
    "WorkerLost",
    "available_cores",
    "build",
    "default_jobs",
]

REPORT_NAME = "build-report.json"
VOID_NAME = "void.ttl"


class InputError(ValueError):
    """Inputs that give nothing to build: a missing path, or no record files at all."""


class NothingBuilt(Exception):
    """Every record was rejected; the outputs were left as they were. ``report`` says why."""

    def __init__(self, report: BuildReport) -> None:
        super().__init__(
            f"none of the {report.records_found:,} records could be built "
            f"({len(report.errors):,} errors)"
        )
        self.report = report


class BuildInterrupted(KeyboardInterrupt):
    """The build was interrupted; ``switched`` says whether the new outputs were in place."""

    def __init__(self, switched: bool) -> None:
        super().__init__("new outputs in place" if switched else "previous outputs kept")
        self.switched = switched


def _taxa_fingerprint(taxa: TaxonTable) -> str:
    return hashlib.sha256(repr(sorted(taxa.by_name.items())).encode()).hexdigest()


def _check_inputs(inputs: Sequence[Path]) -> None:
    if not inputs:
        raise InputError("no inputs given")
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")


def _plan(
    sources: list[RecordSource], cache: BuildCache | None, limits: ReadLimits
) -> list[tuple[RecordSource, str, bytes | None]]:
    """Each source with its content hash and, when unchanged since the cache, its payload."""
    if cache is None:
        return [(source, "", None) for source in sources]
    plan = []
    for source in sources:
        files = (source.figure_file, source.genes_tsv, source.chemicals_tsv, source.diseases_tsv)
        try:
            digest = record_hash(files, cache.settings, max(limits.max_bytes, 16 << 20))
        except FileRefused:  # unreadable now: let the reader report it
            digest = ""
        plan.append(
            (source, digest, cache.get(str(source.figure_file), digest) if digest else None)
        )
    return plan


def _finish(outputs: Outputs, report: BuildReport, started: float) -> list[str]:
    """Write VoID and the report into the generation; the names of its files."""
    path = outputs.generation.path
    statistics = outputs.tally.counts.statistics()
    report.triples = statistics.triples
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    atomic_write_bytes(
        path / VOID_NAME,
        void_turtle(void_triples(statistics, version=__version__, created=created)),
    )
    report.entities = {kind: len(iris) for kind, iris in outputs.tally.entities.items()}
    report.seconds = time.perf_counter() - started
    write_report(report, path / REPORT_NAME)
    return [*(Path(w.path).name for w in outputs.writers), VOID_NAME, REPORT_NAME]


def build(
    inputs: Sequence[Path],
    out_dir: Path,
    formats: Iterable[str] = ("ttl",),
    *,
    limits: ReadLimits | None = None,
    taxa: TaxonTable | None = None,
    on_record: Callable[[RecordSource], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    store: Path | None = None,
    jobs: int | None = None,
    incremental: bool = False,
) -> BuildReport:
    """Build the graph of every record under ``inputs`` into ``out_dir``.

    Parameters
    ----------
    inputs : folders in the PFOCR layout, folders of records, or record files.
    out_dir : the output folder: new, empty, or one a pfocr-kg build made. It gets
        ``pfocr.<ext>`` files, ``void.ttl`` and ``build-report.json``, all switched in
        together (:mod:`kg.outputs.folder`).
    formats : output formats, by name: ``ttl``, ``nt``, ``nq``, ``jsonld``.
    on_start, on_record : progress hooks, called with the record count, then per record.
    store : also load the graph into an Oxigraph store, reached at this path (a link
        into the output folder's current generation).
    jobs : processes that read, map and render records: this one and ``jobs - 1``
        workers (default: :func:`default_jobs`: one a core, one fewer with a store); the
        output is the same for any number.
    incremental : reuse the figures whose record and companions did not change since the
        last incremental build into ``out_dir`` (``build-cache.sqlite``); the output is the
        same as a clean build's, and ``report.changes`` says what changed.

    Returns
    -------
    BuildReport, also written to ``out_dir / "build-report.json"``.

    Raises
    ------
    InputError : a missing input, or inputs with no record files; nothing was written.
    OutputRefused : ``out_dir`` or ``store`` holds something pfocr-kg did not make.
    BuildInProgress : another build holds ``out_dir``.
    NothingBuilt : every record was rejected; the previous outputs stay.
    WorkerLost : a worker process was killed; the previous outputs stay.
    BuildInterrupted : Ctrl-C; ``switched`` says which output set is in place.
    """
    started = time.perf_counter()
    formats = list(dict.fromkeys(formats))
    for name in formats:
        if name not in BUILD_FORMATS:
            raise ValueError(f"unknown format {name!r}; choose from {', '.join(BUILD_FORMATS)}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    _check_inputs(inputs)
    folder = OutputFolder.claim(out_dir, store=store, inputs=inputs)
    found = discover(inputs)
    if not found.records:
        where = ", ".join(str(p) for p in inputs)
        raise InputError(f"no PFOCR record files (.md) found in {where}")
    report = BuildReport(inputs=[str(p) for p in inputs], problems=list(found.problems))
    report.records_found = len(found.records)
    if on_start:
        on_start(len(found.records))
    limits = limits or ReadLimits()
    taxa = taxa or TaxonTable.bundled()
    rendered = [*formats, *(["nt"] if store is not None and "nt" not in formats else [])]
    preparer = RecordPreparer(taxa, limits, rendered, keep=incremental, facts=store is not None)
    settings = f"{limits!r}|{_taxa_fingerprint(taxa)}" if incremental else None
    generation: Generation | None = None
    try:
        with (
            folder.locked(),
            Workers(preparer, jobs or default_jobs(store is not None)) as workers,
        ):
            generation = folder.stage()
            outputs = Outputs(generation, formats, store is not None)
            try:
                _run(outputs, workers, found.records, report, settings, limits, on_record)
                _record_outputs(report, folder, formats, store, settings is not None)
                outputs.commit()
                if outputs.loader is not None and outputs.loader.index is not None:
                    made = outputs.loader.index
                    report.index = {
                        "seconds": round(made.seconds, 3),
                        "seconds_beside_store_compaction": round(made.commit_seconds, 3),
                        "figure_gene_pairs": made.figure_genes,
                    }
                names = _finish(outputs, report, started)
                generation.switch(names, store=store is not None)
            finally:
                if not generation.switched:
                    outputs.discard()
    except KeyboardInterrupt:
        raise BuildInterrupted(generation is not None and generation.switched) from None
    return report


def _run(
    outputs: Outputs,
    workers: Workers,
    sources: list[RecordSource],
    report: BuildReport,
    settings: str | None,
    limits: ReadLimits,
    on_record: Callable[[RecordSource], None] | None,
) -> None:
    """Plan, prepare and emit every record into ``outputs``."""
    folder = outputs.generation.folder
    cache = outputs.open_cache(folder, settings) if settings is not None else None
    if cache is not None and cache.problem:
        report.problems.append(Problem(CACHE_NAME, "cache", cache.problem, Severity.WARNING))
    plan = _plan(sources, cache, limits)
    # Workers are forked before the files and the store are opened (see Workers).
    computed = workers.records([s for s, _, payload in plan if payload is None])
    outputs.open_files()
    loop = Loop(outputs, report, {s.stem for s in sources})
    for source, digest, payload in plan:
        prepared = None if payload is None else _reuse(workers.preparer, source, payload)
        reused = prepared is not None
        if prepared is None:
            prepared = next(computed) if payload is None else workers.preparer.prepare(source)
        loop.cache(prepared, digest, reused)
        loop.take(prepared)
        if on_record:
            on_record(source)
    loop.release_held()
    tasks = [(s, kept, loop.index.entries_for(keys)) for s, kept, keys in loop.deferred]
    for prepared in workers.deferred(tasks):
        report.problems.extend(prepared.problems)
        report.gene_keywords_resolved += prepared.keywords[0]
        report.gene_keywords_unresolved += prepared.keywords[1]
        if prepared.graph is not None:
            outputs.emit(prepared, report)
    if cache is not None:
        loop.changes["removed"] = loop.removed(sources)
        loop.changes["added"].sort()
        loop.changes["changed"].sort()
        report.changes = loop.changes
    if report.records_built == 0:
        raise NothingBuilt(report)


def _reuse(preparer: RecordPreparer, source: RecordSource, payload: bytes) -> Prepared | None:
    try:
        return preparer.complete(Prepared.from_json(source, payload))
    except ValueError:  # a garbled entry: prepare the record again
        return None


def _record_outputs(
    report: BuildReport,
    folder: OutputFolder,
    formats: Sequence[str],
    store: Path | None,
    cache: bool,
) -> None:
    """Name each output where users find it: the stable names in the output folder."""
    for name in formats:
        report.outputs[name] = str(folder.path / output_name(name))
    if store is not None:
        report.outputs["store"] = str(store)
    if cache:
        report.outputs["cache"] = str(folder.path / STATE_NAME / "current" / CACHE_NAME)
    report.outputs["void"] = str(folder.path / VOID_NAME)
    report.outputs["report"] = str(folder.path / REPORT_NAME)
