"""The RDF formats pfocr-kg reads and writes: one table, by name and by file extension.

Each :class:`RdfFormat` names its extension, media type, and the names Oxigraph and rdflib
give it; the formats a build writes also have a *renderer*, which turns one figure's
statements into that format's text (a parallel build's workers call it, so the writing
process only writes). This is the only map from extensions to formats; stores, writers,
validation and the CLI look formats up here, the way rdflib's plugin registry holds each
serializer once by name and kind.

Example
-------
>>> from pathlib import Path
>>> fmt = format_of(Path("out/pfocr.NT"))
>>> fmt.name, fmt.media_type, fmt.rdflib
('nt', 'application/n-triples', 'nt')
>>> sorted(BUILD_FORMATS)
['jsonld', 'nq', 'nt', 'ttl']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.figure import FigureGraph
from kg.rdf.jsonld import PROJECT_CONTEXT_URL, OfflineContextLoader
from kg.rdf.ntriples import Statement, iri, nquads, ntriples, to_oxigraph
from kg.rdf.turtle import TurtleFormatter
from kg.rdf.vocab import PREFIXES

__all__ = [
    "BUILD_FORMATS",
    "FORMATS",
    "JsonLdNodes",
    "RdfFormat",
    "Renderer",
    "format_of",
    "renderer",
]

Renderer = Callable[[FigureGraph], bytes]


@dataclass(frozen=True, slots=True)
class RdfFormat:
    """One RDF serialization: how files are named, served and parsed."""

    name: str
    extension: str
    media_type: str
    oxigraph: ox.RdfFormat
    rdflib: str

    @property
    def has_graphs(self) -> bool:
        """Whether the format holds named graphs (N-Quads, TriG, JSON-LD)."""
        return self.oxigraph.supports_datasets


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", ".ttl", "text/turtle", ox.RdfFormat.TURTLE, "turtle"),
        RdfFormat("nt", ".nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
        RdfFormat("nq", ".nq", "application/n-quads", ox.RdfFormat.N_QUADS, "nquads"),
        RdfFormat("trig", ".trig", "application/trig", ox.RdfFormat.TRIG, "trig"),
        RdfFormat("jsonld", ".jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, "json-ld"),
        RdfFormat("rdf", ".rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, "xml"),
    )
}
_BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


def format_of(path: Path) -> RdfFormat:
    """The format of ``path``, from its extension (any case).

    Raises
    ------
    ValueError : the extension names no RDF format; the message lists those that do.
    """
    try:
        return _BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        known = ", ".join(_BY_EXTENSION)
        raise ValueError(f"{path}: cannot tell its RDF format; use one of {known}") from None


def _pyld_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    literal = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        literal["language"] = term.language
    return literal


class JsonLdNodes:
    """Statements as compacted JSON-LD node objects, one JSON text a line."""

    def __init__(self) -> None:
        self._loader = OfflineContextLoader.bundled()

    def __call__(self, statements: Sequence[Statement]) -> bytes:
        if not statements:
            return b""
        # pyld's own N-Quads parser is quadratic in triples; hand it its dataset form.
        dataset = {
            "@default": [
                {
                    "subject": _pyld_term(t.subject),  # type: ignore[arg-type]
                    "predicate": _pyld_term(t.predicate),
                    "object": _pyld_term(t.object),  # type: ignore[arg-type]
                }
                for t in to_oxigraph(statements)
            ]
        }
        from pyld import jsonld  # on first use, as in kg.rdf.jsonld

        expanded = jsonld.from_rdf(dataset, {"documentLoader": self._loader})
        compacted = jsonld.compact(
            expanded, PROJECT_CONTEXT_URL, {"documentLoader": self._loader, "graph": True}
        )
        texts = (
            json.dumps(node, ensure_ascii=False, sort_keys=True)
            for node in compacted.get("@graph", [])
        )
        return ",\n  ".join(texts).encode("utf-8")


def _turtle() -> Renderer:
    formatter = TurtleFormatter(PREFIXES)
    return lambda graph: formatter.block(graph.local).encode("utf-8")


def _ntriples() -> Renderer:
    return lambda graph: ntriples(graph.local)


def _nquads() -> Renderer:
    # Every figure's named graph holds all it states, shared statements included.
    return lambda graph: nquads(graph.statements(), iri(graph.figure))


def _jsonld() -> Renderer:
    nodes = JsonLdNodes()
    return lambda graph: nodes(graph.local)


_RENDERERS: dict[str, Callable[[], Renderer]] = {
    "ttl": _turtle,
    "nt": _ntriples,
    "nq": _nquads,
    "jsonld": _jsonld,
}
BUILD_FORMATS = tuple(_RENDERERS)


def renderer(name: str) -> Renderer:
    """What turns one figure's statements into the text of build format ``name``.

    For ``ttl``, ``nt`` and ``jsonld`` that is the figure's own (``local``) statements;
    for ``nq`` every statement of the figure, in the figure's named graph.

    Raises
    ------
    ValueError : ``name`` is not one of :data:`BUILD_FORMATS`.
    """
    try:
        return _RENDERERS[name]()
    except KeyError:
        raise ValueError(
            f"unknown format {name!r}; choose from {', '.join(BUILD_FORMATS)}"
        ) from None
