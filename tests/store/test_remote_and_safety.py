"""A real Oxigraph server, safe parameter binding, and clear errors."""

from __future__ import annotations

import pytest

from kg.queries import ParameterError, load_queries, run_named, run_sparql
from kg.store import QuerySyntaxError, RemoteStore, StoreError, open_store
from tests.store.test_named_queries import CASES


def test_graph_store_protocol_load_gives_the_same_triples(remote_store, oxigraph_store):
    assert len(remote_store) == len(oxigraph_store) == 60666


@pytest.mark.parametrize("name", sorted(CASES))
def test_server_answers_like_the_embedded_store(name, remote_store, oxigraph_store):
    assert (
        run_named(remote_store, name, CASES[name]).rows
        == run_named(oxigraph_store, name, CASES[name]).rows
    )


def test_nquads_keep_their_graphs_on_the_server(oxigraph_server, sample_build):
    _, out = sample_build
    store = RemoteStore(oxigraph_server + "/query", oxigraph_server + "/store")
    store.load(out / "pfocr.nq")
    graphs = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs.rows == [{"n": 68}]


def test_unreachable_endpoint_names_the_url():
    store = RemoteStore("http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match=r"http://127.0.0.1:9/query: cannot reach the endpoint"):
        store.query("ASK {}")


def test_server_syntax_errors_carry_line_and_column(remote_store):
    with pytest.raises(QuerySyntaxError) as info:
        remote_store.query("SELECT ?x\nWHERE { ?x ?y }")
    assert (info.value.line, info.value.column) == (2, 16)


@pytest.mark.parametrize("store_name", ["oxigraph_store", "rdflib_store"])
def test_syntax_errors_report_the_users_line_and_column(store_name, request):
    store = request.getfixturevalue(store_name)
    with pytest.raises(QuerySyntaxError) as info:
        store.query("SELECT ?x\nWHERE {\n  ?x ?y }")
    assert info.value.line == 3
    assert info.value.column is not None
    assert str(info.value).startswith("SPARQL syntax error at line 3, column ")


INJECTIONS = [
    'STAT3" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "',
    "STAT3> } UNION { ?s ?p ?o } #",
    '\\u0022) || true || ("',
    "STAT3\n} LIMIT 1 #",
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("store_name", ["oxigraph_store", "rdflib_store", "remote_store"])
def test_a_parameter_carrying_sparql_is_data(value, store_name, request):
    store = request.getfixturevalue(store_name)
    before = len(store)
    result = run_named(store, "figures-mentioning-gene", {"gene": value})
    assert result.rows == []
    journal = run_named(store, "figures-of-journal", {"journal": value})
    assert journal.rows == []
    assert len(store) == before


def test_inline_query_parameters_are_bound_as_literals(oxigraph_store):
    query = "SELECT ?gene WHERE { ?gene rdfs:label ?symbol }"
    assert run_sparql(oxigraph_store, query, {"symbol": "stat3"}).rows == [
        {"gene": "http://identifiers.org/ncbigene/30767"}
    ]
    assert run_sparql(oxigraph_store, query, {"symbol": '" } ?s ?p ?o { "'}).rows == []
    with pytest.raises(ParameterError, match="not a SPARQL variable name"):
        run_sparql(oxigraph_store, query, {"x } {": "1"})


def test_unknown_named_query_lists_the_valid_ones(oxigraph_store):
    with pytest.raises(ParameterError) as info:
        run_named(oxigraph_store, "top-gene", {})
    message = str(info.value)
    assert message.startswith("unknown named query 'top-gene'; named queries: ")
    for name in load_queries():
        assert name in message


def test_unknown_missing_and_malformed_parameters(oxigraph_store):
    with pytest.raises(
        ParameterError,
        match=r"unknown parameter 'species'; valid parameters: "
        r"gene \(gene, required\), taxon \(taxon, optional\)",
    ):
        run_named(oxigraph_store, "figures-mentioning-gene", {"gene": "STAT3", "species": "x"})
    with pytest.raises(ParameterError, match="missing required parameter gene"):
        run_named(oxigraph_store, "figures-mentioning-gene", {})
    with pytest.raises(ParameterError, match="taxon must be an NCBI Taxonomy id"):
        run_named(oxigraph_store, "figures-mentioning-gene", {"gene": "STAT3", "taxon": "human"})
    with pytest.raises(ParameterError, match="limit must be a whole number"):
        run_named(oxigraph_store, "top-genes", {"limit": "5; DROP ALL"})


def test_open_store_picks_the_backend_from_what_it_is_given(sample_build, tmp_path):
    _, out = sample_build
    with open_store(out / "store") as store:
        assert type(store).__name__ == "OxigraphStore"
    with open_store(out / "pfocr.nt", backend="rdflib") as store:
        assert type(store).__name__ == "RdflibStore" and len(store) == 60666
    assert type(open_store("http://127.0.0.1:9/query")).__name__ == "RemoteStore"
    with pytest.raises(StoreError, match="no such store folder or RDF file"):
        open_store(tmp_path / "missing")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(StoreError, match="cannot tell its RDF format"):
        open_store(tmp_path / "x.csv")


def test_results_as_dicts_csv_json_and_dataframe(oxigraph_store):
    result = run_named(oxigraph_store, "top-genes", {"taxon": "9606", "limit": "2"})
    assert result.to_dicts()[0]["symbol"] == "MAPK3"
    assert result.to_csv().splitlines()[0] == "gene,symbol,taxon,figures"
    assert '"variables": ["gene", "symbol", "taxon", "figures"]' in result.to_json()
    pandas = pytest.importorskip("pandas")
    frame = result.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["figures"]) == [14, 13]
