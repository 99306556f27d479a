"""The build: records stream from :mod:`kg.sources` through :mod:`kg.rdf` into writers.

One record at a time is read, mapped and written; what stays in memory is what the build
needs across records: the set of figids seen, the symbol index, the shared entity triples
(merged per writer) and the report. Records whose gene keywords must be resolved through
the symbol index wait until every genes TSV of the input has been read.

Example
-------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> report = build([pathlib.Path("data/sample")], out)
>>> report.records_built, (out / "pfocr.ttl").exists()
(68, True)
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.cache import CACHE_NAME, BuildCache, record_hash
from kg.model import Figure, Problem, Severity
from kg.rdf import ENTITY_KINDS, FigureGraph, FigureMapper, JsonLdConverter, OfflineContextLoader
from kg.rdf.ntriples import FirstSeen, Statement
from kg.rdf.void import StatementCounts, void_triples, void_turtle
from kg.rdf.writers import (
    EXTENSIONS,
    WRITERS,
    RdfWriter,
    atomic_write_bytes,
    atomic_write_text,
    open_writer,
)
from kg.sources import (
    ReadLimits,
    RecordSource,
    SymbolIndex,
    TaxonTable,
    discover,
    keyword_lookups,
    read_record,
    resolve_gene_keywords,
)
from kg.store.loader import StoreLoader

__all__ = [
    "LOCK_NAME",
    "OUTPUT_STEM",
    "REPORT_NAME",
    "VOID_NAME",
    "BuildInProgress",
    "BuildReport",
    "build",
]

logger = logging.getLogger(__name__)

# What a cached record holds (a pickled _Prepared) changes between development versions of
# the same release; a new layout name makes every old entry a miss instead of a bad load.
CACHE_LAYOUT = "prepared-statements-2"

# Records sent to a worker at a time; a corpus of fewer than two chunks is built in-process.
PARALLEL_CHUNK = 16

OUTPUT_STEM = "pfocr"
REPORT_NAME = "build-report.json"
VOID_NAME = "void.ttl"


@dataclass(slots=True)
class BuildReport:
    """What a build read, built, rejected and wrote; saved as ``build-report.json``."""

    inputs: list[str] = field(default_factory=list)
    records_found: int = 0
    records_built: int = 0
    records_rejected: int = 0
    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    mentions: Counter[str] = field(default_factory=Counter)
    unresolved_mentions: Counter[str] = field(default_factory=Counter)
    gene_keywords_resolved: int = 0
    gene_keywords_unresolved: int = 0
    unmapped_fields: Counter[str] = field(default_factory=Counter)
    duplicate_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    # An incremental build's changes by figid: added, changed, removed, and the unchanged count.
    changes: dict[str, Any] | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (errors as ``{file, field, message}``)."""
        return {
            "pfocr_kg_version": __version__,
            "inputs": self.inputs,
            "records": {
                "read": self.records_found,
                "built": self.records_built,
                "rejected": self.records_rejected,
            },
            "triples": self.triples,
            "entities": self.entities,
            "mentions": dict(sorted(self.mentions.items())),
            "unresolved_mentions": dict(sorted(self.unresolved_mentions.items())),
            "gene_keywords": {
                "resolved_mentions": self.gene_keywords_resolved,
                "unresolved": self.gene_keywords_unresolved,
            },
            "unmapped_fields": dict(sorted(self.unmapped_fields.items())),
            "duplicate_rows_merged": self.duplicate_rows,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "outputs": self.outputs,
            **({"incremental": self.changes} if self.changes is not None else {}),
            "seconds": round(self.seconds, 3),
        }


class _Tally:
    """Counts across the build that the report and the VoID description need.

    It also decides, once for every writer, which shared statements are new: the first
    figure to state a gene's label writes it, later ones do not.
    """

    def __init__(self) -> None:
        self.entities: dict[str, set[str]] = {kind: set() for kind in ENTITY_KINDS}
        self.first_seen = FirstSeen()
        self.counts = StatementCounts()

    def add(self, graph: FigureGraph) -> list[Statement]:
        """Count ``graph``; return its shared statements that no figure stated before."""
        shared = self.first_seen.new(graph.shared)
        self.counts.update(graph.local_counts())
        self.counts.add(shared)
        for kind, iris in graph.entities.items():
            self.entities[kind].update(iris)
        return shared


