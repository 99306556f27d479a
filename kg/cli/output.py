"""The one place the command line writes to the terminal.

Results go to standard output; progress, errors and the summary go to standard error, so
``pfocr-kg query ... > rows.csv`` stays clean. ``--quiet`` silences all but errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

__all__ = ["Console", "plural", "verb"]


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is one: ``1 gene``, ``2 genes``.

    >>> plural(1, "gene"), plural(1200, "figure")
    ('1 gene', '1,200 figures')
    """
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def verb(n: int, one: str, many: str) -> str:
    """The verb form agreeing with ``n`` things."""
    return one if n == 1 else many


class Console:
    """Terminal output for one command run."""

    def __init__(
        self,
        quiet: bool = False,
        verbose: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def result(self, text: str) -> None:
        """A command's answer (standard output), printed even when quiet."""
        print(text, file=self.out, flush=True)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.err)

    def detail(self, text: str) -> None:
        if self.verbose:
            print(text, file=self.err)

    def error(self, text: str) -> None:
        print(f"error: {text}", file=self.err)

    def warning(self, text: str) -> None:
        if not self.quiet:
            print(f"warning: {text}", file=self.err)

    @contextmanager
    def progress(self, total: int | None, unit: str, description: str) -> Iterator[tqdm]:
        """A progress bar on standard error when it is a terminal, and not when quiet."""
        terminal = getattr(self.err, "isatty", lambda: False)()
        bar = tqdm(
            total=total,
            unit=unit,
            desc=description,
            file=self.err,
            disable=self.quiet or not terminal,
            leave=False,
            dynamic_ncols=True,
        )
        try:
            yield bar
        finally:
            bar.close()
