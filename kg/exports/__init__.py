"""Exports other tools read: GMT gene sets, Biolink KGX TSV, a VoID/DCAT description.

Each exporter is a name in :data:`EXPORTERS` (as ``pfocr-kg export --to NAME``) mapped to a
function ``(store, path, options) -> str`` that writes and says what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.exports.gmt import DEFAULT_MIN_GENES, GeneSet, gene_sets, gmt_text, write_gmt
from kg.exports.kgx import kgx_edges, kgx_nodes, prefix_converter, write_kgx
from kg.exports.void import graph_statistics, write_void
from kg.model import evidence_label
from kg.store import TripleStore

__all__ = [
    "DEFAULT_MIN_GENES",
    "EXPORTERS",
    "ExportOptions",
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


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What an export takes besides the store: GMT's organism, ids and size floor, and the
    gene evidence that counts (GMT and KGX; by default all of it, as in PFOCR)."""

    taxon: str | int = 9606
    ids: bool = True
    min_genes: int = DEFAULT_MIN_GENES
    exclude_sources: frozenset[str] = frozenset()

    @property
    def evidence(self) -> str:
        return evidence_label(self.exclude_sources)


def _gmt(store: TripleStore, path: Path, options: ExportOptions) -> str:
    written = write_gmt(
        store,
        path,
        taxon=options.taxon,
        ids=options.ids,
        min_genes=options.min_genes,
        exclude_sources=options.exclude_sources,
    )
    return (
        f"{written:,} gene sets (figures with {options.min_genes}+ genes; "
        f"{options.evidence}) -> {path}"
    )


def _kgx(store: TripleStore, path: Path, options: ExportOptions) -> str:
    nodes, edges = write_kgx(store, path, options.exclude_sources)
    return (
        f"{nodes:,} nodes, {edges:,} edges ({options.evidence}) -> "
        f"{path / 'nodes.tsv'}, {path / 'edges.tsv'}"
    )


def _void(store: TripleStore, path: Path, options: ExportOptions) -> str:
    stats = write_void(store, path)
    return f"{stats.triples:,} triples, {len(stats.classes)} classes described -> {path}"


EXPORTERS: dict[str, Callable[[TripleStore, Path, ExportOptions], str]] = {
    "gmt": _gmt,
    "kgx": _kgx,
    "void": _void,
}


def export(store: TripleStore, to: str, path: Path, options: ExportOptions | None = None) -> str:
    """Write ``store`` as the export named ``to`` (see :data:`EXPORTERS`) to ``path``.

    Returns
    -------
    str : one line saying what was written, with the evidence tier it counted.
    """
    if to not in EXPORTERS:
        raise ValueError(f"unknown export {to!r}; choose from {', '.join(EXPORTERS)}")
    return EXPORTERS[to](store, path, options or ExportOptions())
