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

import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.figure import FigureGraph
from kg.rdf.ntriples import FirstSeen, Statement, ntriples
from kg.rdf.writers import NTriplesWriter, creation_mode
from kg.store.backends import OxigraphStore

__all__ = ["StoreLoader"]

# Oxigraph's bulk loader writes a new set of files per call: batches keep calls few.
BATCH_BYTES = 48 * 1024 * 1024


class StoreLoader:
    """Streams figure graphs into a fresh Oxigraph store that replaces ``target`` on commit.

    Batches of N-Triples load on a background thread: Oxigraph releases the GIL while it
    parses and indexes, so on a machine with a spare core the store fills while the build
    goes on mapping figures. One batch loads while the next fills, so at most two are held.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._temp = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        )
        self._temp.chmod(creation_mode(directory=True))
        self._store = OxigraphStore(self._temp)
        self._batch: list[bytes] = []
        self._batched = 0
        self._first_seen: FirstSeen | None = None
        self._render_local = NTriplesWriter.renderer()
        self._loading: Future[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-loader")
        self._done = False

    def add(self, graph: FigureGraph, shared: Sequence[Statement] | None = None) -> None:
        """Queue ``graph``; ``shared``: its shared statements not loaded before, if known."""
        if shared is None:
            self._first_seen = self._first_seen or FirstSeen()
            shared = self._first_seen.new(graph.shared)
        texts = [graph.render(NTriplesWriter.name, self._render_local)]
        if shared:
            texts.append(ntriples(shared))
        for text in texts:
            self._batch.append(text)
            self._batched += len(text)
        if self._batched >= BATCH_BYTES:
            self._flush_batch()

    def _flush_batch(self) -> None:
        self._wait()
        if self._batch:
            data = b"".join(self._batch)
            self._batch, self._batched = [], 0
            # Every term was checked when its statement was made (kg.rdf.ntriples).
            self._loading = self._thread.submit(
                self._store.load_data, data, ox.RdfFormat.N_TRIPLES, trusted=True
            )

    def _wait(self) -> None:
        if self._loading is not None:
            loading, self._loading = self._loading, None
            loading.result()  # a failed load raises here, in the build

    def commit(self) -> None:
        """Load what is left, close the new store and swap it in for the old one."""
        self._flush_batch()
        self._wait()
        self._thread.shutdown()
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
            with contextlib.suppress(Exception):  # the build is failing already
                self._wait()
            self._thread.shutdown()
            self._store.close()
            shutil.rmtree(self._temp, ignore_errors=True)
            self._done = True
