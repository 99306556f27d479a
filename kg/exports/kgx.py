"""The graph as KGX TSV (``nodes.tsv`` + ``edges.tsv``), the Biolink interchange format.

Nodes carry Biolink categories (``biolink:Gene``, ``biolink:OrganismTaxon``,
``biolink:ChemicalEntity``, ``biolink:Disease``, and ``biolink:Publication`` for papers and for
figures, which Biolink counts as a part of a publication of knowledge scope, told apart by
``publication_type``: ``fabio:JournalArticle`` or ``fabio:Figure``). Identifiers are CURIEs
made with the prefix map ``ontology/prefixes.json`` through the ``curies`` package. Edges use
Biolink predicates: figure ``biolink:mentions`` gene, chemical or disease (found by OCR of the
figure image: ``image_processing_agent``), gene ``biolink:in_taxon`` organism, figure
``biolink:part_of`` paper; every edge has ``infores:pfocr`` as its primary knowledge source.

Example
-------
>>> import pathlib, tempfile, kg
>>> from kg.store import open_store
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")], out)
>>> with open_store(out / "pfocr.ttl") as store:
...     nodes, edges = kgx_nodes(store), kgx_edges(store)
>>> [n["category"] for n in nodes if n["id"] == "NCBIGene:30767"]
['biolink:Gene']
>>> sorted({e["predicate"] for e in edges})
['biolink:in_taxon', 'biolink:mentions', 'biolink:part_of']
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.files import atomic_write_text
from kg.lookups.figures import figure_info
from kg.queries import with_evidence
from kg.rdf.vocab import BIOLINK
from kg.resources import ontology_path
from kg.store import TripleStore

if TYPE_CHECKING:  # curies loads when a KGX export needs it
    import curies

__all__ = [
    "EDGE_COLUMNS",
    "KNOWLEDGE_SOURCE",
    "NODE_COLUMNS",
    "kgx_edges",
    "kgx_nodes",
    "prefix_converter",
    "write_kgx",
]

KNOWLEDGE_SOURCE = "infores:pfocr"
# A gene's organism is its biolink:in_taxon edge (kgx reads an in_taxon column as a list,
# which its own validator then refuses for the single-valued Biolink 4 slot).
NODE_COLUMNS = ("id", "category", "name", "publication_type", "xref", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
)
# Edge ids: UUIDs derived from subject, predicate and object, so they are stable.
_EDGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/pfocr-kg/kgx/edge")

_NAMED = """
SELECT ?id ?name WHERE {
  ?id a ?category .
  OPTIONAL { ?id rdfs:label ?name }
}
"""
_TERMS = """
SELECT ?id (MIN(?label) AS ?labelled) (MIN(?termName) AS ?name) (MIN(?word) AS ?ocr)
       (GROUP_CONCAT(DISTINCT STR(?match); SEPARATOR=" ") AS ?matches) WHERE {
  ?id a ?category .
  OPTIONAL { ?id rdfs:label ?label }
  OPTIONAL {
    ?mention pfocr:mentionOf ?id .
    OPTIONAL { ?mention pfocr:termName ?termName }
    OPTIONAL { ?mention pfocr:ocrWord ?word }
  }
  OPTIONAL { ?id skos:exactMatch ?match }
}
GROUP BY ?id
"""
_PAPERS = """
SELECT ?id ?name WHERE { ?id a schema:ScholarlyArticle . OPTIONAL { ?id dcterms:title ?name } }
"""
_MENTIONS = """
SELECT ?subject ?object ?paper WHERE {
  ?subject a fabio:Figure ; schema:mentions ?object .
  # @evidence ?subject ?object
  OPTIONAL { ?subject dcterms:isPartOf ?paper }
}
"""
_IN_TAXON = "SELECT ?subject ?object WHERE { ?subject a biolink:Gene ; obo:RO_0002162 ?object }"
_PART_OF = "SELECT ?subject ?object WHERE { ?subject a fabio:Figure ; dcterms:isPartOf ?object }"


@cache
def prefix_converter() -> curies.Converter:
    """The converter between the graph's IRIs and KGX CURIEs (``ontology/prefixes.json``)."""
    import curies

    prefix_map = json.loads(ontology_path("prefixes.json").read_text("utf-8"))
    return curies.Converter.from_prefix_map(prefix_map)


