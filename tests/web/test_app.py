"""The web app in process: every page, the SPARQL protocol, and bad input."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kg.queries import run_named
from kg.store import open_store

FIGURE = "PMC8632218__fimmu-12-767939-g001"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }"


def test_home_shows_the_dataset_summary(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "<title>pfocr-kg · pfocr-kg</title>" in page.text
    figures = re.search(r"<dt>figures</dt><dd>([\d,]+)</dd>", page.text)
    genes = re.search(r"<dt>genes</dt><dd>([\d,]+)</dd>", page.text)
    assert figures.group(1) == "68" and genes.group(1) == "2,715"
    assert '<option value="9606"' in page.text  # the organism filter
    assert re.search(r'<p id="built">60,666 triples, built 20\d\d-', page.text)


def test_a_gene_search_with_one_answer_goes_to_the_gene_page(client):
    page = client.get("/search?q=stat3&kind=gene&taxon=9606", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/gene/6774"
    listed = client.get("/search?q=STAT3&kind=gene&go=no")
    assert "ncbigene:6774" in listed.text and "Homo sapiens" in listed.text
    by_id = client.get("/search?q=6774&kind=gene", follow_redirects=False)
    assert by_id.headers["location"] == "/gene/6774"


def test_searching_an_unknown_gene_says_so(client):
    page = client.get("/search?q=NOTAGENE&kind=gene")
    assert page.status_code == 200 and "No gene named “NOTAGENE”" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [("glucose", "mesh:D005947"), ("D005947", "mesh:D005947")],
)
def test_chemical_search_by_name_or_mesh_id(client, query, expected):
    page = client.get(f"/search?q={query}&kind=chemical")
    assert page.status_code == 200 and expected in page.text


def test_bad_search_parameters_are_refused(client):
    assert client.get("/search?q=x&kind=protein").status_code == 400
    assert client.get("/search?q=x&taxon=human").status_code == 400


def test_the_figure_card_lists_mentions_with_evidence(client, sample_build):
    page = client.get(f"/figure/{FIGURE}")
    assert page.status_code == 200
    assert "PFOCR page" in page.text and "ncbi.nlm.nih.gov/pmc/articles/PMC8632218" in page.text
    assert 'alt="Pathway figure ' in page.text
    table = page.text.split('id="gene-mentions"')[1].split("</table>")[0]
    rows = table.count("<tr>") - 1  # the header row
    with open_store(sample_build[1] / "store") as store:
        card = run_named(store, "figure-card", {"figure": FIGURE}).rows
    genes = [r for r in card if r["kind"] == "gene"]
    assert rows >= len(genes) > 0  # one row a mention: at least one a gene
    for gene in genes:  # each gene of the card, linked to its page
        assert f'href="/gene/{gene["item"].rsplit("/", 1)[1]}"' in table


def test_unknown_figure_and_gene_are_404_pages(client):
    assert client.get("/figure/PMC1__nothing").status_code == 404
    assert client.get("/figure/<script>").status_code == 404
    assert client.get("/gene/999999999").status_code == 404
    assert client.get("/gene/STAT3").status_code == 404
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "<title>Not found" in missing.text


def test_the_gene_page_lists_figures_partners_and_a_network(client, sample_build):
    page = client.get("/gene/5595")  # MAPK3, in 14 human figures
    assert page.status_code == 200 and "<title>MAPK3 (Homo sapiens)" in page.text
    assert page.text.count('<a href="/figure/') == 14
    with open_store(sample_build[1] / "store") as store:
        partners = run_named(
            store, "genes-comentioned-with-gene", {"gene": "5595", "taxon": 9606, "limit": 25}
        ).rows
    table = page.text.split('id="partners"')[1].split("</table>")[0]
    assert table.count("<tr>") - 1 == len(partners)
    first = partners[0]
    assert f">{first['partnerSymbol']}</a></td><td>{first['figures']}</td>" in table
    network = client.get("/gene/5595/network.json").json()
    nodes = [e for e in network["elements"] if "source" not in e["data"]]
    edges = [e for e in network["elements"] if "source" in e["data"]]
    assert len(nodes) == 1 + len(partners)
    focus = "http://identifiers.org/ncbigene/5595"
    to_first = [
        e for e in edges if {e["data"]["source"], e["data"]["target"]} == {focus, first["partner"]}
    ]
    assert to_first[0]["data"]["figures"] == first["figures"]


def test_enrichment_page_and_csv_agree(client):
    genes = "STAT3 JAK1 JAK2 SOCS3 IL6"
    page = client.post("/enrich", data={"genes": genes, "taxon": "9606", "evidence": "all"})
    assert page.status_code == 200
    shown = page.text.split('id="enrichment"')[1].split("</table>")[0].count("<tr>") - 1
    download = client.get(f"/enrich.csv?genes={genes}&taxon=9606&evidence=all")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert shown == len(rows) > 0
    assert rows[0]["overlap_genes"] == "JAK1 JAK2 STAT3"
    strict = client.get(f"/enrich.csv?genes={genes}&taxon=9606&evidence=official")
    assert strict.status_code == 200 and strict.text != download.text
    assert client.get("/enrich.csv?genes=STAT3&taxon=human").status_code == 400
    assert client.get("/enrich").status_code == 200  # the empty form


def test_the_query_page_offers_the_named_queries(client):
    page = client.get("/query")
    assert page.status_code == 200 and "/static/vendor/yasgui/yasgui.min.js" in page.text
    named = json.loads(page.text.split('id="named-queries">')[1].split("</script>")[0])
    assert {q["name"] for q in named} >= {"top-genes", "figure-card"}
    assert "cdn" not in page.text.lower()


def test_sparql_get_and_both_posts_answer_json(client):
    expected = {"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "literal", "value": "68",
               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}  # fmt: skip
    assert client.get("/sparql", params={"query": COUNT}).json() == expected
    assert client.post("/sparql", data={"query": COUNT}).json() == expected
    direct = client.post(
        "/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"}
    )
    assert direct.json() == expected


@pytest.mark.parametrize(
    ("accept", "media_type", "start"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        ("text/csv", "text/csv", "n\r\n68"),
        ("text/tab-separated-values", "text/tab-separated-values", "?n\n68"),
        ("application/sparql-results+json;q=0.5, text/csv;q=0.9", "text/csv", "n"),
    ],
)
def test_sparql_results_by_content_negotiation(client, accept, media_type, start):
    answer = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert answer.headers["content-type"].startswith(media_type)
    assert answer.text.startswith(start)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
     ("application/ld+json", "application/ld+json")],
)  # fmt: skip
def test_construct_answers_in_rdf_formats(client, accept, media_type):
    query = "CONSTRUCT { ?g rdfs:label ?l } WHERE { ?g rdfs:label ?l ; a biolink:Gene } LIMIT 3"
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media_type)
    assert "ncbigene" in answer.text


def test_ask_and_an_unacceptable_format(client):
    ask = client.get("/sparql", params={"query": "ASK { ?f a fabio:Figure }"})
    assert ask.json() == {"head": {}, "boolean": True}
    refused = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_updates_are_refused(client):
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.get("/sparql", params={"query": update}).status_code == 403
    direct = client.post(
        "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
    )
    assert direct.status_code == 403 and "read-only" in direct.text


def test_syntax_errors_row_caps_and_time_limits_are_clear(client):
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert bad.status_code == 400 and "syntax error" in bad.text
    many = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert many.status_code == 400 and "more than 50 rows" in many.text
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    stopped = client.get("/sparql", params={"query": slow})
    assert stopped.status_code == 503 and "time limit of 2 s" in stopped.text
    # The stopped worker was replaced: the next query is answered.
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200


def test_the_service_description(client):
    described = client.get("/sparql")
    assert described.headers["content-type"].startswith("text/turtle")
    assert "sd:SPARQL11Query" in described.text and "SPARQL_Results_JSON" in described.text


def test_every_page_has_a_title_and_no_cdn(client):
    for path in ("/", "/search?q=glucose&kind=chemical", f"/figure/{FIGURE}", "/gene/6774",
                 "/enrich", "/query"):  # fmt: skip
        page = client.get(path)
        assert re.search(r"<title>[^<]+ · pfocr-kg</title>", page.text), path
        assert not re.search(r"""(src|href)=["']https?://[^"']*\.(js|css)""", page.text), path
