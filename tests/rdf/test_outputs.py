"""Every output format of the sample says the same graph; Turtle is stable and conformant."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

import kg
from kg.rdf.jsonld import OfflineContextLoader
from kg.rdf.vocab import PREFIXES
from kg.validate import validate_graph
from tests.conftest import SAMPLE


def _oxigraph_as_rdflib(path: Path, fmt: ox.RdfFormat) -> rdflib.Graph:
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    nt = store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
    return rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")


def test_turtle_parses_identically_in_rdflib_and_oxigraph(sample_build, sample_graph):
    _, out = sample_build
    assert isomorphic(sample_graph, _oxigraph_as_rdflib(out / "pfocr.ttl", ox.RdfFormat.TURTLE))


def test_turtle_declares_the_readable_prefixes(sample_build):
    _, out = sample_build
    head = (out / "pfocr.ttl").read_text("utf-8").split("\n", len(PREFIXES))[: len(PREFIXES)]
    assert head == [f"@prefix {name}: <{iri}> ." for name, iri in PREFIXES.items()]
    assert "\nncbigene:30767 a biolink:Gene ;\n" in (out / "pfocr.ttl").read_text("utf-8")


def test_ntriples_says_the_same_graph(sample_build, sample_graph):
    _, out = sample_build
    assert isomorphic(sample_graph, rdflib.Graph().parse(out / "pfocr.nt", format="nt"))


def test_nquads_has_one_named_graph_per_figure_and_the_same_union(sample_build, sample_graph):
    _, out = sample_build
    dataset = rdflib.Dataset()
    dataset.parse(out / "pfocr.nq", format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    figures = {
        str(f)
        for f in sample_graph.subjects(
            rdflib.RDF.type, rdflib.URIRef("http://purl.org/spar/fabio/Figure")
        )
    }
    assert names == figures and len(names) == 68
    union = rdflib.Graph()
    for subject, predicate, obj, _graph in dataset.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    assert isomorphic(sample_graph, union)


def test_each_named_graph_holds_what_its_figure_states(sample_build):
    _, out = sample_build
    dataset = rdflib.Dataset()
    dataset.parse(out / "pfocr.nq", format="nquads")
    figure = rdflib.URIRef(
        "https://pfocr.wikipathways.org/figures/PMC8632218__fimmu-12-767939-g001.html"
    )
    assert len(dataset.graph(figure)) == 131  # as in tests/rdf/test_stat3_record.py


def test_jsonld_is_compacted_with_the_project_context_and_expands_to_the_same_graph(
    sample_build, sample_graph
):
    _, out = sample_build
    document = json.loads((out / "pfocr.jsonld").read_text("utf-8"))
    context = json.loads(
        (Path(kg.__file__).parents[1] / "ontology" / "pfocr-kg.context.jsonld").read_text("utf-8")
    )
    assert document["@context"] == context["@context"]
    genes = [n for n in document["@graph"] if n.get("type") == "Gene"]
    assert {
        "id": "ncbigene:30767",
        "type": "Gene",
        "label": "stat3",
        "inTaxon": "NCBITaxon:7955",
    } in genes
    nquads = jsonld.to_rdf(
        document,
        {"format": "application/n-quads", "documentLoader": OfflineContextLoader.bundled()},
    )
    assert isomorphic(sample_graph, rdflib.Graph().parse(data=nquads, format="nt"))


def test_build_is_byte_for_byte_deterministic(tmp_path, sample_build):
    _, first = sample_build
    again = kg.build([SAMPLE], tmp_path, ["ttl", "nt", "nq"])
    assert again.records_built == 68
    for name in ("pfocr.ttl", "pfocr.nt", "pfocr.nq"):
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name


@pytest.mark.slow
def test_whole_sample_conforms_to_the_shacl_shapes(sample_graph):
    result = validate_graph(sample_graph)
    assert result.violations == []
    assert result.conforms


def test_shapes_catch_a_broken_graph():
    broken = rdflib.Graph()
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__f1.html")
    broken.add((figure, rdflib.RDF.type, rdflib.URIRef("http://purl.org/spar/fabio/Figure")))
    result = validate_graph(broken)
    assert not result.conforms
    assert {v.path for v in result.violations} == {
        "http://purl.org/dc/terms/identifier",
        "http://purl.org/dc/terms/isPartOf",
    }
