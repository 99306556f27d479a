"""ontology/ declares every class and property the built graph uses, and the project terms."""

from __future__ import annotations

import json

import rdflib
from rdflib import OWL, RDF, RDFS

from kg.rdf.vocab import PFOCR, PFOCR_TERMS
from kg.resources import ontology_path

BUILTIN = {str(RDF.type)}


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path("pfocr-kg.ttl"), format="turtle")


def test_every_predicate_and_class_of_the_sample_graph_is_declared(sample_graph):
    ontology = _ontology()
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    predicates = {str(p) for p in sample_graph.predicates()} - BUILTIN
    classes = {str(o) for o in sample_graph.objects(None, RDF.type)}
    assert predicates - declared - {str(OWL.sameAs)} == set()
    assert classes - declared == set()


def test_project_terms_in_code_and_ontology_agree():
    ontology = _ontology()
    in_ontology = {
        str(s).removeprefix(PFOCR.base)
        for s in ontology.subjects(RDF.type, None)
        if str(s).startswith(PFOCR.base)
    }
    assert in_ontology == set(PFOCR_TERMS)


def test_every_project_term_has_a_label_and_a_comment():
    ontology = _ontology()
    for name in PFOCR_TERMS:
        term = rdflib.URIRef(PFOCR.base + name)
        assert ontology.value(term, RDFS.label), name
        assert ontology.value(term, RDFS.comment), name


def test_mentions_are_aligned_with_biolink_and_iao():
    ontology = _ontology()
    schema_mentions = rdflib.URIRef("http://schema.org/mentions")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert (
        schema_mentions,
        skos.exactMatch,
        rdflib.URIRef("https://w3id.org/biolink/vocab/mentions"),
    ) in ontology
    assert (
        rdflib.URIRef(PFOCR.base + "mentionOf"),
        RDFS.subPropertyOf,
        rdflib.URIRef("http://purl.obolibrary.org/obo/IAO_0000142"),
    ) in ontology


def test_asking_the_vocabulary_for_an_undeclared_term_fails():
    try:
        PFOCR.notATerm  # noqa: B018
    except AttributeError as exc:
        assert "notATerm" in str(exc)
    else:
        raise AssertionError("an undeclared pfocr: term was minted")


def test_project_context_defines_terms_for_every_project_property():
    context = json.loads(ontology_path("pfocr-kg.context.jsonld").read_text("utf-8"))["@context"]
    targets = {
        (value["@id"] if isinstance(value, dict) else value)
        for value in context.values()
        if isinstance(value, dict | str)
    }
    properties = {name for name in PFOCR_TERMS if name[0].islower()}
    assert {f"pfocr:{name}" for name in properties} <= targets
