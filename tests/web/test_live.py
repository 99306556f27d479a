"""`pfocr-kg serve` as a real server on loopback: SPARQL clients, named queries, a rebuild."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

import kg
from kg.cli import main
from kg.queries import load_queries, run_named
from kg.store import RemoteStore, open_store
from kg.web.launch import stop
from tests.conftest import SAMPLE
from tests.store.test_virtuoso import CHOICES
from tests.web.conftest import start_server


def test_sparqlwrapper_queries_the_server(server):
    client = SPARQLWrapper(server + "sparql")
    client.setQuery(
        "PREFIX fabio: <http://purl.org/spar/fabio/> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }"
    )
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert answer["results"]["bindings"][0]["n"]["value"] == "68"
    client.setMethod("POST")
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "68"


def test_named_queries_give_the_stores_rows_through_the_server(server, sample_build):
    remote = RemoteStore(query_url=server + "sparql")
    with open_store(sample_build[1] / "store") as local:
        for name, choices in CHOICES.items():
            for params in choices:
                assert run_named(remote, name, params).rows == run_named(local, name, params).rows


def test_pfocr_kg_query_endpoint_talks_to_the_server(server, capsys):
    status = main(
        ["query", "--endpoint", server + "sparql", "top-genes", "-p", "taxon=9606",
         "-p", "limit=1", "--format", "csv", "--quiet"]
    )  # fmt: skip
    assert status == 0
    assert capsys.readouterr().out.splitlines()[1].split(",")[1:] == [
        "MAPK3", "http://purl.obolibrary.org/obo/NCBITaxon_9606", "14",
    ]  # fmt: skip


def test_the_server_binds_to_loopback_by_default(server):
    assert server.startswith("http://127.0.0.1:")


@pytest.mark.slow
def test_a_rebuild_is_served_without_a_restart(tmp_path, pfocr_copy):
    root = pfocr_copy("PMC8632218__fimmu-12-767939-g001")
    out = tmp_path / "out"
    kg.build([root], out, [], store=out / "store")
    process, url = start_server(out / "store")
    try:
        count = (
            url
            + "sparql?query="
            + urllib.request.quote(
                "SELECT (COUNT(*) AS ?n) WHERE { ?f a <http://purl.org/spar/fabio/Figure> }"
            )
        )

        def figures() -> str:
            request = urllib.request.Request(count, headers={"Accept": "text/csv"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.read().decode().split()[-1]

        def home() -> str:
            with urllib.request.urlopen(url, timeout=30) as answer:
                return answer.read().decode()

        assert figures() == "1" and "<dt>figures</dt><dd>1</dd>" in home()
        shutil.copytree(SAMPLE / "_figures", root / "_figures", dirs_exist_ok=True)
        shutil.copytree(SAMPLE / "_data", root / "_data", dirs_exist_ok=True)
        kg.build([root], out, [], store=out / "store")  # removes the old generation
        assert figures() == "68" and "<dt>figures</dt><dd>68</dd>" in home()
    finally:
        stop(process)


@pytest.mark.slow
def test_an_rdf_file_is_served_from_a_temporary_store(sample_build):
    process, url = start_server(sample_build[1] / "pfocr.nt")
    try:
        with urllib.request.urlopen(url + "gene/6774", timeout=30) as page:
            assert "STAT3" in page.read().decode()
    finally:
        stop(process)


def test_every_named_query_is_checked_through_the_server():
    assert set(CHOICES) == set(load_queries()) - {"wikipathways-pathways-for-gene"}


def test_serve_refuses_what_is_not_a_store(tmp_path):
    (tmp_path / "empty").mkdir()
    done = subprocess.run(
        ["pfocr-kg", "serve", str(tmp_path / "empty")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "not a store" in done.stderr
