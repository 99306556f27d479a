"""``pfocr-kg build`` and ``pfocr-kg validate``: make the graph, and check it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg.build import BuildReport, NothingBuilt, build
from kg.cli.errors import UsageError
from kg.cli.options import add_command, count, positive
from kg.cli.output import Console, plural
from kg.model import printable
from kg.rdf.formats import BUILD_FORMATS

__all__ = ["add_commands"]

_EXAMPLES_BUILD = """\
examples:
  pfocr-kg build data/sample -o out/
      build the bundled sample into out/pfocr.ttl and out/build-report.json
  pfocr-kg build ~/pfocr-database -o out/ --format nt --format nq
      a PFOCR database clone, with N-Triples and per-figure N-Quads besides Turtle
  pfocr-kg build one-record.md other/_figures -o out/ --strict
      single records and folders mixed; exit status 1 if any record has an error
  pfocr-kg build ~/pfocr-database -o out/ --store out/store --incremental
      after a pull, re-do only the figures that changed

The output folder must be new, empty, or one a pfocr-kg build made: pfocr-kg replaces
only what it made. All outputs of a build (files, store, VoID, report) switch in together.
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
            if name not in BUILD_FORMATS:
                raise UsageError(f"unknown format {name!r}; choose from {', '.join(BUILD_FORMATS)}")
            chosen.append(name)
    return list(dict.fromkeys(chosen))


def add_commands(commands: Any) -> None:
    """Add ``build`` and ``validate`` to the ``pfocr-kg`` subcommands."""
    b = add_command(
        commands,
        "build",
        help="build the graph from PFOCR records",
        description="Read PFOCR records (a database clone with _figures/ and _data/, a "
        "folder of .md records, or single .md files) and write the graph as Turtle, "
        "plus a build report.",
        epilog=_EXAMPLES_BUILD,
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
        help="output folder (default: out/): new, empty, or made by pfocr-kg",
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
        "--store",
        type=Path,
        metavar="PATH",
        help="also load the graph into an Oxigraph store, reached at PATH (a link "
        "pfocr-kg makes; PATH must be new or such a link)",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if any record or field had an error",
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="processes reading, mapping and rendering records: this one and N-1 workers "
        "(default: one a core, one fewer with --store: the store loads on a core of its "
        "own); the output is the same for any N",
    )
    b.add_argument(
        "--incremental",
        action="store_true",
        help="re-do only the figures whose record or TSVs changed since the last "
        "--incremental build into this folder; the output equals a clean build's",
    )
    b.set_defaults(run=_run_build)

    v = add_command(
        commands,
        "validate",
        help="check a graph against the SHACL shapes",
        description="Validate an RDF file (.ttl, .nt, .nq, .jsonld) against the SHACL "
        "shapes in ontology/shapes.ttl.",
        epilog=_EXAMPLES_VALIDATE,
    )
    v.add_argument("file", type=Path, help="the RDF file to validate")
    v.add_argument(
        "--max-violations",
        type=count,
        default=50,
        metavar="N",
        help="print at most N violations (default: 50; 0 prints all)",
    )
    v.set_defaults(run=_run_validate)


def _summary(report: BuildReport, console: Console) -> None:
    for problem in report.errors:
        console.error(problem.line())
    for problem in report.warnings:
        console.detail(f"warning: {problem.line()}")
    entities = ", ".join(f"{n:,} {kind}" for kind, n in report.entities.items())
    console.info(
        f"built {report.records_built:,} of {report.records_found:,} records "
        f"({report.records_rejected:,} rejected, {plural(len(report.errors), 'error')}, "
        f"{plural(len(report.warnings), 'warning')}) in {report.seconds:.1f} s: "
        f"{report.triples:,} triples; {entities}"
    )
    if report.changes is not None:
        changes = report.changes
        console.info(
            f"incremental: {len(changes['added'])} added, {len(changes['changed'])} changed, "
            f"{len(changes['removed'])} removed, {changes['unchanged']:,} unchanged"
        )
        for kind in ("added", "changed", "removed"):
            for figid in changes[kind]:
                console.detail(f"{kind}: {printable(figid)}")
    for name, path in report.outputs.items():
        console.result(f"{name}: {printable(path)}")


def _run_build(args: argparse.Namespace, console: Console) -> int:
    formats = _formats(args.format)
    with console.progress(None, "records", "building") as bar:
        try:
            report = build(
                args.inputs,
                args.output,
                formats,
                store=args.store,
                jobs=args.jobs,
                incremental=args.incremental,
                on_start=lambda total: setattr(bar, "total", total) or bar.refresh(),
                on_record=lambda _source: bar.update(),
            )
        except NothingBuilt as exc:
            for problem in exc.report.errors:
                console.error(problem.line())
            raise
        except OSError as exc:
            if exc.strerror is None:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise OSError(
                f"{where}{exc.strerror}; previous outputs were left as they were"
            ) from None
    _summary(report, console)
    return 1 if args.strict and report.errors else 0


def _run_validate(args: argparse.Namespace, console: Console) -> int:
    from kg.validate import validate_file

    if not args.file.is_file():
        raise UsageError(f"{args.file}: no such file")
    try:
        result = validate_file(args.file)
    except (ValueError, SyntaxError) as exc:
        raise UsageError(f"{args.file}: cannot be read as RDF: {exc}") from None
    limit = args.max_violations
    shown = result.violations if limit <= 0 else result.violations[:limit]
    for violation in shown:
        console.result(violation.line())
    if len(shown) < len(result.violations):
        console.info(f"... and {len(result.violations) - len(shown):,} more violations")
    verdict = (
        "conforms"
        if result.conforms
        else f"does not conform ({plural(len(result.violations), 'violation')})"
    )
    console.info(f"{args.file}: {result.triples:,} triples; {verdict}")
    return 0 if result.conforms else 1
