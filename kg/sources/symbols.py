"""Resolve gene symbols to NCBI Gene ids per organism, from the genes the input itself lists.

Some records list gene keywords (the ``schema-jsonld`` keywords) but have no genes TSV. Their
symbols are resolved through a :class:`SymbolIndex` built from every genes TSV (and every
embedded gene list) of the input: a symbol resolves in a taxon when it names exactly one
gene there. Matching is case-sensitive, since case carries species convention (human
``STAT3``, mouse ``Stat3``, zebrafish ``stat3``).

Example
-------
>>> from kg.model import GeneMention
>>> index = SymbolIndex()
>>> index.add([GeneMention("STAT3", "6774", "STAT3", "9606", "Homo sapiens")])
>>> index.lookup("STAT3", "9606")
('6774',)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.model import EvidenceOrigin, Figure, GeneMention

__all__ = ["SymbolIndex", "keyword_lookups", "resolve_gene_keywords"]


@dataclass(slots=True)
class SymbolIndex:
    """(taxon id, symbol) -> the NCBI Gene ids seen with that symbol in that taxon."""

    genes: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, mentions: Iterable[GeneMention]) -> None:
        """Index every mention that names a gene id, a symbol and a taxon."""
        self.add_entries(self.entries(mentions))

    @staticmethod
    def entries(mentions: Iterable[GeneMention]) -> list[tuple[str, str, str]]:
        """The distinct (taxon id, symbol, gene id) that ``mentions`` would add to an index."""
        return list(
            dict.fromkeys(
                (m.taxon_id, m.symbol, m.gene_id)
                for m in mentions
                if m.gene_id and m.symbol and m.taxon_id
            )
        )

    def entries_for(self, keys: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
        """The entries indexed under ``keys`` ((taxon id, symbol) pairs)."""
        return [(t, s, g) for t, s in keys for g in sorted(self.genes.get((t, s), ()), key=int)]

    def add_entries(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """Index (taxon id, symbol, gene id) entries, as :meth:`entries` gives them."""
        for taxon_id, symbol, gene_id in entries:
            self.genes.setdefault((taxon_id, symbol), set()).add(gene_id)

    def lookup(self, symbol: str, taxon_id: str) -> tuple[str, ...]:
        """Every gene id indexed for ``symbol`` in ``taxon_id``, sorted numerically."""
        return tuple(sorted(self.genes.get((taxon_id, symbol), ()), key=int))

    def __len__(self) -> int:
        return len(self.genes)


def _keyword_taxa(figure: Figure) -> list[str]:
    return list(
        dict.fromkeys(
            ref.taxon_id for ref in (*figure.organisms, *figure.organisms_ner) if ref.taxon_id
        )
    )


def keyword_lookups(figure: Figure) -> list[tuple[str, str]]:
    """The (taxon id, symbol) keys :func:`resolve_gene_keywords` will look up for ``figure``.

    A parallel build sends a worker only these entries of the index, not all of it.
    """
    return [(taxon, keyword) for keyword in figure.gene_keywords for taxon in _keyword_taxa(figure)]


def resolve_gene_keywords(figure: Figure, index: SymbolIndex) -> tuple[Figure, int, int]:
    """Resolve ``figure``'s gene keywords in the taxa it names; return it and two counts.

    Each keyword that names exactly one gene in one of the figure's taxa (``organisms``,
    then ``organisms_ner``) becomes a :class:`~kg.model.GeneMention` with origin
    ``keyword-symbol-index``; the others stay as ``unresolved_keywords``. The counts are
    (resolved mentions, unresolved keywords).
    """
    taxa = _keyword_taxa(figure)
    mentions: list[GeneMention] = []
    unresolved: list[str] = []
    for keyword in figure.gene_keywords:
        found = [
            (taxon_id, ids[0])
            for taxon_id in taxa
            if len(ids := index.lookup(keyword, taxon_id)) == 1  # type: ignore[arg-type]
        ]
        if not found:
            unresolved.append(keyword)
        mentions.extend(
            GeneMention(
                word=keyword,
                gene_id=gene_id,
                symbol=keyword,
                taxon_id=taxon_id,
                organism_name=None,
                match=keyword,
                source="schema-jsonld keyword",
                origin=EvidenceOrigin.KEYWORD_SYMBOL_INDEX,
            )
            for taxon_id, gene_id in found
        )
    resolved = replace(
        figure, genes=figure.genes + tuple(mentions), unresolved_keywords=tuple(unresolved)
    )
    return resolved, len(mentions), len(unresolved)
