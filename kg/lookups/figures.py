"""What exports need to know about each figure: its figid, title, paper and page."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kg.index import open_index
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


def figure_info(
    store: TripleStore, figures: Collection[str] | None = None
) -> dict[str, FigureInfo]:
    """Every figure of ``store`` (or those of ``figures``, by IRI), by IRI; titles with runs
    of white space collapsed. Read from the store's answer index when it has one."""
    index = open_index(store) if figures is not None else None
    if index is not None:
        chosen = list(figures)  # type: ignore[arg-type]
        rows = []
        for start in range(0, len(chosen), 500):
            part = chosen[start : start + 500]
            rows += index.rows(
                "SELECT f.iri, f.figid, f.title, p.iri FROM figure f "
                "LEFT JOIN paper p ON p.id = f.paper "
                f"WHERE f.figid IS NOT NULL AND f.iri IN ({', '.join('?' * len(part))})",
                part,
            )
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
