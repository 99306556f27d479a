"""Plain typed records for PFOCR figures: what the sources read and the RDF stage maps.

Nothing here knows about files or RDF. Identifiers are kept as the bare local ids of their
standard (``"30767"`` for NCBI Gene, ``"D001920"`` for MeSH), and minted into IRIs only by
:mod:`kg.rdf`.

Example
-------
>>> paper = Paper(pmcid="PMC8632218", title="Exploiting the STAT3 Nexus")
>>> paper.pmcid
'PMC8632218'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "FAMILY_SOURCES",
    "FIGID_PATTERN",
    "MESH_PATTERN",
    "SYNONYM_SOURCES",
    "ChemicalMention",
    "DiseaseMention",
    "EvidenceOrigin",
    "Figure",
    "GeneMention",
    "OrganismRef",
    "Paper",
    "Problem",
    "Severity",
    "UnmappedField",
    "evidence_label",
    "excluded_sources",
]


# A figid is pasted into IRIs and file names: letters, digits and . _ - only.
FIGID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")
# MeSH descriptors (D), supplementary concepts (C) and qualifiers (Q): 6 or 9 digits.
MESH_PATTERN = re.compile(r"[CDQ](?:[0-9]{6}|[0-9]{9})")


class Severity(StrEnum):
    """How bad a problem is: an error loses or rejects input, a warning keeps it all."""

    ERROR = "error"
    WARNING = "warning"


# PFOCR's gene match sources, by how directly the OCR word names the gene: official symbols
# (the strict tier), synonyms and previous symbols, and family expansion (FamPlex).
SYNONYM_SOURCES = frozenset({"ncbigene_synonym", "hgnc_alias_symbol", "hgnc_prev_symbol"})
FAMILY_SOURCES = frozenset({"famplex_relations", "bioentities_symbol"})


def excluded_sources(synonyms: bool = False, families: bool = False) -> frozenset[str]:
    """The match sources whose evidence does not count, for the two exclusion choices.

    >>> sorted(excluded_sources(synonyms=True))
    ['hgnc_alias_symbol', 'hgnc_prev_symbol', 'ncbigene_synonym']
    """
    return (SYNONYM_SOURCES if synonyms else frozenset()) | (
        FAMILY_SOURCES if families else frozenset()
    )


def evidence_label(excluded: frozenset[str] | set[str] | tuple[str, ...] = ()) -> str:
    """How a result says which gene evidence it counted (PFOCR's tiers), for ``excluded``.

    >>> evidence_label(), evidence_label(SYNONYM_SOURCES | FAMILY_SOURCES)
    ('all evidence', 'official symbols only (synonym- and family-only matches left out)')
    """
    excluded = frozenset(excluded)
    synonyms, families = excluded >= SYNONYM_SOURCES, excluded >= FAMILY_SOURCES
    others = sorted(excluded - SYNONYM_SOURCES - FAMILY_SOURCES)
    if synonyms and families:
        label = "official symbols only (synonym- and family-only matches left out)"
    elif synonyms:
        label = "synonym-only matches left out"
    elif families:
        label = "family-only matches left out"
    else:
        label = "all evidence" if not excluded else ""
    if others or (excluded and not label):
        label = "; ".join(x for x in (label, "left out: " + ", ".join(others)) if x)
    return label


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    r"""``text`` on one line: control characters escaped, so no name can forge a line.

    >>> printable("bad\nname.md")
    'bad\\nname.md'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about one input: which file, which field, and why.

    A rejected record has at least one ``ERROR`` problem; a built record may carry warnings
    (an organism name with no taxon id, say) and errors for single fields that were kept
    as unmapped text instead of their typed form.
    """

    file: str
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def line(self) -> str:
        """The one-line form users read: ``file: field: message`` (see :func:`printable`)."""
        return printable(f"{self.file}: {self.field}: {self.message}")

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "field": self.field,
            "message": self.message,
            "severity": str(self.severity),
        }


class EvidenceOrigin(StrEnum):
    """Where a mention came from: which file kind, or which resolution step."""

    GENES_TSV = "genes-tsv"
    CHEMICALS_TSV = "chemicals-tsv"
    DISEASES_TSV = "diseases-tsv"
    FRONT_MATTER = "front-matter"
    KEYWORD_SYMBOL_INDEX = "keyword-symbol-index"


@dataclass(frozen=True, slots=True)
class OrganismRef:
    """An organism named by a record: its name and, when known, its NCBI Taxonomy id."""

    name: str
    taxon_id: str | None = None
    scientific_name: str | None = None


@dataclass(frozen=True, slots=True)
class GeneMention:
    """One OCR word of a figure matched to one NCBI Gene.

    ``gene_id`` is ``None`` when the source row names a symbol but no usable id; such a
    mention keeps its evidence but points at no gene.
    """

    word: str
    gene_id: str | None
    symbol: str | None
    taxon_id: str | None
    organism_name: str | None
    match: str | None = None
    source: str | None = None
    organism_group: str | None = None
    count_direct: int | None = None
    count_synonym: int | None = None
    count_match: int | None = None
    origin: EvidenceOrigin = EvidenceOrigin.GENES_TSV


@dataclass(frozen=True, slots=True)
class ChemicalMention:
    """One OCR word matched to a chemical by MeSH id and/or ChEBI number."""

    word: str
    mesh_id: str | None
    chebi_id: str | None = None
    match: str | None = None
    name: str | None = None
    source: str | None = None
    origin: EvidenceOrigin = EvidenceOrigin.CHEMICALS_TSV


@dataclass(frozen=True, slots=True)
class DiseaseMention:
    """One OCR word matched to a disease by MeSH id and/or Disease Ontology number."""

    word: str
    mesh_id: str | None
    doid: str | None = None
    match: str | None = None
    name: str | None = None
    source: str | None = None
    origin: EvidenceOrigin = EvidenceOrigin.DISEASES_TSV


@dataclass(frozen=True, slots=True)
class UnmappedField:
    """A front-matter field kept verbatim (as JSON) because it has no typed mapping."""

    name: str
    value: Any
    reason: str


@dataclass(frozen=True, slots=True)
class Paper:
    """The PubMed Central article a figure was published in."""

    pmcid: str
    title: str | None = None
    reftext: str | None = None
    year: str | None = None
    doi: str | None = None
    journal_title: str | None = None
    journal_nlm_ta: str | None = None
    publisher_name: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """One PFOCR figure record with everything its companions say about it."""

    figid: str
    source_file: str
    paper: Paper
    title: str | None = None
    caption: str | None = None
    number: str | None = None
    filename: str | None = None
    figlink: str | None = None
    figid_alias: str | None = None
    figtype: str | None = None
    redirect_from: tuple[str, ...] = ()
    ndex: str | None = None
    seo: str | None = None
    wpid: str | None = None
    automl_pathway: float | None = None
    pathway_score: float | None = None
    pmc_ranked_result_index: int | None = None
    organisms: tuple[OrganismRef, ...] = ()
    organisms_ner: tuple[OrganismRef, ...] = ()
    jsonld: dict[str, Any] | None = field(default=None, compare=False)
    gene_keywords: tuple[str, ...] = ()
    unresolved_keywords: tuple[str, ...] = ()
    genes: tuple[GeneMention, ...] = ()
    chemicals: tuple[ChemicalMention, ...] = ()
    diseases: tuple[DiseaseMention, ...] = ()
    unmapped: tuple[UnmappedField, ...] = ()
