"""One table from what can go wrong to the exit status and the one line a user reads.

Every command ends through :func:`report_failure`, so the same error gives the same exit
status whichever command met it:

====  =====================================================================================
code  meaning
====  =====================================================================================
0     done
1     done, but the data has problems: records with errors under ``--strict``, a graph that
      does not conform, no record could be built, a gene in no figure
2     the request cannot be run as given: a bad option or parameter, a missing input, a
      query that does not parse, an update sent as a query, an unreadable query file
3     refused, to keep what is there: an output path holding files pfocr-kg did not make,
      or a folder another build is writing
4     a store, endpoint or file could not be used: unreachable, timed out, corrupt, disk full;
      a build's worker process was killed
130   interrupted (Ctrl-C); the message says which outputs are in place
====  =====================================================================================

Example
-------
>>> from kg.store import StoreError
>>> exit_status(StoreError("http://x/sparql: no answer within 30 s"))
4
"""

from __future__ import annotations

from kg.build import BuildInterrupted, InputError, NothingBuilt, WorkerLost
from kg.model import printable
from kg.outputs.folder import OutputRefused
from kg.queries import ParameterError
from kg.store import QuerySyntaxError, StoreError, UpdateRefused

__all__ = [
    "EXIT_STATUS",
    "UsageError",
    "exit_status",
    "message",
    "report_failure",
]


class UsageError(Exception):
    """A command given options or arguments it cannot run with."""


# Most specific first: the first class an exception is an instance of decides.
EXIT_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (BuildInterrupted, 130),
    (KeyboardInterrupt, 130),
    (NothingBuilt, 1),
    (UsageError, 2),
    (ParameterError, 2),
    (QuerySyntaxError, 2),
    (UpdateRefused, 2),
    (InputError, 2),
    (OutputRefused, 3),
    (StoreError, 4),
    (WorkerLost, 4),
    (OSError, 4),
)


def exit_status(exc: BaseException) -> int | None:
    """The exit status for ``exc``, or ``None`` if it is not an expected failure."""
    for kind, status in EXIT_STATUS:
        if isinstance(exc, kind):
            return status
    return None


def message(exc: BaseException) -> str:
    """The one line to print for ``exc``."""
    if isinstance(exc, BuildInterrupted):
        return "interrupted; " + (
            "the new outputs were already in place"
            if exc.switched
            else "previous outputs were left as they were"
        )
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, NothingBuilt | WorkerLost):
        return f"{exc}; previous outputs were left as they were"
    if isinstance(exc, OSError) and not isinstance(exc, StoreError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return str(exc) or type(exc).__name__


def report_failure(exc: BaseException) -> tuple[int, str] | None:
    """The exit status and the escaped line for ``exc``; ``None`` for a programming error."""
    status = exit_status(exc)
    return None if status is None else (status, printable(message(exc)))
