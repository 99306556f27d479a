"""``pfocr-kg query``, ``queries`` and ``load``: SPARQL on a store, a file or an endpoint."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.cli.errors import UsageError
from kg.cli.options import (
    add_command,
    add_endpoint_options,
    add_timeout,
    open_source,
    read_text_file,
)
from kg.cli.output import Console, plural
from kg.cli.tables import FORMATS, render
from kg.model import printable
from kg.queries import ParameterError, load_queries, run_named, run_sparql
from kg.store import RemoteStore

__all__ = ["add_commands"]

_EXAMPLES_QUERY = """\
examples:
  pfocr-kg query out/store 'SELECT ?g WHERE { ?f schema:mentions ?g } LIMIT 5'
      an inline query; the project's prefixes (schema:, pfocr:, ncbigene:, ...) are declared
  pfocr-kg query out/store -f my.rq --format csv > rows.csv
      a query from a file, as CSV (also tsv, json; table is the default)
  pfocr-kg query out/store figures-mentioning-gene --param gene=STAT3 --param taxon=9606
      a named query (list them with 'pfocr-kg queries') with its parameters
  pfocr-kg query out/pfocr.ttl top-genes --backend rdflib
      an RDF file is loaded into a temporary in-memory store (Oxigraph, or rdflib)
  pfocr-kg query --endpoint http://127.0.0.1:7878/query top-genes --param limit=5
      a remote SPARQL 1.1 endpoint
"""

_EXAMPLES_QUERIES = """\
examples:
  pfocr-kg queries            one line per named query: name, parameters, title
  pfocr-kg queries -v         also each query's description and parameter help
"""

_EXAMPLES_LOAD = """\
examples:
  pfocr-kg load out/pfocr.ttl --endpoint http://127.0.0.1:7878/store
      POST the file to a SPARQL 1.1 Graph Store Protocol endpoint (default graph)
  pfocr-kg load out/pfocr.nq --endpoint http://127.0.0.1:7878/store
      N-Quads keep their named graphs (one per figure)
"""

# What a query name looks like; anything else given as QUERY is SPARQL text.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def add_commands(commands: Any) -> None:
    """Add ``query``, ``queries`` and ``load`` to the ``pfocr-kg`` subcommands."""
    q = add_command(
        commands,
        "query",
        help="run a SPARQL query: inline, from a file, or named",
        description="Run a SPARQL query on an Oxigraph store folder, an RDF file, or a SPARQL "
        "endpoint. QUERY is SPARQL text or the name of a query in queries/.",
        epilog=_EXAMPLES_QUERY,
    )
    q.add_argument(
        "arguments",
        nargs="*",
        metavar="[LOCATION] QUERY",
        help="store folder or RDF file (omit with --endpoint), then the query",
    )
    q.add_argument("-f", "--file", type=Path, help="read the query from this file")
    q.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter; repeat for several",
    )
    q.add_argument(
        "--format", choices=FORMATS, default="table", help="how to print rows (default: table)"
    )
    q.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint URL")
    q.add_argument(
        "--backend",
        choices=("oxigraph", "rdflib"),
        default=None,
        help="engine for an RDF file (default: oxigraph)",
    )
    add_endpoint_options(q)
    q.set_defaults(run=_run_query)

    n = add_command(
        commands,
        "queries",
        help="list the named queries and their parameters",
        description="List the named SPARQL queries in queries/.",
        epilog=_EXAMPLES_QUERIES,
    )
    n.set_defaults(run=_run_queries)

    ld = add_command(
        commands,
        "load",
        help="load an RDF file into a SPARQL server",
        description="Send an RDF file to a SPARQL 1.1 Graph Store Protocol endpoint. For very "
        "large graphs, a server's own bulk loader is faster (see the README).",
        epilog=_EXAMPLES_LOAD,
    )
    ld.add_argument("file", type=Path, help="the RDF file (.ttl, .nt, .nq, ...)")
    ld.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the Graph Store Protocol URL, such as http://127.0.0.1:7878/store",
    )
    ld.add_argument(
        "--graph",
        metavar="IRI",
        help="load a .ttl or .nt file into this named graph (default: the default "
        "graph); formats with their own graphs keep them",
    )
    add_timeout(ld)
    ld.set_defaults(run=_run_load)


def parse_params(values: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict."""
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def _query_text(args: argparse.Namespace, positional: list[str]) -> str:
    if args.file is not None:
        if positional:
            raise UsageError("give the query either as text or with --file, not both")
        return read_text_file(args.file, "query file")
    if len(positional) != 1:
        raise UsageError("give one query: SPARQL text, a named query, or --file")
    return positional[0]


def _run_query(args: argparse.Namespace, console: Console) -> int:
    positional = list(args.arguments)
    location = args.endpoint or (positional.pop(0) if positional else None)
    if location is None:
        raise UsageError("give a store folder or RDF file, or --endpoint URL")
    text = _query_text(args, positional)
    params = parse_params(args.param)
    backend = "sparql" if args.endpoint else args.backend
    with open_source(args, location, backend) as store:
        if args.file is None and _NAME.fullmatch(text.strip()):
            result = run_named(store, text.strip(), params)
        else:
            result = run_sparql(store, text, params)
    if result.triples is not None:
        console.result(ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode())
        return 0
    console.result(render(result, args.format))
    if result.boolean is None:
        console.info(plural(len(result.rows), "row"))
    return 0


def _run_queries(args: argparse.Namespace, console: Console) -> int:
    for query in load_queries().values():
        params = ", ".join(p.describe() for p in query.parameters) or "no parameters"
        console.result(f"{query.name}  {params}  - {query.title}")
        console.detail(f"    {query.description}")
        for parameter in query.parameters:
            console.detail(f"    {parameter.name}: {parameter.description}")
    return 0


def _run_load(args: argparse.Namespace, console: Console) -> int:
    if not args.file.is_file():
        raise UsageError(f"{printable(str(args.file))}: no such file")
    RemoteStore(store_url=args.endpoint, timeout=args.timeout).load(args.file, graph=args.graph)
    console.info(f"loaded {printable(str(args.file))} into {args.endpoint}")
    return 0
