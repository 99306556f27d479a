"""Share the preparing of records between the build's own process and ``jobs - 1`` workers.

The build takes prepared records (:class:`~kg.build.prepare.Prepared`) in the order it
found them. :class:`Workers` sends them out in chunks of :data:`PARALLEL_CHUNK`, each worker
holding at most :data:`WORKER_WINDOW` chunks it has not yet given back. When the next chunk
in order is still with a worker, the build's own process prepares records of the next chunk
nobody holds (a record at a time, at most :data:`OWN_AHEAD` chunks and
:data:`OWN_AHEAD_BYTES` of text ahead) instead of waiting: the process that writes the
outputs also prepares as many records as its writing leaves it time for, and nothing is
sent between processes for those. The output is the same for any number of processes.

Measured on 2 cores at 2,000 figures (BENCHMARKS.md, issue 18, fifth round), a Turtle-only
build, alternated with the one before: with the build's process and one worker, 2.54-2.56 s
and 4.7 CPU-s; with two workers of a ``multiprocessing.Pool`` beside the build's process,
2.91-2.96 s and 5.3 CPU-s.

Example
-------
>>> from pathlib import Path
>>> from kg.build.prepare import RecordPreparer
>>> from kg.sources import TaxonTable, discover
>>> sources = discover([Path("data/sample")]).records
>>> with Workers(RecordPreparer(TaxonTable.bundled(), None, ["nt"]), 2) as workers:
...     figids = [prepared.figid for prepared in workers.records(sources)]
>>> len(figids), figids[0] == RecordPreparer(TaxonTable.bundled(), None).prepare(sources[0]).figid
(68, True)
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.build.prepare import Prepared, RecordPreparer, Waiting
from kg.sources import RecordSource

__all__ = [
    "OWN_AHEAD",
    "OWN_AHEAD_BYTES",
    "PARALLEL_CHUNK",
    "UNSENT_BYTES",
    "WORKER_WINDOW",
    "WorkerLost",
    "Workers",
    "available_cores",
    "default_jobs",
]

# Records sent to a worker at a time; fewer than two chunks are prepared in-process.
PARALLEL_CHUNK = 16
# Chunks a worker holds at most (sent, not yet taken back): enough that it never waits
# while the build's process prepares a chunk of its own, few enough that the last chunks
# of a corpus are not left queued behind one worker.
WORKER_WINDOW = 2
# A worker starts its next chunk only while what it has not yet sent holds at most this.
# Real chunks never wait: 16 of the 2,000 scaled figures pickle to 0.6 MB at the median and
# 3.3 MB at most, 2.4 and 14 MB with a store's N-Triples and index rows. For records near
# the read caps a worker holds one chunk being prepared and one being sent.
UNSENT_BYTES = 32 * 1024 * 1024
# Chunks the build's process prepares at most ahead of the one it gives next, and the text
# they may hold (a bound on memory for records near the read caps). Real records hold about
# 40 KB of Turtle each, so 8 chunks stay under 6 MB; with a store's N-Triples, about four
# times that. With 2 chunks instead of 8 the Turtle build of 2,000 figures took 2.49-2.51 s
# against 2.37-2.41 s.
OWN_AHEAD = 8
OWN_AHEAD_BYTES = 16 * 1024 * 1024
# The collector's thresholds while preparing: what a process holds across records (its
# modules, caches, the symbol index) is never garbage, and a record's objects (hundreds of
# statements) are freed by reference counting; collecting less often saves 3-4% of the CPU.
WORKER_GC_THRESHOLDS = (10_000, 50, 50)

_RECORDS, _DEFERRED = "records", "deferred"

# What a worker sends back as each record's source: the build has the sources already, and
# unpickling their paths took 0.18 s of the main process's CPU at 2,000 figures. One
# object, so pickle sends it once a chunk.
_SOURCE_KEPT = RecordSource(Path())


class WorkerLost(RuntimeError):
    """A worker process ended before giving back what it was sent (killed, out of memory)."""


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_jobs(store: bool, cores: int | None = None) -> int:
    """Processes a build prepares records in unless told: one a core, and one core fewer
    when the build loads a store, whose loading takes a core of its own.

    ``jobs`` counts the build's own process: ``jobs=1`` prepares every record there, ``N``
    adds ``N - 1`` workers. Oxigraph loads on its own native threads, beside the build; on
    2 cores at 2,000 figures a store build prepared in its own process took 10.6-11.7 s
    against 12.2-13.0 s with two workers beside it (19.5-21 CPU-s against 23-24), as
    sending each figure's text and index rows between processes costs more than it
    frees (BENCHMARKS.md, issue 18, fourth round); with the build's process and one
    worker, 11.2-11.3 s against 10.5-10.8 s (fifth round). Only 2 cores were measured.

    Parameters
    ----------
    store : whether the build also loads an Oxigraph store.
    cores : the cores to plan for (default: :func:`available_cores`).

    Returns
    -------
    int, at least 1.

    Examples
    --------
    >>> default_jobs(store=False, cores=8), default_jobs(store=True, cores=8)
    (8, 7)
    >>> default_jobs(store=True, cores=2), default_jobs(store=True, cores=1)
    (1, 1)
    """
    cores = available_cores() if cores is None else cores
    return max(1, cores - 1) if store else max(1, cores)


def _work(
    preparer: RecordPreparer, tasks: Connection, results: Connection, inherited: list[Connection]
) -> None:
    """A worker process: prepare each chunk sent, in order, and send back the pickled list
    (or the exception it raised). ``preparer`` is the build's own, as forked. A thread
    sends, so preparing goes on while the build is busy elsewhere, unless what waits to be
    sent holds more than :data:`UNSENT_BYTES`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    for end in inherited:  # the build's ends: a build that dies then ends its workers
        end.close()
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    outbox = _Outbox(results)
    sender = threading.Thread(target=outbox.send_all, daemon=True)
    sender.start()
    while True:
        try:
            kind, items = tasks.recv()
        except (EOFError, OSError):  # the build closed it, or ended
            break
        outbox.wait_below(UNSENT_BYTES)
        outbox.put(_prepared(preparer, kind, items))
    outbox.put(None)
    sender.join()


