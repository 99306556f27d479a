"""Every vocabulary term the graph uses, in one place, as Oxigraph named nodes.

Terms are reached as attributes of a :class:`Namespace` (``SCHEMA.mentions``), the way
``rdflib.namespace`` works, but they are :class:`pyoxigraph.NamedNode` objects because the
build writes through Oxigraph. The project's own terms (``PFOCR``) are closed: asking for a
term that ``ontology/pfocr-kg.ttl`` does not declare is an ``AttributeError``, and a test
checks that the two lists agree.

Example
-------
>>> str(SCHEMA.mentions)
'<http://schema.org/mentions>'
>>> PFOCR.ocrWord.value
'https://w3id.org/pfocr-kg/vocab#ocrWord'
>>> PFOCR.nt.ocrWord
'<https://w3id.org/pfocr-kg/vocab#ocrWord>'
"""

from __future__ import annotations

from functools import cache, cached_property

import pyoxigraph as ox

__all__ = [
    "BIBO",
    "BIOLINK",
    "DCAT",
    "DCTERMS",
    "FABIO",
    "OBO",
    "OWL",
    "PFOCR",
    "PREFIXES",
    "PRISM",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "VOID",
    "XSD",
    "NTriplesTerms",
    "Namespace",
]


class Namespace:
    """An IRI prefix whose attributes are the terms under it.

    ``terms`` closes the namespace: only those local names may be asked for.
    """

    def __init__(self, base: str, terms: frozenset[str] | None = None) -> None:
        self.base = base
        self.terms = terms

    @cache  # noqa: B019 - namespaces live as long as the module; the cache is bounded by terms
    def term(self, name: str) -> ox.NamedNode:
        if self.terms is not None and name not in self.terms:
            raise AttributeError(f"{name!r} is not a term of {self.base}")
        return ox.NamedNode(self.base + name)

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.term(name)

    @cached_property
    def nt(self) -> NTriplesTerms:
        """The same terms in N-Triples form (``<iri>``), for :mod:`kg.rdf.ntriples`."""
        return NTriplesTerms(self)

    def __repr__(self) -> str:
        return f"Namespace({self.base!r})"


class NTriplesTerms:
    """A namespace's terms as N-Triples text; each is made once, then read as an attribute."""

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        text = str(self._namespace.term(name))
        # Later reads find the attribute itself and skip this method: the mapper reads
        # these terms about a thousand times a figure.
        setattr(self, name, text)
        return text


PFOCR_TERMS = frozenset(
    {
        # classes
        "Mention", "GeneMention", "ChemicalMention", "DiseaseMention",
        # figure record fields without a standard property
        "figidAlias", "figType", "redirectFrom", "ndexId", "seo", "wpid",
        "filename", "figlink", "automlPathwayScore", "pathwayScore",
        "pmcRankedResultIndex", "unmappedField", "unresolvedGeneKeyword",
        # organisms
        "organism", "nerOrganism", "organismName", "nerOrganismName", "organismGroup",
        # paper
        "publisherName",
        # mentions and their evidence
        "hasMention", "mentionOf", "ocrWord", "matchedText", "matchSource", "termName",
        "countDirect", "countSynonym", "countMatch", "evidenceOrigin",
        # gene co-occurrence (kg.analysis)
        "CoOccurrence", "cooccurringGene", "sharedFigures", "jaccardIndex",
        "pointwiseMutualInformation", "normalizedPointwiseMutualInformation",
        "textMiningScore", "hypergeometricPValue", "benjaminiHochbergQValue",
    }
)  # fmt: skip

PFOCR = Namespace("https://w3id.org/pfocr-kg/vocab#", PFOCR_TERMS)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("http://schema.org/")
FABIO = Namespace("http://purl.org/spar/fabio/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
# Dataset descriptions (build's void.ttl), not the knowledge graph itself.
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

# Prefixes written into Turtle output, in this order. Data-instance prefixes (ncbigene,
# NCBITaxon, mesh, pfocrfig) make the file readable; they are the identifiers.org and OBO
# forms that WikiPathways RDF and the OBO Foundry use.
PREFIXES: dict[str, str] = {
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "owl": OWL.base,
    "xsd": XSD.base,
    "skos": SKOS.base,
    "dcterms": DCTERMS.base,
    "schema": SCHEMA.base,
    "fabio": FABIO.base,
    "prism": PRISM.base,
    "bibo": BIBO.base,
    "biolink": BIOLINK.base,
    "obo": OBO.base,
    "pfocr": PFOCR.base,
    "pfocrfig": "https://pfocr.wikipathways.org/figures/",
    "pmc": "http://identifiers.org/pmc/",
    "ncbigene": "http://identifiers.org/ncbigene/",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "mesh": "http://id.nlm.nih.gov/mesh/",
}
