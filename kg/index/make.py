"""Write the answer index of a store, figure by figure, while the build loads the store.

:class:`IndexWriter` takes each figure's :class:`~kg.index.facts.FigureFacts` (made by the
build's workers from the very statements the store receives) and writes the tables of
:mod:`kg.index.schema`; :meth:`IndexWriter.commit` adds the per-gene counts, the class
counts and the table indexes, and names the store the index belongs to.

Example
-------
>>> import pathlib, tempfile
>>> from kg.index.facts import FigureFacts
>>> target = pathlib.Path(tempfile.mkdtemp()) / "store.index.sqlite"
>>> writer = IndexWriter(target)
>>> writer.add(FigureFacts("https://f", genes=[("http://g", 7)],
...                        gene_about=[("http://g", "G", "http://t")]))
>>> made = writer.commit("store-identity")
>>> made.figures, made.genes, made.figure_genes
(1, 1, 1)
"""

from __future__ import annotations

import os
import sqlite3
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.files import creation_mode
from kg.index.facts import FigureFacts
from kg.index.schema import ARRAYS, FORMAT, SCHEMA, TIER_BITS

__all__ = ["IndexWriter", "MadeIndex"]

# Made once the rows are in (a sort, faster than keeping a B-tree ordered row by row).
_TABLE_INDEXES = """
CREATE UNIQUE INDEX figure_gene_by_gene ON figure_gene(gene, figure, tiers);
CREATE INDEX figure_taxon_by_figure ON figure_taxon(figure, taxon, kind);
CREATE INDEX gene_by_symbol ON gene(symbol_lc);
CREATE INDEX figure_by_paper ON figure(paper);
CREATE INDEX paper_by_journal ON paper(journal_lc);
CREATE INDEX paper_by_abbreviation ON paper(abbreviation_lc);
CREATE INDEX chemical_key_by_chemical ON chemical_key(chemical, figure);
CREATE INDEX chemical_key_by_key ON chemical_key(key, figure);
CREATE INDEX disease_label_by_figure ON disease_label(figure);
CREATE INDEX figure_taxon_by_taxon ON figure_taxon(taxon, kind);
CREATE INDEX term_name_by_term ON term_name(term);
CREATE INDEX gene_mention_by_gene ON gene_mention(gene, figure);
CREATE INDEX gene_mention_by_figure ON gene_mention(figure);
CREATE INDEX term_mention_by_figure ON term_mention(figure);
CREATE INDEX term_name_by_name ON term_name(name_lc);
"""
# Figures and papers per organism, listed or found by NER, counting figures of a paper only.
_ORGANISM_COUNTS = """
INSERT INTO organism_count
SELECT t.taxon, COUNT(*), COUNT(DISTINCT f.paper)
FROM (SELECT DISTINCT figure, taxon FROM figure_taxon) t JOIN figure f ON f.id = t.figure
WHERE f.paper IS NOT NULL GROUP BY t.taxon
"""
# The tables filled figure by figure.
_TABLES = (
    "paper", "figure", "figure_gene", "gene_mention", "figure_taxon", "chemical_key",
    "disease_label", "term_mention",
)  # fmt: skip
# Rows are sent to SQLite in batches of about this many figures.
_BATCH = 512


@dataclass(frozen=True, slots=True)
class MadeIndex:
    """What :class:`IndexWriter` wrote: where, how much, and its own seconds of work."""

    path: Path
    figures: int
    genes: int
    figure_genes: int
    seconds: float
    # Of those, the final step (counts, table indexes), which runs beside the store's own.
    commit_seconds: float = 0.0


