"""Render query results for the terminal: an aligned table with prefixed IRIs.

Example
-------
>>> from kg.store import QueryResult
>>> rows = [{"gene": "http://identifiers.org/ncbigene/6774", "n": 3}]
>>> print(render_table(QueryResult(["gene", "n"], rows)))
gene           n
-------------  -
ncbigene:6774  3
"""

from __future__ import annotations

from typing import Any

from kg.rdf.vocab import PREFIXES
from kg.store import QueryResult

__all__ = ["FORMATS", "compact_iri", "render", "render_table"]

MAX_WIDTH = 60
# Longest namespace first, so ncbigene: wins over a shorter prefix of the same IRI.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact_iri(value: str) -> str:
    """``value`` with a known namespace replaced by its prefix."""
    for name, namespace in _BY_LENGTH:
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{name}:{value[len(namespace) :]}"
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    text = compact_iri(value) if isinstance(value, str) and "://" in value else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def render_table(result: QueryResult) -> str:
    """SELECT rows as an aligned text table; ASK as ``true``/``false``."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    cells = [[_cell(row.get(v)) for v in result.variables] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


FORMATS = ("table", "csv", "tsv", "json")


def render(result: QueryResult, format_name: str) -> str:
    """``result`` as one of :data:`FORMATS`: an aligned table, CSV, TSV or JSON."""
    if format_name == "table":
        return render_table(result)
    if format_name == "json":
        return result.to_json()
    return result.to_csv("\t" if format_name == "tsv" else ",").rstrip("\n")
