"""The emit stage: prepared records into every open output, in order.

:class:`Outputs` holds the outputs of one build, open in its new generation, and writes
each figure to all of them; :class:`Loop` takes prepared records in order and decides, for
each, whether it is emitted now, waits for the symbol index, waits for the record named
after its figid (duplicates), or is rejected; it also feeds the incremental cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.build.prepare import Prepared
from kg.build.report import BuildReport, Tally
from kg.model import Problem
from kg.outputs import FigureOutput
from kg.outputs.cache import CACHE_NAME, BuildCache, CacheEntry
from kg.outputs.folder import STORE_NAME, Generation, OutputFolder
from kg.outputs.loader import StoreLoader
from kg.outputs.writers import RdfWriter, open_writer, output_name
from kg.sources import RecordSource, SymbolIndex

__all__ = ["Loop", "Outputs"]


@dataclass(slots=True)
class Outputs:
    """The outputs of one build, open in its new generation."""

    generation: Generation
    formats: Sequence[str]
    store: bool
    writers: list[RdfWriter] = field(default_factory=list)
    loader: StoreLoader | None = None
    cache: BuildCache | None = None
    tally: Tally = field(default_factory=Tally)

    def emit(self, prepared: Prepared, report: BuildReport) -> bool:
        """Write one mapped record to every output; ``False`` if its graph was rejected."""
        graph, counts = prepared.graph, prepared.counts
        assert graph is not None and counts is not None
        report.problems.extend(graph.problems)
        if graph.rejected:
            report.records_rejected += 1
            return False
        shared = self.tally.add(graph, prepared.local_counts)
        item = FigureOutput(graph.figure, prepared.texts, shared, prepared.facts)
        for writer in self.writers:
            writer.add(item)
        if self.loader is not None:
            self.loader.add(item)
        counts.add_to(report)
        report.records_built += 1
        return True

    def open_cache(self, folder: OutputFolder, settings: str) -> BuildCache:
        """The new cache, reading the current generation's."""
        current = folder.current()
        previous = current / CACHE_NAME if current is not None else None
        self.cache = BuildCache(previous, self.generation.path / CACHE_NAME, settings)
        return self.cache

    def open_files(self) -> None:
        """The RDF files and the store, in the new generation."""
        for name in self.formats:
            self.writers.append(open_writer(name, self.generation.path / output_name(name)))
        if self.store:
            self.loader = StoreLoader(self.generation.path / STORE_NAME)

    def commit(self) -> None:
        for output in [*self.writers, self.loader, self.cache]:
            if output is not None:
                output.commit()

    def discard(self) -> None:
        for output in [*self.writers, self.loader, self.cache]:
            if output is not None:
                output.discard()
        self.generation.discard()


class Loop:
    """The build's loop over prepared records: duplicates, deferrals, the cache, emission."""

    def __init__(self, outputs: Outputs, report: BuildReport, stems: set[str]) -> None:
        self.outputs = outputs
        self.report = report
        self.stems = stems
        self.index = SymbolIndex()
        self.seen: dict[str, str] = {}
        self.deferred: list[tuple[RecordSource, bytes | None, list[tuple[str, str]]]] = []
        # Records whose figid names another record file: decided once that one is read.
        self.held: list[Prepared] = []
        self.changes: dict[str, Any] = {"added": [], "changed": [], "removed": [], "unchanged": 0}

    def cache(self, prepared: Prepared, digest: str, reused: bool) -> None:
        cache = self.outputs.cache
        if cache is None:
            return
        path = str(prepared.source.figure_file)
        name = prepared.figid or prepared.source.stem
        if reused:
            self.changes["unchanged"] += 1
        else:
            self.changes["changed" if path in cache.previous else "added"].append(name)
        cache.add(CacheEntry(path, prepared.figid, digest, prepared.to_json()))

    def take(self, prepared: Prepared) -> None:
        """Count one prepared record, then emit, defer, hold or reject it."""
        self.report.problems.extend(prepared.problems)
        self.report.duplicate_rows += prepared.duplicate_rows
        self.report.superseded.update(prepared.superseded)
        figid = prepared.figid
        if figid is not None and figid != prepared.source.stem and figid in self.stems:
            self.held.append(prepared)
        else:
            self._decide(prepared)

    def release_held(self) -> None:
        """Held records: built unless the file named after their figid was."""
        for prepared in self.held:
            self._decide(prepared)
        self.held = []

    def _decide(self, prepared: Prepared) -> None:
        figid, source = prepared.figid, prepared.source
        if figid is not None and figid in self.seen:
            self.report.problems.append(
                Problem(
                    str(source.figure_file),
                    "figid",
                    f"duplicate figid {figid!r}, already built from {self.seen[figid]}; "
                    "record rejected",
                )
            )
            figid = None
        if figid is None:
            self.report.records_rejected += 1
            return
        self.seen[figid] = str(source.figure_file)
        if prepared.deferred:
            self.deferred.append((source, prepared.waiting, prepared.lookups))
        elif self.outputs.emit(prepared, self.report):
            self.index.add_entries(prepared.symbols)

    def removed(self, sources: list[RecordSource]) -> list[str]:
        cache = self.outputs.cache
        assert cache is not None
        current = {str(s.figure_file) for s in sources}
        return sorted(
            figid or Path(path).stem
            for path, (figid, _) in cache.previous.items()
            if path not in current
        )
