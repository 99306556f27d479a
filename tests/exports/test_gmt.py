"""GMT gene sets: one line per figure, the genes of its TSV, as enrichment tools read them."""

from __future__ import annotations

from kg.exports import gene_sets, gmt_text, write_gmt
from tests.conftest import DATA, FIGURES, STAT3_FIGID
from tests.store import expected

STAT_FIGURE = "PMC10039534__12943_2023_1761_Fig2_HTML"


def _lines(path):
    return {line.split("\t")[0]: line.split("\t") for line in path.read_text().splitlines()}


def test_gmt_lines_are_the_genes_of_each_figures_tsv(store, tmp_path):
    written = write_gmt(store, tmp_path / "human.gmt", taxon=9606)
    lines = _lines(tmp_path / "human.gmt")
    assert written == len(lines)
    with_human_genes = {f for f, _, _, t in expected.gene_rows() if t == "9606"}
    # Records without a genes TSV get genes from their JSON-LD keywords, resolved by symbol.
    without_tsv = {p.stem for p in FIGURES.glob("*.md")} - {
        p.name.removesuffix("-genes.tsv") for p in DATA.glob("*-genes.tsv")
    }
    assert with_human_genes <= set(lines) <= with_human_genes | without_tsv
    assert set(lines) - with_human_genes == {"PMC4110042__ppat.1004265.g002"}
    for figid, (_name, description, *genes) in lines.items():
        assert description == " ".join(expected.front_matter()[figid]["figtitle"].split())
        if figid in with_human_genes:
            assert genes == sorted(expected.genes_of_figure(figid, "9606"), key=int)


def test_gmt_of_one_figure_exactly(store):
    line = next(s for s in gene_sets(store, taxon=9606) if s.name == STAT_FIGURE)
    assert line.description.startswith("Unleashing the potential of combining FGFR inhibitor")
    assert "6774" in line.genes  # STAT3
    assert len(line.genes) == len(expected.genes_of_figure(STAT_FIGURE, "9606")) == 58


def test_gmt_with_symbols_and_another_taxon(store):
    zebrafish = {s.name: s for s in gene_sets(store, taxon=7955, ids=False)}
    assert STAT3_FIGID in zebrafish
    symbols = {s for f, _, s, t in expected.gene_rows() if f == STAT3_FIGID and t == "7955"}
    assert zebrafish[STAT3_FIGID].genes == sorted(symbols)
    assert "stat3" in zebrafish[STAT3_FIGID].genes


def test_gmt_fields_never_carry_tabs_or_newlines():
    from kg.exports import GeneSet

    text = gmt_text([GeneSet("f1", "a\ttitle\nwith breaks", ["1", "2"])])
    assert text == "f1\ta title with breaks\t1\t2\n"
