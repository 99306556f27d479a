"""The answer index: counts and joins of a store, made once at build time.

At full PFOCR scale (100k figures, 81M triples) the whole-graph counts and the join-heavy
named queries take seconds in any SPARQL engine. The build therefore writes, beside its
store, an index (SQLite) of what those questions need: figure-gene incidence with its
evidence tiers, per-gene figure counts, chemical and disease mention keys, papers, organisms
and class counts (:mod:`kg.index.schema`). It is derived data: the build's workers read
each figure's statements back (:mod:`kg.index.facts`) as the store loads them, and
:class:`IndexWriter` writes the index into the same generation, so the two switch in
together; it is used only for the store it was made from.

:func:`kg.queries.run_named` answers the bundled named queries from it when there is one
(:mod:`kg.index.answers`, tested row for row against the SPARQL answers), and the
enrichment and co-occurrence analyses read their incidence table from it.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
>>> from kg.store import open_store
>>> with open_store(out / "store") as store:
...     index = open_index(store)
...     index.gene_iris("stat3", "http://purl.obolibrary.org/obo/NCBITaxon_9606")
['http://identifiers.org/ncbigene/6774']
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kg.index.make import IndexWriter, MadeIndex
from kg.index.schema import ARRAYS, FORMAT, TIER_BITS, TIER_COLUMNS, index_path, store_identity
from kg.store.base import StoreError, TripleStore

if TYPE_CHECKING:  # numpy is imported where arrays are made: a build without a store needs none
    import numpy as np

__all__ = [
    "FigureRow",
    "Genes",
    "Incidence",
    "Index",
    "IndexWriter",
    "MadeIndex",
    "UnreadableIndex",
    "open_index",
]

log = logging.getLogger(__name__)


class UnreadableIndex(StoreError):
    """An index that cannot be read."""


@dataclass(frozen=True, slots=True)
class Incidence:
    """The figure-gene pairs as CSR arrays by figure id: figure ``f``'s genes are
    ``genes[indptr[f]:indptr[f + 1]]``, with their tier bits in ``tiers``."""

    indptr: np.ndarray
    genes: np.ndarray
    tiers: np.ndarray

    def pairs(self, figures: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(figure, gene, tiers) of every pair of ``figures`` (in their order), as arrays.

        >>> import numpy as np
        >>> inc = Incidence(np.array([0, 2, 2, 3]), np.array([5, 6, 7]), np.array([1, 0, 4]))
        >>> [a.tolist() for a in inc.pairs(np.array([2, 1, 0]))]
        [[2, 0, 0], [7, 5, 6], [4, 1, 0]]
        """
        import numpy as np

        figures = figures[self.indptr[figures + 1] > self.indptr[figures]]  # with a gene
        starts, ends = self.indptr[figures], self.indptr[figures + 1]
        lengths = ends - starts
        if not len(figures):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        # Positions start..end-1 of each figure, concatenated, without a Python loop.
        steps = np.ones(int(lengths.sum()), dtype=np.int64)
        offsets = np.cumsum(lengths)[:-1]
        steps[0] = starts[0]
        steps[offsets] = starts[1:] - ends[:-1] + 1
        positions = np.cumsum(steps)
        return np.repeat(figures, lengths), self.genes[positions], self.tiers[positions]


@dataclass(frozen=True, slots=True)
class Genes:
    """Every gene of the index by id: IRI, symbol and taxon (``None`` where the graph has
    none), and a taxon code per gene (equal codes, equal taxa; -1 for none)."""

    iris: list[str]
    symbols: list[str | None]
    taxa: list[str | None]
    taxon_codes: np.ndarray


class FigureRow(NamedTuple):
    """A figure of the index: id, IRI, figid, title, image and its paper's IRI and year."""

    id: int
    iri: str
    figid: str
    title: str | None
    image: str | None
    paper: str | None
    year: str | None


