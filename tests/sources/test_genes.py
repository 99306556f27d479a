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
