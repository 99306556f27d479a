"""What the pages show, read from the store (and its answer index where it has one).

Each function takes an open store and returns plain data for one page or part of one; the
queries are figure- or gene-scoped, or named queries the index answers, so a page stays
quick at full PFOCR scale.

Example
-------
>>> import pathlib, tempfile, kg
>>> from kg.store import open_store
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
>>> with open_store(out / "store") as store:
...     [(g["symbol"], g["organism"], g["figures"]) for g in find_genes(store, "stat3", "9606")]
[('STAT3', 'Homo sapiens', 1)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp

from kg.files import FileRefused, read_bounded
from kg.index import Index, open_index
from kg.lookups.figures import figure_mentions
from kg.queries import NamedQuery, run_named
from kg.rdf import iris
from kg.rdf.vocab import BIBO, BIOLINK, DCTERMS, FABIO, PFOCR, PRISM, SCHEMA, VOID
from kg.store import TripleStore

__all__ = [
    "ego_network",
    "figure_details",
    "figure_summaries",
    "find_genes",
    "find_terms",
    "gene_about",
    "organisms",
    "partner_totals",
    "summary",
]

MAX_VOID_BYTES = 16 * 1024 * 1024
Catalog = Mapping[str, NamedQuery]  # named queries, by name (see kg.queries.load_queries)
_CLASS_NAMES = {
    FABIO.Figure.value: "figures",
    SCHEMA.ScholarlyArticle.value: "papers",
    BIOLINK.Gene.value: "genes",
    BIOLINK.OrganismTaxon.value: "organisms",
    BIOLINK.ChemicalEntity.value: "chemicals",
    BIOLINK.Disease.value: "diseases",
}


def summary(store: TripleStore, catalog: Catalog | None = None) -> dict[str, Any]:
    """Entity counts (figures, papers, genes, organisms, chemicals, diseases), and the
    graph's triples and build time from the VoID description the build wrote beside the
    store (``void.ttl`` in its generation), when there is one."""
    counts = {
        _CLASS_NAMES[row["class"]]: row["entities"]
        for row in run_named(store, "graph-summary", {}, catalog).rows
        if row["class"] in _CLASS_NAMES
    }
    found: dict[str, Any] = {"counts": counts, "built": None, "triples": None}
    folder = store.folder
    void = None if folder is None else folder.parent / "void.ttl"
    if void is not None and void.is_file():
        try:
            described = ox.Store()
            described.load(read_bounded(void, MAX_VOID_BYTES), format=ox.RdfFormat.TURTLE)
        except (FileRefused, OSError, SyntaxError, ValueError):
            return found
        dataset = ox.NamedNode(iris.dataset())
        for predicate, key in ((DCTERMS.created, "built"), (VOID.triples, "triples")):
            for quad in described.quads_for_pattern(dataset, predicate, None):
                found[key] = quad.object.value
    return found


def organisms(
    store: TripleStore, catalog: Catalog | None = None, limit: int = 40
) -> list[dict[str, Any]]:
    """The organisms with the most figures: taxon id, name, figures."""
    rows = run_named(store, "figures-per-organism", {"limit": limit}, catalog).rows
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        taxon = row["taxon"].rsplit("_", 1)[-1]
        seen.setdefault(
            taxon, {"taxon": taxon, "name": row["name"] or taxon, "figures": row["figures"]}
        )
    return list(seen.values())


_GENES = """
SELECT ?gene ?symbol ?taxon ?organism (COUNT(DISTINCT ?figure) AS ?figures) WHERE {
  ?gene a biolink:Gene ; obo:RO_0002162 ?taxon .
  OPTIONAL { ?gene rdfs:label ?symbol }
  OPTIONAL { ?taxon rdfs:label ?organism }
  OPTIONAL { ?figure schema:mentions ?gene }
} GROUP BY ?gene ?symbol ?taxon ?organism ORDER BY DESC(?figures) ?gene
"""


def find_genes(store: TripleStore, text: str, taxon: str | None = None) -> list[dict[str, Any]]:
    """Genes named by ``text``: an NCBI Gene id, or a symbol in any case; optionally of one
    taxon (NCBI Taxonomy id). Each with its organism and how many figures mention it."""
    text = text.strip().removeprefix("ncbigene:").removeprefix("NCBIGene:")
    if not text:
        return []
    index = open_index(store)
    if index is not None:
        return _indexed_genes(index, text, taxon)
    if text.isdigit():
        genes = [ox.NamedNode(iris.gene(text))]
    else:
        genes = [
            ox.NamedNode(r["gene"])
            for r in store.query(
                "SELECT DISTINCT ?gene WHERE { ?gene a biolink:Gene ; rdfs:label ?l . "
                "FILTER(LCASE(STR(?l)) = LCASE(STR(?s))) }",
                {"s": ox.Literal(text)},
            ).rows
        ]
    bindings: dict[str, Any] = {"gene": genes}
    if taxon:
        bindings["taxon"] = ox.NamedNode(iris.taxon(taxon))
    return [
        dict(row, id=iris.gene_id(row["gene"]), taxon_id=row["taxon"].rsplit("_", 1)[-1])
        for row in store.query(_GENES, bindings).rows
    ]


def _indexed_genes(index: Index, text: str, taxon: str | None) -> list[dict[str, Any]]:
    taxon_iri = iris.taxon(taxon) if taxon else None
    rows = index.rows(
        """SELECT g.iri, g.symbol, g.taxon, MIN(n.name), g.figures_all FROM gene g
        LEFT JOIN taxon_name n ON n.taxon = g.taxon
        WHERE (g.iri = ? OR g.symbol_lc = ?) AND g.taxon IS NOT NULL
          AND (? IS NULL OR g.taxon = ?)
        GROUP BY g.id ORDER BY g.figures_all DESC, g.iri""",
        [iris.gene(text) if text.isdigit() else "", text.lower(), taxon_iri, taxon_iri],
    )
    names = ("gene", "symbol", "taxon", "organism", "figures")
    found = []
    for row in rows:
        entry = dict(zip(names, row, strict=True))
        entry.update(id=iris.gene_id(row[0]), taxon_id=row[2].rsplit("_", 1)[-1])
        found.append(entry)
    return found


_TERMS = """
SELECT ?term ?kind (MIN(?label) AS ?name) (COUNT(DISTINCT ?figure) AS ?figures) WHERE {
  ?mention pfocr:mentionOf ?term ; pfocr:ocrWord ?word .
  ?figure pfocr:hasMention ?mention .
  { ?mention a pfocr:ChemicalMention . BIND("chemical" AS ?kind) }
  UNION { ?mention a pfocr:DiseaseMention . BIND("disease" AS ?kind) }
  OPTIONAL { ?mention pfocr:matchedText ?matched }
  OPTIONAL { ?term skos:exactMatch/rdfs:label ?mapped }
  BIND(STR(COALESCE(?mapped, ?matched, ?word)) AS ?label)
  FILTER(?term = ?wanted || LCASE(STR(?word)) = ?text || LCASE(STR(?matched)) = ?text
         || LCASE(STR(?mapped)) = ?text)
} GROUP BY ?term ?kind ORDER BY DESC(?figures) ?term LIMIT 50
"""


def find_terms(store: TripleStore, text: str, kind: str) -> list[dict[str, Any]]:
    """Chemicals or diseases (``kind``) named by ``text``: a MeSH id, or a name or OCR word in
    any case; each with how many figures mention it."""
    text = text.strip()
    local = text.split(":", 1)[1] if text.lower().startswith("mesh:") else text
    wanted = ox.NamedNode(iris.mesh(local)) if local[:1] in "CD" and local[1:].isdigit() else None
    rows = store.query(
        _TERMS,
        {
            "wanted": wanted or ox.NamedNode("urn:pfocr-kg:no-value"),
            "text": ox.Literal(text.lower()),
        },
    ).rows
    return [dict(r, id=r["term"].rsplit("/", 1)[-1]) for r in rows if r["kind"] == kind]


_FIGURE = """
SELECT ?p ?o ?label WHERE {
  { ?figure ?p ?o . OPTIONAL { ?o rdfs:label ?label } }
  UNION { ?figure dcterms:isPartOf ?paper . ?paper ?p ?o . BIND("paper" AS ?label) }
  VALUES ?p { dcterms:identifier dcterms:title schema:caption schema:image schema:url
              pfocr:ndexId pfocr:wpid pfocr:organism pfocr:nerOrganism dcterms:isPartOf
              dcterms:title schema:datePublished bibo:doi prism:publicationName
              fabio:hasPubMedCentralId bibo:pmid }
}
"""
_P = {
    DCTERMS.identifier.value: "figid",
    SCHEMA.caption.value: "caption",
    SCHEMA.image.value: "image",
    SCHEMA.url.value: "pmc_page",
    PFOCR.ndexId.value: "ndex",
    PFOCR.wpid.value: "wpid",
    SCHEMA.datePublished.value: "year",
    BIBO.doi.value: "doi",
    PRISM.publicationName.value: "journal",
    FABIO.hasPubMedCentralId.value: "pmcid",
    BIBO.pmid.value: "pmid",
}


def figure_details(store: TripleStore, figid: str) -> dict[str, Any] | None:
    """A figure's card: title, caption, paper, links, organisms and mentions (with their
    OCR evidence); ``None`` when the graph has no such figure."""
    figure = ox.NamedNode(iris.figure(figid))
    rows = store.query(_FIGURE, {"figure": figure}).rows
    if not rows:
        return None
    card: dict[str, Any] = {"iri": figure.value, "figid": figid, "organisms": [], "ner": []}
    for row in rows:
        p, o, label = row["p"], row["o"], row["label"]
        if p == DCTERMS.title.value:
            card["paper_title" if label == "paper" else "title"] = o
        elif p == DCTERMS.isPartOf.value:
            card["paper"] = o
        elif p == PFOCR.organism.value:
            card["organisms"].append({"iri": o, "name": label or o, "id": o.rsplit("_", 1)[-1]})
        elif p == PFOCR.nerOrganism.value:
            card["ner"].append({"iri": o, "name": label or o, "id": o.rsplit("_", 1)[-1]})
        elif p in _P:
            card.setdefault(_P[p], o)
    mentions: dict[str, list[dict[str, Any]]] = {"gene": [], "chemical": [], "disease": []}
    for row in figure_mentions(store, figure.value):
        term = row["term"]
        row["id"] = iris.gene_id(term) if row["kind"] == "gene" else term.rsplit("/", 1)[-1]
        mentions[row["kind"]].append(row)
    card["mentions"] = mentions
    return card


_SUMMARIES = """
SELECT ?figure ?figid ?title ?image ?year ?organism WHERE {
  ?figure dcterms:identifier ?figid .
  OPTIONAL { ?figure dcterms:title ?title }
  OPTIONAL { ?figure schema:image ?image }
  OPTIONAL { ?figure dcterms:isPartOf/schema:datePublished ?date }
  OPTIONAL { ?figure pfocr:organism/rdfs:label ?organism }
  BIND(STR(?date) AS ?year)
}
"""


def figure_summaries(store: TripleStore, figures: list[str]) -> list[dict[str, Any]]:
    """Title, thumbnail, year and organisms of each figure (by IRI), in the order given."""
    index = open_index(store)
    if index is not None:
        return _indexed_summaries(index, figures)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(figures), 200):
        part = [ox.NamedNode(f) for f in figures[start : start + 200]]
        for row in store.query(_SUMMARIES, {"figure": part}).rows:
            entry = found.setdefault(row["figure"], dict(row, organisms=[]))
            if row["organism"] and row["organism"] not in entry["organisms"]:
                entry["organisms"].append(row["organism"])
    for entry in found.values():
        entry["organisms"].sort()
        entry["organism"] = (entry["organisms"] or [None])[0]
    return [found[f] for f in figures if f in found]


def _indexed_summaries(index: Index, figures: list[str]) -> list[dict[str, Any]]:
    known = [row for row in map(index.figures.get, figures) if row is not None]
    names: dict[int, list[str]] = {}
    for start in range(0, len(known), 500):
        ids = [row.id for row in known[start : start + 500]]
        for figure, name in index.rows(
            "SELECT DISTINCT t.figure, n.name FROM figure_taxon t "
            "JOIN taxon_name n ON n.taxon = t.taxon "
            f"WHERE t.kind = 1 AND t.figure IN ({', '.join('?' * len(ids))}) ORDER BY n.name",
            ids,
        ):
            names.setdefault(figure, []).append(name)
    return [
        {"figure": row.iri, "figid": row.figid, "title": row.title, "image": row.image,
         "year": row.year, "organism": (names.get(row.id) or [None])[0],
         "organisms": names.get(row.id, [])}
        for row in known
    ]  # fmt: skip


def partner_totals(store: TripleStore, genes: list[str]) -> list[dict[str, Any]]:
    """How many figures mention each gene (by IRI), with all evidence."""
    if not genes:
        return []
    index = open_index(store)
    if index is not None:
        marks = ", ".join("?" * len(genes))
        rows = index.rows(f"SELECT iri, figures_all FROM gene WHERE iri IN ({marks})", genes)
        return [{"gene": iri, "figures": n} for iri, n in rows]
    return store.query(
        "SELECT ?gene (COUNT(DISTINCT ?f) AS ?figures) WHERE { ?f schema:mentions ?gene } "
        "GROUP BY ?gene",
        {"gene": [ox.NamedNode(g) for g in genes]},
    ).rows


def gene_about(store: TripleStore, gene_id: str) -> dict[str, Any] | None:
    """A gene's symbol, organism and figure count; ``None`` when the graph has no such gene."""
    genes = find_genes(store, gene_id)
    return genes[0] if genes else None


