"""What a build read, built, rejected and wrote: the report, and the counts behind it.

Example
-------
>>> report = BuildReport(inputs=["data/sample"], records_found=2, records_built=1)
>>> report.as_dict()["records"]
{'read': 2, 'built': 1, 'rejected': 0}
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.files import atomic_write_text
from kg.model import Figure, Problem, Severity
from kg.rdf import ENTITY_KINDS, FigureGraph
from kg.rdf.description import StatementCounts
from kg.rdf.ntriples import FirstSeen, Statement

__all__ = ["BuildReport", "FigureCounts", "Tally", "write_report"]


@dataclass(slots=True)
class BuildReport:
    """What a build read, built, rejected and wrote; saved as ``build-report.json``."""

    inputs: list[str] = field(default_factory=list)
    records_found: int = 0
    records_built: int = 0
    records_rejected: int = 0
    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    mentions: Counter[str] = field(default_factory=Counter)
    unresolved_mentions: Counter[str] = field(default_factory=Counter)
    gene_keywords_resolved: int = 0
    gene_keywords_unresolved: int = 0
    unmapped_fields: Counter[str] = field(default_factory=Counter)
    duplicate_rows: int = 0
    gene_sources: Counter[str] = field(default_factory=Counter)
    # Mentions of older records' embedded lists that a TSV of the same kind replaced.
    superseded: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    # The store's answer index (kg.index): seconds to make it, and its figure-gene pairs.
    index: dict[str, Any] | None = None
    # An incremental build's changes by figid: added, changed, removed, and the unchanged count.
    changes: dict[str, Any] | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (errors as ``{file, field, message}``)."""
        return {
            "pfocr_kg_version": __version__,
            "inputs": self.inputs,
            "records": {
                "read": self.records_found,
                "built": self.records_built,
                "rejected": self.records_rejected,
            },
            "triples": self.triples,
            "entities": self.entities,
            "mentions": dict(sorted(self.mentions.items())),
            "unresolved_mentions": dict(sorted(self.unresolved_mentions.items())),
            # The graph keeps every match with its pfocr:matchSource; the evidence tier is
            # chosen when the graph is queried, analysed or exported.
            "evidence": "all",
            "gene_mentions_by_match_source": dict(sorted(self.gene_sources.items())),
            "gene_keywords": {
                "resolved_mentions": self.gene_keywords_resolved,
                "unresolved": self.gene_keywords_unresolved,
            },
            "unmapped_fields": dict(sorted(self.unmapped_fields.items())),
            "duplicate_rows_merged": self.duplicate_rows,
            "legacy_mentions_superseded_by_tsv": dict(sorted(self.superseded.items())),
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "outputs": self.outputs,
            **({"incremental": self.changes} if self.changes is not None else {}),
            **({"index": self.index} if self.index is not None else {}),
            "seconds": round(self.seconds, 3),
        }


class Tally:
    """Counts across the build that the report and the VoID description need.

    It also decides, once for every writer, which shared statements are new: the first
    figure to state a gene's label writes it, later ones do not.
    """

    def __init__(self) -> None:
        self.entities: dict[str, set[str]] = {kind: set() for kind in ENTITY_KINDS}
        self.first_seen = FirstSeen()
        self.counts = StatementCounts()

    def add(self, graph: FigureGraph, local: StatementCounts) -> list[Statement]:
        """Count ``graph`` (``local``: the counts of its own statements); return its shared
        statements that no figure stated before."""
        shared = self.first_seen.new(graph.shared)
        self.counts.update(local)
        self.counts.add(shared)
        for kind, iris in graph.entities.items():
            self.entities[kind].update(iris)
        return shared


@dataclass(slots=True)
class FigureCounts:
    """What the report counts of one figure's mentions and fields."""

    mentions: Counter[str]
    unresolved: Counter[str]
    unmapped: list[str]
    sources: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, figure: Figure) -> FigureCounts:
        mentions: Counter[str] = Counter()
        unresolved: Counter[str] = Counter()
        for kind, found in (
            ("gene", figure.genes),
            ("chemical", figure.chemicals),
            ("disease", figure.diseases),
        ):
            mentions[kind] += len(found)
            unresolved[kind] += sum(
                1
                for m in found
                if not (
                    getattr(m, "gene_id", None)
                    or getattr(m, "mesh_id", None)
                    or getattr(m, "chebi_id", None)
                    or getattr(m, "doid", None)
                )
            )
        sources = Counter(m.source or "(none)" for m in figure.genes)
        return cls(mentions, unresolved, [item.name for item in figure.unmapped], sources)

    def add_to(self, report: BuildReport) -> None:
        report.mentions.update(self.mentions)
        report.unresolved_mentions.update(self.unresolved)
        report.unmapped_fields.update(self.unmapped)
        report.gene_sources.update(self.sources)


def write_report(report: BuildReport, path: Path) -> None:
    """Write ``report`` as JSON to ``path`` (atomically)."""
    atomic_write_text(path, json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