@dataclass(slots=True)
class _FigureCounts:
    """What the report counts of one figure's mentions and fields."""

    mentions: Counter[str]
    unresolved: Counter[str]
    unmapped: list[str]

    @classmethod
    def of(cls, figure: Figure) -> _FigureCounts:
        mentions: Counter[str] = Counter()
        unresolved: Counter[str] = Counter()
        for kind, found in (
            ("gene", figure.genes),
            ("chemical", figure.chemicals),
            ("disease", figure.diseases),
        ):
            mentions[kind] += len(found)
            unresolved[kind] += sum(
                1
                for m in found
                if not (
                    getattr(m, "gene_id", None)
                    or getattr(m, "mesh_id", None)
                    or getattr(m, "chebi_id", None)
                    or getattr(m, "doid", None)
                )
            )
        return cls(mentions, unresolved, [item.name for item in figure.unmapped])

    def add_to(self, report: BuildReport) -> None:
        report.mentions.update(self.mentions)
        report.unresolved_mentions.update(self.unresolved)
        report.unmapped_fields.update(self.unmapped)


@dataclass(slots=True)
class _Prepared:
    """One record read and (when it names its genes) mapped: what the build loop needs.

    Records without genes wait for the symbol index (``deferred``) and are mapped at the end,
    with the entries of the index under ``lookups``.
    """

    source: RecordSource
    problems: list[Problem]
    duplicate_rows: int
    figid: str | None = None
    deferred: bool = False
    # (taxon id, symbol, gene id) of the genes it names, for the symbol index.
    symbols: list[tuple[str, str, str]] = field(default_factory=list)
    lookups: list[tuple[str, str]] = field(default_factory=list)
    graph: FigureGraph | None = None
    counts: _FigureCounts | None = None
    # Gene keywords resolved (as mentions) and left unresolved, for deferred records.
    keywords: tuple[int, int] = (0, 0)


class _RecordPreparer:
    """Reads and maps records; one per process in a parallel build.

    ``render`` names the output formats to render each graph into ahead (in a worker, so
    the writing process only writes); none in a one-process build, where writers render.
    ``freeze`` then also drops the rendered statements (:meth:`FigureGraph.freeze`), for
    builds that do not keep them in a cache.
    """

    def __init__(
        self,
        taxa: TaxonTable,
        limits: ReadLimits | None,
        render: Sequence[str] = (),
        freeze: bool = False,
    ) -> None:
        self.taxa = taxa
        self.limits = limits
        self.render = tuple(render)
        self.freeze = freeze
        self.mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
        self._renderers = {name: WRITERS[name].renderer() for name in self.render}

    def prepare(self, source: RecordSource) -> _Prepared:
        result = read_record(source, self.taxa, self.limits)
        prepared = _Prepared(source, result.problems, result.duplicate_rows)
        figure = result.figure
        if figure is None:
            return prepared
        prepared.figid = figure.figid
        if not figure.genes:
            prepared.deferred = True
            prepared.lookups = keyword_lookups(figure)
            return prepared
        prepared.symbols = SymbolIndex.entries(figure.genes)
        self._map(figure, prepared)
        return prepared

    def prepare_deferred(self, task: tuple[RecordSource, list[tuple[str, str, str]]]) -> _Prepared:
        """Map a deferred record, its gene keywords resolved by the index ``entries`` given."""
        source, entries = task
        index = SymbolIndex()
        index.add_entries(entries)
        figure = read_record(source, self.taxa, self.limits).figure  # problems: reported
        assert figure is not None
        resolved, matched, unresolved = resolve_gene_keywords(figure, index)
        prepared = _Prepared(source, [], 0, resolved.figid, keywords=(matched, unresolved))
        self._map(resolved, prepared)
        return prepared

    def _map(self, figure: Figure, prepared: _Prepared) -> None:
        prepared.graph = graph = self.mapper.map(figure)
        prepared.counts = _FigureCounts.of(figure)
        if graph.rejected:
            return
        if self.freeze:
            graph.freeze(self._renderers)
        else:
            for name, render in self._renderers.items():
                graph.render(name, render)


# A worker process's preparer, set once by the pool initializer: the JSON-LD contexts and the
# taxon table are built once per process instead of being sent with every record.
_WORKER: _RecordPreparer | None = None


def _start_worker(
    taxa: TaxonTable, limits: ReadLimits | None, render: Sequence[str], freeze: bool
) -> None:
    global _WORKER
    _WORKER = _RecordPreparer(taxa, limits, render, freeze)


def _prepare_in_worker(source: RecordSource) -> _Prepared:
    assert _WORKER is not None
    return _WORKER.prepare(source)


def _prepare_deferred_in_worker(task: tuple[RecordSource, list[tuple[str, str, str]]]) -> _Prepared:
    assert _WORKER is not None
    return _WORKER.prepare_deferred(task)


def _cache_payload(prepared: _Prepared) -> bytes:
    """``prepared`` pickled without its rendered text, which is made again if reused."""
    if prepared.graph is None or not prepared.graph.rendered:
        return pickle.dumps(prepared)
    rendered, prepared.graph.rendered = prepared.graph.rendered, {}
    try:
        return pickle.dumps(prepared)
    finally:
        prepared.graph.rendered = rendered


