"""Options shared by several commands, and argparse types that check numbers and files.

Example
-------
>>> count("3"), seconds("2.5")
(3, 2.5)
>>> count("-5")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: -5 is not a whole number of 0 or more
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.cli.errors import UsageError
from kg.files import FileRefused, read_bounded
from kg.store.backends import DEFAULT_TIMEOUT, open_store
from kg.store.base import TripleStore

__all__ = [
    "COMMON",
    "MAX_TEXT_FILE",
    "add_command",
    "add_endpoint_options",
    "add_evidence_options",
    "add_timeout",
    "count",
    "open_source",
    "positive",
    "read_text_file",
    "seconds",
]

# Query files and gene lists are small; the cap keeps a wrong path (a disk image, a FIFO)
# from being read.
MAX_TEXT_FILE = 16 * 1024 * 1024


def _whole_number(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} is not a whole number of {minimum} or more")
        return value

    return parse


count = _whole_number(0)  # an argparse type: a whole number, 0 or more
positive = _whole_number(1)  # an argparse type: a whole number, 1 or more


def seconds(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e7:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def read_text_file(path: Path, what: str) -> str:
    """A small UTF-8 text file given on the command line; problems as one UsageError line."""
    try:
        raw = read_bounded(path, MAX_TEXT_FILE)
    except FileRefused as exc:
        raise UsageError(f"{path}: {what}: {exc.reason}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: {what}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})"
        ) from None


COMMON = argparse.ArgumentParser(add_help=False)
COMMON.add_argument(
    "-q",
    "--quiet",
    action="store_true",
    help="print nothing but errors and results (no progress bar)",
)
COMMON.add_argument(
    "-v", "--verbose", action="store_true", help="also print every warning and debug logging"
)


def add_command(
    commands: Any,
    name: str,
    *,
    help: str,
    description: str,
    epilog: str,
    parents: Sequence[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    """A ``pfocr-kg`` subcommand with the common options and its examples as the epilog."""
    return commands.add_parser(
        name,
        parents=[COMMON, *parents],
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_timeout(parser: argparse.ArgumentParser) -> None:
    """``--timeout``: how long to wait for a SPARQL endpoint."""
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"wait at most this long for an endpoint to connect or answer "
        f"(default: {DEFAULT_TIMEOUT:g})",
    )


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    """``--timeout`` and ``--default-graph``: how to query a SPARQL endpoint."""
    add_timeout(parser)
    parser.add_argument(
        "--default-graph",
        metavar="IRI",
        help="an endpoint's graph to query as the default graph (SPARQL protocol "
        "default-graph-uri): the graph the build was loaded into, on a server holding "
        "others too, such as Virtuoso (docs/virtuoso.md)",
    )


def open_source(
    args: argparse.Namespace, location: str | Path, backend: str | None = None
) -> TripleStore:
    """The store, file or endpoint at ``location``, with the endpoint options of ``args``."""
    return open_store(
        location,
        backend,
        timeout=args.timeout,
        default_graph=getattr(args, "default_graph", None),
    )


def add_evidence_options(parser: argparse.ArgumentParser) -> None:
    """``--exclude-synonyms`` and ``--exclude-families``: which gene evidence counts."""
    parser.add_argument(
        "--exclude-synonyms",
        action="store_true",
        help="do not count evidence that came only from gene synonyms",
    )
    parser.add_argument(
        "--exclude-families",
        action="store_true",
        help="do not count evidence that came only from family expansion",
    )
