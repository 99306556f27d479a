"""PFOCR's evidence tiers, chosen the same way in every analysis, export and query.

By default every match counts (PFOCR's default); leaving out synonym- and family-only matches
gives PFOCR's strict tier, whose gene sets are the official-symbol rows of the genes TSVs.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from kg.analysis import enrich, gene_figure_table
from kg.cli import main
from kg.exports import gene_sets, kgx_edges
from kg.model import FAMILY_SOURCES, SYNONYM_SOURCES, evidence_label, excluded_sources
from kg.queries import run_named
from kg.store import open_store
from tests.conftest import DATA

STRICT = SYNONYM_SOURCES | FAMILY_SOURCES


@pytest.fixture(scope="module")
def store(sample_build):
    with open_store(sample_build[1] / "store") as opened:
        yield opened


def _symbol_rows(taxon: str) -> dict[str, set[str]]:
    """Figure id -> NCBI Gene ids of the TSV rows matched by the official symbol."""
    genes: dict[str, set[str]] = defaultdict(set)
    for path in sorted(DATA.glob("*-genes.tsv")):
        figid = path.name.removesuffix("-genes.tsv")
        text = path.read_text("utf-8").replace("\r\n", "\n")
        for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
            if (
                row["organism_id"].strip() == taxon
                and row["source"].strip() == "ncbigene_symbol"
                and row["ncbigene_id"].strip().isdigit()
            ):
                genes[figid].add(row["ncbigene_id"].strip())
    return genes


def test_the_strict_tier_gene_sets_are_the_official_symbol_rows(store):
    expected = _symbol_rows("9606")
    strict = {s.name: set(s.genes) for s in gene_sets(store, exclude_sources=STRICT, min_genes=1)}
    tsv_figures = {p.name.removesuffix("-genes.tsv") for p in DATA.glob("*-genes.tsv")}
    assert {f: g for f, g in strict.items() if f in tsv_figures} == dict(expected)
    assert len(expected) == 50
    one = next(s for s in gene_sets(store, exclude_sources=STRICT) if s.name in expected)
    assert one.description.endswith(f" [{evidence_label(STRICT)}]")
    assert not any("[" in s.description for s in gene_sets(store))


def test_gmt_keeps_figures_with_three_genes_by_default(store):
    every = {s.name: len(s.genes) for s in gene_sets(store, exclude_sources=STRICT, min_genes=1)}
    default = {s.name for s in gene_sets(store, exclude_sources=STRICT)}
    assert default == {name for name, n in every.items() if n >= 3}
    assert len(default) < len(every)


@pytest.mark.parametrize(
    ("exclude", "excluded"),
    [
        ("synonyms", SYNONYM_SOURCES),
        ("families", FAMILY_SOURCES),
        ("synonyms,families", STRICT),
    ],
)
def test_named_queries_count_what_the_analyses_count(store, exclude, excluded):
    table = gene_figure_table(store, taxon=9606, exclude_sources=excluded, max_figure_genes=0)
    counts = dict(zip(table.genes, table.figure_counts.tolist(), strict=True))
    rows = run_named(store, "top-genes", {"taxon": 9606, "limit": 5000, "exclude": exclude}).rows
    assert {r["gene"]: r["figures"] for r in rows} == counts
    everything = run_named(store, "top-genes", {"taxon": 9606, "limit": 5000}).rows
    assert len(rows) < len(everything)


def test_a_synonym_match_of_a_common_word_drops_out(store):
    # The OCR word "ATP" matches ATP8A2 by synonym only: the third human gene with all evidence.
    top = run_named(store, "top-genes", {"taxon": 9606, "limit": 3}).rows
    assert [r["symbol"] for r in top] == ["MAPK3", "MAPK1", "ATP8A2"]
    strict = run_named(store, "top-genes", {"taxon": 9606, "limit": 50, "exclude": "synonyms"})
    assert "ATP8A2" not in {r["symbol"] for r in strict.rows}


def test_enrichment_and_kgx_follow_the_tier(store):
    everything = enrich(store, ["STAT3", "JAK1"], taxon=9606)
    strict = enrich(store, ["STAT3", "JAK1"], taxon=9606, exclude_sources=STRICT)
    assert everything.settings["evidence"] == "all evidence"
    assert strict.settings["evidence"] == evidence_label(STRICT)
    # In the sample, human STAT3 and JAK1 are matched only through the words "STAT" and "JAK"
    # expanded to their families (FamPlex).
    assert everything.query_genes == ["STAT3", "JAK1"] and strict.unknown == ["STAT3", "JAK1"]
    mentions = [e for e in kgx_edges(store, STRICT) if e["predicate"] == "biolink:mentions"]
    assert len(mentions) < sum(e["predicate"] == "biolink:mentions" for e in kgx_edges(store))


@pytest.mark.parametrize("command", ["cooccur", "network", "enrich", "export"])
def test_every_command_offers_the_same_two_choices(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert "--exclude-synonyms" in text and "--exclude-families" in text


def test_the_labels_name_the_tiers():
    assert evidence_label() == "all evidence"
    assert evidence_label(excluded_sources(synonyms=True)) == "synonym-only matches left out"
    assert evidence_label(excluded_sources(families=True)) == "family-only matches left out"