def _taxa_fingerprint(taxa: TaxonTable) -> str:
    return hashlib.sha256(repr(sorted(taxa.by_name.items())).encode()).hexdigest()


def _plan(
    sources: list[RecordSource], cache: BuildCache | None
) -> list[tuple[RecordSource, str, bytes | None]]:
    """Each source with its content hash and, when unchanged since the cache, its payload."""
    if cache is None:
        return [(source, "", None) for source in sources]
    plan = []
    for source in sources:
        files = (source.figure_file, source.genes_tsv, source.chemicals_tsv, source.diseases_tsv)
        try:
            digest = record_hash(files, cache.settings)
        except OSError:  # unreadable now: let the reader report it
            digest = ""
        plan.append(
            (source, digest, cache.get(str(source.figure_file), digest) if digest else None)
        )
    return plan


class _Preparation:
    """Records prepared in order, in this process or across ``jobs`` worker processes.

    The workers are forked by :meth:`records`, before the build opens its writers and
    store (forked after them, the same build took 53 s instead of 34 s at 1,000 figures),
    and only for inputs worth it; :meth:`deferred` reuses them.
    """

    def __init__(
        self,
        preparer: _RecordPreparer,
        jobs: int,
        render: Sequence[str],
        freeze: bool,
        cleanup: contextlib.ExitStack,
    ) -> None:
        self._preparer = preparer
        self._jobs = jobs
        self._initargs = (preparer.taxa, preparer.limits, tuple(render), freeze)
        self._cleanup = cleanup
        self._pool: Any = None

    def records(self, sources: list[RecordSource]) -> Iterator[_Prepared]:
        """``sources`` read and, when they name their genes, mapped."""
        if self._jobs <= 1 or len(sources) < 2 * PARALLEL_CHUNK:
            return map(self._preparer.prepare, sources)
        self._pool = self._cleanup.enter_context(
            multiprocessing.get_context("fork").Pool(
                self._jobs, initializer=_start_worker, initargs=self._initargs
            )
        )
        return self._pool.imap(_prepare_in_worker, sources, chunksize=PARALLEL_CHUNK)

    def deferred(
        self, tasks: list[tuple[RecordSource, list[tuple[str, str, str]]]]
    ) -> Iterator[_Prepared]:
        """Deferred records mapped, each with the symbol index entries it looks up."""
        if self._pool is None or len(tasks) < 2 * PARALLEL_CHUNK:
            return map(self._preparer.prepare_deferred, tasks)
        return self._pool.imap(_prepare_deferred_in_worker, tasks, chunksize=PARALLEL_CHUNK)


