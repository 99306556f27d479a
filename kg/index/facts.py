"""What one figure's statements contribute to the answer index.

The build's workers map each record to statements (:mod:`kg.rdf.figure`); this module reads
those same statements back, with the meaning the named queries give them, into a small
:class:`FigureFacts`: the figure-gene pairs with their evidence tiers, the chemical and
disease mention keys, the paper, the organisms. It is a pure function of the statements, so
what the index holds is what the store holds (tests/index checks every answer against
SPARQL on the store).

Example
-------
>>> from kg.rdf.ntriples import iri, literal
>>> f, g, m = "<https://f>", "<http://identifiers.org/ncbigene/1>", "<https://m>"
>>> t = "<http://purl.obolibrary.org/obo/NCBITaxon_9606>"
>>> facts = figure_facts("https://f", [
...     (f, SCHEMA.nt.mentions, g), (g, RDF.nt.type, BIOLINK.nt.Gene),
...     (g, OBO.nt.RO_0002162, t), (g, RDFS.nt.label, literal("A1")),
...     (f, PFOCR.nt.hasMention, m), (m, PFOCR.nt.mentionOf, g),
...     (m, PFOCR.nt.matchSource, literal("hgnc_alias_symbol"))])
>>> facts.genes, facts.gene_about
([('http://identifiers.org/ncbigene/1', 2)], [('http://identifiers.org/ncbigene/1', 'A1', 'http://purl.obolibrary.org/obo/NCBITaxon_9606')])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.index.schema import COUNTED_CLASSES, TIER_BITS
from kg.rdf.ntriples import Statement
from kg.rdf.vocab import BIOLINK, DCTERMS, FABIO, OBO, PFOCR, PRISM, RDF, RDFS, SCHEMA, SKOS

__all__ = ["FigureFacts", "figure_facts", "term_value"]

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, code)


def term_value(term: str) -> str:
    """The value of an N-Triples term: an IRI, or a literal's lexical form.

    >>> term_value('"a \\\\"b\\\\""@en'), term_value("<http://x>")
    ('a "b"', 'http://x')
    """
    if term.startswith("<"):
        return term[1:-1]
    lexical = term[1 : term.rindex('"')]
    return _ESCAPE.sub(_unescape, lexical) if "\\" in lexical else lexical


@dataclass(slots=True)
class FigureFacts:
    """One figure's rows for the index (IRIs and text as plain values)."""

    figure: str
    figid: str | None = None
    title: str | None = None
    image: str | None = None
    paper: str | None = None
    # (year, journal, abbreviation) of the paper.
    paper_about: tuple[str | None, str | None, str | None] = (None, None, None)
    # (gene, tier bits) for each gene the figure mentions; (gene, symbol, taxon) for each.
    genes: list[tuple[str, int]] = field(default_factory=list)
    # (gene, word, matched text, source, origin, count direct, synonym, match) per mention.
    gene_mentions: list[tuple] = field(default_factory=list)
    gene_about: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # (taxon, 1 for pfocr:organism or 2 for pfocr:nerOrganism); (taxon, name).
    taxa: list[tuple[str, int]] = field(default_factory=list)
    taxon_names: list[tuple[str, str]] = field(default_factory=list)
    # (chemical, word, lower-cased word or matched text) and (disease, least matched text,
    # else least word) per mention; (term, name) of skos:exactMatch/rdfs:label. A term's
    # name may come from another figure's statements, so names are joined in the index.
    chemical_keys: list[tuple[str, str, str]] = field(default_factory=list)
    # (kind, term, word, matched text, source, origin) of each chemical and disease mention,
    # a row per combination of its values (``None`` where it has none), as a figure card
    # lists them (gene mentions are ``gene_mentions``).
    term_mentions: list[tuple] = field(default_factory=list)
    disease_labels: list[tuple[str, str]] = field(default_factory=list)
    term_names: list[tuple[str, str]] = field(default_factory=list)
    # chemicals the figure mentions; (chemical, least OCR word of its mentions).
    chemicals: list[str] = field(default_factory=list)
    chemical_words: list[tuple[str, str]] = field(default_factory=list)
    # (class, entity) of the counted classes; mentions by class (figure-scoped, summed).
    entities: list[tuple[str, str]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)


