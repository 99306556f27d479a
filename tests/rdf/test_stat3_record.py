"""The STAT3 signalling figure (PMC8632218), built from its real record, triple by triple."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

import kg
from tests.conftest import FIGURES, STAT3_FIGID, figure_iri

SCHEMA = rdflib.Namespace("http://schema.org/")
PFOCR = rdflib.Namespace("https://w3id.org/pfocr-kg/vocab#")
BIOLINK = rdflib.Namespace("https://w3id.org/biolink/vocab/")
FABIO = rdflib.Namespace("http://purl.org/spar/fabio/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")
PRISM = rdflib.Namespace("http://prismstandard.org/namespaces/basic/2.0/")
IN_TAXON = URIRef("http://purl.obolibrary.org/obo/RO_0002162")
ZEBRAFISH = URIRef("http://purl.obolibrary.org/obo/NCBITaxon_7955")
FIGURE = figure_iri(STAT3_FIGID)
PAPER = URIRef("http://identifiers.org/pmc/PMC8632218")

# The six rows of the record's genes TSV: OCR word, match, source, symbol, NCBI Gene id.
GENES = [
    ("Receptor", "RECEPTOR", "ncbigene_synonym", "kita", "30256"),
    ("Receptor", "RECEPTOR", "ncbigene_synonym", "ngfra", "100535003"),
    ("STAT3", "STAT3", "ncbigene_symbol", "stat3", "30767"),
    ("STAT1", "STAT1", "ncbigene_synonym", "stat1a", "30768"),
    ("STAT1", "STAT1", "ncbigene_synonym", "stat1b", "368481"),
    ("STAT1", "STAT1", "ncbigene_synonym", "stat4", "368519"),
]


@pytest.fixture(scope="module")
def stat3(tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    out = tmp_path_factory.mktemp("stat3")
    report = kg.build([FIGURES / f"{STAT3_FIGID}.md"], out)
    assert report.records_built == 1 and not report.errors
    return rdflib.Graph().parse(Path(report.outputs["ttl"]), format="turtle")


def test_figure_is_a_fabio_figure_part_of_its_paper(stat3):
    assert (FIGURE, RDF.type, FABIO.Figure) in stat3
    assert (FIGURE, DCTERMS.isPartOf, PAPER) in stat3
    assert (FIGURE, DCTERMS.identifier, Literal(STAT3_FIGID)) in stat3


def test_figure_title_caption_and_number(stat3):
    title = "Exploiting the STAT3 Nexus in Cancer-Associated Fibroblasts to Improve Cancer Therapy"
    assert stat3.value(FIGURE, DCTERMS.title) == Literal(title)
    caption = stat3.value(FIGURE, SCHEMA.caption)
    assert caption.startswith("Canonical and non-canonical STAT3 signaling. Binding of ligands")
    assert caption.endswith("production of reactive oxygen species (ROS).")
    assert stat3.value(FIGURE, SCHEMA.position) == Literal("F1")
    assert stat3.value(FIGURE, SCHEMA.image) == URIRef(
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8632218/bin/fimmu-12-767939-g001.jpg"
    )


def test_paper_doi_year_journal_and_publisher(stat3):
    assert (PAPER, RDF.type, SCHEMA.ScholarlyArticle) in stat3
    assert stat3.value(PAPER, BIBO.doi) == Literal("10.3389/fimmu.2021.767939")
    assert (PAPER, OWL.sameAs, URIRef("https://doi.org/10.3389/fimmu.2021.767939")) in stat3
    assert stat3.value(PAPER, SCHEMA.datePublished) == Literal("2021", datatype=XSD.gYear)
    assert stat3.value(PAPER, PRISM.publicationName) == Literal("Frontiers in Immunology")
    assert stat3.value(PAPER, FABIO.hasNLMJournalTitleAbbreviation) == Literal("Front Immunol")
    assert stat3.value(PAPER, PFOCR.publisherName) == Literal("Frontiers Media S.A.")
    assert stat3.value(PAPER, DCTERMS.title) == Literal(
        "Exploiting the STAT3 Nexus in Cancer-Associated Fibroblasts to Improve Cancer Therapy."
    )
    assert set(stat3.objects(PAPER, SCHEMA.keywords)) == {
        Literal("STAT (signal transducer and activator of transcription)"),
        Literal("tumor development"),
        Literal("cancer associated fibroblasts (CAF)"),
        Literal("cytokines"),
        Literal("tumor microenvironment"),
    }


def test_organisms_na_gives_no_organism_while_ner_gives_zebrafish(stat3):
    assert list(stat3.objects(FIGURE, PFOCR.organism)) == []
    assert list(stat3.objects(FIGURE, PFOCR.organismName)) == []
    assert list(stat3.objects(FIGURE, PFOCR.nerOrganism)) == [ZEBRAFISH]
    assert stat3.value(ZEBRAFISH, RDFS.label) == Literal("Danio rerio")
    assert (ZEBRAFISH, RDF.type, BIOLINK.OrganismTaxon) in stat3


@pytest.mark.parametrize(("word", "match", "source", "symbol", "gene_id"), GENES)
def test_each_gene_row_is_a_mention_with_its_evidence(stat3, word, match, source, symbol, gene_id):
    gene = URIRef(f"http://identifiers.org/ncbigene/{gene_id}")
    assert (FIGURE, SCHEMA.mentions, gene) in stat3
    assert (gene, RDF.type, BIOLINK.Gene) in stat3
    assert stat3.value(gene, RDFS.label) == Literal(symbol)
    assert stat3.value(gene, IN_TAXON) == ZEBRAFISH
    mentions = [
        m for m in stat3.objects(FIGURE, PFOCR.hasMention) if (m, PFOCR.mentionOf, gene) in stat3
    ]
    assert len(mentions) == 1
    mention = mentions[0]
    assert (mention, RDF.type, PFOCR.GeneMention) in stat3
    assert stat3.value(mention, PFOCR.ocrWord) == Literal(word)
    assert stat3.value(mention, PFOCR.matchedText) == Literal(match)
    assert stat3.value(mention, PFOCR.matchSource) == Literal(source)
    assert stat3.value(mention, PFOCR.evidenceOrigin) == Literal("genes-tsv")
    counts = [
        stat3.value(mention, p).toPython()
        for p in (PFOCR.countDirect, PFOCR.countSynonym, PFOCR.countMatch)
    ]
    assert counts == [1, 5, 3]


def test_exactly_the_six_tsv_genes_are_mentioned(stat3):
    mentioned = set(stat3.objects(FIGURE, SCHEMA.mentions))
    assert mentioned == {URIRef(f"http://identifiers.org/ncbigene/{g[4]}") for g in GENES}
    assert len(list(stat3.objects(FIGURE, PFOCR.hasMention))) == 6


def test_schema_org_jsonld_lands_on_the_figure_node(stat3):
    assert (FIGURE, RDF.type, SCHEMA.Dataset) in stat3
    assert stat3.value(FIGURE, SCHEMA.name) == Literal("CreativeWork")
    assert stat3.value(FIGURE, SCHEMA.license) == URIRef(
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert set(stat3.objects(FIGURE, SCHEMA.keywords)) == {
        Literal(s) for s in ("kita", "ngfra", "stat3", "stat1a", "stat1b", "stat4")
    }
    creator = stat3.value(FIGURE, SCHEMA.creator)
    assert isinstance(creator, URIRef)
    assert str(creator) == f"https://w3id.org/pfocr-kg/id/{STAT3_FIGID}/jsonld/b0"
    assert stat3.value(creator, SCHEMA.name) == Literal("WikiPathways")
    assert (creator, RDF.type, SCHEMA.Organization) in stat3


def test_graph_has_no_blank_nodes(stat3):
    assert not [t for t in stat3 if any(isinstance(term, rdflib.BNode) for term in t)]


def test_record_gives_exactly_this_many_triples(stat3):
    # figure fields 16 + (hasMention + mentions) 6 x 2 + JSON-LD 11 on the figure + creator 2
    # + mentions 6 x 9 + paper 15 + genes 6 x 3 + zebrafish 3
    assert len(stat3) == 16 + 12 + 11 + 2 + 54 + 15 + 18 + 3 == 131