def available_cores() -> int:
    """The cores this process may run on (the default number of build workers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
    out_dir : where ``pfocr.<ext>`` files and ``build-report.json`` are written.
    formats : output formats, by name: ``ttl``, ``nt``, ``nq``, ``jsonld``.
    on_start, on_record : progress hooks, called with the record count, then per record.
    store : also load the graph into an Oxigraph store in this folder (replaced atomically).
    jobs : worker processes that read, map and render records (default: every available
        core); the output is the same for any number.
    incremental : reuse the figures whose record and companions did not change since the
        last incremental build into ``out_dir`` (``build-cache.sqlite``); the output is the
        same as a clean build's, and ``report.changes`` says what changed.

    Returns
    -------
    BuildReport, also written to ``out_dir / "build-report.json"``.
    """
    started = time.perf_counter()
    formats = list(dict.fromkeys(formats))
    report = BuildReport(inputs=[str(p) for p in inputs])
    found = discover(inputs)
    report.problems.extend(found.problems)
    report.records_found = len(found.records)
    if on_start:
        on_start(len(found.records))

    taxa = taxa or TaxonTable.bundled()
    preparer = _RecordPreparer(taxa, limits)
    jobs = jobs if jobs is not None else available_cores()
    index = SymbolIndex()
    tally = _Tally()
    seen: dict[str, str] = {}
    # Sources and index keys only, re-read at the end: holding their figures would grow
    # with the corpus.
    deferred: list[tuple[RecordSource, list[tuple[str, str]]]] = []
    with contextlib.ExitStack() as cleanup:
        for folder in dict.fromkeys([out_dir, *([store.parent] if store else [])]):
            cleanup.enter_context(_exclusive(folder))
        _remove_leftovers(out_dir, [*(f"{OUTPUT_STEM}.{EXTENSIONS[f]}" for f in formats),
                                    REPORT_NAME, VOID_NAME])  # fmt: skip
        if store is not None:
            _remove_leftovers(store.parent, [store.name])
        cache = None
        if incremental:
            settings = f"{CACHE_LAYOUT}|{limits!r}|{_taxa_fingerprint(taxa)}"
            cache = cleanup.enter_context(BuildCache(out_dir / CACHE_NAME, settings))
        plan = _plan(found.records, cache)
        render = [*formats, *(["nt"] if store is not None and "nt" not in formats else [])]
        # A cache keeps statements, to render other formats later; without one, workers
        # send back text and counts only.
        preparation = _Preparation(preparer, jobs, render, cache is None, cleanup)
        computed = preparation.records([source for source, _, payload in plan if payload is None])
        # Until commit, every output is a temporary; on any failure the stack drops them.
        writers: list[RdfWriter] = [
            cleanup.enter_context(open_writer(f, out_dir / f"{OUTPUT_STEM}.{EXTENSIONS[f]}"))
            for f in formats
        ]
        loader = StoreLoader(store) if store is not None else None
        if loader is not None:
            cleanup.callback(loader.discard)

        def emit(graph: FigureGraph, counts: _FigureCounts) -> bool:
            report.problems.extend(graph.problems)
            if graph.rejected:
                report.records_rejected += 1
                return False
            shared = tally.add(graph)
            for writer in writers:
                writer.add(graph, shared)
            if loader is not None:
                loader.add(graph, shared)
            counts.add_to(report)
            report.records_built += 1
            return True

        changes: dict[str, Any] = {"added": [], "changed": [], "removed": [], "unchanged": 0}

        for source, digest, payload in plan:
            prepared = pickle.loads(payload) if payload is not None else next(computed)
            if cache is not None:
                path = str(source.figure_file)
                name = prepared.figid or source.stem
                if payload is not None:
                    changes["unchanged"] += 1
                else:
                    changes["changed" if path in cache.previous else "added"].append(name)
                cache.put(path, prepared.figid, digest, _cache_payload(prepared))
            report.problems.extend(prepared.problems)
            report.duplicate_rows += prepared.duplicate_rows
            figid = prepared.figid
            if figid is not None and figid in seen:
                report.problems.append(
                    Problem(
                        str(source.figure_file),
                        "figid",
                        f"duplicate figid {figid!r}, "
                        f"already built from {seen[figid]}; record rejected",
                    )
                )
                figid = None
            if figid is None:
                report.records_rejected += 1
            else:
                seen[figid] = str(source.figure_file)
                if prepared.deferred:
                    deferred.append((source, prepared.lookups))
                elif (
                    prepared.graph is not None
                    and prepared.counts is not None
                    and emit(prepared.graph, prepared.counts)
                ):
                    index.add_entries(prepared.symbols)
            if on_record:
                on_record(source)

        tasks = [(source, index.entries_for(lookups)) for source, lookups in deferred]
        for prepared in preparation.deferred(tasks):
            report.gene_keywords_resolved += prepared.keywords[0]
            report.gene_keywords_unresolved += prepared.keywords[1]
            assert prepared.graph is not None and prepared.counts is not None
            emit(prepared.graph, prepared.counts)

        if cache is not None:
            current = {str(s.figure_file) for s in found.records}
            changes["removed"] = sorted(
                figid or Path(path).stem
                for path, (figid, _) in cache.previous.items()
                if path not in current
            )
            changes["added"].sort()
            changes["changed"].sort()
            report.changes = changes
        for writer, name in zip(writers, formats, strict=True):
            report.outputs[name] = str(writer.commit())
        if loader is not None and store is not None:
            loader.commit()
            report.outputs["store"] = str(store)
        if cache is not None:
            cache.commit()
            report.outputs["cache"] = str(out_dir / CACHE_NAME)

    statistics = tally.counts.statistics()
    report.triples = statistics.triples
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    void_path = out_dir / VOID_NAME
    atomic_write_bytes(
        void_path, void_turtle(void_triples(statistics, version=__version__, created=created))
    )
    report.outputs["void"] = str(void_path)
    report.entities = {kind: len(iris) for kind, iris in tally.entities.items()}
    report.seconds = time.perf_counter() - started
    report_path = out_dir / REPORT_NAME
    report.outputs["report"] = str(report_path)
    _write_report(report, report_path)
    return report


LOCK_NAME = ".pfocr-kg.lock"  # stays in the folder; holding it is what counts


class BuildInProgress(RuntimeError):
    """Another build is writing to the same output folder."""


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold the folder's build lock; the kernel drops it if the process dies, even by SIGKILL."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_NAME).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildInProgress(f"{folder}: another pfocr-kg build is writing here") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(folder: Path, names: Iterable[str]) -> None:
    """Drop temporaries a killed build left beside ``names`` (safe: we hold the lock)."""
    for name in names:
        for pattern in (f".{name}.*.tmp", f".{name}.*.old"):
            for leftover in folder.glob(pattern):
                logger.info("removing %s, left by an interrupted build", leftover)
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)


def _write_report(report: BuildReport, path: Path) -> None:
    atomic_write_text(path, json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
