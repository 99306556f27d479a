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

import networkx as nx
import pyoxigraph as ox

from kg import __version__
from kg.analysis import (
    DEFAULT_MAX_FIGURE_GENES,
    FAMILY_SOURCES,
    SYNONYM_SOURCES,
    communities,
    cooccurrence_graph,
    find_genes,
    summary,
    top_partners,
    write_graph,
)
from kg.analysis.enrichment import UNIVERSES, enrich, read_gene_list
from kg.analysis.export import GRAPH_FORMATS
from kg.build import BuildInProgress, build
from kg.cli.output import Console
from kg.cli.tables import render
from kg.exports import EXPORTERS, export
from kg.queries import ParameterError, load_queries, run_query
from kg.rdf.writers import WRITERS
from kg.store import QueryResult, QuerySyntaxError, RemoteStore, StoreError, open_store

__all__ = ["main"]

_EXAMPLES_MAIN = """\
examples:
  pfocr-kg build data/sample -o out/ --store out/store   build the bundled sample
  pfocr-kg validate out/pfocr.ttl                        check it against the SHACL shapes
  pfocr-kg queries                                       list the named queries
  pfocr-kg query out/store top-genes --param taxon=9606  run one
  pfocr-kg enrich out/store STAT3 JAK1 JAK2 SOCS3        figures enriched in a gene list
  pfocr-kg export out/store --to gmt -o human.gmt        gene sets for enrichment tools

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
  pfocr-kg build ~/pfocr-database -o out/ --store out/store --incremental
      after a pull, re-do only the figures that changed
"""

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

_EXAMPLES_COOCCUR = """\
examples:
  pfocr-kg cooccur out/store --gene STAT3 --taxon 9606 --top 20
      STAT3's partners in human figures, ranked by NPMI
  pfocr-kg cooccur out/pfocr.ttl --gene 6774 --score q_value --min-figures 2 --format csv
      by Benjamini-Hochberg q-value (smallest first), pairs sharing 2+ figures, as CSV
  pfocr-kg cooccur out/store --gene STAT3 --merge-symbols --exclude-synonyms
      every organism merged by symbol (orthology-naive); synonym-only evidence left out
"""

_EXAMPLES_NETWORK = """\
examples:
  pfocr-kg network out/store -o human.graphml --taxon 9606 --min-figures 2 --score npmi
      the human network for Cytoscape; edge weight = NPMI, every score kept as attributes
  pfocr-kg network out/store -o all.graphml --min-figures 1 --max-figure-genes 0
      every organism, every pair, no hub-figure cap
  pfocr-kg network out/store -o net.gexf --communities
      GEXF for Gephi, with a Louvain community (seed 42) on every node
  pfocr-kg network out/store -o edges.csv        (also .ttl / .nt: pfocr:CoOccurrence nodes)
"""

_EXAMPLES_EXPORT = """\
examples:
  pfocr-kg export out/store --to gmt -o pfocr-Homo_sapiens.gmt --taxon 9606
      one gene set per human figure (figure id, title, NCBI Gene ids) for Enrichr, GSEA
  pfocr-kg export out/store --to gmt -o human-symbols.gmt --symbols
      the same with gene symbols
  pfocr-kg export out/store --to kgx -o kgx/
      Biolink KGX TSV: kgx/nodes.tsv and kgx/edges.tsv
  pfocr-kg export out/store --to void -o void.ttl
      a VoID + DCAT description with statistics (build writes one too)
"""

