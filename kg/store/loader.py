"""Load figure graphs into an on-disk Oxigraph store while a build runs, replacing it atomically.

The new store is written in a temporary folder beside the target and swapped in by
:meth:`StoreLoader.commit`; until then, and after any failure, the previous store stays
as it was.

Example
-------
>>> import tempfile, pathlib
>>> from kg.model import Figure, Paper
>>> from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
>>> graph = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled())).map(
...     Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1")))
>>> target = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> loader = StoreLoader(target)
>>> loader.add(graph)
>>> loader.commit()
>>> with OxigraphStore(target, read_only=True) as store:
...     len(store)
5
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.figure import FigureGraph
from kg.rdf.writers import creation_mode
from kg.store.backends import OxigraphStore

__all__ = ["StoreLoader"]

# Oxigraph's bulk loader writes a new set of files per call: batches keep calls few.
BATCH_TRIPLES = 250_000


class StoreLoader:
    """Streams figure graphs into a fresh Oxigraph store that replaces ``target`` on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._temp = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        )
        self._temp.chmod(creation_mode(directory=True))
        self._store = OxigraphStore(self._temp)
        # Figures' triples as N-Triples: Oxigraph parses them in bulk far faster than Python
        # can turn them into quad objects one by one.
        self._batch: list[bytes] = []
        self._batched = 0
        self._shared: dict[ox.Triple, None] = {}
        self._done = False

    def add(self, graph: FigureGraph) -> None:
        """Queue ``graph``'s own triples; its shared triples are merged and loaded at the end."""
        self._batch.append(graph.local_ntriples())
        self._batched += len(graph.local)
        self._shared.update(dict.fromkeys(graph.shared))
        if self._batched >= BATCH_TRIPLES:
            self._flush_batch()

    def _flush_batch(self) -> None:
        if self._batch:
            self._store.load_data(b"".join(self._batch), ox.RdfFormat.N_TRIPLES)
            self._batch, self._batched = [], 0

    def commit(self) -> None:
        """Load what is left, close the new store and swap it in for the old one."""
        self._batch.append(ox.serialize(list(self._shared), format=ox.RdfFormat.N_TRIPLES))
        self._flush_batch()
        self._store.optimize()
        self._store.close()
        previous = None
        if self.target.exists():
            previous = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.target.name}.", suffix=".old", dir=self.target.parent
                )
            )
            previous.rmdir()
            self.target.rename(previous)
        self._temp.rename(self.target)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        self._done = True

    def discard(self) -> None:
        """Drop the new store; the previous one stays."""
        if not self._done:
            self._store.close()
            shutil.rmtree(self._temp, ignore_errors=True)
            self._done = True
