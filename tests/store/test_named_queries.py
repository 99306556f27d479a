"""Every named query, on the embedded store and on rdflib, against answers from the records."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.queries import load_queries, run_named
from tests.conftest import STAT3_FIGID
from tests.store import expected

GENE = "http://identifiers.org/ncbigene/"
TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_"
FIGURE = "https://pfocr.wikipathways.org/figures/"
STAT_FIGURES = ("PMC10039534__12943_2023_1761_Fig2_HTML", "PMC6040882__elife-34890-fig11")

# Parameters for each named query as the tests run it (the federated one is documented only).
CASES = {
    "figures-mentioning-gene": {"gene": "STAT3"},
    "genes-comentioned-with-gene": {"gene": "STAT3", "taxon": "9606"},
    "top-genes": {"taxon": "9606", "limit": "5"},
    "figures-per-organism": {},
    "papers-per-year": {},
    "figures-mentioning-gene-and-chemical": {"gene": "ATP8A2", "chemical": "D000255"},
    "diseases-comentioned-with-gene": {"gene": "TNF", "taxon": "9606"},
    "figure-card": {"figure": STAT3_FIGID},
    "genes-shared-by-figures": {"figure_a": STAT_FIGURES[0], "figure_b": STAT_FIGURES[1]},
    "figures-of-journal": {"journal": "front immunol"},
    "mention-evidence": {"gene": "stat3", "taxon": "7955"},
    "top-chemicals": {"limit": "5"},
    "graph-summary": {},
}


def test_there_are_at_least_twelve_named_queries_with_full_headers():
    catalog = load_queries()
    assert len(catalog) >= 12
    assert set(CASES) | {"wikipathways-pathways-for-gene"} == set(catalog)
    for query in catalog.values():
        assert query.title and query.description and query.category
        for parameter in query.parameters:
            assert parameter.description


@pytest.mark.parametrize("name", sorted(CASES))
def test_embedded_store_and_rdflib_give_the_same_answers(name, oxigraph_store, rdflib_store):
    on_oxigraph = run_named(oxigraph_store, name, CASES[name])
    on_rdflib = run_named(rdflib_store, name, CASES[name])
    assert on_oxigraph.variables == on_rdflib.variables
    assert on_oxigraph.rows == on_rdflib.rows
    assert on_oxigraph.rows, f"{name} returned nothing on the sample"


def test_figures_mentioning_stat3_by_symbol_and_by_id(oxigraph_store):
    rows = run_named(oxigraph_store, "figures-mentioning-gene", {"gene": "stat3"}).rows
    expected_figures = expected.figures_of_gene("STAT3")
    assert {
        r["figure"].removeprefix(FIGURE).removesuffix(".html") for r in rows
    } == expected_figures
    # The fly JAK/STAT figure's TSV names Drosophila genes (Stat92E), not STAT3.
    assert expected_figures == {STAT_FIGURES[0], STAT3_FIGID}
    by_id = run_named(oxigraph_store, "figures-mentioning-gene", {"gene": "30767"}).rows
    assert [(r["figure"], r["symbol"], r["taxon"]) for r in by_id] == [
        (f"{FIGURE}{STAT3_FIGID}.html", "stat3", TAXON + "7955")
    ]
    human = run_named(
        oxigraph_store, "figures-mentioning-gene", {"gene": "STAT3", "taxon": "9606"}
    ).rows
    assert {r["gene"] for r in human} == {GENE + "6774"}


def test_genes_comentioned_with_human_mapk1_count_shared_figures(oxigraph_store):
    rows = run_named(
        oxigraph_store,
        "genes-comentioned-with-gene",
        {"gene": "MAPK1", "taxon": "9606", "limit": "5000"},
    ).rows
    figures = expected.figures_of_gene("MAPK1", "9606")
    shared = Counter(gene for figid in figures for gene in expected.genes_of_figure(figid, "9606"))
    del shared["5594"]  # MAPK1 itself
    counts = {r["partner"].removeprefix(GENE): r["figures"] for r in rows}
    assert counts == dict(shared)
    assert [(r["partnerSymbol"], r["figures"]) for r in rows[:2]] == [("MAPK3", 13), ("MAPK10", 10)]


def test_top_human_genes_match_counts_from_the_tsvs(oxigraph_store):
    rows = run_named(oxigraph_store, "top-genes", {"taxon": "9606", "limit": "5"}).rows
    counts = expected.figure_counts("9606")
    assert [(r["symbol"], r["figures"]) for r in rows] == [
        ("MAPK3", 14),
        ("MAPK1", 13),
        ("ATP8A2", 11),
        ("MAPK10", 11),
        ("MAPK8", 11),
    ]
    for row in rows:
        assert counts[row["gene"].removeprefix(GENE)] == row["figures"]


def test_papers_per_year_match_the_front_matter(oxigraph_store):
    rows = run_named(oxigraph_store, "papers-per-year", {}).rows
    assert {r["year"]: (r["papers"], r["figures"]) for r in rows} == expected.papers_per_year()


def test_papers_per_year_of_one_taxon(oxigraph_store, rdflib_store):
    params = {"taxon": "9606"}
    rows = run_named(oxigraph_store, "papers-per-year", params).rows
    assert rows == run_named(rdflib_store, "papers-per-year", params).rows
    human = expected.papers_per_year("Homo sapiens")
    assert {r["year"]: (r["papers"], r["figures"]) for r in rows} == human
    every_taxon = expected.papers_per_year()
    assert sum(f for _, f in human.values()) < sum(f for _, f in every_taxon.values())


def test_figures_per_organism_counts_listed_and_ner_organisms(oxigraph_store):
    rows = run_named(oxigraph_store, "figures-per-organism", {}).rows
    human = next(r for r in rows if r["taxon"] == TAXON + "9606")
    records = expected.front_matter()

    def names(record: dict) -> list[str]:
        listed = record.get("organisms") or []
        return [
            *(listed if isinstance(listed, list) else [listed]),
            *(record.get("organisms_ner") or []),
        ]

    with_human = {f for f, r in records.items() if "Homo sapiens" in names(r)}
    assert human["figures"] == len(with_human)
    assert human["papers"] == len({records[f]["pmcid"] for f in with_human})
    assert rows[0] == human  # the most figures


def test_figure_and_chemical(oxigraph_store):
    rows = run_named(
        oxigraph_store,
        "figures-mentioning-gene-and-chemical",
        {"gene": "ATP8A2", "chemical": "ATP"},
    ).rows
    by_id = run_named(
        oxigraph_store,
        "figures-mentioning-gene-and-chemical",
        {"gene": "ATP8A2", "chemical": "mesh:D000255"},
    ).rows
    assert rows == by_id
    both = expected.figures_of_gene("ATP8A2") & expected.figures_of_chemical("D000255")
    assert {r["figure"].removeprefix(FIGURE).removesuffix(".html") for r in rows} == both
    assert len(both) == 9
    assert {r["chemical"] for r in rows} == {"http://id.nlm.nih.gov/mesh/D000255"}


def test_diseases_with_tnf(oxigraph_store):
    rows = run_named(
        oxigraph_store, "diseases-comentioned-with-gene", {"gene": "TNF", "taxon": "9606"}
    ).rows
    assert ("http://id.nlm.nih.gov/mesh/D007249", "inflammation", 1) in [
        (r["disease"], r["name"], r["figures"]) for r in rows
    ]


def test_figure_card_of_the_stat3_figure(oxigraph_store):
    rows = run_named(oxigraph_store, "figure-card", {"figure": STAT3_FIGID}).rows
    facts = [(r["kind"], r["label"]) for r in rows]
    assert ("doi", "10.3389/fimmu.2021.767939") in facts
    assert ("year", "2021") in facts
    assert ("journal", "Frontiers in Immunology") in facts
    assert ("ner-organism", "Danio rerio") in facts
    assert sorted(label for kind, label in facts if kind == "gene") == [
        "kita",
        "ngfra",
        "stat1a",
        "stat1b",
        "stat3",
        "stat4",
    ]
    assert not [kind for kind, _ in facts if kind == "organism"]


def test_genes_shared_by_the_two_human_stat_figures(oxigraph_store):
    rows = run_named(
        oxigraph_store,
        "genes-shared-by-figures",
        {"figure_a": STAT_FIGURES[0], "figure_b": STAT_FIGURES[1]},
    ).rows
    assert {r["gene"].removeprefix(GENE) for r in rows} == (
        expected.genes_of_figure(STAT_FIGURES[0]) & expected.genes_of_figure(STAT_FIGURES[1])
    )


def test_figures_of_a_journal_by_abbreviation_or_title(oxigraph_store):
    by_abbreviation = run_named(oxigraph_store, "figures-of-journal", {"journal": "front immunol"})
    by_title = run_named(
        oxigraph_store, "figures-of-journal", {"journal": "Frontiers in Immunology"}
    )
    expected_figures = {
        f for f, r in expected.front_matter().items() if r.get("journal_nlm_ta") == "Front Immunol"
    }
    assert {
        r["figure"].removeprefix(FIGURE).removesuffix(".html") for r in by_abbreviation
    } == expected_figures
    assert by_abbreviation.rows == by_title.rows


def test_mention_evidence_of_zebrafish_stat3(oxigraph_store):
    rows = run_named(oxigraph_store, "mention-evidence", {"gene": "stat3", "taxon": "7955"}).rows
    assert rows == [
        {
            "figure": f"{FIGURE}{STAT3_FIGID}.html",
            "gene": GENE + "30767",
            "symbol": "stat3",
            "word": "STAT3",
            "match": "STAT3",
            "source": "ncbigene_symbol",
            "origin": "genes-tsv",
            "countDirect": 1,
            "countSynonym": 5,
            "countMatch": 3,
        }
    ]


def test_graph_summary_matches_the_build_report(oxigraph_store, sample_build):
    report, _ = sample_build
    counts = {
        r["class"].rsplit("/", 1)[-1]: r["entities"]
        for r in run_named(oxigraph_store, "graph-summary", {}).rows
    }
    assert counts["Figure"] == 68
    assert counts["ScholarlyArticle"] == report.entities["papers"]
    assert counts["Gene"] == report.entities["genes"]
    assert counts["ChemicalEntity"] == report.entities["chemicals"]
