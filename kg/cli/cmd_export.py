"""``pfocr-kg export``: GMT gene sets, Biolink KGX TSV, or a VoID description."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg.cli.errors import UsageError
from kg.cli.options import (
    add_command,
    add_endpoint_options,
    add_evidence_options,
    count,
    open_source,
    positive,
)
from kg.cli.output import Console
from kg.exports import DEFAULT_MIN_GENES, EXPORTERS, ExportOptions, export
from kg.model import excluded_sources

__all__ = ["add_commands"]

_EXAMPLES_EXPORT = """\
examples:
  pfocr-kg export out/store --to gmt -o pfocr-Homo_sapiens.gmt --taxon 9606
      one gene set per human figure (figure id, title, NCBI Gene ids) for Enrichr, GSEA
  pfocr-kg export out/store --to gmt -o human-symbols.gmt --symbols
      the same with gene symbols
  pfocr-kg export out/store --to gmt -o human-strict.gmt --exclude-synonyms --exclude-families
      PFOCR's strict tier: genes matched by their official symbol only
  pfocr-kg export out/store --to kgx -o kgx/
      Biolink KGX TSV: kgx/nodes.tsv and kgx/edges.tsv
  pfocr-kg export out/store --to void -o void.ttl
      a VoID + DCAT description with statistics (build writes one too)
"""


def add_commands(commands: Any) -> None:
    """Add ``export`` to the ``pfocr-kg`` subcommands."""
    ex = add_command(
        commands,
        "export",
        help="export GMT gene sets, Biolink KGX TSV, or a VoID description",
        description="Write the graph in a store (or an RDF file) in a format other tools read.",
        epilog=_EXAMPLES_EXPORT,
    )
    ex.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    ex.add_argument("--to", choices=tuple(EXPORTERS), required=True, help="export format")
    ex.add_argument(
        "-o", "--output", type=Path, required=True, help="output file (a folder for kgx)"
    )
    ex.add_argument(
        "--taxon",
        type=positive,
        default=9606,
        help="GMT: the organism, an NCBI Taxonomy id (default 9606)",
    )
    ex.add_argument(
        "--symbols", action="store_true", help="GMT: gene symbols instead of NCBI Gene ids"
    )
    ex.add_argument(
        "--min-genes",
        type=count,
        default=DEFAULT_MIN_GENES,
        metavar="N",
        help=f"GMT: only figures with at least N distinct genes (default: {DEFAULT_MIN_GENES}, "
        "as PFOCR's own GMTs)",
    )
    add_evidence_options(ex)
    add_endpoint_options(ex)
    ex.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace, console: Console) -> int:
    if args.to != "kgx" and args.output.is_dir():
        raise UsageError(f"{args.output}: a folder; give a file name")
    with open_source(args, args.source) as store:
        options = ExportOptions(
            taxon=args.taxon,
            ids=not args.symbols,
            min_genes=args.min_genes,
            exclude_sources=excluded_sources(args.exclude_synonyms, args.exclude_families),
        )
        said = export(store, args.to, args.output, options)
    console.result(said)
    return 0