_EXAMPLES_ENRICH = """\
examples:
  pfocr-kg enrich out/store STAT3 JAK1 JAK2 SOCS3 IL6 --taxon 9606 --top 20
      the human figures most enriched in these genes
  pfocr-kg enrich out/store --genes-file my_genes.txt --format csv > hits.csv
      genes from a file (one or more a line, # comments), as CSV
  pfocr-kg enrich out/store --genes-file hits.txt --background-file measured.txt
      against the genes the experiment measured instead of every figure gene
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
        "--store",
        type=Path,
        metavar="DIR",
        help="also load the graph into an Oxigraph store in DIR (replaced atomically)",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if any record or field had an error",
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes reading, mapping and rendering records (default: every "
        "available core); the output is the same for any N",
    )
    b.add_argument(
        "--incremental",
        action="store_true",
        help="re-do only the figures whose record or TSVs changed since the last "
        "--incremental build into this folder (kept in build-cache.sqlite); "
        "the output equals a clean build's",
    )
    b.set_defaults(run=_run_build)

    q = commands.add_parser(
        "query",
        parents=[common],
        help="run a SPARQL query: inline, from a file, or named",
        description="Run a SPARQL query on an Oxigraph store folder, an RDF file, or a SPARQL "
        "endpoint. QUERY is SPARQL text or the name of a query in queries/.",
        epilog=_EXAMPLES_QUERY,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="how to print rows (default: table)",
    )
    q.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint URL")
    q.add_argument(
        "--backend",
        choices=("oxigraph", "rdflib"),
        default=None,
        help="engine for an RDF file (default: oxigraph)",
    )
    q.set_defaults(run=_run_query)

    n = commands.add_parser(
        "queries",
        parents=[common],
        help="list the named queries and their parameters",
        description="List the named SPARQL queries in queries/.",
        epilog=_EXAMPLES_QUERIES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    n.set_defaults(run=_run_queries)

    ld = commands.add_parser(
        "load",
        parents=[common],
        help="load an RDF file into a SPARQL server",
        description="Send an RDF file to a SPARQL 1.1 Graph Store Protocol endpoint. For very "
        "large graphs, a server's own bulk loader is faster (see the README).",
        epilog=_EXAMPLES_LOAD,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ld.add_argument("file", type=Path, help="the RDF file (.ttl, .nt, .nq, ...)")
    ld.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the Graph Store Protocol URL, such as http://127.0.0.1:7878/store",
    )
    ld.add_argument(
        "--graph", metavar="IRI", help="load into this named graph (default: the default graph)"
    )
    ld.set_defaults(run=_run_load)

    analysis = argparse.ArgumentParser(add_help=False)
    analysis.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    analysis.add_argument(
        "--taxon", type=int, metavar="ID", help="only genes of this NCBI Taxonomy id (such as 9606)"
    )
    analysis.add_argument(
        "--min-figures",
        type=int,
        default=None,
        metavar="N",
        help="only pairs sharing at least N figures",
    )
    analysis.add_argument(
        "--max-figure-genes",
        type=int,
        default=DEFAULT_MAX_FIGURE_GENES,
        metavar="N",
        help=f"leave out figures mentioning more than N genes (default: "
        f"{DEFAULT_MAX_FIGURE_GENES}; hub figures swamp the statistics); 0 means no cap",
    )
    analysis.add_argument(
        "--merge-symbols",
        action="store_true",
        help="merge genes across organisms by upper-cased symbol "
        "(orthology-naive: human STAT3 and mouse Stat3 become one node)",
    )
    analysis.add_argument(
        "--exclude-synonyms",
        action="store_true",
        help="do not count evidence that came only from gene synonyms",
    )
    analysis.add_argument(
        "--exclude-families",
        action="store_true",
        help="do not count evidence that came only from family expansion",
    )

    co = commands.add_parser(
        "cooccur",
        parents=[common, analysis],
        help="a gene's co-occurring partners, scored",
        description="Rank the genes that figures mention together with one gene.",
        epilog=_EXAMPLES_COOCCUR,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    co.add_argument("--gene", required=True, help="gene symbol (any case) or NCBI Gene id")
    co.add_argument("--top", type=int, default=20, metavar="N", help="how many partners (20)")
    co.add_argument(
        "--score",
        choices=RANKINGS,
        default="npmi",
        help="rank by this score (default: npmi; p_value and q_value rank smallest first)",
    )
    co.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    co.set_defaults(run=_run_cooccur)

    nw = commands.add_parser(
        "network",
        parents=[common, analysis],
        help="export the gene co-occurrence network",
        description="Build the weighted gene co-occurrence network and write it as GraphML, "
        "GEXF, an edge-list CSV, or RDF (.ttl/.nt, pfocr:CoOccurrence nodes).",
        epilog=_EXAMPLES_NETWORK,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    nw.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="output file: .graphml, .gexf, .csv, .ttl or .nt",
    )
    nw.add_argument(
        "--score",
        choices=WEIGHTS,
        default="figures",
        help="the score copied into each edge's 'weight' (default: figures)",
    )
    nw.add_argument(
        "--communities",
        action="store_true",
        help="add a Louvain 'community' to every node (seeded, reproducible)",
    )
    nw.add_argument("--seed", type=int, default=42, help="Louvain seed (default: 42)")
    nw.set_defaults(run=_run_network)

    ex = commands.add_parser(
        "export",
        parents=[common],
        help="export GMT gene sets, Biolink KGX TSV, or a VoID description",
        description="Write the graph in a store (or an RDF file) in a format other tools read.",
        epilog=_EXAMPLES_EXPORT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    ex.add_argument("--to", choices=tuple(EXPORTERS), required=True, help="export format")
    ex.add_argument(
        "-o", "--output", type=Path, required=True, help="output file (a folder for kgx)"
    )
    ex.add_argument(
        "--taxon", default="9606", help="GMT: the organism, an NCBI Taxonomy id (default 9606)"
    )
    ex.add_argument(
        "--symbols", action="store_true", help="GMT: gene symbols instead of NCBI Gene ids"
    )
    ex.set_defaults(run=_run_export)

    en = commands.add_parser(
        "enrich",
        parents=[common],
        help="rank figures by over-representation of a gene list",
        description="Gene-set enrichment over figures: one-sided hypergeometric (Fisher) "
        "p-values with Benjamini-Hochberg q-values over every figure of the taxon tested.",
        epilog=_EXAMPLES_ENRICH,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    en.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    en.add_argument("genes", nargs="*", help="gene symbols (any case) or NCBI Gene ids")
    en.add_argument("--genes-file", type=Path, help="read genes from this file as well")
    en.add_argument("--taxon", default="9606", help="NCBI Taxonomy id (default: 9606)")
    en.add_argument(
        "--universe",
        choices=UNIVERSES,
        default=UNIVERSES[0],
        help="the background: every gene that a figure of the taxon mentions (default)",
    )
    en.add_argument(
        "--background-file",
        type=Path,
        help="your own background genes (e.g. all measured), intersected with figure genes",
    )
    en.add_argument("--top", type=int, default=20, metavar="N", help="how many figures (20)")
    en.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    en.set_defaults(run=_run_enrich)

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
    try:
        with console.progress(None, "records", "building") as bar:
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
    except (BuildInProgress, OSError) as exc:
        console.error(f"{exc}; previous outputs were left as they were")
        return 1
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
    if report.changes is not None:
        changes = report.changes
        console.info(
            f"incremental: {len(changes['added'])} added, {len(changes['changed'])} changed, "
            f"{len(changes['removed'])} removed, {changes['unchanged']:,} unchanged"
        )
        for kind in ("added", "changed", "removed"):
            for figid in changes[kind]:
                console.detail(f"{kind}: {figid}")
    for name, path in report.outputs.items():
        console.result(f"{name}: {path}")
    if report.records_found == 0:
        console.error("no records found in the inputs")
        return 1
    return 1 if args.strict and report.errors else 0


def _parse_params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def _run_query(args: argparse.Namespace, console: Console) -> int:
    positional = list(args.arguments)
    location = args.endpoint or (positional.pop(0) if positional else None)
    if location is None:
        console.error("give a store folder or RDF file, or --endpoint URL")
        return 2
    if args.file is not None:
        if positional:
            console.error("give the query either as text or with --file, not both")
            return 2
        try:
            text = args.file.read_text("utf-8")
        except OSError as exc:
            console.error(f"{args.file}: cannot read: {exc.strerror}")
            return 2
    elif len(positional) == 1:
        text = positional[0]
    else:
        console.error("give one query: SPARQL text, a named query, or --file")
        return 2
    try:
        params = _parse_params(args.param)
        with open_store(location, "sparql" if args.endpoint else args.backend) as store:
            result = run_query(store, text, params)
    except (ParameterError, QuerySyntaxError) as exc:
        console.error(str(exc))
        return 2
    except StoreError as exc:
        console.error(str(exc))
        return 1
    if result.triples is not None:
        console.result(ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode())
        return 0
    console.result(render(result, args.format))
    if result.boolean is None:
        console.info(f"{len(result.rows):,} rows")
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
        console.error(f"{args.file}: no such file")
        return 2
    try:
        RemoteStore(store_url=args.endpoint).load(args.file, graph=args.graph)
    except StoreError as exc:
        console.error(str(exc))
        return 1
    console.info(f"loaded {args.file} into {args.endpoint}")
    return 0


RANKINGS = ("npmi", "pmi", "jaccard", "score", "figures", "p_value", "q_value")
WEIGHTS = ("figures", "npmi", "pmi", "jaccard", "score")


def _analysis_graph(args: argparse.Namespace, default_min_figures: int) -> nx.Graph:
    excluded = (SYNONYM_SOURCES if args.exclude_synonyms else frozenset()) | (
        FAMILY_SOURCES if args.exclude_families else frozenset()
    )
    with open_store(args.source) as store:
        return cooccurrence_graph(
            store,
            taxon=args.taxon,
            min_figures=args.min_figures if args.min_figures is not None else default_min_figures,
            max_figure_genes=args.max_figure_genes,
            merge_symbols=args.merge_symbols,
            exclude_sources=excluded,
        )


def _run_cooccur(args: argparse.Namespace, console: Console) -> int:
    try:
        G = _analysis_graph(args, default_min_figures=1)
    except StoreError as exc:
        console.error(str(exc))
        return 1
    found = find_genes(G, args.gene)
    if not found:
        console.error(
            f"gene {args.gene!r} is in no figure of this selection "
            "(check --taxon, --max-figure-genes and the evidence options)"
        )
        return 1
    taxa = sorted({G.nodes[n]["taxon"] for n in found})
    if len(taxa) > 1:
        console.warning(
            f"{args.gene} names genes of {len(taxa)} organisms; partners of all "
            "are listed (give --taxon to keep one)"
        )
    smallest_first = args.score in ("p_value", "q_value")
    partners = top_partners(G, args.gene, n=G.number_of_nodes(), score=args.score)
    if smallest_first:
        partners.sort(key=lambda p: (p[args.score], -p["figures"], p["symbol"]))
    partners = partners[: args.top]
    columns = [
        "partner",
        "symbol",
        "taxon",
        "figures",
        "jaccard",
        "pmi",
        "npmi",
        "score",
        "p_value",
        "q_value",
    ]
    result = QueryResult(columns, [{c: p[c] for c in columns} for p in partners])
    console.result(render(result, args.format))
    console.info(
        f"{len(partners)} partners of {args.gene} over {G.graph['figures']:,} figures "
        f"({G.graph['dropped_hub_figures']:,} hub figures left out)"
    )
    return 0


def _run_network(args: argparse.Namespace, console: Console) -> int:
    if args.output.suffix.lower() not in GRAPH_FORMATS:
        console.error(f"{args.output}: use one of {', '.join(GRAPH_FORMATS)}")
        return 2
    try:
        G = _analysis_graph(args, default_min_figures=2)
    except StoreError as exc:
        console.error(str(exc))
        return 1
    for _, _, data in G.edges(data=True):
        data["weight"] = data[args.score]
    G.graph["weight"] = args.score
    if args.communities:
        for number, members in enumerate(communities(G, seed=args.seed)):
            for node in members:
                G.nodes[node]["community"] = number
    try:
        write_graph(G, args.output)
    except ValueError as exc:
        console.error(str(exc))
        return 2
    info = summary(G, hubs=5)
    hubs = ", ".join(h["symbol"] or h["gene"] for h in info["top_hubs"])
    console.info(
        f"{info['nodes']:,} genes, {info['edges']:,} edges (min {G.graph['min_figures']} shared "
        f"figures) over {G.graph['figures']:,} figures; largest component "
        f"{info['largest_component']:,}; top hubs: {hubs}"
    )
    console.result(f"{args.output.suffix.lstrip('.')}: {args.output}")
    return 0


def _run_export(args: argparse.Namespace, console: Console) -> int:
    try:
        with open_store(args.source) as store:
            said = export(store, args.to, args.output, taxon=args.taxon, ids=not args.symbols)
    except (StoreError, ValueError, OSError) as exc:
        console.error(str(exc))
        return 1
    console.result(said)
    return 0


def _run_enrich(args: argparse.Namespace, console: Console) -> int:
    genes = list(args.genes)
    try:
        if args.genes_file:
            genes.extend(read_gene_list(args.genes_file))
        background = read_gene_list(args.background_file) if args.background_file else None
    except OSError as exc:
        console.error(f"cannot read a gene list: {exc}")
        return 2
    if not genes:
        console.error("no genes given (as arguments or with --genes-file)")
        return 2
    try:
        result = enrich(
            args.source,
            genes,
            taxon=args.taxon,
            universe=background if background is not None else args.universe,
            top=args.top,
        )
    except (StoreError, ValueError) as exc:
        console.error(str(exc))
        return 1
    if result.unknown:
        console.warning(
            f"{len(result.unknown)} genes match no gene of taxon {args.taxon} in the graph: "
            + ", ".join(result.unknown)
        )
    if result.outside_universe:
        console.warning(
            f"{len(result.outside_universe)} genes are outside the universe: "
            + ", ".join(result.outside_universe)
        )
    console.result(render(result.to_result(), args.format))
    console.info(
        f"{len(result.query_genes)} genes tested against {result.tested:,} figures; universe "
        f"{result.universe_size:,} genes ({result.settings['universe']})"
    )
    return 0


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
