"""pfocr-kg export and enrich."""

from __future__ import annotations

import json

from kg.cli import main


def test_export_gmt_kgx_and_void(sample_build, tmp_path, capsys):
    store = str(sample_build[1] / "store")
    assert main(["export", store, "--to", "gmt", "-o", str(tmp_path / "h.gmt"), "-q"]) == 0
    assert "55 gene sets (figures with 3+ genes; all evidence)" in capsys.readouterr().out
    first = (tmp_path / "h.gmt").read_text().splitlines()[0].split("\t")
    assert first[0] == "PMC100008__mb2411709009" and all(g.isdigit() for g in first[2:])
    assert main(["export", store, "--to", "gmt", "-o", str(tmp_path / "s.gmt"), "--symbols"]) == 0
    assert "ADRB2" in (tmp_path / "s.gmt").read_text().splitlines()[0].split("\t")[2:]
    assert main(["export", store, "--to", "kgx", "-o", str(tmp_path / "kgx")]) == 0
    assert (tmp_path / "kgx" / "nodes.tsv").is_file() and (tmp_path / "kgx" / "edges.tsv").is_file()
    assert main(["export", store, "--to", "void", "-o", str(tmp_path / "void.ttl")]) == 0
    assert "void:triples 60666" in (tmp_path / "void.ttl").read_text()


def test_export_reports_a_missing_store(tmp_path, capsys):
    code = main(["export", str(tmp_path / "nowhere"), "--to", "gmt", "-o", str(tmp_path / "x")])
    assert code == 4
    assert "no such store folder or RDF file" in capsys.readouterr().err


def test_enrich_reports_unknown_genes_and_ranks_figures(sample_build, tmp_path, capsys):
    listing = tmp_path / "genes.txt"
    listing.write_text("JAK1\nJAK2\n")
    code = main(
        [
            "enrich",
            str(sample_build[1] / "store"),
            "STAT3",
            "6772",
            "NOTAGENE",
            "--genes-file",
            str(listing),
            "--format",
            "json",
            "--top",
            "2",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)["rows"]
    # The fly JAK/STAT figure (its TSV: Drosophila genes) is no human hit any more.
    assert [r["figid"] for r in rows] == ["PMC10039534__12943_2023_1761_Fig2_HTML"]
    assert rows[0]["overlap_genes"] == "JAK1 JAK2 STAT1 STAT3"
    assert (
        "1 gene matches no gene of taxon 9606 in the graph's figures with this evidence "
        "(all evidence): NOTAGENE" in captured.err
    )
    assert "4 genes tested against 55 figures" in captured.err


def test_enrich_without_genes_is_a_usage_error(sample_build, capsys):
    assert main(["enrich", str(sample_build[1] / "store")]) == 2
    assert "no genes given" in capsys.readouterr().err
