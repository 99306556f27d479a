"""pfocr-kg cooccur and network."""

from __future__ import annotations

import csv
import io

import networkx as nx

from kg.cli import main


def test_cooccur_ranks_partners(sample_build, capsys):
    _, out = sample_build
    assert (
        main(
            [
                "cooccur",
                str(out / "store"),
                "--gene",
                "MAPK1",
                "--taxon",
                "9606",
                "--top",
                "3",
                "--score",
                "figures",
                "--format",
                "csv",
                "-q",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # MAPK3 shares 10 of human MAPK1's figures, the JNKs 8 each (ties go by symbol).
    assert [(r["symbol"], r["figures"]) for r in rows] == [
        ("MAPK3", "10"),
        ("MAPK10", "8"),
        ("MAPK8", "8"),
    ]


def test_cooccur_by_q_value_lists_smallest_first(sample_build, capsys):
    _, out = sample_build
    assert (
        main(
            [
                "cooccur",
                str(out / "pfocr.ttl"),
                "--gene",
                "6774",
                "--score",
                "q_value",
                "--format",
                "csv",
                "-q",
            ]
        )
        == 0
    )
    q = [float(r["q_value"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert q == sorted(q) and len(q) == 20


def test_cooccur_warns_when_a_symbol_names_several_organisms(sample_build, capsys):
    _, out = sample_build
    assert main(["cooccur", str(out / "store"), "--gene", "stat3", "--max-figure-genes", "0"]) == 0
    assert "names genes of 2 organisms" in capsys.readouterr().err


def test_cooccur_unknown_gene_is_an_error(sample_build, capsys):
    _, out = sample_build
    assert main(["cooccur", str(out / "store"), "--gene", "NOPE1", "-q"]) == 1
    assert "gene 'NOPE1' is in no figure" in capsys.readouterr().err


def test_network_graphml_with_weight_and_communities(sample_build, tmp_path, capsys):
    _, out = sample_build
    path = tmp_path / "human.graphml"
    assert (
        main(
            [
                "network",
                str(out / "store"),
                "-o",
                str(path),
                "--taxon",
                "9606",
                "--min-figures",
                "2",
                "--score",
                "npmi",
                "--communities",
            ]
        )
        == 0
    )
    assert "genes," in capsys.readouterr().err
    G = nx.read_graphml(path)
    assert G.number_of_edges() > 0
    assert all(d["figures"] >= 2 for _, _, d in G.edges(data=True))
    assert all(d["weight"] == d["npmi"] for _, _, d in G.edges(data=True))
    assert all("community" in d for _, d in G.nodes(data=True))


def test_network_without_hub_cap_and_every_pair(sample_build, tmp_path):
    _, out = sample_build
    capped = tmp_path / "capped.gexf"
    uncapped = tmp_path / "all.gexf"
    assert main(["network", str(out / "store"), "-o", str(capped), "--min-figures", "1", "-q"]) == 0
    assert (
        main(
            [
                "network",
                str(out / "store"),
                "-o",
                str(uncapped),
                "--min-figures",
                "1",
                "--max-figure-genes",
                "0",
                "-q",
            ]
        )
        == 0
    )
    assert nx.read_gexf(uncapped).number_of_edges() > nx.read_gexf(capped).number_of_edges()


def test_network_refuses_unknown_formats_and_symbol_merged_rdf(sample_build, tmp_path, capsys):
    _, out = sample_build
    assert main(["network", str(out / "store"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert (
        main(["network", str(out / "store"), "-o", str(tmp_path / "x.ttl"), "--merge-symbols"]) == 2
    )
    assert "merged by symbol" in capsys.readouterr().err


def test_network_files_label_genes_by_symbol_and_leave_out_isolated_genes(sample_build, tmp_path):
    import networkx as nx

    store = str(sample_build[1] / "store")
    args = ["network", store, "--taxon", "9606", "--min-figures", "2", "-q"]
    assert main([*args, "-o", str(tmp_path / "g.graphml")]) == 0
    assert main([*args, "-o", str(tmp_path / "all.graphml"), "--keep-isolated"]) == 0
    assert main([*args, "-o", str(tmp_path / "g.gexf")]) == 0
    G = nx.read_graphml(tmp_path / "g.graphml")
    everything = nx.read_graphml(tmp_path / "all.graphml")
    assert not list(nx.isolates(G)) and list(nx.isolates(everything))
    assert G.number_of_edges() == everything.number_of_edges()
    mapk1 = G.nodes["http://identifiers.org/ncbigene/5594"]
    assert (mapk1["label"], mapk1["name"], mapk1["iri"]) == (
        "MAPK1",
        "MAPK1",
        "http://identifiers.org/ncbigene/5594",
    )
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.nodes["http://identifiers.org/ncbigene/5594"]["label"] == "MAPK1"
