"""The ``pfocr-kg`` command: build, validate (and, later, query and analyse) the graph.

Every subcommand lives in its own function with its own ``--help`` examples; all terminal
output goes through :class:`kg.cli.output.Console`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.build import build
from kg.cli.output import Console
from kg.rdf.writers import WRITERS

__all__ = ["main"]

_EXAMPLES_MAIN = """\
examples:
  pfocr-kg build data/sample -o out/      build the bundled sample into out/pfocr.ttl
  pfocr-kg validate out/pfocr.ttl         check it against the SHACL shapes

Run 'pfocr-kg COMMAND --help' for a command's options and examples.
"""

_EXAMPLES_BUILD = """\
examples:
  pfocr-kg build data/sample -o out/
      build the bundled sample into out/pfocr.ttl and out/build-report.json
  pfocr-kg build ~/pfocr-database -o out/ --format nt --format nq
      a PFOCR database clone, with N-Triples and per-figure N-Quads besides Turtle
  pfocr-kg build one-record.md other/_figures -o out/ --strict
      single records and folders mixed; exit status 1 if any record has an error
"""

_EXAMPLES_VALIDATE = """\
examples:
  pfocr-kg validate out/pfocr.ttl
      exit status 0 when the graph conforms to ontology/shapes.ttl, 1 when it does not
"""


def _formats(values: list[str] | None) -> list[str]:
    chosen = ["ttl"]
    for value in values or []:
        for name in value.split(","):
            name = name.strip().lower()
            if name not in WRITERS:
                raise argparse.ArgumentTypeError(
                    f"unknown format {name!r}; choose from {', '.join(WRITERS)}"
                )
            chosen.append(name)
    return list(dict.fromkeys(chosen))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pfocr-kg",
        description="Build an RDF knowledge graph from PFOCR pathway-figure records.",
        epilog=_EXAMPLES_MAIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pfocr-kg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print nothing but errors and results (no progress bar)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", help="also print every warning and debug logging"
    )

    b = commands.add_parser(
        "build",
        parents=[common],
        help="build the graph from PFOCR records",
        description="Read PFOCR records (a database clone with _figures/ and _data/, a "
        "folder of .md records, or single .md files) and write the graph as Turtle, "
        "plus a build report.",
        epilog=_EXAMPLES_BUILD,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="a PFOCR database folder, a folder of records, or a record file",
    )
    b.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("out"),
        metavar="DIR",
        help="output folder (default: out/); files are replaced atomically",
    )
    b.add_argument(
        "--format",
        action="append",
        metavar="FORMAT",
        help="also write this format: nt, nq (one named graph per figure) or "
        "jsonld (compacted with ontology/pfocr-kg.context.jsonld); repeat or "
        "comma-separate; Turtle is always written",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if any record or field had an error",
    )
    b.set_defaults(run=_run_build)

    v = commands.add_parser(
        "validate",
        parents=[common],
        help="check a graph against the SHACL shapes",
        description="Validate an RDF file (.ttl, .nt, .nq, .jsonld) against the SHACL "
        "shapes in ontology/shapes.ttl.",
        epilog=_EXAMPLES_VALIDATE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("file", type=Path, help="the RDF file to validate")
    v.add_argument(
        "--max-violations",
        type=int,
        default=50,
        metavar="N",
        help="print at most N violations (default: 50; 0 prints all)",
    )
    v.set_defaults(run=_run_validate)
    return parser


def _run_build(args: argparse.Namespace, console: Console) -> int:
    try:
        formats = _formats(args.format)
    except argparse.ArgumentTypeError as exc:
        console.error(str(exc))
        return 2
    with console.progress(None, "records", "building") as bar:
        report = build(
            args.inputs,
            args.output,
            formats,
            on_start=lambda total: setattr(bar, "total", total) or bar.refresh(),
            on_record=lambda _source: bar.update(),
        )
    for problem in report.errors:
        console.error(problem.line())
    for problem in report.warnings:
        console.detail(f"warning: {problem.line()}")
    entities = ", ".join(f"{n:,} {kind}" for kind, n in report.entities.items())
    console.info(
        f"built {report.records_built:,} of {report.records_found:,} records "
        f"({report.records_rejected:,} rejected, {len(report.errors):,} errors, "
        f"{len(report.warnings):,} warnings) in {report.seconds:.1f} s: "
        f"{report.triples:,} triples; {entities}"
    )
    for name, path in report.outputs.items():
        console.result(f"{name}: {path}")
    if report.records_found == 0:
        console.error("no records found in the inputs")
        return 1
    return 1 if args.strict and report.errors else 0


def _run_validate(args: argparse.Namespace, console: Console) -> int:
    from kg.validate import validate_file

    if not args.file.is_file():
        console.error(f"{args.file}: no such file")
        return 2
    try:
        result = validate_file(args.file)
    except (ValueError, SyntaxError) as exc:
        console.error(f"{args.file}: cannot be read as RDF: {exc}")
        return 2
    shown = (
        result.violations if args.max_violations == 0 else result.violations[: args.max_violations]
    )
    for violation in shown:
        console.result(violation.line())
    if len(shown) < len(result.violations):
        console.info(f"... and {len(result.violations) - len(shown):,} more violations")
    verdict = (
        "conforms"
        if result.conforms
        else f"does not conform ({len(result.violations):,} violations)"
    )
    console.info(f"{args.file}: {result.triples:,} triples; {verdict}")
    return 0 if result.conforms else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pfocr-kg`` command with ``argv`` (default: ``sys.argv[1:]``)."""
    args = _parser().parse_args(argv)
    console = Console(quiet=args.quiet, verbose=args.verbose)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return args.run(args, console)
    except KeyboardInterrupt:
        console.error("interrupted; previous outputs were left as they were")
        return 130


if __name__ == "__main__":
    sys.exit(main())
