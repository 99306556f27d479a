"""``pfocr-kg cooccur``, ``network`` and ``enrich``: analyses over figures as documents."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import analysis  # its modules (networkx, numpy, scipy) load when a command runs
from kg.analysis.names import EDGE_ATTRIBUTES, UNIVERSES, WEIGHTS
from kg.cli.errors import UsageError
from kg.cli.options import (
    add_command,
    add_endpoint_options,
    add_evidence_options,
    count,
    open_source,
    positive,
)
from kg.cli.output import Console, plural, verb
from kg.cli.tables import FORMATS, render
from kg.lookups import DEFAULT_MAX_FIGURE_GENES
from kg.model import excluded_sources
from kg.store import QueryResult

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["add_commands"]

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

_EXAMPLES_ENRICH = """\
examples:
  pfocr-kg enrich out/store STAT3 JAK1 JAK2 SOCS3 IL6 --taxon 9606 --top 20
      the human figures most enriched in these genes
  pfocr-kg enrich out/store --genes-file my_genes.txt --format csv > hits.csv
      genes from a file (one or more a line, # comments), as CSV
  pfocr-kg enrich out/store --genes-file hits.txt --background-file measured.txt
      against the genes the experiment measured instead of every figure gene
"""

_PARTNER_COLUMNS = ("partner", "symbol", "taxon", *EDGE_ATTRIBUTES)


def _analysis_options() -> argparse.ArgumentParser:
    analysis = argparse.ArgumentParser(add_help=False)
    analysis.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    analysis.add_argument(
        "--taxon",
        type=positive,
        metavar="ID",
        help="only genes of this NCBI Taxonomy id (such as 9606)",
    )
    analysis.add_argument(
        "--min-figures",
        type=positive,
        default=None,
        metavar="N",
        help="only pairs sharing at least N figures",
    )
    analysis.add_argument(
        "--max-figure-genes",
        type=count,
        default=DEFAULT_MAX_FIGURE_GENES,
        metavar="N",
        help=f"leave out figures mentioning more than N genes (default: "
        f"{DEFAULT_MAX_FIGURE_GENES}; hub figures swamp the statistics); "
        "0 means no cap",
    )
    analysis.add_argument(
        "--merge-symbols",
        action="store_true",
        help="merge genes across organisms by upper-cased symbol "
        "(orthology-naive: human STAT3 and mouse Stat3 become one node)",
    )
    add_evidence_options(analysis)
    add_endpoint_options(analysis)
    return analysis


def add_commands(commands: Any) -> None:
    """Add ``cooccur``, ``network`` and ``enrich`` to the ``pfocr-kg`` subcommands."""
    analysis = _analysis_options()
    co = add_command(
        commands,
        "cooccur",
        parents=[analysis],
        help="a gene's co-occurring partners, scored",
        description="Rank the genes that figures mention together with one gene.",
        epilog=_EXAMPLES_COOCCUR,
    )
    co.add_argument("--gene", required=True, help="gene symbol (any case) or NCBI Gene id")
    co.add_argument("--top", type=count, default=20, metavar="N", help="how many partners (20)")
    co.add_argument(
        "--score",
        choices=EDGE_ATTRIBUTES,
        default="npmi",
        help="rank by this score (default: npmi; p_value and q_value rank smallest first)",
    )
    co.add_argument("--format", choices=FORMATS, default="table")
    co.set_defaults(run=_run_cooccur)

    nw = add_command(
        commands,
        "network",
        parents=[analysis],
        help="export the gene co-occurrence network",
        description="Build the weighted gene co-occurrence network and write it as GraphML, "
        "GEXF, an edge-list CSV, or RDF (.ttl/.nt, pfocr:CoOccurrence nodes).",
        epilog=_EXAMPLES_NETWORK,
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
    nw.add_argument(
        "--keep-isolated",
        action="store_true",
        help="also write genes left with no edge (by default they are left out when "
        "--min-figures is above 1)",
    )
    nw.set_defaults(run=_run_network)

    en = add_command(
        commands,
        "enrich",
        help="rank figures by over-representation of a gene list",
        description="Gene-set enrichment over figures: one-sided hypergeometric (Fisher) "
        "p-values with Benjamini-Hochberg q-values over every figure of the taxon tested.",
        epilog=_EXAMPLES_ENRICH,
    )
    en.add_argument("source", help="a store folder, an RDF file, or a SPARQL endpoint URL")
    en.add_argument("genes", nargs="*", help="gene symbols (any case) or NCBI Gene ids")
    en.add_argument("--genes-file", type=Path, help="read genes from this file as well")
    en.add_argument("--taxon", type=positive, default=9606, help="NCBI Taxonomy id (default: 9606)")
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
    en.add_argument("--top", type=count, default=20, metavar="N", help="how many figures (20)")
    en.add_argument("--format", choices=FORMATS, default="table")
    add_evidence_options(en)
    add_endpoint_options(en)
    en.set_defaults(run=_run_enrich)


def _analysis_graph(args: argparse.Namespace, default_min_figures: int) -> nx.Graph:
    excluded = excluded_sources(args.exclude_synonyms, args.exclude_families)
    with open_source(args, args.source) as store:
        return analysis.cooccurrence_graph(
            store,
            taxon=args.taxon,
            min_figures=args.min_figures if args.min_figures is not None else default_min_figures,
            max_figure_genes=args.max_figure_genes,
            merge_symbols=args.merge_symbols,
            exclude_sources=excluded,
        )


def _run_cooccur(args: argparse.Namespace, console: Console) -> int:
    G = _analysis_graph(args, default_min_figures=1)
    found = analysis.find_genes(G, args.gene)
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
    partners = analysis.top_partners(G, args.gene, n=args.top, score=args.score)
    rows = [{c: p[c] for c in _PARTNER_COLUMNS} for p in partners]
    console.result(render(QueryResult(list(_PARTNER_COLUMNS), rows), args.format))
    hubs = plural(G.graph["dropped_hub_figures"], "hub figure")
    console.info(
        f"{plural(len(partners), 'partner')} of {args.gene} over "
        f"{plural(G.graph['figures'], 'figure')} ({hubs} left out); "
        f"evidence: {G.graph['evidence']}"
    )
    return 0


def _run_network(args: argparse.Namespace, console: Console) -> int:
    if args.output.suffix.lower() not in analysis.GRAPH_FORMATS:
        raise UsageError(f"{args.output}: use one of {', '.join(analysis.GRAPH_FORMATS)}")
    if args.output.is_dir():
        raise UsageError(f"{args.output}: a folder; give a file name")
    G = _analysis_graph(args, default_min_figures=2)
    if G.graph["min_figures"] > 1 and not args.keep_isolated:
        G = analysis.without_isolates(G)
    for _, _, data in G.edges(data=True):
        data["weight"] = data[args.score]
    G.graph["weight"] = args.score
    if args.communities:
        for number, members in enumerate(analysis.communities(G, seed=args.seed)):
            for node in members:
                G.nodes[node]["community"] = number
    try:
        analysis.write_graph(G, args.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    info = analysis.summary(G, hubs=5)
    hubs = ", ".join(h["symbol"] or h["gene"] for h in info["top_hubs"])
    console.info(
        f"{plural(info['nodes'], 'gene')}, {plural(info['edges'], 'edge')} (min "
        f"{G.graph['min_figures']} shared figures) over {plural(G.graph['figures'], 'figure')}; "
        "largest component "
        f"{info['largest_component']:,}; top hubs: {hubs}; evidence: {G.graph['evidence']}"
    )
    isolated = G.graph.get("isolated_genes_left_out")
    if isolated:
        console.info(
            f"{plural(isolated, 'gene')} with no edge left out (--keep-isolated keeps them)"
        )
    console.result(f"{args.output.suffix.lstrip('.')}: {args.output}")
    return 0


def _gene_lists(args: argparse.Namespace) -> tuple[list[str], list[str] | None]:
    genes = list(args.genes)
    try:
        if args.genes_file:
            genes.extend(analysis.read_gene_list(args.genes_file))
        background = analysis.read_gene_list(args.background_file) if args.background_file else None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read a gene list: {exc}") from None
    if not genes:
        raise UsageError("no genes given (as arguments or with --genes-file)")
    return genes, background


def _run_enrich(args: argparse.Namespace, console: Console) -> int:
    genes, background = _gene_lists(args)
    with open_source(args, args.source) as store:
        result = analysis.enrich(
            store,
            genes,
            taxon=args.taxon,
            universe=background if background is not None else args.universe,
            top=args.top,
            exclude_sources=excluded_sources(args.exclude_synonyms, args.exclude_families),
        )
    if result.unknown:
        console.warning(
            f"{plural(len(result.unknown), 'gene')} {verb(len(result.unknown), 'matches', 'match')}"
            f" no gene of taxon {args.taxon} in the graph's figures with this evidence "
            f"({result.settings['evidence']}): " + ", ".join(result.unknown)
        )
    if result.outside_universe:
        console.warning(
            f"{plural(len(result.outside_universe), 'gene')} "
            f"{verb(len(result.outside_universe), 'is', 'are')} outside the universe: "
            + ", ".join(result.outside_universe)
        )
    console.result(render(result.to_result(), args.format))
    console.info(
        f"{plural(len(result.query_genes), 'gene')} tested against "
        f"{plural(result.tested, 'figure')}; universe {plural(result.universe_size, 'gene')} "
        f"({result.settings['universe']}); evidence: {result.settings['evidence']}"
    )
    return 0
