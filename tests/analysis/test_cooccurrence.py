"""Gene co-occurrence on real records: counts and scores checked by hand from the TSVs."""

from __future__ import annotations

import csv
import math
import pickle
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import rdflib
from scipy.stats import hypergeom

import kg
from kg.analysis import (
    EDGE_ATTRIBUTES,
    SYNONYM_SOURCES,
    benjamini_hochberg,
    communities,
    cooccurrence_graph,
    cooccurrence_triples,
    count_pairs,
    ego_network,
    gene_figure_table,
    summary,
    top_partners,
    write_graph,
)
from kg.validate import validate_graph
from tests.conftest import DATA, STAT3_FIGID
from tests.store import expected

STAT_FIGURES = ["PMC10039534__12943_2023_1761_Fig2_HTML", "PMC6040882__elife-34890-fig11"]
OTHERS = ["PMC10031043__fgene-14-1152398-g001", "PMC10030840__fonc-13-1111191-g002"]
SUBSET = [*STAT_FIGURES, STAT3_FIGID, *OTHERS]
GENE = "http://identifiers.org/ncbigene/"


def _human_genes(figid: str) -> set[str]:
    """Human NCBI Gene ids of a figure: its genes TSV rows and its embedded (old-format) genes."""
    return expected.genes_of_figure(figid, "9606")


@pytest.fixture(scope="module")
def subset(tmp_path_factory) -> Path:
    """Five real records with genes TSVs, built; returns the Turtle file."""
    import shutil

    root = tmp_path_factory.mktemp("subset")
    (root / "_figures").mkdir()
    (root / "_data").mkdir()
    sample = DATA.parent
    for figid in SUBSET:
        shutil.copy(sample / "_figures" / f"{figid}.md", root / "_figures")
        for companion in DATA.glob(f"{figid}-*.tsv"):
            shutil.copy(companion, root / "_data")
    report = kg.build([root], root / "out")
    assert report.records_built == 5
    return root / "out" / "pfocr.ttl"


@pytest.fixture(scope="module")
def human(subset) -> nx.Graph:
    return cooccurrence_graph(subset, taxon=9606, max_figure_genes=0)


def test_pair_counts_and_every_score_match_a_hand_computation(human):
    genes = {f: _human_genes(f) for f in SUBSET}
    figures_with_human_genes = [f for f in SUBSET if genes[f]]
    total = len(figures_with_human_genes)
    assert human.graph["figures"] == total
    only_first = sorted(genes[STAT_FIGURES[0]] - genes[STAT_FIGURES[1]], key=int)[0]
    for a, b in [("6774", "3716"), ("6774", only_first), ("3716", "3717")]:
        c_i = sum(a in genes[f] for f in SUBSET)
        c_j = sum(b in genes[f] for f in SUBSET)
        c_ij = sum(a in genes[f] and b in genes[f] for f in SUBSET)
        edge = human.edges[GENE + a, GENE + b]
        assert edge["figures"] == c_ij
        assert human.nodes[GENE + a]["figures"] == c_i
        assert edge["jaccard"] == pytest.approx(c_ij / (c_i + c_j - c_ij))
        pmi = math.log2(c_ij * total / (c_i * c_j))
        assert edge["pmi"] == pytest.approx(pmi)
        npmi = 1.0 if c_ij == total else pmi / -math.log2(c_ij / total)
        assert edge["npmi"] == pytest.approx(npmi)
        assert edge["score"] == pytest.approx(c_ij**0.6 * (c_ij * total / (c_i * c_j)) ** 0.4)
        direct = sum(
            math.comb(c_i, k) * math.comb(total - c_i, c_j - k)
            for k in range(c_ij, min(c_i, c_j) + 1)
        ) / math.comb(total, c_j)
        assert edge["p_value"] == pytest.approx(direct)
        assert edge["p_value"] == pytest.approx(hypergeom.sf(c_ij - 1, total, c_i, c_j))


