"""What one figure's statements contribute to the answer index.

The build's workers map each record to statements (:mod:`kg.rdf.figure`); this module reads
those same statements back, with the meaning the named queries give them, into a small
:class:`FigureFacts`: the figure-gene pairs with their evidence tiers, the chemical and
disease mention keys, the paper, the organisms. Mention evidence, most of a figure's
statements, comes as the mapper's :class:`~kg.rdf.figure.MentionRecord` list, which
restates those statements as values (:func:`mention_records` reads the same list back from
them; tests hold the two equal), so it is not parsed again. What the index holds is what the
store holds: tests/index checks every answer against SPARQL on the store.

Example
-------
>>> from kg.rdf.ntriples import iri, literal
>>> f, g, m = "<https://f>", "<http://identifiers.org/ncbigene/1>", "<https://m>"
>>> t = "<http://purl.obolibrary.org/obo/NCBITaxon_9606>"
>>> statements = [
...     (f, SCHEMA.nt.mentions, g), (g, RDF.nt.type, BIOLINK.nt.Gene),
...     (g, OBO.nt.RO_0002162, t), (g, RDFS.nt.label, literal("A1")),
...     (f, PFOCR.nt.hasMention, m), (m, PFOCR.nt.mentionOf, g),
...     (m, PFOCR.nt.matchSource, literal("hgnc_alias_symbol"))]
>>> facts = figure_facts("https://f", statements, mention_records("https://f", statements))
>>> facts.genes, facts.gene_about
([('http://identifiers.org/ncbigene/1', 2)], [('http://identifiers.org/ncbigene/1', 'A1', 'http://purl.obolibrary.org/obo/NCBITaxon_9606')])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.index.schema import COUNTED_CLASSES, TIER_BITS
from kg.rdf.figure import MENTION_COUNTS, MENTION_EVIDENCE, MentionRecord
from kg.rdf.ntriples import Statement
from kg.rdf.vocab import BIOLINK, DCTERMS, FABIO, OBO, PFOCR, PRISM, RDF, RDFS, SCHEMA, SKOS

__all__ = ["FigureFacts", "figure_facts", "mention_records", "term_value"]

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
        PFOCR.nt.organism, PFOCR.nt.nerOrganism, SKOS.nt.exactMatch, SCHEMA.nt.image,
    )
}  # fmt: skip
# What mention nodes state is read back only for figures that come from the build cache.
_EVIDENCE_WANTED = {
    t: t for t in (RDF.nt.type, PFOCR.nt.hasMention, *MENTION_EVIDENCE, *MENTION_COUNTS)
}
_GENE, _CHEMICAL, _DISEASE = BIOLINK.nt.Gene, BIOLINK.nt.ChemicalEntity, BIOLINK.nt.Disease
_TERM_KINDS = {PFOCR.nt.ChemicalMention: "chemical", PFOCR.nt.DiseaseMention: "disease"}
_MENTION_CLASSES = {
    f"<{cls}>" for cls in COUNTED_CLASSES if cls.startswith(PFOCR.base) and "Mention" in cls
}
_COUNTED = {f"<{cls}>" for cls in COUNTED_CLASSES} - _MENTION_CLASSES


class _Graph:
    """The figure's statements of interest, by subject and predicate."""

    def __init__(self, statements: Iterable[Statement], wanted: dict[str, str]) -> None:
        self.out: dict[str, dict[str, list[str]]] = {}
        out = self.out
        for s, p, o in statements:
            if p in wanted:
                about = out.get(s)
                if about is None:
                    out[s] = {p: [o]}
                elif p in about:
                    about[p].append(o)
                else:
                    about[p] = [o]

    def values(self, subject: str, predicate: str) -> list[str]:
        return self.out.get(subject, {}).get(predicate, [])

    def first(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return term_value(found[0]) if found else None

    def typed(self, subject: str, cls: str) -> bool:
        return cls in self.values(subject, RDF.nt.type)


def _passes(source: str | None) -> int:
    """The tier bits a mention with this match source passes (see ``TIER_BITS``)."""
    return sum(bit for excluded, bit in TIER_BITS.items() if source not in excluded)


def mention_records(figure: str, statements: Iterable[Statement]) -> list[MentionRecord]:
    """The mention records of the figure with IRI ``figure``, read back from its statements:
    what :class:`~kg.rdf.figure.FigureMapper` records as it states them (for a figure that
    comes back from the build cache as statements only)."""
    graph = _Graph(statements, _EVIDENCE_WANTED)
    records = []
    for mention in graph.values(f"<{figure}>", PFOCR.nt.hasMention):
        target, word, match, source, origin = (
            found[0] if found else None
            for found in (graph.values(mention, p) for p in MENTION_EVIDENCE)
        )
        classes = graph.values(mention, RDF.nt.type)
        counts = None
        if PFOCR.nt.GeneMention in classes:
            values = [graph.first(mention, p) for p in MENTION_COUNTS]
            counts = (*(None if v is None else int(v) for v in values),)
        word, match, source = (None if x is None else term_value(x) for x in (word, match, source))
        records.append(
            MentionRecord(
                mention,
                classes[0] if classes else "",
                target,
                word,
                match,
                source,
                "" if origin is None else term_value(origin),
                counts,  # type: ignore[arg-type]
            )
        )
    return records


def figure_facts(
    figure: str, statements: Iterable[Statement], mentions: Iterable[MentionRecord]
) -> FigureFacts:
    """The index rows of the figure with IRI ``figure``, from all its statements (its own
    and the shared ones about its paper, genes, organisms, chemicals and diseases) and the
    records of its mentions (:attr:`kg.rdf.figure.FigureGraph.mentions`)."""
    graph = _Graph(statements, _WANTED)
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
    # A figure's mentions name few distinct targets and sources: each is looked at once.
    targets: dict[str, tuple[str, bool, bool]] = {}
    passes: dict[str | None, int] = {}
    for mention in mentions:
        target = mention.target
        if target is None:
            continue
        about = targets.get(target)
        if about is None:
            about = targets[target] = (
                term_value(target),
                graph.typed(target, _GENE),
                graph.typed(target, _CHEMICAL),
            )
        value, is_gene, is_chemical = about
        word = mention.word
        if is_gene:
            bits = passes.get(mention.source)
            if bits is None:
                bits = passes[mention.source] = _passes(mention.source)
            tiers[target] = tiers.get(target, 0) | bits
            if mention.origin and word is not None:
                counts = mention.counts or (None, None, None)
                facts.gene_mentions.append(
                    (value, word, mention.match, mention.source, mention.origin, *counts)
                )
        if word is not None and is_chemical:
            words.setdefault(target, []).append(word)
        kind = _TERM_KINDS.get(mention.cls)
        if kind is not None:
            facts.term_mentions.append(
                (kind, value, word, mention.match, mention.source, mention.origin or None)
            )
        if word is None:
            continue
        if kind == "chemical":
            facts.chemical_keys.append((value, word, word.lower()))
            if mention.match is not None:
                facts.chemical_keys.append((value, word, mention.match.lower()))
        if kind == "disease":
            facts.disease_labels.append((value, word if mention.match is None else mention.match))

    def value_of(term: str) -> str:
        about = targets.get(term)
        return about[0] if about is not None else term_value(term)

    typed_genes = dict.fromkeys(tiers)
    for target in dict.fromkeys(graph.values(node, SCHEMA.nt.mentions)):
        if graph.typed(target, _GENE):
            facts.genes.append((value_of(target), tiers.get(target, 0)))
            typed_genes[target] = None
        if graph.typed(target, _CHEMICAL):
            facts.chemicals.append(term_value(target))
    facts.gene_about = [
        (value_of(g), graph.first(g, RDFS.nt.label), graph.first(g, OBO.nt.RO_0002162))
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
    mentioned: dict[str, int] = {}
    for subject, about in graph.out.items():
        for cls in about.get(RDF.nt.type, ()):
            if cls in _COUNTED:
                facts.entities.append((term_value(cls), value_of(subject)))
            elif cls in _MENTION_CLASSES:
                mentioned[cls] = mentioned.get(cls, 0) + 1
    facts.mentions = {term_value(cls): count for cls, count in mentioned.items()}
    return facts
