"""What exports and pages need to know about figures: each figure's figid, title, paper and
page (:func:`figure_info`), and one figure's mentions with their evidence
(:func:`figure_mentions`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.index import Index, open_index
from kg.store import TripleStore

__all__ = ["FigureInfo", "figure_info", "figure_mentions"]

_FIGURES = """
SELECT ?figure ?figid ?title ?paper WHERE {
  ?figure a fabio:Figure ; dcterms:identifier ?figid .
  OPTIONAL { ?figure dcterms:title ?title }
  OPTIONAL { ?figure dcterms:isPartOf ?paper }
}
"""


@dataclass(frozen=True, slots=True)
class FigureInfo:
    """A figure's identifiers and title; ``iri`` is also its PFOCR web page."""

    iri: str
    figid: str
    title: str
    paper: str | None


def figure_info(
    store: TripleStore, figures: Collection[str] | None = None
) -> dict[str, FigureInfo]:
    """Every figure of ``store`` (or those of ``figures``, by IRI), by IRI; titles with runs
    of white space collapsed. Read from the store's answer index when it has one."""
    index = open_index(store) if figures is not None else None
    if index is not None:
        known = index.figures
        rows = [
            (row.iri, row.figid, row.title, row.paper)
            for row in (known.get(figure) for figure in figures)  # type: ignore[union-attr]
            if row is not None
        ]
    else:
        rows = [
            (row["figure"], row["figid"], row["title"], row["paper"])
            for row in store.query(_FIGURES).rows
        ]
    found: dict[str, FigureInfo] = {}
    for figure, figid, title, paper in rows:
        text = " ".join((title or "").split())
        found.setdefault(figure, FigureInfo(figure, figid, text, paper))
    return found


_MENTIONS = """
SELECT ?kind ?term ?name ?word ?matched ?source ?origin WHERE {
  ?figure pfocr:hasMention ?mention .
  ?mention a ?class ; pfocr:mentionOf ?term .
  VALUES (?class ?kind) { (pfocr:GeneMention "gene") (pfocr:ChemicalMention "chemical")
                          (pfocr:DiseaseMention "disease") }
  OPTIONAL { ?mention pfocr:ocrWord ?word }
  OPTIONAL { ?mention pfocr:matchedText ?matched }
  OPTIONAL { ?mention pfocr:matchSource ?source }
  OPTIONAL { ?mention pfocr:evidenceOrigin ?origin }
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term skos:exactMatch/rdfs:label ?mapped }
  BIND(COALESCE(?label, ?mapped) AS ?name)
}
"""
_COLUMNS = ("kind", "term", "name", "word", "matched", "source", "origin")
_INDEXED = """
SELECT 'gene', g.iri, g.symbol, m.word, m.match, m.source, m.origin
FROM gene_mention m JOIN gene g ON g.id = m.gene WHERE m.figure = ?
UNION ALL
SELECT m.kind, m.term, n.name, m.word, m.match, m.source, m.origin
FROM term_mention m LEFT JOIN term_name n ON n.term = m.term WHERE m.figure = ?
"""


def _order(row: dict[str, Any]) -> tuple:
    """SPARQL's ORDER BY ?kind ?name ?term ?word ?source: unbound first."""
    return tuple(
        (row[k] is not None, row[k] or "") for k in ("kind", "name", "term", "word", "source")
    )


def figure_mentions(store: TripleStore, figure: str) -> list[dict[str, Any]]:
    """Every gene, chemical and disease mention of the figure with IRI ``figure``: its kind,
    term, name (a gene's symbol; a chemical's or disease's mapped ChEBI or Disease Ontology
    label), OCR word, matched text, match source and evidence origin, a row per combination
    of those values, ordered by kind, name, term, word and source.

    Read from the store's answer index when it has one (the same rows as the SPARQL).

    Parameters
    ----------
    store : the store.
    figure : the figure's IRI (``kg.rdf.iris.figure(figid)``).

    Returns
    -------
    list of dict : the rows, keyed ``kind``, ``term``, ``name``, ``word``, ``matched``,
        ``source``, ``origin`` (``None`` where the graph has no value).

    Examples
    --------
    >>> import pathlib, tempfile, kg
    >>> from kg.rdf import iris
    >>> from kg.store import open_store
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
    >>> with open_store(out / "store") as store:
    ...     rows = figure_mentions(store, iris.figure("PMC8632218__fimmu-12-767939-g001"))
    >>> [r["name"] for r in rows if r["kind"] == "gene"][:3]
    ['kita', 'ngfra', 'stat1a']
    """
    index = open_index(store)
    if index is not None:
        rows = _indexed(index, figure)
    else:
        rows = store.query(_MENTIONS, {"figure": ox.NamedNode(figure)}).rows
    return sorted(rows, key=_order)


def _indexed(index: Index, figure: str) -> list[dict[str, Any]]:
    found = index.rows("SELECT id FROM figure WHERE iri = ?", (figure,))
    if not found:
        return []
    return [
        dict(zip(_COLUMNS, row, strict=True))
        for row in index.rows(_INDEXED, (found[0][0], found[0][0]))
    ]