class Index:
    """A read-only connection to one store's answer index.

    Parameters
    ----------
    path : the index file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(
                f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise UnreadableIndex(f"{path}: cannot read the index: {exc}") from None
        if meta.get("format") != FORMAT:
            raise UnreadableIndex(f"{path}: index format {meta.get('format')!r}, not {FORMAT!r}")
        self.meta = meta

    @cached_property
    def incidence(self) -> Incidence:
        """The figure-gene pairs as arrays (read once, a few bytes a pair)."""
        import numpy as np

        data = dict(self.rows("SELECT name, data FROM incidence"))
        return Incidence(*(np.frombuffer(data[name], dtype=kind) for name, kind in ARRAYS.items()))

    @cached_property
    def genes(self) -> Genes:
        """Every gene's IRI, symbol and taxon, by gene id."""
        import numpy as np

        rows = self.rows("SELECT iri, symbol, taxon FROM gene ORDER BY id")
        taxa = [taxon for _, _, taxon in rows]
        codes: dict[str | None, int] = {None: -1}
        taxon_codes = np.fromiter(
            (codes.setdefault(t, len(codes)) for t in taxa), dtype=np.int64, count=len(taxa)
        )
        return Genes([r[0] for r in rows], [r[1] for r in rows], taxa, taxon_codes)

    @cached_property
    def figure_iris(self) -> list[str]:
        """Every figure's IRI, by figure id."""
        return [iri for (iri,) in self.rows("SELECT iri FROM figure ORDER BY id")]

    @cached_property
    def figures(self) -> dict[str, FigureRow]:
        """Every figure with a figid, by IRI (read once: a long-lived reader such as the
        server looks up thousands of figures per enrichment)."""
        return {
            row[1]: FigureRow(*row)
            for row in self.rows(
                "SELECT f.id, f.iri, f.figid, f.title, f.image, p.iri, p.year FROM figure f "
                "LEFT JOIN paper p ON p.id = f.paper WHERE f.figid IS NOT NULL ORDER BY f.id"
            )
        }

    def rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Run one SQL query on the index."""
        return self.db.execute(sql, params).fetchall()

    def gene_iris(self, gene: str, taxon: str | None = None) -> list[str]:
        """The gene IRIs a symbol (any case) names, optionally in one taxon (IRI), in order."""
        return [
            iri
            for (iri,) in self.rows(
                "SELECT iri FROM gene WHERE symbol_lc = ? AND (? IS NULL OR taxon = ?) "
                "ORDER BY iri",
                (gene.lower(), taxon, taxon),
            )
        ]

    @staticmethod
    def tier_bit(excluded: frozenset[str]) -> int:
        """The ``figure_gene.tiers`` bit of an evidence choice; 0 when all evidence counts.

        Raises ``KeyError`` for a choice the index does not hold (a caller's own sources).
        """
        return 0 if not excluded else TIER_BITS[frozenset(excluded)]

    @staticmethod
    def count_column(excluded: frozenset[str]) -> str:
        """The ``gene`` column counting figures under an evidence choice."""
        return TIER_COLUMNS[frozenset(excluded)]

    def close(self) -> None:
        self.db.close()


def open_index(store: TripleStore) -> Index | None:
    """The index made from ``store``, or ``None`` when there is none or it is another's.

    Only an on-disk Oxigraph store can have one: it lives beside the store's real folder and
    must name that store's RocksDB identity (a rebuild makes a new store and a new index).
    The index is opened once and kept with the store (closed when the store closes or
    reopens another folder), so callers do not close it.
    """
    folder = store.folder
    companions = getattr(store, "companions", None)
    if folder is None or companions is None:
        return None
    if "index" not in companions:
        companions["index"] = _open_beside(folder)
    return companions["index"]


def _open_beside(folder: Path) -> Index | None:
    path = index_path(folder)
    if not path.is_file():
        return None
    try:
        index = Index(path)
    except UnreadableIndex as exc:
        log.warning("%s; answering from the store", exc)
        return None
    if index.meta.get("store_identity") != store_identity(folder):
        log.warning("%s: made from another store; answering from the store", path)
        index.close()
        return None
    return index
