"""The VoID description's counts equal SPARQL counts on the same graph."""

from __future__ import annotations

import pyoxigraph as ox

from kg.exports import graph_statistics, write_void
from kg.queries import run_sparql
from kg.rdf.vocab import VOID

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def _read(path) -> dict:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    v = "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    total = next(iter(store.query(v + "SELECT ?n { ?d a void:Dataset ; void:triples ?n }")))
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            v + "SELECT ?c ?n { ?d void:classPartition [ void:class ?c ; void:entities ?n ] }"
        )
    }
    properties = {
        r["p"].value: int(r["n"].value)
        for r in store.query(
            v + "SELECT ?p ?n { ?d void:propertyPartition [ void:property ?p ; void:triples ?n ] }"
        )
    }
    licenses = [r["l"].value for r in store.query(v + "SELECT ?l { ?d dcterms:license ?l }")]
    return {"triples": int(total["n"].value), "classes": classes, "properties": properties,
            "licenses": licenses}  # fmt: skip


def test_build_writes_void_with_counts_equal_to_sparql(sample_build, store):
    report, out = sample_build
    described = _read(out / "void.ttl")
    assert described["triples"] == report.triples == len(store)
    figures = run_sparql(store, "SELECT (COUNT(?f) AS ?n) { ?f a fabio:Figure }").rows[0]["n"]
    assert described["classes"]["http://purl.org/spar/fabio/Figure"] == figures == 68
    genes = "SELECT (COUNT(DISTINCT ?g) AS ?n) { ?f schema:mentions ?g . ?g a biolink:Gene }"
    assert (
        described["classes"]["https://w3id.org/biolink/vocab/Gene"]
        == (run_sparql(store, genes).rows[0]["n"])
    )
    mentions = run_sparql(store, "SELECT (COUNT(*) AS ?n) { ?f schema:mentions ?x }").rows[0]["n"]
    assert described["properties"]["http://schema.org/mentions"] == mentions
    stats = graph_statistics(store)
    assert described["classes"] == stats.classes
    assert described["properties"] == stats.properties
    assert described["licenses"] == stats.licenses == [CC0]


def test_export_void_from_a_store(store, tmp_path):
    stats = write_void(store, tmp_path / "void.ttl")
    described = _read(tmp_path / "void.ttl")
    assert described["triples"] == stats.triples
    assert sum(described["properties"].values()) == stats.triples
    text = (tmp_path / "void.ttl").read_text()
    assert "dcat:Dataset" in text and "dcat:version" in text and "dcterms:created" in text
    assert VOID.base in text