def _prepared(preparer: RecordPreparer, kind: str, items: list[Any]) -> bytes:
    """A chunk prepared and pickled (its records are freed on return), or its failure."""
    try:
        prepared = list(map(_step(preparer, kind), items))
        for record in prepared:
            record.source = _SOURCE_KEPT
        return pickle.dumps((True, prepared), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # raised again in the build, as the build's own would be
        return _failure(exc)


class _Outbox:
    """A worker's results waiting to be sent, and how many bytes they hold."""

    def __init__(self, results: Connection) -> None:
        self._results = results
        self._waiting: deque[bytes | None] = deque()
        self._bytes = 0
        self._changed = threading.Condition()

    def put(self, payload: bytes | None) -> None:
        with self._changed:
            self._waiting.append(payload)
            self._bytes += 0 if payload is None else len(payload)
            self._changed.notify_all()

    def wait_below(self, limit: int) -> None:
        """Wait until what is unsent holds at most ``limit`` bytes."""
        with self._changed:
            self._changed.wait_for(lambda: self._bytes <= limit)

    def send_all(self) -> None:
        """Send each payload in turn, until ``None`` (or the build ends)."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._waiting))
                payload = self._waiting[0]
            if payload is None:
                return
            try:
                self._results.send_bytes(payload)
            except OSError:  # the build ended
                return
            with self._changed:
                self._waiting.popleft()
                self._bytes -= len(payload)
                self._changed.notify_all()
            del payload


def _failure(exc: Exception) -> bytes:
    exc.add_note("raised in a worker process:\n" + "".join(traceback.format_exception(exc)))
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that cannot be pickled: its text, at least
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    """The build's side of one worker process: what it was sent, in order."""

    def __init__(self, preparer: RecordPreparer, inherited: list[Connection]) -> None:
        context = multiprocessing.get_context("fork")
        tasks_in, self.tasks = context.Pipe(duplex=False)
        self.results, results_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_work,
            args=(preparer, tasks_in, results_out, [*inherited, self.tasks, self.results]),
            daemon=True,
        )
        self.process.start()
        tasks_in.close()
        results_out.close()
        self.held = 0

    def send(self, kind: str, items: list[Any]) -> None:
        try:
            self.tasks.send((kind, items))
        except OSError:
            raise self._lost() from None
        self.held += 1

    def ready(self) -> bool:
        """Whether the oldest chunk it holds has (begun to) come back."""
        return self.results.poll()

    def take(self) -> list[Prepared]:
        """The oldest chunk it holds, prepared (waiting for it).

        Unpickled: the bytes come from this build's own forked worker, over an anonymous
        pipe only the two processes hold; nothing read from a file is ever unpickled."""
        try:
            ok, value = pickle.loads(self.results.recv_bytes())
        except (EOFError, OSError):
            raise self._lost() from None
        self.held -= 1
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def _lost(self) -> WorkerLost:
        self.process.join(1)
        code = self.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
        return WorkerLost(f"a worker process ended unexpectedly ({how})")

    def end(self) -> None:
        self.tasks.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.results.close()


