"""Load figures into a new on-disk Oxigraph store while a build runs.

The store is made in a folder of its own that must not exist yet: a build puts it in its
new generation (:mod:`kg.outputs.folder`), which switches in with the other outputs.

Example
-------
>>> import tempfile, pathlib
>>> from kg.model import Figure, Paper
>>> from kg.outputs import FigureOutput
>>> from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
>>> from kg.store import OxigraphStore
>>> graph = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled())).map(
...     Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1")))
>>> target = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> loader = StoreLoader(target)
>>> loader.add(FigureOutput.of(graph, ["nt"]))
>>> loader.commit()
>>> with OxigraphStore(target, read_only=True) as store:
...     len(store)
5
"""

from __future__ import annotations

import contextlib
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.files import creation_mode
from kg.index import IndexWriter, MadeIndex
from kg.index.schema import index_path, store_identity
from kg.outputs import FigureOutput
from kg.rdf.ntriples import ntriples
from kg.store.backends import OxigraphStore

__all__ = ["BATCH_BYTES", "StoreLoader"]

# Oxigraph's bulk loader writes a new set of files per call, which the final compaction
# merges: fewer, larger calls cost less CPU, smaller ones less memory and less left to load
# once the last figure is mapped. Loaded alone, 2,000 figures' N-Triples (274 MB) took
# 4.5-5.2 s in 8 MB calls against 6.4-6.9 s in 48 MB calls (second round). In a store
# build that prepares records in its own process (kg.build.default_jobs on 2 cores),
# the whole build's CPU was 19.7-23.6 s with 8 MB calls, 17.9-19.1 s with 24 MB,
# and its time 10.9-13.3 s against 10.0-11.0 s (BENCHMARKS.md, build speed).
BATCH_BYTES = 24 * 1024 * 1024


class StoreLoader:
    """Streams figures (their N-Triples text) into a new Oxigraph store at ``target``.

    Batches load on a background thread: Oxigraph releases the GIL while it parses and
    indexes, so on a machine with a spare core the store fills while the build goes on
    mapping figures. One batch loads while the next fills, so at most two are held.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.mkdir(mode=creation_mode(directory=True), parents=True)
        self._store = OxigraphStore(target)
        self._batch: list[bytes] = []
        self._batched = 0
        self._loading: Future[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-loader")
        self._done = False
        self._index = IndexWriter(index_path(target))
        self.index: MadeIndex | None = None

    def add(self, item: FigureOutput) -> None:
        """Queue one figure: its N-Triples text and its new shared statements."""
        if item.facts is not None:
            self._index.add(item.facts)
        texts = [item.texts["nt"]]
        if item.shared:
            texts.append(ntriples(item.shared))
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
        """Load what is left, compact the store and close it; finish its answer index
        (:mod:`kg.index`) beside it meanwhile (SQLite builds its tables' indexes while
        Oxigraph compacts, both outside the GIL)."""
        self._flush_batch()
        self._wait()
        self._thread.shutdown()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index") as finisher:
            index = finisher.submit(self._index.commit, store_identity(self.target))
            self._store.optimize()
            self._store.close()
            self.index = index.result()
        self._done = True

    def discard(self) -> None:
        """Drop the new store."""
        if not self._done:
            with contextlib.suppress(Exception):  # the build is failing already
                self._wait()
            self._thread.shutdown()
            self._store.close()
            shutil.rmtree(self.target, ignore_errors=True)
            self._index.discard()
            self._done = True
