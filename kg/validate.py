"""Check a built graph against the SHACL shapes in ``ontology/shapes.ttl``.

Example
-------
>>> import tempfile, pathlib, kg
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")], out)
>>> validate_file(out / "pfocr.ttl").conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyshacl import validate as shacl_validate

from kg.rdf.formats import format_of
from kg.resources import ontology_path

__all__ = [
    "ONTOLOGY_FILE",
    "SHAPES_FILE",
    "ValidationResult",
    "Violation",
    "validate_file",
    "validate_graph",
]

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "pfocr-kg.ttl"
_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the node, the property path, and the shape's message."""

    focus: str
    path: str
    message: str
    severity: str

    def line(self) -> str:
        return f"{self.focus}: {self.path or '(node)'}: {self.message}"


@dataclass(slots=True)
class ValidationResult:
    """Whether the graph conforms, its size and each violation."""

    conforms: bool
    triples: int
    violations: list[Violation] = field(default_factory=list)


def validate_graph(graph: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationResult:
    """Validate an rdflib graph against ``shapes`` (default: the project's shapes).

    The project's OWL vocabulary is mixed in, so that ``sh:class`` sees its subclass
    axioms (a ``pfocr:GeneMention`` is a ``pfocr:Mention``).
    """
    if shapes is None:
        shapes = rdflib.Graph().parse(ontology_path(SHAPES_FILE), format="turtle")
    vocabulary = rdflib.Graph().parse(ontology_path(ONTOLOGY_FILE), format="turtle")
    conforms, report, _ = shacl_validate(
        graph, shacl_graph=shapes, ont_graph=vocabulary, inference="none"
    )
    violations = [
        Violation(
            focus=str(report.value(result, _SH.focusNode)),
            path=str(report.value(result, _SH.resultPath) or ""),
            message=str(report.value(result, _SH.resultMessage) or ""),
            severity=str(report.value(result, _SH.resultSeverity)).rsplit("#", 1)[-1],
        )
        for result in report.subjects(rdflib.RDF.type, _SH.ValidationResult)
    ]
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationResult(bool(conforms), len(graph), violations)


def validate_file(path: Path) -> ValidationResult:
    """Parse the RDF file at ``path`` (format from its extension) and validate it."""
    rdf_format = format_of(path)  # ValueError names the extensions it knows
    graph: rdflib.Graph = rdflib.Dataset() if rdf_format.has_graphs else rdflib.Graph()
    graph.parse(path, format=rdf_format.rdflib)
    if isinstance(graph, rdflib.Dataset):
        union = rdflib.Graph()
        # Dataset.triples() reads the default graph only; quads() reads every graph.
        for subject, predicate, obj, _graph in graph.quads((None, None, None, None)):
            union.add((subject, predicate, obj))
        graph = union
    return validate_graph(graph)
