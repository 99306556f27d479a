"""``pfocr-kg serve``: a local SPARQL endpoint and web pages over a built store."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

from kg.cli.errors import UsageError
from kg.cli.options import add_command, count, seconds
from kg.cli.output import Console
from kg.store import OxigraphStore
from kg.store.base import rdf_format

__all__ = ["add_commands"]

_EXAMPLES_SERVE = """\
examples:
  pfocr-kg serve out/store
      pages and a SPARQL endpoint at http://127.0.0.1:8000/ (/sparql), until Ctrl-C
  pfocr-kg serve out/pfocr.ttl --port 8080
      a Turtle (or N-Triples, N-Quads) file, loaded into a temporary store first
  pfocr-kg serve out/store --time-limit 10 --max-rows 20000
      stop a /sparql query after 10 s; refuse answers over 20,000 rows

The store is opened read-only: builds, queries and notebooks keep working on it, and when a
rebuild switches a new store in, the server opens it. It listens on 127.0.0.1 only unless
--host says otherwise.
"""


def add_commands(commands: Any) -> None:
    """Add ``serve`` to the ``pfocr-kg`` subcommands."""
    sv = add_command(
        commands,
        "serve",
        help="serve a store: SPARQL endpoint and pages for figures, genes and enrichment",
        description="Serve a built store on a local web server: a SPARQL 1.1 endpoint at "
        "/sparql and pages to search genes, chemicals and diseases, look at figure cards and "
        "gene networks, run gene-list enrichment and SPARQL queries.",
        epilog=_EXAMPLES_SERVE,
    )
    sv.add_argument("store", type=Path, help="a store folder, or an RDF file to load")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=count, default=8000, help="port (default 8000; 0: any free)")
    sv.add_argument(
        "--time-limit",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="stop a /sparql query after this long (default 30)",
    )
    sv.add_argument(
        "--max-rows",
        type=count,
        default=100_000,
        metavar="N",
        help="refuse /sparql answers with more rows or triples (default 100000)",
    )
    sv.add_argument(
        "--workers", type=count, default=2, metavar="N", help="/sparql worker processes (default 2)"
    )
    sv.add_argument(
        "--processes",
        type=count,
        default=2,
        metavar="N",
        help="server processes answering pages (default 2, one a core here)",
    )
    sv.set_defaults(run=_run_serve)


def _run_serve(args: argparse.Namespace, console: Console) -> int:
    if args.store.is_dir():
        if not any(args.store.iterdir()):
            raise UsageError(f"{args.store}: an empty folder, not a store")
        return _serve(args, console, args.store)
    if not args.store.is_file():
        raise UsageError(f"{args.store}: no such store folder or RDF file")
    rdf_format(args.store)  # a known RDF format, or a clear error
    scratch = Path(tempfile.mkdtemp(prefix="pfocr-kg-serve-"))
    try:
        console.info(f"loading {args.store} into a temporary store...")
        store = OxigraphStore(scratch / "store")
        try:
            store.load(args.store)
        finally:
            store.close()
        return _serve(args, console, scratch / "store")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # the temporary store this command made


def _serve(args: argparse.Namespace, console: Console, store: Path) -> int:
    import uvicorn

    from kg.web.app import SETTINGS_VARIABLE, Settings

    settings = Settings(store, args.time_limit, args.max_rows, max(1, args.workers))
    # The socket is bound here, so the banner names the real port (--port 0: any free one)
    # and every server process accepts on it.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((args.host, args.port))
    except OSError as exc:
        listener.close()
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    listener.listen(128)
    port = listener.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    os.environ[SETTINGS_VARIABLE] = settings.to_json()
    console.result(f"serving {store} at http://{shown}:{port}/ (SPARQL: /sparql); Ctrl-C stops")
    try:
        uvicorn.run(
            "kg.web.app:app_from_environment",
            factory=True,
            fd=listener.fileno(),
            workers=max(1, args.processes),
            log_level="warning",
        )
    finally:
        listener.close()
    return 0
