"""Read ``<figid>-chemicals.tsv`` and ``<figid>-diseases.tsv`` companions.

Both kinds map an OCR word to a MeSH id plus one id of a second standard (ChEBI for
chemicals, Disease Ontology for diseases). Chemicals also occur in an older three-column
form, ``word, source, identifier``, whose identifier is a MeSH id when source is ``MESH``.
Rows that are ``NA`` throughout carry nothing and are counted, not kept; a row with an OCR
word but no identifier is kept as a mention that points at no term.

Example
-------
>>> from pathlib import Path
>>> result = read_chemicals(Path("data/sample/_data/PMC100008__mb2411709009-chemicals.tsv"))
>>> [(m.word, m.mesh_id, m.chebi_id) for m in result.mentions]
[('Bradykinin', 'D001920', '3165'), ('Isoproterenol', 'D007545', '64317')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import ChemicalMention, DiseaseMention, Problem, Severity
from kg.sources.identifiers import chebi_id, doid, mesh_id
from kg.sources.tsv import read_tsv
from kg.sources.values import clean_text, verbatim_text

__all__ = [
    "CHEMICAL_HEADERS",
    "DISEASE_HEADERS",
    "TermTable",
    "read_chemicals",
    "read_diseases",
]

CHEMICAL_HEADERS = (("word", "mesh", "match", "name", "chebi"), ("word", "source", "identifier"))
DISEASE_HEADERS = (("word", "mesh", "match", "name", "doid"), ("word", "source", "identifier"))


@dataclass(slots=True)
class TermTable:
    """Mentions read from one chemicals or diseases TSV, and the problems found."""

    mentions: list[ChemicalMention | DiseaseMention] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicate_rows: int = 0
    empty_rows: int = 0


def _parsed(
    column: str, value: str | None, parse: Callable[[str | None], str | None], errors: list
) -> str | None:
    try:
        return parse(value)
    except ValueError as exc:
        errors.append((column, str(exc)))
        return None


def _identifiers(
    row: dict[str, str], second: str, parse_second: Callable[[str | None], str | None]
) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    """The MeSH and second-standard ids of ``row``, and (column, reason) for each bad one.

    A bad id in one column never costs the good id in the other.
    """
    errors: list[tuple[str, str]] = []
    if "identifier" in row:  # older form: one identifier, its standard named by `source`
        source = (clean_text(row["source"]) or "").upper()
        if source in ("MESH", ""):
            return _parsed("identifier", row["identifier"], mesh_id, errors), None, errors
        if source == second.upper():
            return None, _parsed("identifier", row["identifier"], parse_second, errors), errors
        errors.append(("source", f"unknown identifier source {row['source']!r}"))
        return None, None, errors
    primary = _parsed("mesh", row["mesh"], mesh_id, errors)
    return primary, _parsed(second, row[second], parse_second, errors), errors


def _read_terms(
    path: Path,
    headers: tuple[tuple[str, ...], ...],
    second: str,
    parse_second: Callable[[str | None], str | None],
    make: type[ChemicalMention] | type[DiseaseMention],
) -> TermTable:
    table = read_tsv(path, headers)
    result = TermTable(problems=list(table.problems), duplicate_rows=table.duplicate_rows)
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        try:
            word = verbatim_text(row["word"])
            match = clean_text(row.get("match"))
            name = clean_text(row.get("name"))
            source = clean_text(row.get("source"))
        except ValueError as exc:
            result.problems.append(Problem(str(path), f"row {number} text", f"{exc}; row skipped"))
            continue
        primary, secondary, errors = _identifiers(row, second, parse_second)
        result.problems.extend(
            Problem(str(path), f"row {number} {column}", f"{reason}; kept without this id")
            for column, reason in errors
        )
        if clean_text(word) is None and not (primary or secondary or match or name):
            result.empty_rows += 1
            continue
        result.mentions.append(
            make(word or match or name or "", primary, secondary, match, name, source)
        )
    if result.empty_rows:
        result.problems.append(
            Problem(
                str(path),
                "rows",
                f"{result.empty_rows} row(s) with no values skipped",
                Severity.WARNING,
            )
        )
    return result


def read_chemicals(path: Path) -> TermTable:
    """Read the chemicals TSV at ``path`` (either header form)."""
    return _read_terms(path, CHEMICAL_HEADERS, "chebi", chebi_id, ChemicalMention)


def read_diseases(path: Path) -> TermTable:
    """Read the diseases TSV at ``path``."""
    return _read_terms(path, DISEASE_HEADERS, "doid", doid, DiseaseMention)
