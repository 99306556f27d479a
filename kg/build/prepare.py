"""Prepare records for the build: read, map and render each (:mod:`kg.build.workers` shares
them out between processes).

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

import json
import pickle
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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

__all__ = ["Prepared", "RecordPreparer", "Waiting"]

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