def _curie(iri: str | None) -> str:
    if not iri:
        return ""
    compressed = prefix_converter().compress(iri)
    if compressed is None:
        raise ValueError(f"{iri}: no prefix in ontology/prefixes.json covers this IRI")
    return compressed


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def kgx_nodes(store: TripleStore) -> list[dict[str, str]]:
    """Every gene, organism, chemical, disease, paper and figure of ``store`` as KGX nodes."""
    nodes: list[dict[str, str]] = []

    def add(iri: str, category: str, name: str | None, **extra: str) -> None:
        nodes.append(
            {
                "id": _curie(iri),
                "category": category,
                "name": _text(name),
                "publication_type": extra.get("publication_type", ""),
                "xref": extra.get("xref", ""),
                "provided_by": KNOWLEDGE_SOURCE,
            }
        )

    for category in ("Gene", "OrganismTaxon"):
        params = {"category": BIOLINK.term(category)}
        for row in store.query(_NAMED, params).rows:
            add(row["id"], f"biolink:{category}", row["name"])
    for category in ("ChemicalEntity", "Disease"):
        params = {"category": BIOLINK.term(category)}
        for row in store.query(_TERMS, params).rows:
            matches = sorted(_curie(m) for m in (row["matches"] or "").split())
            name = row["labelled"] or row["name"] or row["ocr"]
            add(row["id"], f"biolink:{category}", name, xref="|".join(matches))
    for row in store.query(_PAPERS).rows:
        add(row["id"], "biolink:Publication", row["name"], publication_type="fabio:JournalArticle")
    for info in figure_info(store).values():
        add(info.iri, "biolink:Publication", info.title, publication_type="fabio:Figure")
    unique = {node["id"]: node for node in nodes}
    return sorted(unique.values(), key=lambda n: (n["category"], n["id"]))


def _edge(subject: str, predicate: str, obj: str, **extra: str) -> dict[str, str]:
    s, o = _curie(subject), _curie(obj)
    return {
        "id": f"urn:uuid:{uuid.uuid5(_EDGE_NAMESPACE, f'{s} {predicate} {o}')}",
        "subject": s,
        "predicate": predicate,
        "object": o,
        "knowledge_level": "knowledge_assertion",
        "agent_type": extra.get("agent_type", "automated_agent"),
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "publications": extra.get("publications", ""),
    }


def kgx_edges(store: TripleStore, exclude_sources: Iterable[str] = ()) -> list[dict[str, str]]:
    """The figure-mentions, gene-in-taxon and figure-part-of-paper links as KGX edges.

    ``exclude_sources``: gene match sources whose evidence does not count (a figure mentions
    a gene when one of its mentions has another source), as everywhere else.
    """
    mentions = with_evidence(_MENTIONS, frozenset(exclude_sources))
    edges = [
        _edge(
            r["subject"],
            "biolink:mentions",
            r["object"],
            agent_type="image_processing_agent",
            publications=_curie(r["paper"]),
        )
        for r in store.query(mentions).rows
    ]
    edges.extend(
        _edge(r["subject"], "biolink:in_taxon", r["object"]) for r in store.query(_IN_TAXON).rows
    )
    edges.extend(
        _edge(r["subject"], "biolink:part_of", r["object"]) for r in store.query(_PART_OF).rows
    )
    unique = {edge["id"]: edge for edge in edges}
    return sorted(unique.values(), key=lambda e: (e["subject"], e["predicate"], e["object"]))


def _tsv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_kgx(
    store: TripleStore, folder: Path, exclude_sources: Iterable[str] = ()
) -> tuple[int, int]:
    """Write ``folder/nodes.tsv`` and ``folder/edges.tsv``; returns (nodes, edges)."""
    nodes, edges = kgx_nodes(store), kgx_edges(store, exclude_sources)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "nodes.tsv", _tsv(nodes, NODE_COLUMNS))
    atomic_write_text(folder / "edges.tsv", _tsv(edges, EDGE_COLUMNS))
    return len(nodes), len(edges)
