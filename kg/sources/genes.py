"""Read a ``<figid>-genes.tsv`` companion into :class:`~kg.model.GeneMention` records.

Two header forms occur: the current 11-column one and an older 10-column one without
``count_synonym``. One OCR word may map to several genes (one row each); a row may carry a
real id with symbol ``NA``, or ``NaN`` for the id (a FamPlex family with no single gene):
such a row is kept as a mention that points at no gene.

Example
-------
>>> from pathlib import Path
>>> result = read_genes(Path("data/sample/_data/PMC8632218__fimmu-12-767939-g001-genes.tsv"))
>>> [(m.word, m.symbol, m.gene_id, m.taxon_id) for m in result.mentions][:2]
[('Receptor', 'kita', '30256', '7955'), ('Receptor', 'ngfra', '100535003', '7955')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import EvidenceOrigin, GeneMention, Problem, Severity
from kg.sources.identifiers import ncbi_id
from kg.sources.tsv import read_tsv
from kg.sources.values import clean_text, parse_count, verbatim_text

__all__ = ["GENE_HEADERS", "GeneTable", "read_genes"]

GENE_HEADERS = (
    (
        "organism_id", "organism_name", "organism_group", "word", "match",
        "ncbigene_symbol", "ncbigene_id", "source", "count_direct", "count_synonym",
        "count_match",
    ),
    (
        "organism_id", "organism_name", "organism_group", "word", "match",
        "ncbigene_symbol", "ncbigene_id", "source", "count_direct", "count_match",
    ),
)  # fmt: skip


@dataclass(slots=True)
class GeneTable:
    """The mentions read from one genes TSV, with the problems found on the way."""

    mentions: list[GeneMention] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicate_rows: int = 0


def _field(
    path: Path, number: int, column: str, message: str, severity: Severity = Severity.ERROR
) -> Problem:
    return Problem(str(path), f"row {number} {column}", message, severity)


_PARSED: tuple[tuple[str, Callable[[str | None], object]], ...] = (
    ("organism_id", ncbi_id),
    ("ncbigene_id", ncbi_id),
    ("count_direct", parse_count),
    ("count_synonym", parse_count),
    ("count_match", parse_count),
)
_TEXTS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("ncbigene_symbol", clean_text),
    ("organism_name", clean_text),
    ("organism_group", clean_text),
    ("source", clean_text),
    ("word", verbatim_text),
    ("match", verbatim_text),
)
_ORDER = tuple(column for column, _ in (*_PARSED, *_TEXTS))


def read_genes(path: Path) -> GeneTable:
    """Read every row of the genes TSV at ``path`` that names an OCR word."""
    table = read_tsv(path, GENE_HEADERS)
    result = GeneTable(problems=list(table.problems), duplicate_rows=table.duplicate_rows)
    # Column by column: cells repeat within a file (the organism, the source, small counts,
    # a gene's symbol), so each distinct cell of a column is read once, to its value or its
    # error. Rows with an error are then read as before, one cell at a time, in order.
    columns: dict[str, list[object]] = {}
    faulty: set[int] = set()
    for column, reader in (*_PARSED, *_TEXTS):
        cells = table.column(column)
        known: dict[str | None, object] = {}
        for cell in set(cells):
            try:
                known[cell] = reader(cell)
            except ValueError as exc:
                known[cell] = exc
        columns[column] = values = [known[cell] for cell in cells]
        if any(isinstance(value, ValueError) for value in known.values()):
            faulty.update(i for i, value in enumerate(values) if isinstance(value, ValueError))
    rows = zip(table.row_numbers, *(columns[column] for column in _ORDER), strict=True)
    for i, row in enumerate(rows):
        number = row[0]
        if i in faulty:
            cells = dict(zip(_ORDER, row[1:], strict=True))
            if not _report_faults(path, number, cells, result.problems):
                continue
            row = (number, *cells.values())
        _, taxon, gene, direct, synonym, matches, symbol, organism, group, source, word, match = row
        if word is None and match is None:
            result.problems.append(_field(path, number, "word", "no OCR word; row skipped"))
            continue
        if symbol is None and gene is not None:
            result.problems.append(
                _field(
                    path,
                    number,
                    "ncbigene_symbol",
                    f"none given (NA) for NCBI Gene {gene}; the gene gets no label",
                    Severity.WARNING,
                )
            )
        result.mentions.append(
            GeneMention(
                word or match,  # type: ignore[arg-type]
                gene,  # type: ignore[arg-type]
                symbol,  # type: ignore[arg-type]
                taxon,  # type: ignore[arg-type]
                organism,  # type: ignore[arg-type]
                match,  # type: ignore[arg-type]
                source,  # type: ignore[arg-type]
                group,  # type: ignore[arg-type]
                direct,  # type: ignore[arg-type]
                synonym,  # type: ignore[arg-type]
                matches,  # type: ignore[arg-type]
                EvidenceOrigin.GENES_TSV,
            )
        )
    return result


def _report_faults(
    path: Path, number: int, cells: dict[str, object], problems: list[Problem]
) -> bool:
    """Report a row's unreadable cells, in column order: an id or count is left empty (its
    cell set to ``None``), unreadable text skips the row. ``False`` when it is skipped."""
    for column, _ in _PARSED:
        if isinstance(cells[column], ValueError):
            problems.append(_field(path, number, column, f"{cells[column]}; left empty"))
            cells[column] = None
    for column, _ in _TEXTS:
        if isinstance(cells[column], ValueError):
            problems.append(_field(path, number, "text", f"{cells[column]}; row skipped"))
            return False
    return True