def ego_network(
    store: TripleStore, gene: dict[str, Any], partners: list[dict[str, Any]]
) -> dict[str, Any]:
    """A gene, its partners and how many of the gene's figures each pair of them shares, as
    cytoscape.js elements (edges weighted by shared figures)."""
    members = [gene["gene"]] + [p["partner"] for p in partners]
    labels = {gene["gene"]: gene["symbol"] or gene["id"]}
    labels.update({p["partner"]: p["partnerSymbol"] or p["partner"] for p in partners})
    index = open_index(store)
    rows = _indexed_pairs(index, members) if index is not None else _sparql_pairs(store, members)
    heaviest = max((r["n"] for r in rows), default=1)
    nodes = [
        {"data": {"id": m, "label": labels[m], "focus": m == members[0],
                  "href": f"/gene/{iris.gene_id(m)}"}}
        for m in members
    ]  # fmt: skip
    edges = [
        {"data": {"id": f"{r['a']}|{r['b']}", "source": r["a"], "target": r["b"],
                  "figures": r["n"], "width": 1 + 7 * math.sqrt(r["n"] / heaviest)}}
        for r in rows
    ]  # fmt: skip
    return {"elements": nodes + edges}


_PAIRS = """
SELECT ?a ?b (COUNT(DISTINCT ?figure) AS ?n) WHERE {
  ?figure schema:mentions ?focus, ?a, ?b . FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b
"""


