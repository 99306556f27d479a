"""Read one record with its companion TSVs into a :class:`~kg.model.Figure`.

The front matter gives the figure; the TSVs give its mentions. PFOCR's figure pages show the
``_data`` TSVs, so where a TSV of a kind exists, the figure's mentions of that kind are the
TSV's rows and an older record's embedded list of that kind adds nothing (it is counted as
superseded); where none exists, the embedded list is the figure's mentions.

Example
-------
>>> from pathlib import Path
>>> from kg.sources.layout import discover
>>> from kg.sources.taxa import TaxonTable
>>> source = discover([Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")]).records[0]
>>> result = read_record(source, TaxonTable.bundled())
>>> result.figure.figid, len(result.figure.genes), result.problems
('PMC8632218__fimmu-12-767939-g001', 6, [])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.model import Figure, Problem, Severity
from kg.sources.frontmatter import ReadLimits, RecordError, read_front_matter
from kg.sources.genes import read_genes
from kg.sources.layout import RecordSource
from kg.sources.records import figure_from_front_matter
from kg.sources.taxa import TaxonTable
from kg.sources.terms import read_chemicals, read_diseases

__all__ = ["RecordResult", "read_record"]


@dataclass(slots=True)
class RecordResult:
    """A record read with its companions: the figure (``None`` if rejected) and findings."""

    source: RecordSource
    figure: Figure | None
    problems: list[Problem] = field(default_factory=list)
    duplicate_rows: int = 0
    # Mentions of the front matter's legacy lists that a TSV of the same kind replaced.
    superseded: dict[str, int] = field(default_factory=dict)


def read_record(
    source: RecordSource, taxa: TaxonTable, limits: ReadLimits | None = None
) -> RecordResult:
    """Read ``source``'s front matter and companion TSVs into one figure record."""
    path = str(source.figure_file)
    try:
        data = read_front_matter(source.figure_file, limits)
    except RecordError as exc:
        return RecordResult(
            source, None, [Problem(path, exc.field, exc.message + "; record rejected")]
        )
    parsed = figure_from_front_matter(data, path, taxa)
    result = RecordResult(source, parsed.figure, parsed.problems)
    figure = parsed.figure
    if figure is None:
        return result
    if figure.figid != source.stem:
        result.problems.append(
            Problem(
                path,
                "figid",
                f"{figure.figid!r} differs from the file name; companions "
                f"were looked up by the file name {source.stem!r}",
                Severity.WARNING,
            )
        )
    if source.companions_missing:
        result.problems.append(
            Problem(
                path,
                "companions",
                f"{source.companions_missing}: its genes, chemicals and diseases TSVs "
                "cannot be read",
            )
        )
    mentions: dict[str, tuple[object, ...]] = {
        "gene": figure.genes,
        "chemical": figure.chemicals,
        "disease": figure.diseases,
    }
    for kind, tsv, reader in (
        ("gene", source.genes_tsv, read_genes),
        ("chemical", source.chemicals_tsv, read_chemicals),
        ("disease", source.diseases_tsv, read_diseases),
    ):
        if tsv is None:
            continue  # the front matter's own list, if any, is the figure's mentions
        table = reader(tsv)
        if mentions[kind]:
            result.superseded[kind] = len(mentions[kind])
        mentions[kind] = tuple(table.mentions)
        result.problems.extend(table.problems)
        result.duplicate_rows += table.duplicate_rows
    result.figure = replace(
        figure,
        genes=mentions["gene"],  # type: ignore[arg-type]
        chemicals=mentions["chemical"],  # type: ignore[arg-type]
        diseases=mentions["disease"],  # type: ignore[arg-type]
    )
    return result
