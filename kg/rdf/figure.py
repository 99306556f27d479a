"""Map one :class:`~kg.model.Figure` to the triples of the data model contract.

A figure's triples come in two parts. ``local`` triples describe nodes that belong to
this figure alone (the figure, its mentions, its skolemized JSON-LD nodes) and are written
as they come. ``shared`` triples describe papers, genes, taxa, chemicals and diseases that
other figures may state again; writers merge them so each is written once.

Example
-------
>>> from kg.model import Figure, Paper
>>> from kg.rdf.jsonld import JsonLdConverter, OfflineContextLoader
>>> mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
>>> graph = mapper.map(Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1"), title="A pathway"))
>>> len(graph.local), len(graph.shared)
(4, 2)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import pyoxigraph as ox

from kg.model import (
    ChemicalMention,
    DiseaseMention,
    Figure,
    GeneMention,
    OrganismRef,
    Paper,
    Problem,
)
from kg.rdf import iris
from kg.rdf.jsonld import JsonLdConverter
from kg.rdf.vocab import (
    BIBO,
    BIOLINK,
    DCTERMS,
    FABIO,
    OBO,
    OWL,
    PFOCR,
    PRISM,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)

__all__ = ["ENTITY_KINDS", "FigureGraph", "FigureMapper"]

ENTITY_KINDS = ("papers", "genes", "organisms", "chemicals", "diseases")
PMC_SITE = "https://www.ncbi.nlm.nih.gov"
# What a figlink or an image file name may hold and still be pasted into a PMC URL.
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~/-]+")


@dataclass(slots=True)
class FigureGraph:
    """Everything one figure states, ready for a writer."""

    figure: ox.NamedNode
    local: list[ox.Triple] = field(default_factory=list)
    shared: list[ox.Triple] = field(default_factory=list)
    entities: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in ENTITY_KINDS}
    )
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False
    # ``local`` as N-Triples, kept once made (a graph that crossed processes arrives so).
    ntriples: bytes | None = None

    def local_ntriples(self) -> bytes:
        """``local`` serialized as N-Triples (made once)."""
        if self.ntriples is None:
            self.ntriples = ox.serialize(self.local, format=ox.RdfFormat.N_TRIPLES)
        return self.ntriples

    def triples(self) -> list[ox.Triple]:
        """Local and shared triples together (shared ones may repeat other figures')."""
        return self.local + self.shared

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Triples cross process boundaries (parallel builds, the build cache) as N-Triples:
        # Oxigraph writes and reads them 30x faster than pickle handles its term objects.
        return (
            _graph_from_ntriples,
            (
                self.figure.value,
                self.local_ntriples(),
                ox.serialize(self.shared, format=ox.RdfFormat.N_TRIPLES),
                self.entities,
                self.problems,
                self.rejected,
            ),
        )


def _triples(data: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def _graph_from_ntriples(
    figure: str,
    local: bytes,
    shared: bytes,
    entities: dict[str, set[str]],
    problems: list[Problem],
    rejected: bool,
) -> FigureGraph:
    return FigureGraph(
        ox.NamedNode(figure), _triples(local), _triples(shared), entities, problems, rejected, local
    )


def _literal(value: str | int | float, datatype: ox.NamedNode | None = None) -> ox.Literal:
    if isinstance(value, bool):
        raise TypeError("booleans are not mapped")
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=XSD.double)
    return ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value)


def _evidence_key(mention: GeneMention | ChemicalMention | DiseaseMention) -> tuple[object, ...]:
    # dataclasses.astuple deep-copies every field; a flat read of the fields is ~10x faster.
    return tuple(getattr(mention, f.name) for f in fields(mention))


class _Triples:
    """Collects triples, skipping absent values, so mapping code reads as a list of facts."""

    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(
        self,
        subject: ox.NamedNode,
        predicate: ox.NamedNode,
        value: ox.NamedNode | str | float | None,
        datatype: ox.NamedNode | None = None,
    ) -> None:
        if value is None:
            return
        obj = value if isinstance(value, ox.NamedNode) else _literal(value, datatype)
        self.items.append(ox.Triple(subject, predicate, obj))

    def add_all(
        self, subject: ox.NamedNode, predicate: ox.NamedNode, values: Iterable[ox.NamedNode | str]
    ) -> None:
        for value in values:
            self.add(subject, predicate, value)


