"""What exports need to know about each figure: its figid, title, paper and page."""

from __future__ import annotations

from dataclasses import dataclass

from kg.store import TripleStore

__all__ = ["FigureInfo", "figure_info"]

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


def figure_info(store: TripleStore) -> dict[str, FigureInfo]:
    """Every figure of ``store``, by IRI; titles with runs of white space collapsed."""
    found: dict[str, FigureInfo] = {}
    for row in store.query(_FIGURES).rows:
        title = " ".join((row["title"] or "").split())
        found.setdefault(
            row["figure"], FigureInfo(row["figure"], row["figid"], title, row["paper"])
        )
    return found