def _sparql_pairs(store: TripleStore, members: list[str]) -> list[dict[str, Any]]:
    """Figures shared by each pair of ``members`` among the first one's figures."""
    terms = [ox.NamedNode(m) for m in members]
    return store.query(_PAIRS, {"focus": terms[0], "a": terms, "b": terms}).rows


def _indexed_pairs(index: Index, members: list[str]) -> list[dict[str, Any]]:
    """The same pairs, from the index's incidence arrays."""
    ids = {iri: place for place, iri in enumerate(index.genes.iris)}
    wanted = np.array([ids.get(m, -1) for m in members], dtype=np.int64)
    if wanted[0] < 0:
        return []
    figures = np.array(
        [
            f
            for (f,) in index.rows(
                "SELECT figure FROM figure_gene WHERE gene = ?", [int(wanted[0])]
            )
        ],
        dtype=np.int64,
    )
    figure_of, genes, _ = index.incidence.pairs(figures)
    column = np.full(len(index.genes.iris), -1, dtype=np.int64)
    column[wanted[wanted >= 0]] = np.flatnonzero(wanted >= 0)
    keep = column[genes] >= 0
    if not keep.any():
        return []
    rows_of = np.unique(figure_of[keep], return_inverse=True)[1]
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum())), (rows_of, column[genes[keep]])),
        shape=(int(rows_of.max()) + 1, len(members)),
    )
    shared = (matrix.T @ matrix).tocoo()
    return [
        {"a": members[i], "b": members[j], "n": int(n)}
        for i, j, n in zip(
            shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True
        )
        if members[i] < members[j]
    ]
