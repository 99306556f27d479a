"""The genes TSV reader: rows become mentions; what cannot be said is reported."""

from __future__ import annotations

from kg.model import Severity
from kg.sources.genes import read_genes
from kg.store import QueryResult
from tests.hostile.helpers import GENES_HEADER


def test_a_gene_without_a_symbol_keeps_its_id_and_the_report_says_it_has_no_label(tmp_path):
    path = tmp_path / "PMC1__f1-genes.tsv"
    row = "9606\tHomo sapiens\tVertebrates\tRAS\tRAS\tNA\t3265\tncbigene_synonym\t1\t0\t1"
    path.write_text(f"{GENES_HEADER}\n{row}\n")
    table = read_genes(path)
    [mention] = table.mentions
    assert (mention.gene_id, mention.symbol, mention.word) == ("3265", None, "RAS")
    [problem] = table.problems
    assert (problem.field, problem.severity) == ("row 2 ncbigene_symbol", Severity.WARNING)
    assert problem.message == "none given (NA) for NCBI Gene 3265; the gene gets no label"


def test_csv_and_tsv_print_floats_without_rounding_noise():
    result = QueryResult(["npmi", "n"], [{"npmi": 0.9999999999999998, "n": 3}])
    assert result.to_csv() == "npmi,n\n1,3\n"
    assert result.to_csv("\t") == "npmi\tn\n1\t3\n"
    assert '"npmi": 0.9999999999999998' in result.to_json()  # JSON keeps every digit


def test_a_bad_cell_repeated_on_several_rows_is_reported_on_each(tmp_path):
    # Cells are parsed once per file: the error must still be said for every row with it.
    path = tmp_path / "PMC1__f1-genes.tsv"
    rows = [
        "9606\tHomo sapiens\tVertebrates\tSTAT3\tSTAT3\tSTAT3\t6774\tncbigene_symbol\tx\t0\t1",
        "9606\tHomo sapiens\tVertebrates\tJAK1\tJAK1\tJAK1\t3716\tncbigene_symbol\tx\t0\t1",
        "9606\tHomo sapiens\tVertebrates\tJAK2\tJAK2\tJAK2\t3717\tncbigene_symbol\t2\t0\t1",
    ]
    path.write_text(GENES_HEADER + "\n" + "\n".join(rows) + "\n")
    table = read_genes(path)
    assert [(m.word, m.count_direct, m.count_match) for m in table.mentions] == [
        ("STAT3", None, 1), ("JAK1", None, 1), ("JAK2", 2, 1)
    ]  # fmt: skip
    assert [(p.field, p.message) for p in table.problems] == [
        ("row 2 count_direct", "'x' is not a non-negative whole number; left empty"),
        ("row 3 count_direct", "'x' is not a non-negative whole number; left empty"),
    ]


def test_rows_with_faults_are_reported_in_row_then_column_order_among_good_rows(tmp_path):
    # Columns are read whole, then rows with faults one cell at a time: what is said, and
    # the order it is said in, is still row by row, column by column.
    path = tmp_path / "PMC1__f1-genes.tsv"
    rows = [
        "9606\tHomo sapiens\tVertebrates\tSTAT3\tSTAT3\tSTAT3\t6774\tncbigene_symbol\t1\t0\t1",
        "human\tHomo sapiens\tVertebrates\tJAK1\tJAK1\tJAK1\tabc\tncbigene_symbol\t1\t-2\t1",
        "9606\tHomo sapiens\tVertebrates\t \tNA\tNA\t3717\tncbigene_symbol\t1\t0\t1",
        "9606\tHomo sapiens\tVertebrates\tRAS\tRAS\tNA\t3265\tncbigene_synonym\t1\t0\tx",
        "9606\tHomo sapiens\tVertebrates\tTYK2\tTYK2\tTYK2\t7297\tncbigene_symbol\t3\t0\t1",
    ]
    path.write_text(GENES_HEADER + "\n" + "\n".join(rows) + "\n")
    table = read_genes(path)
    assert [
        (m.word, m.gene_id, m.symbol, m.taxon_id, m.count_direct, m.count_synonym, m.count_match)
        for m in table.mentions
    ] == [
        ("STAT3", "6774", "STAT3", "9606", 1, 0, 1),
        ("JAK1", None, "JAK1", None, 1, None, 1),
        ("NA", "3717", None, "9606", 1, 0, 1),  # "NA" is a word here, not a placeholder
        ("RAS", "3265", None, "9606", 1, 0, None),
        ("TYK2", "7297", "TYK2", "9606", 3, 0, 1),
    ]
    assert [(p.field, p.severity) for p in table.problems] == [
        ("row 3 organism_id", Severity.ERROR),
        ("row 3 ncbigene_id", Severity.ERROR),
        ("row 3 count_synonym", Severity.ERROR),
        ("row 4 ncbigene_symbol", Severity.WARNING),
        ("row 5 count_match", Severity.ERROR),
        ("row 5 ncbigene_symbol", Severity.WARNING),
    ]
    assert table.problems[1].message == "'abc' is not an NCBI numeric id; left empty"