_WANTED = {
    term: term
    for term in (
        RDF.nt.type, SCHEMA.nt.mentions, DCTERMS.nt.identifier, DCTERMS.nt.title,
        DCTERMS.nt.isPartOf, SCHEMA.nt.datePublished, PRISM.nt.publicationName,
        FABIO.nt.hasNLMJournalTitleAbbreviation, RDFS.nt.label, OBO.nt.RO_0002162,
        PFOCR.nt.hasMention, PFOCR.nt.mentionOf, PFOCR.nt.matchSource, PFOCR.nt.ocrWord,
        PFOCR.nt.matchedText, PFOCR.nt.organism, PFOCR.nt.nerOrganism, SKOS.nt.exactMatch,
        PFOCR.nt.evidenceOrigin, PFOCR.nt.countDirect, PFOCR.nt.countSynonym,
        PFOCR.nt.countMatch, SCHEMA.nt.image,
    )
}  # fmt: skip
_GENE, _CHEMICAL, _DISEASE = BIOLINK.nt.Gene, BIOLINK.nt.ChemicalEntity, BIOLINK.nt.Disease
_CHEMICAL_MENTION, _DISEASE_MENTION = PFOCR.nt.ChemicalMention, PFOCR.nt.DiseaseMention
_MENTION_CLASSES = {
    f"<{cls}>" for cls in COUNTED_CLASSES if cls.startswith(PFOCR.base) and "Mention" in cls
}
_COUNTED = {f"<{cls}>" for cls in COUNTED_CLASSES} - _MENTION_CLASSES


