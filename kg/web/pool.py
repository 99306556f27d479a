"""SPARQL queries run in worker processes, each with the store open read-only, so that a
query past the time limit can be stopped (its process is ended and a new one started) and an
answer past the row cap is refused before it is sent.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
>>> with QueryPool(out / "store", workers=1, time_limit=30, max_rows=10) as pool:
...     answer = pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }")
>>> answer.variables, answer.rows[0][0].value
(['n'], '68')
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from kg.store.backends import OxigraphStore
from kg.store.base import (
    QuerySyntaxError,
    StoreError,
    parse_error_position,
    refuse_updates,
    with_prefixes,
)

__all__ = ["Answer", "QueryPool", "QueryTimeout", "TooManyRows"]


class QueryTimeout(StoreError):
    """A query that ran past the time limit (it was stopped)."""


class TooManyRows(StoreError):
    """An answer with more rows (or triples) than the cap."""


@dataclass(slots=True)
class Answer:
    """A query's answer: a boolean (ASK), rows of terms (SELECT), or triples."""

    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


def _answer(store: OxigraphStore, text: str, max_rows: int) -> tuple[str, Any]:
    """Run one query in a worker: ("ok", Answer) or (error kind, message)."""
    if store.outdated():
        store.reopen()  # a rebuild switched a new store in
    full, added = with_prefixes(text)
    try:
        result = store._store.query(full, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return "ok", Answer(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_rows:
                    return "too-many", max_rows
                rows.append(tuple(solution[name] for name in names))
            return "ok", Answer(variables=names, rows=rows)
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                return "too-many", max_rows
            triples.append(triple)
        return "ok", Answer(triples=triples)
    except SyntaxError as exc:
        line, column, detail = parse_error_position(str(exc))
        line = None if line is None else max(line - added, 1)
        return "syntax", (detail, line, column)
    except (OSError, RuntimeError, ValueError) as exc:
        return "error", str(exc)


def _work(path: str, max_rows: int, connection: Connection) -> None:
    """A worker process: open the store, answer queries until the pipe closes."""
    try:
        store = OxigraphStore(Path(path), read_only=True)
    except StoreError as exc:
        connection.send(("error", str(exc)))
        return
    connection.send(("ready", None))
    while True:
        try:
            text = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_answer(store, text, max_rows))


class _Worker:
    def __init__(self, context: Any, path: Path, max_rows: int) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, args=(str(path), max_rows, child), daemon=True)
        self.process.start()
        child.close()
        try:
            kind, detail = self.connection.recv()
        except (EOFError, OSError):
            kind, detail = "error", "a SPARQL worker process ended as it started"
        if kind != "ready":
            self.stop()
            raise StoreError(detail)

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


class QueryPool:
    """``workers`` processes answering SPARQL on the Oxigraph store at ``path``.

    Parameters
    ----------
    path : an on-disk store (opened read-only by each worker, which reopens it when a
        rebuild switches a new one in).
    time_limit : seconds a query may run; past it, :class:`QueryTimeout`.
    max_rows : the most rows (or triples) an answer may have; past it, :class:`TooManyRows`.
    """

    def __init__(
        self, path: Path, workers: int = 2, time_limit: float = 30, max_rows: int = 100_000
    ) -> None:
        self.path = path
        self.time_limit = time_limit
        self.max_rows = max_rows
        self._context = mp.get_context("spawn")  # no threads or open files are inherited
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, workers)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._context, self.path, self.max_rows)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.remove(worker)
        worker.stop()

    def run(self, text: str) -> Answer:
        """Answer one query (prefixes of the project predeclared; updates refused)."""
        refuse_updates(text)
        worker = self._idle.get()
        try:
            worker.connection.send(text)
            if not worker.connection.poll(self.time_limit):
                self._drop(worker)
                self._add()
                worker = None  # type: ignore[assignment]
                raise QueryTimeout(
                    f"the query ran past the time limit of {self.time_limit:g} s and was stopped"
                    " (pfocr-kg serve --time-limit)"
                )
            kind, detail = worker.connection.recv()
        except (EOFError, OSError):  # the worker died (out of memory, killed)
            self._drop(worker)
            self._add()
            worker = None  # type: ignore[assignment]
            raise StoreError("the query's worker process ended; try again") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if kind == "too-many":
            raise TooManyRows(
                f"the answer has more than {detail:,} rows or triples (pfocr-kg serve "
                "--max-rows); add a LIMIT"
            )
        if kind == "syntax":
            raise QuerySyntaxError(*detail)
        if kind == "error":
            raise StoreError(f"the query failed: {detail}")
        return detail

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
