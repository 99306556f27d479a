"""Prepare records for the build: read, map and render each, here or in worker processes.

A :class:`Prepared` record is what the build's loop needs of one record file: its figid,
its problems, and (once mapped) its graph with the text of every output format. Records
that name no genes wait for the symbol index (``deferred``) and are mapped at the end.
Prepared records are also what the incremental cache keeps, as JSON (:meth:`Prepared.to_json`):
data, never code.

Example
-------
>>> from pathlib import Path
>>> from kg.sources import TaxonTable, discover
>>> source = discover([Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")]).records[0]
>>> prepared = RecordPreparer(TaxonTable.bundled(), None, ["nt"]).prepare(source)
>>> prepared.figid, prepared.texts["nt"].count(b"\\n") == prepared.local_counts.triples
('PMC8632218__fimmu-12-767939-g001', True)
>>> Prepared.from_json(source, prepared.to_json()).graph.local == prepared.graph.local
True
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.build.report import FigureCounts
from kg.index.facts import FigureFacts, figure_facts, mention_records
from kg.model import Figure, Problem, Severity
from kg.rdf import FigureGraph, FigureMapper, JsonLdConverter, OfflineContextLoader
from kg.rdf.description import StatementCounts
from kg.rdf.formats import renderer
from kg.rdf.ntriples import Statement, ntriples
from kg.sources import (
    ReadLimits,
    RecordSource,
    SymbolIndex,
    TaxonTable,
    keyword_lookups,
    read_record,
    resolve_gene_keywords,
)

__all__ = [
    "PARALLEL_CHUNK",
    "Prepared",
    "RecordPreparer",
    "Workers",
    "available_cores",
    "default_jobs",
]

# Records sent to a worker at a time; a corpus of fewer than two chunks is built in-process.
PARALLEL_CHUNK = 16

T = TypeVar("T")
# (taxon id, symbol, gene id): one symbol index entry
Entry = tuple[str, str, str]
# A deferred record: its source, its figure (compressed) if kept, its symbol index entries.
Waiting = tuple[RecordSource, bytes | None, list[Entry]]


@dataclass(slots=True)
class Prepared:
    """One record read and (when it names its genes) mapped: what the build loop needs."""

    source: RecordSource
    problems: list[Problem]
    duplicate_rows: int
    figid: str | None = None
    deferred: bool = False
    # (taxon id, symbol, gene id) of the genes it names, for the symbol index.
    symbols: list[Entry] = field(default_factory=list)
    lookups: list[tuple[str, str]] = field(default_factory=list)
    # A deferred record's figure, kept (compressed) until the index is whole: not read twice.
    waiting: bytes | None = None
    graph: FigureGraph | None = None
    counts: FigureCounts | None = None
    # Legacy front-matter mentions a TSV of the same kind replaced, by kind.
    superseded: dict[str, int] = field(default_factory=dict)
    # Gene keywords resolved (as mentions) and left unresolved, for deferred records.
    keywords: tuple[int, int] = (0, 0)
    # Made from graph.local: its counts, and its text in every output format.
    local_counts: StatementCounts = field(default_factory=StatementCounts)
    texts: dict[str, bytes] = field(default_factory=dict)
    # Its rows for the store's answer index (kg.index), when the build makes a store.
    facts: FigureFacts | None = None

    def to_json(self) -> bytes:
        """This record as JSON, for the cache (the texts are made again when it is reused)."""
        graph = self.graph
        data: dict[str, Any] = {
            "problems": [_problem(p) for p in self.problems],
            "duplicate_rows": self.duplicate_rows,
            "superseded": self.superseded,
            "figid": self.figid,
            "deferred": self.deferred,
            "symbols": self.symbols,
            "lookups": self.lookups,
            "keywords": self.keywords,
            "counts": None
            if self.counts is None
            else [
                self.counts.mentions,
                self.counts.unresolved,
                self.counts.unmapped,
                self.counts.sources,
            ],
            "graph": None
            if graph is None
            else {
                "figure": graph.figure,
                "local": graph.local,
                "shared": graph.shared,
                "entities": {k: sorted(v) for k, v in graph.entities.items()},
                "problems": [_problem(p) for p in graph.problems],
                "rejected": graph.rejected,
            },
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, source: RecordSource, payload: bytes) -> Prepared:
        """A record back from :meth:`to_json`.

        Raises
        ------
        ValueError : the payload is not one :meth:`to_json` made (its statements are
            parsed as N-Triples, so a garbled or crafted entry cannot reach the outputs).
        """
        try:
            data = json.loads(payload)
            graph = None
            if data["graph"] is not None:
                g = data["graph"]
                graph = FigureGraph(
                    g["figure"],
                    local=_statements(g["local"]),
                    shared=_statements(g["shared"]),
                    entities={str(k): set(map(str, v)) for k, v in g["entities"].items()},
                    problems=[_problem_from(p) for p in g["problems"]],
                    rejected=bool(g["rejected"]),
                )
                graph.mentions = mention_records(graph.figure, graph.local)
            counts = None
            if data["counts"] is not None:
                mentions, unresolved, unmapped, sources = data["counts"]
                counts = FigureCounts(
                    Counter(mentions), Counter(unresolved), list(unmapped), Counter(sources)
                )
            return cls(
                source,
                [_problem_from(p) for p in data["problems"]],
                int(data["duplicate_rows"]),
                superseded={str(k): int(v) for k, v in data["superseded"].items()},
                figid=None if data["figid"] is None else str(data["figid"]),
                deferred=bool(data["deferred"]),
                symbols=[(str(a), str(b), str(c)) for a, b, c in data["symbols"]],
                lookups=[(str(a), str(b)) for a, b in data["lookups"]],
                graph=graph,
                counts=counts,
                keywords=(int(data["keywords"][0]), int(data["keywords"][1])),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ValueError(f"not a cached record: {exc}") from None


def _problem(problem: Problem) -> list[str]:
    return [problem.file, problem.field, problem.message, str(problem.severity)]


def _problem_from(item: list[str]) -> Problem:
    return Problem(str(item[0]), str(item[1]), str(item[2]), Severity(item[3]))


def _statements(items: list[list[str]]) -> list[Statement]:
    statements = [(str(s), str(p), str(o)) for s, p, o in items]
    try:
        for _ in ox.parse(ntriples(statements), format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        raise ValueError(f"a statement is not N-Triples: {exc}") from None
    return statements


class RecordPreparer:
    """Reads, maps and renders records; one per process in a parallel build.

    ``formats`` names the output formats each figure's text is made in. ``keep`` keeps each
    figure's own statements after rendering (the cache stores them); without it they are
    dropped once counted and rendered, so a worker sends back text and counts only.
    ``facts`` also reads each figure's statements back into its answer-index rows
    (:func:`kg.index.facts.figure_facts`), for a build that makes a store.
    """

    def __init__(
        self,
        taxa: TaxonTable,
        limits: ReadLimits | None,
        formats: Sequence[str] = (),
        keep: bool = False,
        facts: bool = False,
    ) -> None:
        self.taxa = taxa
        self.limits = limits
        self.keep = keep
        self.facts = facts
        self.mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
        self._renderers = {name: renderer(name) for name in formats}

    def prepare(self, source: RecordSource) -> Prepared:
        """Read ``source``; map and render it unless it waits for the symbol index."""
        result = read_record(source, self.taxa, self.limits)
        prepared = Prepared(
            source, result.problems, result.duplicate_rows, superseded=result.superseded
        )
        figure = result.figure
        if figure is None:
            return prepared
        prepared.figid = figure.figid
        if not figure.genes:
            prepared.deferred = True
            prepared.lookups = keyword_lookups(figure)
            prepared.waiting = zlib.compress(pickle.dumps(figure), 1)
            return prepared
        prepared.symbols = SymbolIndex.entries(figure.genes)
        self._map(figure, prepared)
        return prepared

    def prepare_deferred(self, task: Waiting) -> Prepared:
        """Map a deferred record, its gene keywords resolved by the index entries given.

        The record's figure comes from ``waiting`` when it was kept; a record that came from
        the cache is read again (its files did not change: their hash says so).
        """
        source, waiting, entries = task
        index = SymbolIndex()
        index.add_entries(entries)
        if waiting is not None:  # made by this build's own process tree, never read from disk
            figure = pickle.loads(zlib.decompress(waiting))
        else:
            figure = read_record(source, self.taxa, self.limits).figure  # problems: reported
        if figure is None:  # changed on disk since it was first read
            problem = Problem(str(source.figure_file), "file", "changed while the build ran")
            return Prepared(source, [problem], 0)
        resolved, matched, unresolved = resolve_gene_keywords(figure, index)
        prepared = Prepared(source, [], 0, resolved.figid, keywords=(matched, unresolved))
        self._map(resolved, prepared)
        return prepared

    def complete(self, prepared: Prepared) -> Prepared:
        """Count and render a record that came back from the cache."""
        graph = prepared.graph
        if graph is not None and not graph.rejected:
            self._render(graph, prepared)
        return prepared

    def _map(self, figure: Figure, prepared: Prepared) -> None:
        prepared.graph = graph = self.mapper.map(figure)
        prepared.counts = FigureCounts.of(figure)
        if not graph.rejected:
            self._render(graph, prepared)
            graph.mentions = []  # in the facts now; the cache reads them back from ``local``
            if not self.keep:
                graph.local = []

    def _render(self, graph: FigureGraph, prepared: Prepared) -> None:
        prepared.local_counts = StatementCounts().add(graph.local)
        prepared.texts = {name: render(graph) for name, render in self._renderers.items()}
        if self.facts:
            prepared.facts = figure_facts(graph.figure, graph.statements(), graph.mentions)


_WORKER_GC_THRESHOLDS = (10_000, 50, 50)

# A worker process's preparer, set once by the pool initializer: the JSON-LD contexts and the
# taxon table are built once per process instead of being sent with every record.
_WORKER: RecordPreparer | None = None


def _start_worker(
    taxa: TaxonTable,
    limits: ReadLimits | None,
    formats: Sequence[str],
    keep: bool,
    facts: bool,
) -> None:
    global _WORKER
    _WORKER = RecordPreparer(taxa, limits, formats, keep, facts)
    # The worker's own collector settings (the process is the build's): what it inherited
    # and its caches are never garbage, and a record's objects (hundreds of statements)
    # are freed by reference counting; collecting less often saves 3-4% of a worker's CPU.
    gc.freeze()
    gc.set_threshold(*_WORKER_GC_THRESHOLDS)


# What a worker sends back as each record's source: the build has the source already, and
# unpickling its paths took 0.18 s of the main process's CPU at 2,000 figures. One object,
# so pickle sends it once a chunk.
_SOURCE_KEPT = RecordSource(Path())


def _sent(prepared: list[Prepared]) -> list[Prepared]:
    for record in prepared:
        record.source = _SOURCE_KEPT
    return prepared


def _prepare_in_worker(sources: list[RecordSource]) -> list[Prepared]:
    assert _WORKER is not None
    return _sent([_WORKER.prepare(source) for source in sources])


def _prepare_deferred_in_worker(tasks: list[Waiting]) -> list[Prepared]:
    assert _WORKER is not None
    return _sent([_WORKER.prepare_deferred(task) for task in tasks])


def _with_sources(
    prepared: Iterator[Prepared], sources: Iterable[RecordSource]
) -> Iterator[Prepared]:
    """Records back from the workers, in order, each with its source again."""
    for record, source in zip(prepared, sources, strict=True):
        record.source = source
        yield record


def _bounded_map(
    pool: Any, function: Callable[[list[T]], list[Prepared]], items: list[T], window: int
) -> Iterator[Prepared]:
    """``function`` over chunks of ``items`` in ``pool``, in order, with at most ``window``
    chunks sent and not yet taken: results wait for the build, never pile up."""
    chunks = (items[i : i + PARALLEL_CHUNK] for i in range(0, len(items), PARALLEL_CHUNK))
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(function, (chunk,)))
        if len(pending) >= window:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_jobs(store: bool, cores: int | None = None) -> int:
    """Worker processes a build uses unless told: one a core, and one core fewer when the
    build loads a store, whose loading takes a core of its own.

    Oxigraph loads on its own native threads, beside the build. On 2 cores, a store build
    with a worker process per core runs three busy processes and those threads on two
    cores, and pays for sending each figure's text and index rows from the workers to the
    main process; with ``jobs=1`` the records are prepared in the main process and nothing
    is sent. On 2 cores at 2,000 figures that build took 10.6-11.7 s against 12.2-13.0 s with
    two workers (19.5-21 CPU-s against 23-24; BENCHMARKS.md, issue 18, fourth round).

    Parameters
    ----------
    store : whether the build also loads an Oxigraph store.
    cores : the cores to plan for (default: :func:`available_cores`).

    Returns
    -------
    int, at least 1 (1 means the records are prepared in the build's own process).

    Examples
    --------
    >>> default_jobs(store=False, cores=8), default_jobs(store=True, cores=8)
    (8, 7)
    >>> default_jobs(store=True, cores=2), default_jobs(store=True, cores=1)
    (1, 1)
    """
    cores = available_cores() if cores is None else cores
    return max(1, cores - 1) if store else max(1, cores)


class Workers:
    """Records prepared in order, in this process or across ``jobs`` worker processes.

    The workers are forked by :meth:`records`, before the build opens its writers and
    store (forked after them, the same build took 53 s instead of 34 s at 1,000 figures),
    and only for inputs worth it; :meth:`deferred` reuses them. Use it as a context
    manager: leaving it ends the workers, and gives back the collector's thresholds when
    records were prepared in this process.
    """

    def __init__(self, preparer: RecordPreparer, jobs: int, formats: Sequence[str]) -> None:
        self.preparer = preparer
        self._jobs = jobs
        # The collector's thresholds to restore, while records are prepared in this process.
        self._thresholds: tuple[int, int, int] | None = None
        self._initargs = (
            preparer.taxa,
            preparer.limits,
            tuple(formats),
            preparer.keep,
            preparer.facts,
        )
        self._pool: Any = None

    def records(self, sources: list[RecordSource]) -> Iterator[Prepared]:
        """``sources`` read and, when they name their genes, mapped."""
        if self._jobs <= 1 or len(sources) < 2 * PARALLEL_CHUNK:
            self._in_process()
            return map(self.preparer.prepare, sources)
        self._pool = multiprocessing.get_context("fork").Pool(
            self._jobs, initializer=_start_worker, initargs=self._initargs
        )
        prepared = _bounded_map(self._pool, _prepare_in_worker, sources, 2 * self._jobs)
        return _with_sources(prepared, sources)

    def deferred(self, tasks: list[Waiting]) -> Iterator[Prepared]:
        """Deferred records mapped, each with the symbol index entries it looks up."""
        if self._pool is None or len(tasks) < 2 * PARALLEL_CHUNK:
            self._in_process()
            return map(self.preparer.prepare_deferred, tasks)
        prepared = _bounded_map(self._pool, _prepare_deferred_in_worker, tasks, 2 * self._jobs)
        return _with_sources(prepared, (source for source, _, _ in tasks))

    def _in_process(self) -> None:
        """Records are prepared in this process: until :meth:`__exit__`, its collector runs
        as seldom as a worker's (a record's objects are freed by reference counting). A
        store build of 2,000 figures with ``jobs=1`` spent 0.7 s collecting, 0.12 s so."""
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(*_WORKER_GC_THRESHOLDS)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
