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

_TABLE_INDEXES = """
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
CREATE INDEX term_name_by_name ON term_name(name_lc);
"""
# Figures and papers per organism, listed or found by NER, counting figures of a paper only.
_ORGANISM_COUNTS = """
INSERT INTO organism_count
SELECT t.taxon, COUNT(*), COUNT(DISTINCT f.paper)
FROM (SELECT DISTINCT figure, taxon FROM figure_taxon) t JOIN figure f ON f.id = t.figure
WHERE f.paper IS NOT NULL GROUP BY t.taxon
"""
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


class IndexWriter:
    """Writes a new index file at ``target`` (which must not exist) from figures' facts."""

    def __init__(self, target: Path) -> None:
        self.target = target
        # Created exclusively, so an index never replaces a file it did not make.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, creation_mode()))
        self._db = sqlite3.connect(target)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        self._seconds = 0.0
        self._figures = 0
        self._papers: dict[str, int] = {}
        self._genes: dict[str, int] = {}
        self._gene_about: list[tuple[str | None, str | None]] = []
        self._gene_counts: list[list[int]] = []
        self._pairs = 0
        self._chemicals: Counter[str] = Counter()
        self._chemical_words: dict[str, str] = {}
        self._term_names: set[tuple[str, str]] = set()
        self._entities: dict[str, set[str]] = {}
        self._mentions: Counter[str] = Counter()
        self._taxon_names: set[tuple[str, str]] = set()
        self._rows: dict[str, list[tuple]] = {}
        # The figure-gene pairs by figure (CSR), as they come.
        self._arrays = {"indptr": array("q", [0]), "genes": array("i"), "tiers": array("B")}
        self._done = False

    def add(self, facts: FigureFacts) -> None:
        """Add one figure's rows."""
        start = time.perf_counter()
        figure = self._figures
        self._figures += 1
        paper = None
        if facts.paper is not None:
            paper = self._papers.get(facts.paper)
            if paper is None:
                paper = self._papers[facts.paper] = len(self._papers)
                year, journal, abbreviation = facts.paper_about
                self._queue(
                    "paper",
                    (paper, facts.paper, year, journal, _lower(journal), _lower(abbreviation)),
                )
        self._queue("figure", (figure, facts.figure, facts.figid, facts.title, paper))
        for gene, symbol, taxon in facts.gene_about:
            if gene not in self._genes:
                self._genes[gene] = len(self._genes)
                self._gene_about.append((symbol, taxon))
                self._gene_counts.append([0] * (1 + len(TIER_BITS)))
        for gene, bits in facts.genes:
            gid = self._genes[gene]
            counts = self._gene_counts[gid]
            counts[0] += 1
            for place, bit in enumerate(TIER_BITS.values(), start=1):
                if bits & bit:
                    counts[place] += 1
            self._queue("figure_gene", (gid, figure, bits))
            self._arrays["genes"].append(gid)
            self._arrays["tiers"].append(bits)
            self._pairs += 1
        self._arrays["indptr"].append(self._pairs)
        for gene, *evidence in facts.gene_mentions:
            self._queue("gene_mention", (self._genes[gene], figure, *evidence))
        for taxon, kind in facts.taxa:
            self._queue("figure_taxon", (figure, taxon, kind))
        self._taxon_names.update(facts.taxon_names)
        for chemical, word, key in facts.chemical_keys:
            self._queue("chemical_key", (figure, chemical, word, key))
        for disease, label in facts.disease_labels:
            self._queue("disease_label", (figure, disease, label))
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

    def _queue(self, table: str, row: tuple) -> None:
        self._rows.setdefault(table, []).append(row)

    def _flush(self) -> None:
        for table, rows in self._rows.items():
            marks = ", ".join("?" * len(rows[0]))
            self._db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        self._rows = {}

    def commit(self, store_identity: str) -> MadeIndex:
        """Write what is left, the counts and the table indexes; the index then belongs to
        the store whose RocksDB identity is ``store_identity``."""
        start = time.perf_counter()
        self._flush()
        db = self._db
        db.executemany(
            "INSERT INTO gene VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (gid, gene, symbol, _lower(symbol), taxon, *self._gene_counts[gid])
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
        seconds = self._seconds + time.perf_counter() - start
        return MadeIndex(self.target, self._figures, len(self._genes), self._pairs, seconds)

    def discard(self) -> None:
        """Drop the new index file."""
        if not self._done:
            self._db.close()
            self.target.unlink(missing_ok=True)
            self._done = True


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()
