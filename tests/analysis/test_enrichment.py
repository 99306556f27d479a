"""Gene-set enrichment over figures: hand-made cases against scipy, and the real sample."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from scipy.stats import fisher_exact, hypergeom

from kg.analysis import benjamini_hochberg, enrich, read_gene_list
from kg.store import OxigraphStore
from tests.store import expected

GENE = "http://identifiers.org/ncbigene/"
FIGURE = "https://pfocr.wikipathways.org/figures/"


def _graph(figures: dict[str, list[int]], taxon: int = 9606) -> OxigraphStore:
    """A store with figures mentioning genes ``g{n}`` (NCBI Gene id n), shaped as the build's."""
    lines = ["@prefix pfocr: <https://w3id.org/pfocr-kg/vocab#> ."]
    genes = sorted({g for members in figures.values() for g in members})
    for g in genes:
        lines.append(
            f"<{GENE}{g}> a <https://w3id.org/biolink/vocab/Gene> ; "
            f'<http://www.w3.org/2000/01/rdf-schema#label> "G{g}" ; '
            f"<http://purl.obolibrary.org/obo/RO_0002162> "
            f"<http://purl.obolibrary.org/obo/NCBITaxon_{taxon}> ."
        )
    for name, members in figures.items():
        figure = f"<{FIGURE}{name}.html>"
        lines.append(
            f"{figure} a <http://purl.org/spar/fabio/Figure> ; "
            f'<http://purl.org/dc/terms/identifier> "{name}" ; '
            f'<http://purl.org/dc/terms/title> "Figure {name}" .'
        )
        for g in members:
            mention = f"<https://w3id.org/pfocr-kg/id/{name}/mention/gene-{g}>"
            lines.append(f"{figure} pfocr:hasMention {mention} .")
            lines.append(f"{mention} a pfocr:GeneMention ; pfocr:mentionOf <{GENE}{g}> .")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.ttl"
        path.write_text("\n".join(lines), "utf-8")
        store = OxigraphStore()
        store.load(path)
    return store


FIGURES = {
    "f1": [1, 2, 3, 4, 5],
    "f2": [1, 2, 6, 7, 8, 9, 10],
    "f3": [11, 12, 13, 14, 15, 16, 17, 18],
    "f4": [3, 19, 20],
    "f5": [21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
}


def test_p_values_and_odds_ratios_match_scipy_on_a_hand_made_graph():
    store = _graph(FIGURES)
    result = enrich(store, ["G1", "2", "g3", "G4", "G99"])
    assert result.unknown == ["G99"]
    assert result.universe_size == 30 and result.tested == 5
    rows = {r["figid"]: r for r in result.rows}
    assert set(rows) == {"f1", "f2", "f4"}  # f3 and f5 share no gene with the list
    n, total = 4, 30
    for figid, k in (("f1", 4), ("f2", 2), ("f4", 1)):
        size = len(FIGURES[figid])
        assert rows[figid]["overlap"] == k and rows[figid]["figure_genes"] == size
        assert rows[figid]["p_value"] == pytest.approx(hypergeom.sf(k - 1, total, size, n))
        table = [[k, size - k], [n - k, total - size - n + k]]
        odds, p_fisher = fisher_exact(table, alternative="greater")
        assert rows[figid]["odds_ratio"] == pytest.approx(odds)
        assert rows[figid]["p_value"] == pytest.approx(p_fisher)
    assert rows["f1"]["overlap_genes"] == "G1 G2 G3 G4"
    assert [r["figid"] for r in result.rows] == ["f1", "f2", "f4"]


def test_q_values_count_every_figure_tested_not_only_the_hits():
    result = enrich(_graph(FIGURES), ["G1", "G2", "G3", "G4"])
    p = {r["figid"]: r["p_value"] for r in result.rows}
    every = [p["f1"], p["f2"], 1.0, p["f4"], 1.0]  # f3, f5: tested, nothing shared
    expected_q = dict(zip(["f1", "f2", "f3", "f4", "f5"], benjamini_hochberg(every), strict=True))
    for row in result.rows:
        assert row["q_value"] == pytest.approx(expected_q[row["figid"]])
    by_hand = min(1.0, p["f1"] * 5 / 1)
    assert result.rows[0]["q_value"] == pytest.approx(by_hand)


def test_a_background_list_shrinks_the_universe():
    background = [f"G{g}" for g in range(1, 11)] + ["G500"]
    result = enrich(_graph(FIGURES), ["G1", "G2", "G21"], universe=background)
    assert result.universe_size == 10 and result.outside_universe == ["G21"]
    f1 = next(r for r in result.rows if r["figid"] == "f1")
    assert f1["p_value"] == pytest.approx(hypergeom.sf(1, 10, 5, 2))
    assert result.tested == 3  # f1, f2 and f4 have background genes


def test_odds_ratio_is_infinite_when_every_list_gene_is_in_the_figure():
    result = enrich(_graph(FIGURES), ["G11", "G12"])
    assert math.isinf(result.rows[0]["odds_ratio"]) and result.rows[0]["figid"] == "f3"


def test_the_top_hit_for_a_figures_own_genes_is_that_figure(sample_build):
    figid = "PMC10039534__12943_2023_1761_Fig2_HTML"
    genes = sorted(expected.genes_of_figure(figid, "9606"), key=int)
    result = enrich(sample_build[1] / "store", genes, taxon=9606, top=5)
    assert result.unknown == [] and len(result.rows) == 5
    top = result.rows[0]
    assert top["figid"] == figid and top["overlap"] == len(genes) == 58
    assert top["paper"] == "http://identifiers.org/pmc/PMC10039534"
    assert top["title"].startswith("Unleashing the potential")
    assert top["q_value"] < 0.05 and top["p_value"] <= result.rows[1]["p_value"]


def test_dataframe_and_gene_files(tmp_path, sample_build):
    listing = tmp_path / "genes.txt"
    listing.write_text("# my hits\nSTAT3, JAK1\tJAK2\n\nnot-a-gene  # typo\n")
    assert read_gene_list(listing) == ["STAT3", "JAK1", "JAK2", "not-a-gene"]
    result = enrich(sample_build[1] / "pfocr.ttl", read_gene_list(listing))
    frame = result.to_dataframe()
    assert list(frame.columns)[:4] == ["figure", "figid", "title", "paper"]
    assert len(frame) == len(result.rows) and result.unknown == ["not-a-gene"]