class IndexWriter:
    """Writes a new index file at ``target`` (which must not exist) from figures' facts."""

    def __init__(self, target: Path) -> None:
        self.target = target
        # Created exclusively, so an index never replaces a file it did not make.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, creation_mode()))
        # Finished on another thread (kg.outputs.loader): used by one thread at a time.
        self._db = sqlite3.connect(target, check_same_thread=False)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        self._seconds = 0.0
        self._figures = 0
        self._papers: dict[str, int] = {}
        self._genes: dict[str, int] = {}
        self._gene_about: list[tuple[str | None, str | None]] = []
        self._pairs = 0
        self._chemicals: Counter[str] = Counter()
        self._chemical_words: dict[str, str] = {}
        self._term_names: set[tuple[str, str]] = set()
        self._entities: dict[str, set[str]] = {}
        self._mentions: Counter[str] = Counter()
        self._taxon_names: set[tuple[str, str]] = set()
        self._rows: dict[str, list[tuple]] = {table: [] for table in _TABLES}
        # The figure-gene pairs by figure (CSR), as they come.
        self._arrays = {"indptr": array("q", [0]), "genes": array("i"), "tiers": array("B")}
        self._done = False

    def add(self, facts: FigureFacts) -> None:
        """Add one figure's rows."""
        start = time.perf_counter()
        figure = self._figures
        self._figures += 1
        rows = self._rows
        paper = None
        if facts.paper is not None:
            paper = self._papers.get(facts.paper)
            if paper is None:
                paper = self._papers[facts.paper] = len(self._papers)
                year, journal, abbreviation = facts.paper_about
                rows["paper"].append(
                    (paper, facts.paper, year, journal, _lower(journal), _lower(abbreviation))
                )
        rows["figure"].append((figure, facts.figure, facts.figid, facts.title, facts.image, paper))
        genes = self._genes
        for gene, symbol, taxon in facts.gene_about:
            if gene not in genes:
                genes[gene] = len(genes)
                self._gene_about.append((symbol, taxon))
        ids = [genes[gene] for gene, _ in facts.genes]
        bits = [b for _, b in facts.genes]
        rows["figure_gene"].extend(zip(ids, [figure] * len(ids), bits, strict=True))
        self._arrays["genes"].extend(ids)
        self._arrays["tiers"].extend(bits)
        self._pairs += len(ids)
        self._arrays["indptr"].append(self._pairs)
        rows["gene_mention"].extend(
            (genes[gene], figure, *evidence) for gene, *evidence in facts.gene_mentions
        )
        rows["term_mention"].extend((figure, *row) for row in facts.term_mentions)
        rows["figure_taxon"].extend((figure, taxon, kind) for taxon, kind in facts.taxa)
        self._taxon_names.update(facts.taxon_names)
        rows["chemical_key"].extend((figure, *key) for key in facts.chemical_keys)
        rows["disease_label"].extend((figure, *label) for label in facts.disease_labels)
        self._chemicals.update(facts.chemicals)
        for chemical, word in facts.chemical_words:
            known = self._chemical_words.get(chemical)
            if known is None or word < known:
                self._chemical_words[chemical] = word
        self._term_names.update(facts.term_names)
        for cls, entity in facts.entities:
            self._entities.setdefault(cls, set()).add(entity)
        self._mentions.update(facts.mentions)
        if figure % _BATCH == _BATCH - 1:
            self._flush()
        self._seconds += time.perf_counter() - start

    def _flush(self) -> None:
        for table, rows in self._rows.items():
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self._db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        self._rows = {table: [] for table in _TABLES}

    def commit(self, store_identity: str) -> MadeIndex:
        """Write what is left, the counts and the table indexes; the index then belongs to
        the store whose RocksDB identity is ``store_identity``."""
        start = time.perf_counter()
        self._flush()
        db = self._db
        counts = _gene_counts(self._arrays["genes"], self._arrays["tiers"], len(self._genes))
        db.executemany(
            "INSERT INTO gene VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (gid, gene, symbol, _lower(symbol), taxon, *counts[gid])
                for gene, gid in self._genes.items()
                for symbol, taxon in (self._gene_about[gid],)
            ),
        )
        db.executemany("INSERT INTO taxon_name VALUES (?, ?)", sorted(self._taxon_names))
        db.executemany(
            "INSERT INTO chemical VALUES (?, ?, ?)",
            ((c, n, self._chemical_words.get(c)) for c, n in self._chemicals.items()),
        )
        db.executemany(
            "INSERT INTO term_name VALUES (?, ?, ?)",
            ((term, name, name.lower()) for term, name in sorted(self._term_names)),
        )
        counts = {cls: len(members) for cls, members in self._entities.items()}
        counts.update(self._mentions)
        db.executemany("INSERT INTO class_count VALUES (?, ?)", sorted(counts.items()))
        db.executemany(
            "INSERT INTO incidence VALUES (?, ?)",
            ((name, self._arrays[name].tobytes()) for name in ARRAYS),
        )
        db.executescript(_TABLE_INDEXES)
        db.execute(_ORGANISM_COUNTS)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", FORMAT),
                ("store_identity", store_identity),
                ("made", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            ],
        )
        db.commit()
        db.close()
        self._done = True
        finish = time.perf_counter() - start
        return MadeIndex(
            self.target,
            self._figures,
            len(self._genes),
            self._pairs,
            self._seconds + finish,
            finish,
        )

    def discard(self) -> None:
        """Drop the new index file."""
        if not self._done:
            self._db.close()
            self.target.unlink(missing_ok=True)
            self._done = True


def _gene_counts(genes: array, tiers: array, total: int) -> list[tuple[int, ...]]:
    """Per gene id: the figures mentioning it with all evidence, then under each tier."""
    import numpy as np  # here, not at import: a build without a store needs none

    gene_of = np.frombuffer(genes, dtype=np.int32)
    bits = np.frombuffer(tiers, dtype=np.uint8)
    columns = [np.bincount(gene_of, minlength=total)]
    columns += [
        np.bincount(gene_of[(bits & bit) != 0], minlength=total) for bit in TIER_BITS.values()
    ]
    return list(zip(*(column.tolist() for column in columns), strict=True))


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()
