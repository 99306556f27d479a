"""Mint the IRIs of the data model contract (``ontology/README.md``), and nothing else.

Every IRI the graph holds for a figure, paper, gene, organism, chemical, disease or mention
comes from a function here, so the contract lives in one module. Inputs are the bare local
ids that :mod:`kg.sources.identifiers` already validated; the functions check them again
because an id that reaches an IRI unchecked is how Turtle gets injected.

Example
-------
>>> gene("30767")
'http://identifiers.org/ncbigene/30767'
>>> taxon("7955")
'http://purl.obolibrary.org/obo/NCBITaxon_7955'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from kg.model import FIGID_PATTERN, MESH_PATTERN

__all__ = [
    "FIGURE_BASE",
    "GENE_BASE",
    "ID_BASE",
    "PFOCR_SITE",
    "PMC_SITE",
    "MentionIris",
    "chebi",
    "dataset",
    "doi",
    "doid",
    "figure",
    "figure_node",
    "gene",
    "gene_id",
    "mention",
    "mesh",
    "paper",
    "pmc_image",
    "pmc_page",
    "taxon",
]

PFOCR_SITE = "https://pfocr.wikipathways.org/"
FIGURE_BASE = f"{PFOCR_SITE}figures/"
ID_BASE = "https://w3id.org/pfocr-kg/id/"

_DIGITS = re.compile(r"[0-9]{1,12}")
_PMCID = re.compile(r"PMC[0-9]{1,10}")
_LABEL = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _checked(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"{value!r} is not a valid {what}")
    return value


def figure(figid: str) -> str:
    """The figure's page, which is also the ``@id`` of its schema.org JSON-LD."""
    return f"{FIGURE_BASE}{_checked(figid, FIGID_PATTERN, 'figid')}.html"


def figure_node(figid: str, *path: str) -> str:
    """A node that only exists within one figure's description (skolemized JSON-LD nodes)."""
    parts = "/".join([_checked(part, _LABEL, "path segment") for part in path])
    return f"{ID_BASE}{_checked(figid, FIGID_PATTERN, 'figid')}/{parts}"


def dataset() -> str:
    """The graph as a dataset (the subject of its VoID and DCAT description)."""
    return f"{ID_BASE}dataset"


def paper(pmcid: str) -> str:
    return f"http://identifiers.org/pmc/{_checked(pmcid, _PMCID, 'PMCID')}"


GENE_BASE = "http://identifiers.org/ncbigene/"
PMC_SITE = "https://www.ncbi.nlm.nih.gov"


def gene(gene_id: str) -> str:
    return f"{GENE_BASE}{_checked(gene_id, _DIGITS, 'NCBI Gene id')}"


def gene_id(gene_iri: str) -> str | None:
    """The NCBI Gene id of a gene IRI (``gene``'s reverse), or ``None`` for another IRI.

    >>> gene_id(gene("6774")), gene_id("symbol:STAT3")
    ('6774', None)
    """
    local = gene_iri.removeprefix(GENE_BASE)
    return local if local != gene_iri and _DIGITS.fullmatch(local) else None


def pmc_page(figlink: str) -> str:
    """The figure's page at PMC, from the record's ``figlink`` path."""
    return PMC_SITE + figlink


def pmc_image(pmcid: str, filename: str) -> str:
    """The figure's image file at PMC."""
    return f"{PMC_SITE}/pmc/articles/{_checked(pmcid, _PMCID, 'PMCID')}/bin/{filename}"


def taxon(taxon_id: str) -> str:
    local = _checked(taxon_id, _DIGITS, "NCBI Taxonomy id")
    return f"http://purl.obolibrary.org/obo/NCBITaxon_{local}"


def mesh(mesh_id: str) -> str:
    return f"http://id.nlm.nih.gov/mesh/{_checked(mesh_id, MESH_PATTERN, 'MeSH id')}"


def chebi(number: str) -> str:
    return f"http://purl.obolibrary.org/obo/CHEBI_{_checked(number, _DIGITS, 'ChEBI id')}"


def doid(number: str) -> str:
    return f"http://purl.obolibrary.org/obo/DOID_{_checked(number, _DIGITS, 'Disease Ontology id')}"


def doi(value: str) -> str:
    """``https://doi.org/{doi}``, with the characters an IRI cannot hold percent-encoded.

    DOIs may contain ``<``, ``>``, ``"``, spaces and other characters that are not allowed
    raw in an IRI; encoding them keeps the IRI valid and resolvable.
    """
    safe = "".join(
        char
        if char.isascii() and (char.isalnum() or char in "-._~/:;()[]+,=!*$'@&")
        else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in value
    )
    return f"https://doi.org/{safe}"


def mention(figid: str, kind: str, target: str | None, evidence: Iterable[object]) -> str:
    """A mention node: deterministic from the figure, its target and all its evidence.

    The same evidence always gives the same IRI (so identical rows merge); any difference
    in word, match, source, counts or origin gives another.
    """
    return MentionIris(figid)(kind, target, evidence)


class MentionIris:
    """The mention IRIs (:func:`mention`) of the figure ``figid``, its figid checked once:
    a figure with hundreds of gene rows mints them all with one of these.

    >>> mint = MentionIris("PMC1__f1")
    >>> mint("gene", "7157", ["TP53", 2]) == mention("PMC1__f1", "gene", "7157", ["TP53", 2])
    True
    """

    __slots__ = ("_base",)

    def __init__(self, figid: str) -> None:
        self._base = f"{ID_BASE}{_checked(figid, FIGID_PATTERN, 'figid')}/mention/"

    def __call__(self, kind: str, target: str | None, evidence: Iterable[object]) -> str:
        text = "\x1f".join(["" if value is None else str(value) for value in evidence])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        label = f"{kind}-{target or 'unresolved'}-{digest}"
        return self._base + _checked(label, _LABEL, "path segment")
