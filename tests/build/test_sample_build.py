"""The whole bundled sample, built once: every TSV row, the old record format, and the counts."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

import kg
from tests.conftest import DATA, figure_iri

PFOCR_NS = "https://w3id.org/pfocr-kg/vocab#"
PREFIXES = """
PREFIX pfocr: <https://w3id.org/pfocr-kg/vocab#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
"""


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text("utf-8").replace("\r\n", "\n")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _figid(path: Path, kind: str) -> str:
    return path.name.removesuffix(f"-{kind}.tsv")


def test_build_reads_and_builds_every_sample_record(sample_build):
    report, _ = sample_build
    assert (report.records_found, report.records_built, report.records_rejected) == (68, 68, 0)
    assert report.errors == []


def test_report_counts_match_the_graph(sample_build, sample_graph):
    report, out = sample_build
    saved = json.loads((out / "build-report.json").read_text())
    assert saved["triples"] == report.triples == len(sample_graph)
    assert saved["records"] == {"read": 68, "built": 68, "rejected": 0}
    for kind, cls in (
        ("papers", "http://schema.org/ScholarlyArticle"),
        ("genes", "https://w3id.org/biolink/vocab/Gene"),
        ("organisms", "https://w3id.org/biolink/vocab/OrganismTaxon"),
        ("chemicals", "https://w3id.org/biolink/vocab/ChemicalEntity"),
        ("diseases", "https://w3id.org/biolink/vocab/Disease"),
    ):
        in_graph = set(sample_graph.subjects(rdflib.RDF.type, URIRef(cls)))
        assert saved["entities"][kind] == len(in_graph), kind
    assert saved["entities"]["papers"] == 65  # 68 figures from 65 papers


def test_every_genes_tsv_row_is_a_mention_with_its_gene_and_taxon(sample_graph):
    built = {
        (str(fig), str(word), str(gene), str(taxon))
        for fig, word, gene, taxon in sample_graph.query(
            PREFIXES
            + """
            SELECT ?fig ?word ?gene ?taxon WHERE {
              ?fig pfocr:hasMention ?m . ?m pfocr:evidenceOrigin "genes-tsv" ;
                 pfocr:ocrWord ?word ; pfocr:mentionOf ?gene . ?gene obo:RO_0002162 ?taxon }"""
        )
    }
    expected = set()
    tsvs = sorted(DATA.glob("*-genes.tsv"))
    assert len(tsvs) == 59
    for path in tsvs:
        fig = str(figure_iri(_figid(path, "genes")))
        for row in _rows(path):
            if row["ncbigene_id"].strip().isdigit():
                expected.add(
                    (
                        fig,
                        _norm(row["word"]),
                        f"http://identifiers.org/ncbigene/{row['ncbigene_id'].strip()}",
                        f"http://purl.obolibrary.org/obo/NCBITaxon_{row['organism_id'].strip()}",
                    )
                )
    assert len(expected) == 3740
    assert expected == built


def test_gene_rows_without_an_id_keep_their_evidence_and_organism(sample_graph):
    fig = figure_iri("PMC2801177__ehp-117-1745f3")
    rows = sample_graph.query(
        PREFIXES
        + """
        SELECT ?word ?source ?taxon WHERE {
          ?fig pfocr:hasMention ?m . ?m pfocr:ocrWord ?word ; pfocr:matchSource ?source ;
             pfocr:organism ?taxon . FILTER NOT EXISTS { ?m pfocr:mentionOf ?any } }""",
        initBindings={"fig": fig},
    )
    assert {(str(w), str(s), str(t)) for w, s, t in rows} == {
        ("Histone", "famplex_relations", "http://purl.obolibrary.org/obo/NCBITaxon_9606")
    }


@pytest.mark.parametrize(
    ("kind", "second", "second_iri"),
    [
        ("chemicals", "chebi", "http://purl.obolibrary.org/obo/CHEBI_"),
        ("diseases", "doid", "http://purl.obolibrary.org/obo/DOID_"),
    ],
)
def test_every_chemical_and_disease_row_is_a_mention(sample_graph, kind, second, second_iri):
    origin = f"{kind}-tsv"
    built = {
        (str(fig), str(word), str(target))
        for fig, word, target in sample_graph.query(
            PREFIXES
            + f"""
            SELECT ?fig ?word ?target WHERE {{
              ?fig pfocr:hasMention ?m . ?m pfocr:evidenceOrigin "{origin}" ;
                 pfocr:ocrWord ?word ; pfocr:mentionOf ?target .
              ?fig schema:mentions ?target }}"""
        )
    }
    expected, links = set(), set()
    for path in sorted(DATA.glob(f"*-{kind}.tsv")):
        fig = str(figure_iri(_figid(path, kind)))
        for row in _rows(path):
            mesh = (row.get("mesh") or row.get("identifier") or "NA").strip().removeprefix("mesh:")
            other = (row.get(second) or "NA").strip().removeprefix(f"{second}:")
            if mesh != "NA":
                expected.add((fig, _norm(row["word"]), f"http://id.nlm.nih.gov/mesh/{mesh}"))
                if other != "NA":
                    links.add((f"http://id.nlm.nih.gov/mesh/{mesh}", second_iri + other))
    assert expected and expected == built
    exact = {
        (str(a), str(b))
        for a, b in sample_graph.subject_objects(
            URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
        )
        if str(b).startswith(second_iri)
    }
    assert links == exact


def _without(pfocr_copy, figid: str, kind: str) -> rdflib.Graph:
    """The record built from a copy without its ``kind`` TSV, so its embedded list counts."""
    root = pfocr_copy(figid)
    (root / "_data" / f"{figid}-{kind}.tsv").unlink()
    out = root.parent / "out"
    kg.build([root], out)
    return rdflib.Graph().parse(out / "pfocr.ttl")


def test_an_embedded_gene_list_is_superseded_by_the_genes_tsv(sample_build, sample_graph):
    fig = figure_iri("PMC100003__mb2410470011")
    gene_mention = rdflib.URIRef(PFOCR_NS + "GeneMention")
    origins = {
        str(o)
        for m in sample_graph.objects(fig, rdflib.URIRef(PFOCR_NS + "hasMention"))
        if (m, rdflib.RDF.type, gene_mention) in sample_graph
        for o in sample_graph.objects(m, rdflib.URIRef(PFOCR_NS + "evidenceOrigin"))
    }
    assert origins == {"genes-tsv"}  # its embedded chemicals stay: it has no chemicals TSV
    report = json.loads((sample_build[1] / "build-report.json").read_text())
    assert report["legacy_mentions_superseded_by_tsv"] == {
        "chemical": 43,
        "disease": 2,
        "gene": 476,
    }


def test_old_record_format_maps_embedded_genes_by_entrez_id(pfocr_copy):
    sample_graph = _without(pfocr_copy, "PMC100003__mb2410470011", "genes")
    fig = figure_iri("PMC100003__mb2410470011")
    rows = sample_graph.query(
        PREFIXES
        + """
        SELECT ?word ?match ?source ?gene ?label ?taxon WHERE {
          ?fig pfocr:hasMention ?m . ?m pfocr:evidenceOrigin "front-matter" ;
             pfocr:ocrWord ?word ; pfocr:matchedText ?match ; pfocr:matchSource ?source ;
             pfocr:mentionOf ?gene . ?gene rdfs:label ?label ; obo:RO_0002162 ?taxon }""",
        initBindings={"fig": fig},
    )
    human = "http://purl.obolibrary.org/obo/NCBITaxon_9606"
    gene = "http://identifiers.org/ncbigene/"
    assert {tuple(map(str, r)) for r in rows} == {
        ("Ga12,Gaq", "G-ALPHA-q", "hgnc_alias_symbol", gene + "2776", "GNAQ", human),
        ("Etk", "ETK", "hgnc_alias_symbol", gene + "660", "BMX", human),
        ("FAK", "FAK", "hgnc_alias_symbol", gene + "5747", "PTK2", human),
        ("AR*", "AR", "hgnc_symbol", gene + "367", "AR", human),
        ("(Src", "SRC", "hgnc_symbol", gene + "6714", "SRC", human),
    }


def test_old_record_format_maps_embedded_chemicals_and_keeps_unidentified_diseases(pfocr_copy):
    sample_graph = _without(pfocr_copy, "PMC100008__mb2411709009", "chemicals")
    fig = figure_iri("PMC100008__mb2411709009")
    chemicals = sample_graph.query(
        PREFIXES
        + """
        SELECT ?word ?target WHERE { ?fig pfocr:hasMention ?m .
          ?m a pfocr:ChemicalMention ; pfocr:evidenceOrigin "front-matter" ;
             pfocr:ocrWord ?word ; pfocr:mentionOf ?target }""",
        initBindings={"fig": fig},
    )
    assert {(str(w), str(t)) for w, t in chemicals} == {
        ("Bradykinin", "http://id.nlm.nih.gov/mesh/D001920"),
        ("Isoproterenol", "http://id.nlm.nih.gov/mesh/D007545"),
    }
    diseases = sample_graph.query(
        PREFIXES
        + """
        SELECT ?word ?target WHERE { ?fig pfocr:hasMention ?m . ?m a pfocr:DiseaseMention ;
             pfocr:ocrWord ?word . OPTIONAL { ?m pfocr:mentionOf ?target } }""",
        initBindings={"fig": fig},
    )
    assert [(str(w), t) for w, t in diseases] == [("Cancer", None)]


def test_old_record_scores_are_typed(sample_graph):
    fig = figure_iri("PMC100003__mb2410470011")
    pfocr = rdflib.Namespace("https://w3id.org/pfocr-kg/vocab#")
    assert sample_graph.value(fig, pfocr.pathwayScore) == Literal(
        "0.9537671", datatype=rdflib.XSD.double
    )
    assert sample_graph.value(fig, pfocr.pmcRankedResultIndex).toPython() == 14449


def test_keywords_of_a_record_without_genes_tsv_resolve_through_the_symbol_index(
    sample_build, sample_graph
):
    report, _ = sample_build
    fig = figure_iri("PMC4110042__ppat.1004265.g002")
    rows = sample_graph.query(
        PREFIXES
        + """
        SELECT ?word ?gene WHERE { ?fig pfocr:hasMention ?m .
          ?m pfocr:evidenceOrigin "keyword-symbol-index" ; pfocr:ocrWord ?word ;
             pfocr:mentionOf ?gene }""",
        initBindings={"fig": fig},
    )
    resolved = {str(w): str(g).rsplit("/", 1)[1] for w, g in rows}
    # FOLR1 is 2348 in the human rows of PMC2858440's genes TSV; FBP1 and APRT likewise.
    assert resolved["FOLR1"] == "2348"
    assert resolved["FBP1"] == "2203"
    assert resolved["APRT"] == "353"
    unresolved = {
        str(k)
        for k in sample_graph.objects(
            fig, URIRef("https://w3id.org/pfocr-kg/vocab#unresolvedGeneKeyword")
        )
    }
    assert "IMPA1" in unresolved and "FOLR1" not in unresolved
    assert report.gene_keywords_resolved == 21
    assert report.gene_keywords_unresolved == 90


def test_unknown_organism_names_are_kept_as_literals_and_reported(sample_build, sample_graph):
    report, _ = sample_build
    fig = figure_iri("PMC10037252__WJG-29-1569-g002")
    names = {
        str(n)
        for n in sample_graph.objects(fig, URIRef("https://w3id.org/pfocr-kg/vocab#organismName"))
    }
    reported = {w.message.split("'")[1] for w in report.warnings if w.field == "organisms"}
    assert names == {"Rat sarcoma virus"}
    assert names <= reported
    human = URIRef("http://purl.obolibrary.org/obo/NCBITaxon_9606")
    assert (fig, URIRef("https://w3id.org/pfocr-kg/vocab#organism"), human) in sample_graph
