"""Round trips keep the graph: Turtle -> Oxigraph -> N-Triples -> rdflib -> Turtle, and JSON-LD."""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from kg.rdf.jsonld import OfflineContextLoader


def test_turtle_through_oxigraph_ntriples_and_rdflib_is_the_same_graph(sample_build, tmp_path):
    _, out = sample_build
    store = ox.Store()
    store.bulk_load(path=str(out / "pfocr.ttl"), format=ox.RdfFormat.TURTLE)
    dump = tmp_path / "dump.nt"
    store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    through_rdflib = rdflib.Graph().parse(dump, format="nt")
    (tmp_path / "again.ttl").write_text(through_rdflib.serialize(format="turtle"), "utf-8")
    again = rdflib.Graph().parse(tmp_path / "again.ttl", format="turtle")
    original = rdflib.Graph().parse(out / "pfocr.ttl", format="turtle")
    assert len(original) == len(store) == len(again) > 60_000
    assert isomorphic(original, again)


def test_jsonld_export_expands_back_to_the_same_graph(sample_build):
    _, out = sample_build
    document = json.loads((out / "pfocr.jsonld").read_text("utf-8"))
    loader = OfflineContextLoader.bundled()
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    from_jsonld = rdflib.Graph().parse(data=nquads, format="nt")
    original = rdflib.Graph().parse(out / "pfocr.ttl", format="turtle")
    assert len(from_jsonld) == len(original)
    assert isomorphic(from_jsonld, original)
