"""The bundled named queries, answered from the answer index.

Each function here gives the same rows, in the same order, as its ``queries/<name>.rq`` on
the store the index was made from (tests/index checks every one of them against SPARQL);
the ``.rq`` file stays the definition, and is what runs on every other store and endpoint.
A function takes the index and the query's validated arguments
(:meth:`kg.queries.NamedQuery.arguments`): gene IRIs already resolved, taxa as IRIs,
integers as ``int`` and the evidence choice as the excluded match sources.

Example
-------
>>> import pathlib, tempfile, kg
>>> from kg.index import open_index
>>> from kg.store import open_store
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
>>> with open_store(out / "store") as store:
...     index = open_index(store)
...     top = ANSWERS["top-genes"](index, {"taxon": None, "limit": 1, "exclude": frozenset()})
>>> top.rows[0]["symbol"], top.rows[0]["figures"]
('MAPK3', 14)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kg.index import Index
from kg.store.base import QueryResult

__all__ = ["ANSWERS"]

Arguments = Mapping[str, Any]


def _result(variables: Sequence[str], rows: list[tuple]) -> QueryResult:
    return QueryResult(list(variables), [dict(zip(variables, row, strict=True)) for row in rows])


def _in(values: Sequence[str]) -> str:
    """``(?, ?, ...)`` for an SQL ``IN`` list of ``values``."""
    return "(" + ", ".join("?" * len(values)) + ")"


def _genes(args: Arguments, name: str = "gene") -> list[str]:
    """The gene IRIs given (an unknown symbol names none: then nothing matches)."""
    value = args[name]
    genes = value if isinstance(value, list) else [value]
    return genes or [""]


def _tier(alias: str, args: Arguments) -> tuple[str, list[int]]:
    bit = Index.tier_bit(args.get("exclude") or frozenset())
    return (f"({alias}.tiers & ?) != 0", [bit]) if bit else ("1", [])


def figures_mentioning_gene(index: Index, args: Arguments) -> QueryResult:
    genes = _genes(args)
    tier, tier_params = _tier("fg", args)
    rows = index.rows(
        f"""SELECT f.iri, f.title, p.iri, g.iri, g.symbol, g.taxon
        FROM gene g JOIN figure_gene fg ON fg.gene = g.id JOIN figure f ON f.id = fg.figure
        JOIN paper p ON p.id = f.paper
        WHERE g.iri IN {_in(genes)} AND g.taxon IS NOT NULL AND (? IS NULL OR g.taxon = ?)
          AND {tier}
        ORDER BY f.iri, g.iri LIMIT ?""",
        [*genes, args["taxon"], args["taxon"], *tier_params, args["limit"]],
    )
    return _result(("figure", "title", "paper", "gene", "symbol", "taxon"), rows)


def genes_comentioned_with_gene(index: Index, args: Arguments) -> QueryResult:
    genes = _genes(args)
    tier, tier_params = _tier("fg", args)
    bit = Index.tier_bit(args.get("exclude") or frozenset())
    mine = index.rows(
        f"""SELECT g.id, fg.figure FROM gene g JOIN figure_gene fg ON fg.gene = g.id
        WHERE g.iri IN {_in(genes)} AND g.taxon IS NOT NULL AND (? IS NULL OR g.taxon = ?)
          AND {tier}""",
        [*genes, args["taxon"], args["taxon"], *tier_params],
    )
    about = index.genes
    counts: dict[int, int] = {}
    if mine:
        import numpy as np  # here only: the other answers, and loading this module, need none

        ids, figures = (np.asarray(column, dtype=np.int64) for column in zip(*mine, strict=True))
        order = np.argsort(figures, kind="stable")
        ids, figures = ids[order], figures[order]
        # Each query gene's figures' genes: kept if of its taxon, not itself, in the tier.
        place = np.repeat(np.arange(len(figures)), np.diff(index.incidence.indptr)[figures])
        figure_of, partner, bits = index.incidence.pairs(figures)
        keep = (partner != ids[place]) & (
            about.taxon_codes[partner] == about.taxon_codes[ids[place]]
        )
        if bit:
            keep &= (bits & bit) != 0
        pairs = np.unique(figure_of[keep] * len(about.iris) + partner[keep])
        found = np.bincount(pairs % len(about.iris), minlength=len(about.iris))
        counts = {int(g): int(found[g]) for g in np.flatnonzero(found)}
    ranked = sorted(
        counts,
        key=lambda g: (
            -counts[g],
            about.symbols[g] is not None,
            about.symbols[g] or "",
            about.iris[g],
        ),
    )[: args["limit"]]
    rows = [(about.iris[g], about.symbols[g], about.taxa[g], counts[g]) for g in ranked]
    return _result(("partner", "partnerSymbol", "taxon", "figures"), rows)


def top_genes(index: Index, args: Arguments) -> QueryResult:
    column = Index.count_column(args.get("exclude") or frozenset())
    rows = index.rows(
        f"""SELECT iri, symbol, taxon, {column} FROM gene
        WHERE {column} > 0 AND taxon IS NOT NULL AND (? IS NULL OR taxon = ?)
        ORDER BY {column} DESC, symbol, iri LIMIT ?""",
        [args["taxon"], args["taxon"], args["limit"]],
    )
    return _result(("gene", "symbol", "taxon", "figures"), rows)


def figures_per_organism(index: Index, args: Arguments) -> QueryResult:
    rows = index.rows(
        """SELECT c.taxon, n.name, c.figures, c.papers
        FROM organism_count c LEFT JOIN taxon_name n ON n.taxon = c.taxon
        ORDER BY c.figures DESC, n.name, c.taxon LIMIT ?""",
        [args["limit"]],
    )
    return _result(("taxon", "name", "figures", "papers"), rows)


def papers_per_year(index: Index, args: Arguments) -> QueryResult:
    taxon = args.get("taxon")
    chosen = (
        "JOIN (SELECT DISTINCT figure FROM figure_taxon WHERE taxon = ? AND kind = 1) t "
        "ON t.figure = f.id"
        if taxon
        else ""
    )
    rows = index.rows(
        f"""SELECT p.year, COUNT(DISTINCT p.id), COUNT(DISTINCT f.id)
        FROM figure f {chosen} JOIN paper p ON p.id = f.paper
        WHERE p.year IS NOT NULL GROUP BY p.year ORDER BY p.year""",
        [taxon] if taxon else [],
    )
    return _result(("year", "papers", "figures"), rows)


def figures_mentioning_gene_and_chemical(index: Index, args: Arguments) -> QueryResult:
    genes = _genes(args)
    tier, tier_params = _tier("fg", args)
    if args.get("chemical"):
        match, values = "c.chemical = ?", [str(args["chemical"])]
    else:  # the word, the matched text or the ChEBI name, any case
        name = str(args["chemical_name"]).lower()
        match = "(c.key = ? OR c.chemical IN (SELECT term FROM term_name WHERE name_lc = ?))"
        values = [name, name]
    rows = index.rows(
        f"""SELECT DISTINCT f.iri, f.title, g.iri, g.symbol, c.chemical, c.word
        FROM gene g JOIN figure_gene fg ON fg.gene = g.id
        JOIN chemical_key c ON c.figure = fg.figure JOIN figure f ON f.id = fg.figure
        WHERE g.iri IN {_in(genes)} AND g.taxon IS NOT NULL AND (? IS NULL OR g.taxon = ?)
          AND {tier} AND {match}
        ORDER BY f.iri, g.iri, c.chemical, c.word""",
        [*genes, args["taxon"], args["taxon"], *tier_params, *values],
    )
    return _result(("figure", "title", "gene", "symbol", "chemical", "word"), rows)


def diseases_comentioned_with_gene(index: Index, args: Arguments) -> QueryResult:
    genes = _genes(args)
    tier, tier_params = _tier("fg", args)
    rows = index.rows(
        f"""SELECT d.disease,
          COALESCE((SELECT MIN(name) FROM term_name WHERE term = d.disease), MIN(d.label))
            AS name,
          COUNT(DISTINCT d.figure) AS n
        FROM gene g JOIN figure_gene fg ON fg.gene = g.id
        JOIN disease_label d ON d.figure = fg.figure
        WHERE g.iri IN {_in(genes)} AND g.taxon IS NOT NULL AND (? IS NULL OR g.taxon = ?)
          AND {tier}
        GROUP BY d.disease ORDER BY n DESC, name, d.disease""",
        [*genes, args["taxon"], args["taxon"], *tier_params],
    )
    return _result(("disease", "name", "figures"), rows)


def figures_of_journal(index: Index, args: Arguments) -> QueryResult:
    journal = str(args["journal"]).lower()
    rows = index.rows(
        """SELECT f.iri, f.title, p.iri, p.year, p.journal
        FROM paper p JOIN figure f ON f.paper = p.id
        WHERE p.id IN (SELECT id FROM paper WHERE journal_lc = ?
                       UNION SELECT id FROM paper WHERE abbreviation_lc = ?)
          AND p.journal IS NOT NULL
        ORDER BY p.year, f.iri""",
        [journal, journal],
    )
    return _result(("figure", "title", "paper", "year", "journalTitle"), rows)


def mention_evidence(index: Index, args: Arguments) -> QueryResult:
    genes = _genes(args)
    rows = index.rows(
        f"""SELECT f.iri, g.iri, g.symbol, m.word, m.match, m.source, m.origin,
          m.count_direct, m.count_synonym, m.count_match
        FROM gene g JOIN gene_mention m ON m.gene = g.id JOIN figure f ON f.id = m.figure
        WHERE g.iri IN {_in(genes)} AND g.taxon IS NOT NULL AND (? IS NULL OR g.taxon = ?)
          AND (? IS NULL OR f.iri = ?)
        ORDER BY f.iri, g.iri, m.word, m.source, m.match, m.origin, m.count_direct,
          m.count_synonym, m.count_match""",
        [*genes, args["taxon"], args["taxon"], args["figure"], args["figure"]],
    )
    names = ("figure", "gene", "symbol", "word", "match", "source", "origin")
    return _result((*names, "countDirect", "countSynonym", "countMatch"), rows)


def top_chemicals(index: Index, args: Arguments) -> QueryResult:
    rows = index.rows(
        """SELECT iri, COALESCE((SELECT MIN(name) FROM term_name WHERE term = iri), word),
          figures
        FROM (SELECT iri, word, figures FROM chemical ORDER BY figures DESC, iri LIMIT ?)
        WHERE word IS NOT NULL ORDER BY figures DESC, iri""",
        [args["limit"]],
    )
    return _result(("chemical", "name", "figures"), rows)


def graph_summary(index: Index, args: Arguments) -> QueryResult:
    rows = index.rows("SELECT class, entities FROM class_count ORDER BY class")
    return _result(("class", "entities"), rows)


# named query -> its answer from the index
ANSWERS: dict[str, Callable[[Index, Arguments], QueryResult]] = {
    "figures-mentioning-gene": figures_mentioning_gene,
    "genes-comentioned-with-gene": genes_comentioned_with_gene,
    "top-genes": top_genes,
    "figures-per-organism": figures_per_organism,
    "papers-per-year": papers_per_year,
    "figures-mentioning-gene-and-chemical": figures_mentioning_gene_and_chemical,
    "diseases-comentioned-with-gene": diseases_comentioned_with_gene,
    "figures-of-journal": figures_of_journal,
    "mention-evidence": mention_evidence,
    "top-chemicals": top_chemicals,
    "graph-summary": graph_summary,
}
