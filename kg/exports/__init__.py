"""Exports other tools read: GMT gene sets, Biolink KGX TSV, a VoID/DCAT description.

Each exporter is a name in :data:`EXPORTERS` (as ``pfocr-kg export --to NAME``) mapped to a
function ``(store, path, taxon=..., ids=...) -> str`` that writes and says what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.exports.gmt import GeneSet, gene_sets, gmt_text, write_gmt
from kg.exports.kgx import kgx_edges, kgx_nodes, prefix_converter, write_kgx
from kg.exports.void import graph_statistics, write_void
from kg.store import TripleStore

__all__ = [
    "EXPORTERS",
    "GeneSet",
    "export",
    "gene_sets",
    "gmt_text",
    "graph_statistics",
    "kgx_edges",
    "kgx_nodes",
    "prefix_converter",
    "write_gmt",
    "write_kgx",
    "write_void",
]


def _gmt(store: TripleStore, path: Path, taxon: str | int, ids: bool) -> str:
    return f"{write_gmt(store, path, taxon=taxon, ids=ids):,} gene sets (figures) -> {path}"


def _kgx(store: TripleStore, path: Path, taxon: str | int, ids: bool) -> str:
    nodes, edges = write_kgx(store, path)
    return f"{nodes:,} nodes, {edges:,} edges -> {path / 'nodes.tsv'}, {path / 'edges.tsv'}"


def _void(store: TripleStore, path: Path, taxon: str | int, ids: bool) -> str:
    stats = write_void(store, path)
    return f"{stats.triples:,} triples, {len(stats.classes)} classes described -> {path}"


EXPORTERS: dict[str, Callable[[TripleStore, Path, str | int, bool], str]] = {
    "gmt": _gmt,
    "kgx": _kgx,
    "void": _void,
}


def export(
    store: TripleStore, to: str, path: Path, *, taxon: str | int = 9606, ids: bool = True
) -> str:
    """Write ``store`` as the export named ``to`` (see :data:`EXPORTERS`) to ``path``.

    ``taxon`` and ``ids`` (NCBI Gene ids rather than symbols) apply to GMT.
    """
    if to not in EXPORTERS:
        raise ValueError(f"unknown export {to!r}; choose from {', '.join(EXPORTERS)}")
    return EXPORTERS[to](store, path, taxon, ids)