class _Graph:
    """The figure's statements of interest, by subject and predicate."""

    def __init__(self, statements: Iterable[Statement]) -> None:
        self.out: dict[str, dict[str, list[str]]] = {}
        wanted = _WANTED
        for s, p, o in statements:
            if p in wanted:
                self.out.setdefault(s, {}).setdefault(p, []).append(o)

    def values(self, subject: str, predicate: str) -> list[str]:
        return self.out.get(subject, {}).get(predicate, [])

    def first(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return term_value(found[0]) if found else None

    def least(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return min(term_value(x) for x in found) if found else None

    def typed(self, subject: str, cls: str) -> bool:
        return cls in self.values(subject, RDF.nt.type)


def _passes(sources: list[str]) -> int:
    """The tier bits a mention with these match sources passes (see ``TIER_BITS``)."""
    values = {term_value(s) for s in sources}
    return sum(bit for excluded, bit in TIER_BITS.items() if not values & excluded)


def figure_facts(figure: str, statements: Iterable[Statement]) -> FigureFacts:
    """The index rows of the figure with IRI ``figure``, from all its statements (its own
    and the shared ones about its paper, genes, organisms, chemicals and diseases)."""
    graph = _Graph(statements)
    node = f"<{figure}>"
    facts = FigureFacts(figure)
    facts.figid = graph.first(node, DCTERMS.nt.identifier)
    facts.title = graph.first(node, DCTERMS.nt.title)
    facts.image = graph.first(node, SCHEMA.nt.image)
    paper = graph.values(node, DCTERMS.nt.isPartOf)
    if paper:
        facts.paper = term_value(paper[0])
        facts.paper_about = (
            graph.first(paper[0], SCHEMA.nt.datePublished),
            graph.first(paper[0], PRISM.nt.publicationName),
            graph.first(paper[0], FABIO.nt.hasNLMJournalTitleAbbreviation),
        )
    tiers: dict[str, int] = {}
    words: dict[str, list[str]] = {}
    for mention in graph.values(node, PFOCR.nt.hasMention):
        for target in graph.values(mention, PFOCR.nt.mentionOf):
            ocr = [term_value(w) for w in graph.values(mention, PFOCR.nt.ocrWord)]
            if graph.typed(target, _GENE):
                passed = _passes(graph.values(mention, PFOCR.nt.matchSource))
                tiers[target] = tiers.get(target, 0) | passed
                _gene_mention(facts, graph, mention, term_value(target), ocr)
            if ocr and graph.typed(target, _CHEMICAL):
                words.setdefault(target, []).extend(ocr)
            matched = [term_value(x) for x in graph.values(mention, PFOCR.nt.matchedText)]
            for kind, cls in (("chemical", _CHEMICAL_MENTION), ("disease", _DISEASE_MENTION)):
                if graph.typed(mention, cls):
                    _term_mention(facts, graph, mention, (kind, term_value(target)), ocr, matched)
            if not ocr:
                continue
            if graph.typed(mention, _CHEMICAL_MENTION):
                chemical = term_value(target)
                for word in ocr:
                    for text in (word, *matched):
                        facts.chemical_keys.append((chemical, word, text.lower()))
            if graph.typed(mention, _DISEASE_MENTION):
                facts.disease_labels.append((term_value(target), min(matched or ocr)))
    typed_genes = dict.fromkeys(tiers)
    for target in dict.fromkeys(graph.values(node, SCHEMA.nt.mentions)):
        if graph.typed(target, _GENE):
            facts.genes.append((term_value(target), tiers.get(target, 0)))
            typed_genes[target] = None
        if graph.typed(target, _CHEMICAL):
            facts.chemicals.append(term_value(target))
    facts.gene_about = [
        (term_value(g), graph.first(g, RDFS.nt.label), graph.first(g, OBO.nt.RO_0002162))
        for g in typed_genes
    ]
    for chemical, ocr in words.items():
        facts.chemical_words.append((term_value(chemical), min(ocr)))
    facts.term_names = sorted(
        {
            (term_value(term), term_value(name))
            for term, about in graph.out.items()
            for match in about.get(SKOS.nt.exactMatch, ())
            for name in graph.values(match, RDFS.nt.label)
        }
    )
    for kind, predicate in ((1, PFOCR.nt.organism), (2, PFOCR.nt.nerOrganism)):
        for taxon in dict.fromkeys(graph.values(node, predicate)):
            facts.taxa.append((term_value(taxon), kind))
            facts.taxon_names.extend(
                (term_value(taxon), term_value(name)) for name in graph.values(taxon, RDFS.nt.label)
            )
    facts.disease_labels = sorted(set(facts.disease_labels))
    facts.chemical_keys = sorted(set(facts.chemical_keys))
    for subject, about in graph.out.items():
        for cls in about.get(RDF.nt.type, ()):
            if cls in _COUNTED:
                facts.entities.append((term_value(cls), term_value(subject)))
            elif cls in _MENTION_CLASSES:
                name = term_value(cls)
                facts.mentions[name] = facts.mentions.get(name, 0) + 1
    return facts


def _term_mention(
    facts: FigureFacts,
    graph: _Graph,
    mention: str,
    about: tuple[str, str],
    ocr: list[str],
    matched: list[str],
) -> None:
    """The figure-card rows of one chemical or disease mention (``about``: kind, term)."""
    sources = [term_value(x) for x in graph.values(mention, PFOCR.nt.matchSource)]
    origins = [term_value(x) for x in graph.values(mention, PFOCR.nt.evidenceOrigin)]
    for word in ocr or [None]:
        for match in matched or [None]:
            for source in sources or [None]:
                for origin in origins or [None]:
                    facts.term_mentions.append((*about, word, match, source, origin))


def _gene_mention(
    facts: FigureFacts, graph: _Graph, mention: str, gene: str, ocr: list[str]
) -> None:
    """The mention-evidence rows of one gene mention (a word and an origin are required)."""
    origin = graph.first(mention, PFOCR.nt.evidenceOrigin)
    if origin is None:
        return
    values = [
        graph.first(mention, p)
        for p in (PFOCR.nt.matchedText, PFOCR.nt.matchSource, PFOCR.nt.countDirect,
                  PFOCR.nt.countSynonym, PFOCR.nt.countMatch)
    ]  # fmt: skip
    match, source = values[0], values[1]
    counts = [None if v is None else int(v) for v in values[2:]]
    for word in ocr:
        facts.gene_mentions.append((gene, word, match, source, origin, *counts))
