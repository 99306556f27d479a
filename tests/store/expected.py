"""Expected answers computed straight from the sample's records and TSVs, without kg code."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache

import yaml

from tests.conftest import DATA, FIGURES


@cache
def front_matter() -> dict[str, dict]:
    records = {}
    for path in sorted(FIGURES.glob("*.md")):
        text = path.read_text("utf-8").replace("\r\n", "\n")
        records[path.stem] = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))
    return records


@cache
def gene_rows() -> list[tuple[str, str, str, str]]:
    """(figid, NCBI Gene id, symbol, taxon id) for every TSV row with an id, and for every
    embedded gene of a record that has no genes TSV (PFOCR's pages show the TSV)."""
    rows = []
    for path in sorted(DATA.glob("*-genes.tsv")):
        figid = path.name.removesuffix("-genes.tsv")
        text = path.read_text("utf-8").replace("\r\n", "\n")
        for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["ncbigene_id"].strip().isdigit():
                rows.append(
                    (
                        figid,
                        row["ncbigene_id"].strip(),
                        row["ncbigene_symbol"].strip(),
                        row["organism_id"].strip(),
                    )
                )
    with_tsv = {path.name.removesuffix("-genes.tsv") for path in DATA.glob("*-genes.tsv")}
    for figid, record in front_matter().items():
        if figid in with_tsv:
            continue
        for gene in record.get("genes") or []:
            if str(gene.get("entrez", "")).isdigit():
                rows.append((figid, str(gene["entrez"]), gene["hgnc_symbol"], "9606"))
    return rows


def figures_of_gene(symbol: str, taxon: str | None = None) -> set[str]:
    return {
        f
        for f, _, s, t in gene_rows()
        if s.lower() == symbol.lower() and (taxon is None or t == taxon)
    }


def genes_of_figure(figid: str, taxon: str | None = None) -> set[str]:
    return {g for f, g, _, t in gene_rows() if f == figid and (taxon is None or t == taxon)}


def figure_counts(taxon: str) -> dict[str, int]:
    figures = defaultdict(set)
    for figid, gene, _, t in gene_rows():
        if t == taxon:
            figures[gene].add(figid)
    return {gene: len(f) for gene, f in figures.items()}


def papers_per_year(organism: str | None = None) -> dict[str, tuple[int, int]]:
    papers, figures = defaultdict(set), defaultdict(set)
    for figid, record in front_matter().items():
        listed = record.get("organisms") or []
        if organism is not None and organism not in listed:
            continue
        papers[record["year"]].add(record["pmcid"])
        figures[record["year"]].add(figid)
    return {year: (len(papers[year]), len(figures[year])) for year in papers}


def figures_of_chemical(mesh_id: str) -> set[str]:
    figures = set()
    for path in sorted(DATA.glob("*-chemicals.tsv")):
        text = path.read_text("utf-8").replace("\r\n", "\n")
        for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
            identifier = (row.get("mesh") or row.get("identifier") or "").removeprefix("mesh:")
            if identifier.strip() == mesh_id:
                figures.add(path.name.removesuffix("-chemicals.tsv"))
    with_tsv = {path.name.removesuffix("-chemicals.tsv") for path in DATA.glob("*-chemicals.tsv")}
    for figid, record in front_matter().items():
        if figid in with_tsv:
            continue
        if any(c.get("identifier") == mesh_id for c in record.get("chemicals") or []):
            figures.add(figid)
    return figures
