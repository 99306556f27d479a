"""pfocr-kg query, queries and load."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.cli import main
from kg.queries import load_queries
from tests.conftest import FIGURES, STAT3_FIGID


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-store")
    assert (
        main(
            [
                "build",
                str(FIGURES / f"{STAT3_FIGID}.md"),
                "-o",
                str(out),
                "--store",
                str(out / "store"),
                "-q",
            ]
        )
        == 0
    )
    return out


def test_build_with_store_reports_it(built):
    report = json.loads((built / "build-report.json").read_text())
    assert report["outputs"]["store"] == str(built / "store")


def test_named_query_with_parameters_as_csv(built, capsys):
    assert (
        main(
            [
                "query",
                str(built / "store"),
                "mention-evidence",
                "--param",
                "gene=stat3",
                "--format",
                "csv",
                "-q",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["word"], r["source"], r["countSynonym"]) for r in rows] == [
        ("STAT3", "ncbigene_symbol", "5")
    ]


def test_inline_query_on_a_turtle_file_as_a_table(built, capsys):
    assert (
        main(
            [
                "query",
                str(built / "pfocr.ttl"),
                "SELECT ?g WHERE { ?f schema:mentions ?g } ORDER BY ?g LIMIT 2",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "g",
        "------------------",
        "ncbigene:100535003",
        "ncbigene:30256",
    ]
    assert "2 rows" in captured.err


def test_query_file_as_json_with_the_rdflib_backend(built, tmp_path, capsys):
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert (
        main(
            [
                "query",
                str(built / "pfocr.ttl"),
                "-f",
                str(query),
                "--format",
                "json",
                "--backend",
                "rdflib",
                "-q",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {"variables": ["n"], "rows": [{"n": 131}]}


def test_query_errors_exit_2_with_one_clear_line(built, capsys):
    assert main(["query", str(built / "store"), "SELECT ?x\nWHERE { ?x }"]) == 2
    assert capsys.readouterr().err.startswith("error: SPARQL syntax error at line 2, column ")
    assert main(["query", str(built / "store"), "top-gens"]) == 2
    assert "named queries: " in capsys.readouterr().err
    assert main(["query", str(built / "store"), "top-genes", "--param", "limit"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err


def test_unreachable_endpoint_exits_4_naming_the_url(capsys):
    assert main(["query", "--endpoint", "http://127.0.0.1:9/query", "top-genes"]) == 4
    assert "http://127.0.0.1:9/query: cannot reach the endpoint" in capsys.readouterr().err


def test_queries_lists_one_line_per_query_name_first(capsys):
    assert main(["queries"]) == 0
    lines = capsys.readouterr().out.splitlines()
    catalog = load_queries()
    assert [line.split()[0] for line in lines] == list(catalog)
    first = catalog["figures-mentioning-gene"]
    line = next(x for x in lines if x.startswith("figures-mentioning-gene "))
    for parameter in first.parameters:
        assert parameter.describe() in line


def test_load_then_query_a_server(built, oxigraph_server, capsys):
    assert (
        main(["load", str(built / "pfocr.ttl"), "--endpoint", oxigraph_server + "/store", "-q"])
        == 0
    )
    assert (
        main(
            [
                "query",
                "--endpoint",
                oxigraph_server + "/query",
                "figure-card",
                "--param",
                f"figure={STAT3_FIGID}",
                "--format",
                "tsv",
                "-q",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "doi\t\t10.3389/fimmu.2021.767939" in out.splitlines()
