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
_UNPARSED = object()


def read_genes(path: Path) -> GeneTable:
    """Read every row of the genes TSV at ``path`` that names an OCR word."""
    table = read_tsv(path, GENE_HEADERS)
    result = GeneTable(problems=list(table.problems), duplicate_rows=table.duplicate_rows)
    # Ids and counts repeat within a file (the organism, small counts): each distinct cell
    # of a column is parsed once, its value or its error kept for the file's other rows.
    parsed: dict[str, dict[str | None, object]] = {column: {} for column, _ in _PARSED}
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        values: dict[str, object] = {}
        for column, parser in _PARSED:
            cell = row.get(column)
            known = parsed[column]
            value = known.get(cell, _UNPARSED)
            if value is _UNPARSED:
                try:
                    value = parser(cell)
                except ValueError as exc:
                    value = exc
                known[cell] = value
            if isinstance(value, ValueError):
                result.problems.append(_field(path, number, column, f"{value}; left empty"))
                value = None
            values[column] = value
        try:
            text = {
                c: clean_text(row[c])
                for c in ("ncbigene_symbol", "organism_name", "organism_group", "source")
            }
            text["word"] = verbatim_text(row["word"])
            text["match"] = verbatim_text(row["match"])
        except ValueError as exc:
            result.problems.append(_field(path, number, "text", f"{exc}; row skipped"))
            continue
        word = text["word"] or text["match"]
        if word is None:
            result.problems.append(_field(path, number, "word", "no OCR word; row skipped"))
            continue
        if text["ncbigene_symbol"] is None and values["ncbigene_id"] is not None:
            result.problems.append(
                _field(
                    path,
                    number,
                    "ncbigene_symbol",
                    f"none given (NA) for NCBI Gene {values['ncbigene_id']}; "
                    "the gene gets no label",
                    Severity.WARNING,
                )
            )
        result.mentions.append(
            GeneMention(
                word=word,
                gene_id=values["ncbigene_id"],  # type: ignore[arg-type]
                symbol=text["ncbigene_symbol"],
                taxon_id=values["organism_id"],  # type: ignore[arg-type]
                organism_name=text["organism_name"],
                match=text["match"],
                source=text["source"],
                organism_group=text["organism_group"],
                count_direct=values["count_direct"],  # type: ignore[arg-type]
                count_synonym=values["count_synonym"],  # type: ignore[arg-type]
                count_match=values["count_match"],  # type: ignore[arg-type]
                origin=EvidenceOrigin.GENES_TSV,
            )
        )
    return result