def _share(
    kind: str, items: list[Any], preparer: RecordPreparer, crew: Sequence[_Worker]
) -> Iterator[Prepared]:
    """``items`` (records or deferred records, by ``kind``) prepared, in order, by ``crew``
    and by this process with ``preparer``.

    Chunk ``i`` is given once it is back. While it is still with a worker, this process
    prepares records of a chunk of its own (the next one nobody holds, at most
    :data:`OWN_AHEAD` chunks and :data:`OWN_AHEAD_BYTES` of text ahead), one record at a
    time, so it takes chunk ``i`` and sends the worker more as soon as it is back. A chunk
    of its own that it reaches in part prepared, it finishes first.
    """
    own = _step(preparer, kind)
    chunks = [items[i : i + PARALLEL_CHUNK] for i in range(0, len(items), PARALLEL_CHUNK)]
    holders: dict[int, _Worker | list[Prepared]] = {}
    given = 0  # chunks handed out so far, to a worker or to this process
    ahead = 0  # chunks of this process's own it has not given yet
    filling: list[Prepared] = []  # the chunk of its own this process is preparing
    filled = 0  # ... and which chunk that is
    held_text = 0  # bytes of text in the records this process prepared ahead
    for i, chunk in enumerate(chunks):
        while True:
            sent = True
            while sent:  # every worker holds its window (in turns, when several have room)
                sent = False
                for worker in crew:
                    if worker.held < WORKER_WINDOW and given < len(chunks):
                        worker.send(kind, chunks[given])
                        holders[given] = worker
                        given += 1
                        sent = True
            holder = holders[i]
            if isinstance(holder, list) or holder.ready() or held_text >= OWN_AHEAD_BYTES:
                break
            if len(filling) == len(chunks[filled]) or holders.get(filled) is not filling:
                if given == len(chunks) or ahead == OWN_AHEAD:
                    break
                holders[given] = filling = []
                filled = given
                given += 1
                ahead += 1
            record = own(chunks[filled][len(filling)])
            filling.append(record)
            held_text += _text_size(record)
        holder = holders.pop(i)
        if isinstance(holder, list):
            ahead -= 1
            held_text -= sum(map(_text_size, holder))
            holder.extend(own(item) for item in chunk[len(holder) :])
            yield from holder
            continue
        prepared = holder.take()
        for record, item in zip(prepared, chunk, strict=True):
            record.source = item if kind == _RECORDS else item[0]
        yield from prepared
        del prepared  # not held while this process prepares records of its own


def _text_size(record: Prepared) -> int:
    return sum(map(len, record.texts.values()))


def _step(preparer: RecordPreparer, kind: str) -> Callable[[Any], Prepared]:
    """How one item of ``kind`` is prepared: a record source, or a deferred record."""
    return preparer.prepare if kind == _RECORDS else preparer.prepare_deferred


class Workers:
    """Records prepared in order, in this process and ``jobs - 1`` worker processes.

    The workers are forked by :meth:`records`, before the build opens its writers and
    store (forked after them, the same build took 53 s instead of 34 s at 1,000 figures),
    and only for inputs worth it; :meth:`deferred` reuses them. While records are
    prepared in this process, its collector runs as seldom as a worker's. Use it as a
    context manager: leaving it ends the workers and gives back the collector's thresholds.
    """

    def __init__(self, preparer: RecordPreparer, jobs: int) -> None:
        self.preparer = preparer
        self._jobs = jobs
        self._crew: list[_Worker] = []
        # The collector's thresholds to restore, once records were prepared in this process.
        self._thresholds: tuple[int, int, int] | None = None

    def records(self, sources: list[RecordSource]) -> Iterator[Prepared]:
        """``sources`` read and, when they name their genes, mapped."""
        self._in_process()
        if self._jobs <= 1 or len(sources) < 2 * PARALLEL_CHUNK:
            return map(self.preparer.prepare, sources)
        for _ in range(self._jobs - 1):
            ends = [end for worker in self._crew for end in (worker.tasks, worker.results)]
            self._crew.append(_Worker(self.preparer, ends))
        return _share(_RECORDS, sources, self.preparer, self._crew)

    def deferred(self, tasks: list[Waiting]) -> Iterator[Prepared]:
        """Deferred records mapped, each with the symbol index entries it looks up."""
        self._in_process()
        if not self._crew or len(tasks) < 2 * PARALLEL_CHUNK:
            return map(self.preparer.prepare_deferred, tasks)
        return _share(_DEFERRED, tasks, self.preparer, self._crew)

    def _in_process(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(*WORKER_GC_THRESHOLDS)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        crew, self._crew = self._crew, []
        for worker in crew:
            worker.end()