def test_q_values_are_bh_over_all_tested_pairs(human):
    p = np.array([d["p_value"] for _, _, d in human.edges(data=True)])
    q = np.array([d["q_value"] for _, _, d in human.edges(data=True)])
    assert human.graph["tested_pairs"] == human.number_of_edges()  # min_figures=1
    m = len(p)
    for i in np.argsort(p)[:50]:
        rank_q = min(p[j] * m / (np.sum(p <= p[j])) for j in range(m) if p[j] >= p[i])
        assert q[i] == pytest.approx(min(rank_q, 1.0))


def test_benjamini_hochberg_on_a_known_example():
    p = np.array([0.005, 0.011, 0.02, 0.04, 0.13])
    # by hand: p * m / rank = .025, .0275, .0333, .05, .13; then running minimum from the top
    assert benjamini_hochberg(p) == pytest.approx([0.025, 0.0275, 0.03333333, 0.05, 0.13])
    shuffled = np.array([0.04, 0.005, 0.13, 0.011, 0.02])
    q = benjamini_hochberg(shuffled)
    assert q == pytest.approx([0.05, 0.025, 0.13, 0.0275, 0.03333333])
    order = np.argsort(shuffled)
    assert np.all(np.diff(q[order]) >= 0)


def test_count_pairs_is_the_sparse_product():
    import scipy.sparse as sp

    m = sp.csr_matrix(np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]]))
    first, second, shared = count_pairs(m)
    assert list(zip(first.tolist(), second.tolist(), shared.tolist(), strict=True)) == [
        (0, 1, 2),
        (0, 2, 1),
        (0, 3, 1),
        (1, 2, 2),
        (1, 3, 2),
        (2, 3, 1),
    ]


def test_taxon_filter_keeps_one_organism(subset):
    human = cooccurrence_graph(subset, taxon=9606)
    assert {d["taxon"] for _, d in human.nodes(data=True)} == {
        "http://purl.obolibrary.org/obo/NCBITaxon_9606"
    }
    every = cooccurrence_graph(subset)
    assert "http://purl.obolibrary.org/obo/NCBITaxon_7955" in {
        d["taxon"] for _, d in every.nodes(data=True)
    }


def test_symbol_merge_joins_human_and_zebrafish_stat3(subset):
    merged = cooccurrence_graph(subset, merge_symbols=True, max_figure_genes=0)
    with_stat3 = {
        f for f, _, symbol, _ in expected.gene_rows() if f in SUBSET and symbol.upper() == "STAT3"
    }
    # Human STAT3 in the FGFR figure, zebrafish stat3 in the CAF figure; the fly figure's
    # TSV names Drosophila genes only (its older embedded human list adds nothing).
    assert merged.nodes["symbol:STAT3"]["figures"] == len(with_stat3) == 2
    assert merged.graph["orthology_naive_symbol_merge"] is True
    separate = cooccurrence_graph(subset, max_figure_genes=0)
    assert separate.nodes[GENE + "6774"]["figures"] == 1
    assert separate.nodes[GENE + "30767"]["figures"] == 1


def test_min_figures_cuts_edges_but_not_the_tests(subset):
    all_pairs = cooccurrence_graph(subset, taxon=9606)
    strong = cooccurrence_graph(subset, taxon=9606, min_figures=2)
    assert strong.number_of_edges() < all_pairs.number_of_edges()
    assert all(d["figures"] >= 2 for _, _, d in strong.edges(data=True))
    assert strong.graph["tested_pairs"] == all_pairs.number_of_edges()
    for a, b, d in strong.edges(data=True):
        assert d["q_value"] == all_pairs.edges[a, b]["q_value"]


def test_hub_figure_cap(subset):
    sizes = {f: len(_human_genes(f)) for f in SUBSET}
    cap = sorted(sizes.values())[-1] - 1  # drops exactly the biggest figure
    table = gene_figure_table(subset, taxon=9606, max_figure_genes=cap)
    assert table.dropped_hub_figures == 1
    assert len(table.figures) == sum(1 for n in sizes.values() if 0 < n <= cap)


def test_excluding_synonym_evidence(subset):
    table = gene_figure_table(
        subset, taxon=7955, exclude_sources=SYNONYM_SOURCES, max_figure_genes=0
    )
    # The zebrafish figure's rows: stat3 by symbol; kita, ngfra, stat1a, stat1b, stat4 by synonym.
    assert table.genes == [GENE + "30767"]
    assert len(gene_figure_table(subset, taxon=7955, max_figure_genes=0).genes) == 6