class FigureMapper:
    """Maps figure records to triples; holds only the (stateless) JSON-LD converter."""

    def __init__(self, jsonld: JsonLdConverter) -> None:
        self._jsonld = jsonld

    def map(self, figure: Figure) -> FigureGraph:
        """The triples stating ``figure``, its paper, mentions and the entities they name."""
        node = iris.figure(figure.figid)
        graph = FigureGraph(node)
        local, shared = _Triples(), _Triples()
        paper = self._paper(figure.paper, shared)
        graph.entities["papers"].add(paper.value)

        local.add(node, RDF.type, FABIO.Figure)
        local.add(node, DCTERMS.identifier, figure.figid)
        local.add(node, DCTERMS.isPartOf, paper)
        local.add(node, DCTERMS.title, figure.title)
        local.add(node, SCHEMA.caption, figure.caption)
        local.add(node, SCHEMA.position, figure.number)
        local.add(node, PFOCR.filename, figure.filename)
        local.add(node, PFOCR.figlink, figure.figlink)
        if (
            figure.figlink
            and figure.figlink.startswith("/")
            and _SAFE_PATH.fullmatch(figure.figlink)
        ):
            local.add(node, SCHEMA.url, ox.NamedNode(PMC_SITE + figure.figlink))
        if figure.filename and _SAFE_PATH.fullmatch(figure.filename) and "/" not in figure.filename:
            image = f"{PMC_SITE}/pmc/articles/{figure.paper.pmcid}/bin/{figure.filename}"
            local.add(node, SCHEMA.image, ox.NamedNode(image))
        local.add(node, PFOCR.figidAlias, figure.figid_alias)
        local.add(node, PFOCR.figType, figure.figtype)
        local.add_all(node, PFOCR.redirectFrom, figure.redirect_from)
        local.add(node, PFOCR.ndexId, figure.ndex)
        local.add(node, PFOCR.seo, figure.seo)
        local.add(node, PFOCR.wpid, figure.wpid)
        local.add(node, PFOCR.automlPathwayScore, figure.automl_pathway)
        local.add(node, PFOCR.pathwayScore, figure.pathway_score)
        local.add(node, PFOCR.pmcRankedResultIndex, figure.pmc_ranked_result_index)
        for refs, linked, named in (
            (figure.organisms, PFOCR.organism, PFOCR.organismName),
            (figure.organisms_ner, PFOCR.nerOrganism, PFOCR.nerOrganismName),
        ):
            for ref in refs:
                taxon = self._taxon(ref, shared, graph)
                if taxon is None:
                    local.add(node, named, ref.name)
                else:
                    local.add(node, linked, taxon)
        local.add_all(node, PFOCR.unresolvedGeneKeyword, figure.unresolved_keywords)

        for gene in figure.genes:
            self._gene_mention(figure.figid, node, gene, local, shared, graph)
        for term in (*figure.chemicals, *figure.diseases):
            self._term_mention(figure.figid, node, term, local, shared, graph)

        unmapped = {item.name: item.value for item in figure.unmapped}
        if figure.jsonld is not None:
            converted = self._jsonld.convert(figure.jsonld, figure.figid)
            own = f"{iris.ID_BASE}{figure.figid}/"
            for triple in converted.triples:
                subject = triple.subject.value
                # JSON-LD may describe outside nodes (a creator with its own @id) that other
                # figures describe too: those are shared, like genes.
                is_own = triple.subject == node or subject.startswith(own)
                (local if is_own else shared).items.append(triple)
            unmapped.update(converted.unmapped)
            graph.problems.extend(
                Problem(figure.source_file, name, message, severity)
                for name, message, severity in converted.problems
            )
            graph.rejected = converted.rejected
        for name, value in unmapped.items():
            text = json.dumps({name: value}, ensure_ascii=False, sort_keys=True, default=str)
            local.add(node, PFOCR.unmappedField, text, RDF.JSON)
        # A figure states some facts once per mention (figure mentions gene): keep one.
        # Subjects grouped (figure first, insertion order kept within a subject), so Turtle
        # writers can abbreviate each subject's description.
        unique = dict.fromkeys(local.items)
        graph.local = sorted(unique, key=lambda t: (t.subject != node, t.subject.value))
        graph.shared = list(dict.fromkeys(shared.items))
        return graph

    @staticmethod
    def _paper(paper: Paper, shared: _Triples) -> ox.NamedNode:
        node = iris.paper(paper.pmcid)
        shared.add(node, RDF.type, SCHEMA.ScholarlyArticle)
        shared.add(node, FABIO.hasPubMedCentralId, paper.pmcid)
        shared.add(node, DCTERMS.title, paper.title)
        shared.add(node, DCTERMS.bibliographicCitation, paper.reftext)
        shared.add(node, SCHEMA.datePublished, paper.year, XSD.gYear)
        if paper.doi:
            shared.add(node, BIBO.doi, paper.doi)
            shared.add(node, OWL.sameAs, iris.doi(paper.doi))
        shared.add(node, PRISM.publicationName, paper.journal_title)
        shared.add(node, FABIO.hasNLMJournalTitleAbbreviation, paper.journal_nlm_ta)
        shared.add(node, PFOCR.publisherName, paper.publisher_name)
        shared.add_all(node, SCHEMA.keywords, paper.keywords)
        return node

    @staticmethod
    def _taxon(
        ref: OrganismRef, shared: _Triples, graph: FigureGraph, group: str | None = None
    ) -> ox.NamedNode | None:
        if ref.taxon_id is None:
            return None
        node = iris.taxon(ref.taxon_id)
        shared.add(node, RDF.type, BIOLINK.OrganismTaxon)
        shared.add(node, RDFS.label, ref.scientific_name)
        shared.add(node, PFOCR.organismGroup, group)
        graph.entities["organisms"].add(node.value)
        return node

    def _gene_mention(
        self,
        figid: str,
        figure: ox.NamedNode,
        mention: GeneMention,
        local: _Triples,
        shared: _Triples,
        graph: FigureGraph,
    ) -> None:
        taxon = None
        if mention.taxon_id:
            ref = OrganismRef(mention.organism_name or "", mention.taxon_id, mention.organism_name)
            taxon = self._taxon(ref, shared, graph, mention.organism_group)
        gene = iris.gene(mention.gene_id) if mention.gene_id else None
        node = iris.mention(figid, "gene", mention.gene_id, _evidence_key(mention))
        self._evidence(figure, node, PFOCR.GeneMention, gene, mention, local)
        local.add(node, PFOCR.countDirect, mention.count_direct)
        local.add(node, PFOCR.countSynonym, mention.count_synonym)
        local.add(node, PFOCR.countMatch, mention.count_match)
        if gene is None:
            local.add(node, PFOCR.termName, mention.symbol)
            local.add(node, PFOCR.organism, taxon)
            return
        shared.add(gene, RDF.type, BIOLINK.Gene)
        shared.add(gene, RDFS.label, mention.symbol)
        shared.add(gene, OBO.RO_0002162, taxon)
        graph.entities["genes"].add(gene.value)

    def _term_mention(
        self,
        figid: str,
        figure: ox.NamedNode,
        mention: ChemicalMention | DiseaseMention,
        local: _Triples,
        shared: _Triples,
        graph: FigureGraph,
    ) -> None:
        if isinstance(mention, ChemicalMention):
            kind, cls, category, secondary = (
                "chemical",
                PFOCR.ChemicalMention,
                BIOLINK.ChemicalEntity,
                iris.chebi(mention.chebi_id) if mention.chebi_id else None,
            )
        else:
            kind, cls, category, secondary = (
                "disease",
                PFOCR.DiseaseMention,
                BIOLINK.Disease,
                iris.doid(mention.doid) if mention.doid else None,
            )
        primary = iris.mesh(mention.mesh_id) if mention.mesh_id else None
        target = primary or secondary
        local_id = mention.mesh_id or (target.value.rsplit("/", 1)[-1] if target else None)
        node = iris.mention(figid, kind, local_id, _evidence_key(mention))
        self._evidence(figure, node, cls, target, mention, local)
        local.add(node, PFOCR.termName, mention.name)
        for entity in (primary, secondary):
            if entity is not None:
                shared.add(entity, RDF.type, category)
                graph.entities[f"{kind}s"].add(entity.value)
        if secondary is not None:
            # `name` is the ChEBI / Disease Ontology name of the mapped term; `match` is the
            # MeSH text that matched, possibly an entry term, so it labels only the mention.
            shared.add(secondary, RDFS.label, mention.name)
        if primary is not None and secondary is not None:
            shared.add(primary, SKOS.exactMatch, secondary)

    @staticmethod
    def _evidence(
        figure: ox.NamedNode,
        node: ox.NamedNode,
        cls: ox.NamedNode,
        target: ox.NamedNode | None,
        mention: GeneMention | ChemicalMention | DiseaseMention,
        local: _Triples,
    ) -> None:
        local.add(figure, PFOCR.hasMention, node)
        local.add(figure, SCHEMA.mentions, target)
        local.add(node, RDF.type, cls)
        local.add(node, PFOCR.mentionOf, target)
        local.add(node, PFOCR.ocrWord, mention.word or None)
        local.add(node, PFOCR.matchedText, mention.match)
        local.add(node, PFOCR.matchSource, mention.source)
        local.add(node, PFOCR.evidenceOrigin, str(mention.origin))
