"""A real Virtuoso (Debian's virtuoso-opensource 7.2, which .ci/run installs), loaded with
the build's N-Triples by its bulk loader, answers every named query with the rows the
embedded store gives."""

from __future__ import annotations

import shutil

import pytest

from kg.cli import main
from kg.queries import load_queries, run_named, run_sparql
from kg.rdf import iris
from kg.store import RemoteStore, StoreError, open_store
from kg.store.virtuoso import PrivateVirtuoso

pytestmark = pytest.mark.slow

GRAPH = iris.dataset()
FIGURE = "PMC8632218__fimmu-12-767939-g001"
# Parameters for every named query but the federated one (it needs the Internet).
CHOICES = {
    "figures-mentioning-gene": [{"gene": "MAPK3", "taxon": "9606"}, {"gene": "stat3"}],
    "genes-comentioned-with-gene": [
        {"gene": "MAPK3", "taxon": "9606"},
        {"gene": "EGFR", "exclude": "synonyms,families"},
    ],
    "top-genes": [{"taxon": "9606"}, {"exclude": "synonyms", "limit": 50}, {}],
    "figures-per-organism": [{}],
    "papers-per-year": [{}, {"taxon": "9606"}],
    "figures-mentioning-gene-and-chemical": [
        {"gene": "MAPK3", "chemical": "D005990"},
        {"gene": "ATP8A2", "chemical": "D000255"},
        {"gene": "ATP8A2", "chemical": "atp"},
    ],
    "diseases-comentioned-with-gene": [{"gene": "TNF", "taxon": "9606"}, {"gene": "MAPK3"}],
    "figure-card": [{"figure": FIGURE}],
    "genes-shared-by-figures": [
        {
            "figure_a": "PMC10039534__12943_2023_1761_Fig2_HTML",
            "figure_b": "PMC6040882__elife-34890-fig11",
        }
    ],
    "figures-of-journal": [{"journal": "Front Immunol"}],
    "mention-evidence": [{"gene": "stat3", "taxon": "7955"}, {"gene": "MAPK3", "taxon": "9606"}],
    "top-chemicals": [{}],
    "graph-summary": [{}],
}


@pytest.fixture(scope="module")
def virtuoso(sample_build, tmp_path_factory):
    load = tmp_path_factory.mktemp("virtuoso-load")
    shutil.copyfile(sample_build[1] / "pfocr.nt", load / "pfocr.nt")
    server = PrivateVirtuoso(tmp_path_factory.mktemp("virtuoso") / "db", load)
    with server:
        server.bulk_load("pfocr.nt", GRAPH)
        yield server


def test_every_named_query_but_the_federated_one_is_checked():
    assert set(CHOICES) == set(load_queries()) - {"wikipathways-pathways-for-gene"}


@pytest.mark.parametrize("default_graph", [GRAPH, None])
def test_named_queries_give_the_embedded_stores_rows(virtuoso, sample_build, default_graph):
    remote = RemoteStore(query_url=virtuoso.sparql_url, default_graph=default_graph)
    with open_store(sample_build[1] / "store") as local:
        for name, choices in CHOICES.items():
            for params in choices:
                expected = run_named(local, name, params)
                assert expected.rows, (name, params)  # real rows, not two empty answers
                assert run_named(remote, name, params).rows == expected.rows, (name, params)


def test_counting_triples_sees_only_the_build_with_its_default_graph(virtuoso, sample_build):
    built = sample_build[0].triples
    assert len(RemoteStore(query_url=virtuoso.sparql_url, default_graph=GRAPH)) == built
    # Without it, Virtuoso's default graph is every graph, its system graphs included.
    assert len(RemoteStore(query_url=virtuoso.sparql_url)) > built


def test_a_long_query_goes_as_a_form_post(virtuoso):
    remote = RemoteStore(query_url=virtuoso.sparql_url, default_graph=GRAPH)
    padding = "# " + "x" * 3000 + "\n"
    rows = run_sparql(remote, padding + "SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }")
    assert rows.rows == [{"n": 68}]


def test_the_cli_queries_virtuoso(virtuoso, capsys):
    status = main(
        ["query", "--endpoint", virtuoso.sparql_url, "--default-graph", GRAPH,
         "top-genes", "-p", "taxon=9606", "-p", "limit=2", "--format", "csv", "--quiet"]
    )  # fmt: skip
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "gene,symbol,taxon,figures"
    assert lines[1].endswith(",MAPK3,http://purl.obolibrary.org/obo/NCBITaxon_9606,14")


def test_an_answer_cut_at_result_set_max_rows_is_an_error(sample_build, tmp_path):
    load = tmp_path / "load"
    load.mkdir()
    shutil.copyfile(sample_build[1] / "pfocr.nt", load / "pfocr.nt")
    with PrivateVirtuoso(tmp_path / "db", load, max_rows=100, memory_gb=0.2) as server:
        server.bulk_load("pfocr.nt", GRAPH)
        remote = RemoteStore(query_url=server.sparql_url, default_graph=GRAPH)
        assert len(run_sparql(remote, "SELECT ?f WHERE { ?f a fabio:Figure }").rows) == 68
        with pytest.raises(StoreError, match="cut the answer at 100 rows"):
            run_sparql(remote, "SELECT ?s WHERE { ?s a ?type }")
