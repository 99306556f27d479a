"""Map organism names to NCBI Taxonomy ids through a bundled table.

The table (``ontology/ncbitaxon-names.tsv``) is seeded from the ``organism_id`` /
``organism_name`` pairs of PFOCR's genes TSVs and from the organism names PFOCR lists, and
a build adds the pairs its own TSVs carry. Names match case-insensitively with white space
folded. A name not in the table is not guessed: it resolves to an
:class:`~kg.model.OrganismRef` without a taxon id, which the RDF keeps as a literal.

Example
-------
>>> table = TaxonTable.bundled()
>>> table.resolve("danio  rerio")
OrganismRef(name='danio  rerio', taxon_id='7955', scientific_name='Danio rerio')
>>> table.resolve("Rat sarcoma virus").taxon_id is None
True
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import OrganismRef
from kg.resources import ontology_path

__all__ = ["TaxonTable"]

TABLE_FILE = "ncbitaxon-names.tsv"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class TaxonTable:
    """Organism name -> (NCBI Taxonomy id, scientific name)."""

    by_name: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> TaxonTable:
        """Read a table with columns ``name, taxon_id, scientific_name, source``."""
        table = cls()
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(
                (line for line in handle if not line.startswith("#")), delimiter="\t"
            )
            table.add((row["name"], row["taxon_id"], row["scientific_name"]) for row in rows)
        return table

    @classmethod
    def bundled(cls) -> TaxonTable:
        """The table shipped in ``ontology/``."""
        return cls.from_file(ontology_path(TABLE_FILE))

    def add(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """Add ``(name, taxon_id, scientific_name)`` entries; the first one for a name wins."""
        for name, taxon_id, scientific_name in entries:
            self.by_name.setdefault(_key(name), (taxon_id, scientific_name))
            self.by_name.setdefault(_key(scientific_name), (taxon_id, scientific_name))

    def resolve(self, name: str) -> OrganismRef:
        """The organism named ``name``, with its taxon id when the table knows it."""
        found = self.by_name.get(_key(name))
        if found is None:
            return OrganismRef(name=name)
        return OrganismRef(name=name, taxon_id=found[0], scientific_name=found[1])
