"""The ``pfocr-kg`` command: build, validate, query, analyse and export the graph.

Each command group lives in its own module with its parser and run functions:

* :mod:`kg.cli.cmd_build`: ``build``, ``validate``;
* :mod:`kg.cli.cmd_query`: ``query``, ``queries``, ``load``;
* :mod:`kg.cli.cmd_analysis`: ``cooccur``, ``network``, ``enrich``;
* :mod:`kg.cli.cmd_export`: ``export``.

Every failure ends through one table (:mod:`kg.cli.errors`): one line on standard error
and a documented exit status, never a traceback. All terminal output goes through
:class:`kg.cli.output.Console`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kg import __version__
from kg.cli import cmd_analysis, cmd_build, cmd_export, cmd_query, cmd_serve
from kg.cli.errors import report_failure
from kg.cli.output import Console

__all__ = ["main"]

_EXAMPLES_MAIN = """\
examples:
  pfocr-kg build data/sample -o out/ --store out/store   build the bundled sample
  pfocr-kg validate out/pfocr.ttl                        check it against the SHACL shapes
  pfocr-kg queries                                       list the named queries
  pfocr-kg query out/store top-genes --param taxon=9606  run one
  pfocr-kg enrich out/store STAT3 JAK1 JAK2 SOCS3        figures enriched in a gene list
  pfocr-kg export out/store --to gmt -o human.gmt        gene sets for enrichment tools

exit status: 0 done; 1 done, but the data has problems; 2 bad usage, parameter or query;
3 refused to overwrite what pfocr-kg did not make; 4 a store, endpoint or file failed;
130 interrupted.

Run 'pfocr-kg COMMAND --help' for a command's options and examples.
"""


def parser() -> argparse.ArgumentParser:
    """The ``pfocr-kg`` argument parser, with every command group's subcommands."""
    top = argparse.ArgumentParser(
        prog="pfocr-kg",
        description="Build an RDF knowledge graph from PFOCR pathway-figure records.",
        epilog=_EXAMPLES_MAIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"pfocr-kg {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in (cmd_build, cmd_query, cmd_analysis, cmd_export, cmd_serve):
        group.add_commands(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pfocr-kg`` command with ``argv`` (default: ``sys.argv[1:]``)."""
    args = parser().parse_args(argv)
    console = Console(quiet=args.quiet, verbose=args.verbose)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.run(args, console))
    except (Exception, KeyboardInterrupt) as exc:
        failure = report_failure(exc)
        if failure is None:
            raise  # a bug: the traceback is what a report needs
        status, line = failure
        console.error(line)
        return status


if __name__ == "__main__":
    sys.exit(main())