def test_graphml_and_gexf_keep_every_attribute(human, tmp_path):
    for name in ("net.graphml", "net.gexf"):
        write_graph(human, tmp_path / name)
        reader = nx.read_graphml if name.endswith("graphml") else nx.read_gexf
        back = reader(tmp_path / name)
        a, b = GENE + "6774", GENE + "3716"
        assert back.number_of_edges() == human.number_of_edges()
        for key in ("figures", "jaccard", "pmi", "npmi", "score", "p_value", "q_value"):
            assert back.edges[a, b][key] == pytest.approx(human.edges[a, b][key]), key
        assert back.nodes[a]["symbol"] == "STAT3"
        assert int(back.nodes[a]["figures"]) == 1


def test_edge_list_csv(human, tmp_path):
    write_graph(human, tmp_path / "edges.csv")
    rows = list(csv.DictReader((tmp_path / "edges.csv").open()))
    assert len(rows) == human.number_of_edges()
    row = next(r for r in rows if {r["symbol_a"], r["symbol_b"]} == {"STAT3", "JAK1"})
    assert int(row["figures"]) == 1


def test_rdf_export_is_declared_and_conforms(human, tmp_path):
    write_graph(human, tmp_path / "co.ttl")
    graph = rdflib.Graph().parse(tmp_path / "co.ttl")
    assert len(graph) == human.number_of_edges() * 10
    assert validate_graph(graph).conforms
    assert len(list(cooccurrence_triples(human))) == len(graph)


def test_louvain_is_reproducible_with_a_seed(human):
    first = communities(human, seed=7)
    assert first == communities(human, seed=7)
    assert set().union(*first) == set(human)


def test_analyses_on_the_stat3_network(human):
    # Human STAT3 is in one figure of the subset: every partner shares it, ties go by symbol.
    partners = top_partners(human, "STAT3", n=3, score="figures")
    assert [p["symbol"] for p in partners] == ["B2M", "CD274", "CXCL10"]
    assert {p["figures"] for p in partners} == {1}
    ego = ego_network(human, "STAT3")
    assert GENE + "6774" in ego and ego.number_of_nodes() == human.degree(GENE + "6774") + 1
    info = summary(human)
    assert info["nodes"] == human.number_of_nodes() and info["edges"] == human.number_of_edges()
    assert info["top_hubs"][0]["weighted_degree"] >= info["top_hubs"][-1]["weighted_degree"]
    with pytest.raises(KeyError, match="not in the graph"):
        top_partners(human, "NOTAGENE")


def test_fast_hypergeometric_tail_equals_scipy():
    from kg.analysis.cooccurrence import hypergeometric_sf

    rng = np.random.default_rng(3)
    for total in (12, 500, 100_000):
        n = rng.integers(1, max(2, total // 3), 5000)
        m = rng.integers(1, max(2, total // 3), 5000)
        k = np.minimum(rng.integers(1, 6, 5000), np.minimum(n, m))
        k[::2] = 1
        ours = hypergeometric_sf(k, n, m, total)
        assert ours == pytest.approx(hypergeom.sf(k - 1, total, n, m), rel=1e-8, abs=1e-9)


def test_edge_attributes_behave_as_independent_dicts(subset):
    G = cooccurrence_graph(subset, taxon=9606, min_figures=1)
    (u, v, first), (x, y, second) = list(G.edges(data=True))[:2]
    before = dict(second)
    G.edges[u, v]["weight"] = 7.5
    G.edges[u, v]["figures"] = 99
    assert G[v][u]["weight"] == 7.5 and G[u][v]["figures"] == 99  # one mapping, both ways
    assert dict(G.edges[x, y]) == before  # the shared columns are untouched
    assert set(first) == {*EDGE_ATTRIBUTES, "weight"}
    copied = pickle.loads(pickle.dumps(G))
    assert nx.utils.graphs_equal(copied, G)
    assert type(copied.edges[u, v]) is dict
    assert G.copy().edges[x, y] == before
    assert nx.to_scipy_sparse_array(G, weight="figures").sum() == 2 * sum(
        d for *_, d in G.edges(data="figures")
    )
