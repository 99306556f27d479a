"""Map one :class:`~kg.model.Figure` to the triples of the data model contract.

Triples are made as statements, N-Triples text (:mod:`kg.rdf.ntriples`), not term objects:
a figure states about a thousand facts and the build makes them for every figure. They
come in two parts. ``local`` statements describe nodes that belong to this figure alone
(the figure, its mentions, its skolemized JSON-LD nodes). ``shared`` statements describe
papers, genes, taxa, chemicals and diseases that other figures may state again; the build
keeps the first of each.

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
from operator import attrgetter, itemgetter
from typing import NamedTuple

import pyoxigraph as ox

from kg.model import (
    ChemicalMention,
    DiseaseMention,
    Figure,
    GeneMention,
    OrganismRef,
    Paper,
    Problem,
    Severity,
)
from kg.rdf import iris
from kg.rdf.jsonld import JsonLdConverter
from kg.rdf.ntriples import Statement, iri, literal, to_oxigraph
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

__all__ = [
    "ENTITY_KINDS",
    "MENTION_COUNTS",
    "MENTION_EVIDENCE",
    "FigureGraph",
    "FigureMapper",
    "MentionRecord",
    "evidence_key",
]

ENTITY_KINDS = ("papers", "genes", "organisms", "chemicals", "diseases")
# What a figlink or an image file name may hold and still be pasted into a PMC URL.
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~/-]+")
RDF_JSON = RDF.JSON.value
XSD_GYEAR = XSD.gYear.value
# The vocabulary as N-Triples terms: the mapper states about a thousand facts a figure.
_BIBO, _BIOLINK, _DCTERMS, _FABIO, _OBO, _OWL = (
    BIBO.nt,
    BIOLINK.nt,
    DCTERMS.nt,
    FABIO.nt,
    OBO.nt,
    OWL.nt,
)
_PFOCR, _PRISM, _RDF, _RDFS, _SCHEMA, _SKOS = (
    PFOCR.nt,
    PRISM.nt,
    RDF.nt,
    RDFS.nt,
    SCHEMA.nt,
    SKOS.nt,
)


class MentionRecord(NamedTuple):
    """What the mapper stated about one mention node, as values: the same facts as its
    statements, for readers that would otherwise parse them back (:mod:`kg.index.facts`).

    ``node``, ``cls`` and ``target`` are N-Triples terms (``target`` ``None`` when the
    mention names no entity); ``counts`` are a gene mention's direct, synonym and match
    counts (``None`` for chemical and disease mentions).
    """

    node: str
    cls: str
    target: str | None
    word: str | None
    match: str | None
    source: str | None
    origin: str
    counts: tuple[int | None, int | None, int | None] | None = None


@dataclass(slots=True)
class FigureGraph:
    """Everything one figure states, as statements (:mod:`kg.rdf.ntriples`).

    ``mentions`` restates what its statements say of its mentions, one record per mention
    node (nothing else states mention evidence: see :class:`FigureMapper`).
    """

    figure: str
    local: list[Statement] = field(default_factory=list)
    shared: list[Statement] = field(default_factory=list)
    entities: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in ENTITY_KINDS}
    )
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False
    mentions: list[MentionRecord] = field(default_factory=list)

    def statements(self) -> list[Statement]:
        """Local and shared statements together (shared ones may repeat other figures')."""
        return self.local + self.shared

    def triples(self) -> list[ox.Triple]:
        """:meth:`statements` as Oxigraph triples."""
        return to_oxigraph(self.statements())


# A mention's evidence, which only the mapper states (from the TSVs and keywords): the
# properties of a MentionRecord's target, word, match, source and origin, then its counts.
MENTION_EVIDENCE = (
    _PFOCR.mentionOf, _PFOCR.ocrWord, _PFOCR.matchedText, _PFOCR.matchSource,
    _PFOCR.evidenceOrigin,
)  # fmt: skip
MENTION_COUNTS = (_PFOCR.countDirect, _PFOCR.countSynonym, _PFOCR.countMatch)
_EVIDENCE_PREDICATES = frozenset((_PFOCR.hasMention, *MENTION_EVIDENCE, *MENTION_COUNTS))

# (dataclasses.astuple deep-copies every field, at ~10x the cost.)
_EVIDENCE = {
    cls: attrgetter(*(f.name for f in fields(cls)))
    for cls in (GeneMention, ChemicalMention, DiseaseMention)
}


def evidence_key(mention: GeneMention | ChemicalMention | DiseaseMention) -> tuple[object, ...]:
    """Every field of ``mention``, in order: the evidence its IRI covers (:func:`iris.mention`)."""
    return _EVIDENCE[type(mention)](mention)  # type: ignore[no-any-return]


# Short plain literals (OCR words, sources, symbols) and integers (mention counts) recur
# across mentions and figures; their N-Triples form is kept, up to this many, instead of
# made again.
_KEPT_LITERALS = 100_000
_SHORT_LITERAL = 40


class _Statements:
    """Collects statements, skipping absent values, so mapping code reads as a list of facts.

    Subjects, predicates and IRI objects are N-Triples terms (``<iri>``); other values become
    literals. ``stated`` lets a mapper state an entity's description once per figure.
    """

    __slots__ = ("_literals", "items", "stated")

    def __init__(self, literals: dict[str | int, str]) -> None:
        self.items: list[Statement] = []
        self.stated: set[tuple[str | None, ...]] = set()
        self._literals = literals

    def literal(self, value: str | int) -> str:
        """The literal of a text or an integer, kept when short (see ``_KEPT_LITERALS``)."""
        return self._literals.get(value) or self._literal(value, None)

    def _literal(self, value: str | float, datatype: str | None) -> str:
        if datatype is None and (
            value.__class__ is int or (isinstance(value, str) and len(value) <= _SHORT_LITERAL)
        ):
            text = self._literals.get(value)
            if text is None:
                text = literal(value)
                if len(self._literals) < _KEPT_LITERALS:
                    self._literals[value] = text
            return text
        return literal(value, datatype)

    def add(
        self, subject: str, predicate: str, value: str | float | None, datatype: str | None = None
    ) -> None:
        if value is None:
            return
        # The common case first, inline: a short plain literal already written once.
        text = self._literals.get(value) if datatype is None and value.__class__ is str else None
        self.items.append((subject, predicate, text or self._literal(value, datatype)))

    def add_all(self, subject: str, predicate: str, values: Iterable[str]) -> None:
        for value in values:
            self.items.append((subject, predicate, self._literal(value, None)))

    def link(self, subject: str, predicate: str, target: str | None) -> None:
        if target is not None:
            self.items.append((subject, predicate, target))


class FigureMapper:
    """Maps figure records to statements; holds the JSON-LD converter and, as a cache only,
    the N-Triples form of short literals it has met."""

    def __init__(self, jsonld: JsonLdConverter) -> None:
        self._jsonld = jsonld
        self._literals: dict[str | int, str] = {}

    def map(self, figure: Figure) -> FigureGraph:
        """The statements of ``figure``, its paper, mentions and the entities they name."""
        figure_iri = iris.figure(figure.figid)
        node = iri(figure_iri)
        graph = FigureGraph(figure_iri)
        local, shared = _Statements(self._literals), _Statements(self._literals)
        records: list[MentionRecord] = []
        paper_iri = self._paper(figure.paper, shared)
        graph.entities["papers"].add(paper_iri)
        paper = iri(paper_iri)

        local.link(node, _RDF.type, _FABIO.Figure)
        local.add(node, _DCTERMS.identifier, figure.figid)
        local.link(node, _DCTERMS.isPartOf, paper)
        local.add(node, _DCTERMS.title, figure.title)
        local.add(node, _SCHEMA.caption, figure.caption)
        local.add(node, _SCHEMA.position, figure.number)
        local.add(node, _PFOCR.filename, figure.filename)
        local.add(node, _PFOCR.figlink, figure.figlink)
        if (
            figure.figlink
            and figure.figlink.startswith("/")
            and _SAFE_PATH.fullmatch(figure.figlink)
        ):
            local.link(node, _SCHEMA.url, iri(iris.pmc_page(figure.figlink)))
        if figure.filename and _SAFE_PATH.fullmatch(figure.filename) and "/" not in figure.filename:
            image = iris.pmc_image(figure.paper.pmcid, figure.filename)
            local.link(node, _SCHEMA.image, iri(image))
        local.add(node, _PFOCR.figidAlias, figure.figid_alias)
        local.add(node, _PFOCR.figType, figure.figtype)
        local.add_all(node, _PFOCR.redirectFrom, figure.redirect_from)
        local.add(node, _PFOCR.ndexId, figure.ndex)
        local.add(node, _PFOCR.seo, figure.seo)
        local.add(node, _PFOCR.wpid, figure.wpid)
        local.add(node, _PFOCR.automlPathwayScore, figure.automl_pathway)
        local.add(node, _PFOCR.pathwayScore, figure.pathway_score)
        local.add(node, _PFOCR.pmcRankedResultIndex, figure.pmc_ranked_result_index)
        for refs, linked, named in (
            (figure.organisms, _PFOCR.organism, _PFOCR.organismName),
            (figure.organisms_ner, _PFOCR.nerOrganism, _PFOCR.nerOrganismName),
        ):
            for ref in refs:
                taxon = self._taxon(ref, shared, graph)
                if taxon is None:
                    local.add(node, named, ref.name)
                else:
                    local.link(node, linked, taxon)
        local.add_all(node, _PFOCR.unresolvedGeneKeyword, figure.unresolved_keywords)

        mint = iris.MentionIris(figure.figid)
        self._gene_mentions(figure.genes, mint, node, local, shared, graph, records)
        for term in (*figure.chemicals, *figure.diseases):
            self._term_mention(mint, node, term, local, shared, graph, records)
        # Identical evidence gives one node (and one record); first seen first.
        graph.mentions = list(dict.fromkeys(records))

        unmapped = {item.name: item.value for item in figure.unmapped}
        if figure.jsonld is not None:
            converted = self._jsonld.convert(figure.jsonld, figure.figid)
            own = f"<{iris.ID_BASE}{figure.figid}/"
            mention_nodes = f"{own}mention/"
            forged = 0
            for statement in converted.statements:
                subject = statement[0]
                # Mention evidence comes from the TSVs and gene keywords only: a JSON-LD
                # block that states it about any node, or describes a mention node, would
                # forge evidence.
                if statement[1] in _EVIDENCE_PREDICATES or subject.startswith(mention_nodes):
                    forged += 1
                    continue
                # JSON-LD may describe outside nodes (a creator with its own @id) that other
                # figures describe too: those are shared, like genes.
                is_own = subject == node or subject.startswith(own)
                (local if is_own else shared).items.append(statement)
            if forged:
                graph.problems.append(
                    Problem(
                        figure.source_file,
                        "schema-jsonld",
                        f"states mention evidence (pfocr-kg's own model); {forged} statements "
                        "dropped",
                        Severity.WARNING,
                    )
                )
            unmapped.update(converted.unmapped)
            graph.problems.extend(
                Problem(figure.source_file, name, message, severity)
                for name, message, severity in converted.problems
            )
            graph.rejected = converted.rejected
        for name, value in unmapped.items():
            text = json.dumps({name: value}, ensure_ascii=False, sort_keys=True, default=str)
            local.add(node, _PFOCR.unmappedField, text, RDF_JSON)
        # A figure states some facts once per mention (figure mentions gene): keep one.
        # Subjects grouped (figure first, insertion order kept within a subject), so Turtle
        # writers can abbreviate each subject's description.
        unique = dict.fromkeys(local.items)
        graph.local = [t for t in unique if t[0] == node]
        others = [t for t in unique if t[0] != node]
        others.sort(key=itemgetter(0))
        graph.local += others
        graph.shared = sorted(dict.fromkeys(shared.items), key=itemgetter(0))
        return graph

    @staticmethod
    def _paper(paper: Paper, shared: _Statements) -> str:
        paper_iri = iris.paper(paper.pmcid)
        node = iri(paper_iri)
        shared.link(node, _RDF.type, _SCHEMA.ScholarlyArticle)
        shared.add(node, _FABIO.hasPubMedCentralId, paper.pmcid)
        shared.add(node, _DCTERMS.title, paper.title)
        shared.add(node, _DCTERMS.bibliographicCitation, paper.reftext)
        shared.add(node, _SCHEMA.datePublished, paper.year, XSD_GYEAR)
        if paper.doi:
            shared.add(node, _BIBO.doi, paper.doi)
            shared.link(node, _OWL.sameAs, iri(iris.doi(paper.doi)))
        shared.add(node, _PRISM.publicationName, paper.journal_title)
        shared.add(node, _FABIO.hasNLMJournalTitleAbbreviation, paper.journal_nlm_ta)
        shared.add(node, _PFOCR.publisherName, paper.publisher_name)
        shared.add_all(node, _SCHEMA.keywords, paper.keywords)
        return paper_iri

    @staticmethod
    def _taxon(
        ref: OrganismRef, shared: _Statements, graph: FigureGraph, group: str | None = None
    ) -> str | None:
        if ref.taxon_id is None:
            return None
        taxon_iri = iris.taxon(ref.taxon_id)
        node = iri(taxon_iri)
        if (node, ref.scientific_name, group) in shared.stated:
            return node
        shared.stated.add((node, ref.scientific_name, group))
        shared.link(node, _RDF.type, _BIOLINK.OrganismTaxon)
        shared.add(node, _RDFS.label, ref.scientific_name)
        shared.add(node, _PFOCR.organismGroup, group)
        graph.entities["organisms"].add(taxon_iri)
        return node

    def _gene_mentions(
        self,
        mentions: Iterable[GeneMention],
        mint: iris.MentionIris,
        figure: str,
        local: _Statements,
        shared: _Statements,
        graph: FigureGraph,
        records: list[MentionRecord],
    ) -> None:
        """State each gene mention (most of a figure's statements), the genes and taxa.

        A figure has a few hundred gene rows of about ten statements each, so each figure's
        mention IRIs, taxa, gene IRIs and count literals are made once, not once a row.
        """
        append, evidence, known = local.items.append, self._evidence, local.literal
        taxa: dict[tuple[str | None, str | None, str | None], str | None] = {}
        genes: dict[str, tuple[str, str]] = {}
        stated, entities = shared.stated, graph.entities["genes"]
        rdf_type, cls = _RDF.type, _PFOCR.GeneMention
        for mention in mentions:
            taxon = None
            if mention.taxon_id:
                key = (mention.taxon_id, mention.organism_name, mention.organism_group)
                if key in taxa:
                    taxon = taxa[key]
                else:
                    ref = OrganismRef(
                        mention.organism_name or "", mention.taxon_id, mention.organism_name
                    )
                    taxon = taxa[key] = self._taxon(ref, shared, graph, mention.organism_group)
            gene_id = mention.gene_id
            gene = gene_iri = None
            if gene_id:
                if gene_id not in genes:
                    gene_iri = iris.gene(gene_id)
                    genes[gene_id] = (gene_iri, iri(gene_iri))
                gene_iri, gene = genes[gene_id]
            node = iri(mint("gene", gene_id, evidence_key(mention)))
            counts = (mention.count_direct, mention.count_synonym, mention.count_match)
            evidence(figure, node, cls, gene, mention, local, records, counts)
            for predicate, count in zip(MENTION_COUNTS, counts, strict=True):
                if count is not None:
                    append((node, predicate, known(count)))
            if gene is None or gene_iri is None:
                local.add(node, _PFOCR.termName, mention.symbol)
                local.link(node, _PFOCR.organism, taxon)
                continue
            if (gene, mention.symbol, taxon) in stated:
                continue
            stated.add((gene, mention.symbol, taxon))
            shared.link(gene, rdf_type, _BIOLINK.Gene)
            shared.add(gene, _RDFS.label, mention.symbol)
            shared.link(gene, _OBO.RO_0002162, taxon)
            entities.add(gene_iri)

    def _term_mention(
        self,
        mint: iris.MentionIris,
        figure: str,
        mention: ChemicalMention | DiseaseMention,
        local: _Statements,
        shared: _Statements,
        graph: FigureGraph,
        records: list[MentionRecord],
    ) -> None:
        if isinstance(mention, ChemicalMention):
            kind, cls, category, secondary = (
                "chemical",
                _PFOCR.ChemicalMention,
                _BIOLINK.ChemicalEntity,
                iris.chebi(mention.chebi_id) if mention.chebi_id else None,
            )
        else:
            kind, cls, category, secondary = (
                "disease",
                _PFOCR.DiseaseMention,
                _BIOLINK.Disease,
                iris.doid(mention.doid) if mention.doid else None,
            )
        primary = iris.mesh(mention.mesh_id) if mention.mesh_id else None
        target = primary or secondary
        local_id = mention.mesh_id or (target.rsplit("/", 1)[-1] if target else None)
        node = iri(mint(kind, local_id, evidence_key(mention)))
        self._evidence(figure, node, cls, iri(target) if target else None, mention, local, records)
        local.add(node, _PFOCR.termName, mention.name)
        for entity in (primary, secondary):
            if entity is not None:
                shared.link(iri(entity), _RDF.type, category)
                graph.entities[f"{kind}s"].add(entity)
        if secondary is not None:
            # `name` is the ChEBI / Disease Ontology name of the mapped term; `match` is the
            # MeSH text that matched, possibly an entry term, so it labels only the mention.
            shared.add(iri(secondary), _RDFS.label, mention.name)
        if primary is not None and secondary is not None:
            shared.link(iri(primary), _SKOS.exactMatch, iri(secondary))

    @staticmethod
    def _evidence(
        figure: str,
        node: str,
        cls: str,
        target: str | None,
        mention: GeneMention | ChemicalMention | DiseaseMention,
        local: _Statements,
        records: list[MentionRecord],
        counts: tuple[int | None, int | None, int | None] | None = None,
    ) -> None:
        """State a mention's evidence, and record it (:class:`MentionRecord`).

        Appended directly rather than through :meth:`_Statements.add`: it is most of a
        figure's statements (the same statements, in the same order).
        """
        append, known = local.items.append, local.literal
        word, match, source = mention.word or None, mention.match, mention.source
        origin = str(mention.origin)
        mention_of, ocr_word, matched_text, match_source, evidence_origin = MENTION_EVIDENCE
        append((figure, _PFOCR.hasMention, node))
        if target is not None:
            append((figure, _SCHEMA.mentions, target))
        append((node, _RDF.type, cls))
        if target is not None:
            append((node, mention_of, target))
        if word is not None:
            append((node, ocr_word, known(word)))
        if match is not None:
            append((node, matched_text, known(match)))
        if source is not None:
            append((node, match_source, known(source)))
        append((node, evidence_origin, known(origin)))
        records.append(MentionRecord(node, cls, target, word, match, source, origin, counts))
