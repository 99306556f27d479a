"""What a build writes: RDF files, the store, the incremental cache, in one output folder.

Every output implements one interface, :class:`Output`: ``add`` an item, then ``commit``
(finish and flush; the output is then whole on disk) or ``discard`` (drop what was made).
None of them replaces anything in place: a build writes them into a new generation of its
:class:`~kg.outputs.folder.OutputFolder`, which switches the whole set in at once.

* :mod:`kg.outputs.writers`: Turtle, N-Triples, N-Quads and JSON-LD files;
* :mod:`kg.outputs.loader`: an on-disk Oxigraph store, loaded while the build runs;
* :mod:`kg.outputs.cache`: the incremental build's per-record cache (data, never code);
* :mod:`kg.outputs.folder`: the output folder, its marker, lock and generations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from kg.index.facts import FigureFacts
from kg.rdf.figure import FigureGraph
from kg.rdf.formats import renderer
from kg.rdf.ntriples import Statement

__all__ = ["FigureOutput", "Output"]

T_contra = TypeVar("T_contra", contravariant=True)


class Output(Protocol[T_contra]):
    """One output of a build: items go in with :meth:`add`; :meth:`commit` finishes it."""

    def add(self, item: T_contra) -> None:
        """Write one item (a figure, a cache entry)."""

    def commit(self) -> None:
        """Finish the output and flush it to disk."""

    def discard(self) -> None:
        """Drop what was written; harmless after :meth:`commit` or a second call."""


@dataclass(frozen=True, slots=True)
class FigureOutput:
    """One figure as the RDF outputs take it: its text per format, and new shared statements.

    ``texts`` holds the figure's statements rendered by :func:`kg.rdf.formats.renderer`
    for each format; ``shared`` the shared statements (papers, genes, taxa...) that no
    figure before it stated, which each writer renders itself.

    Examples
    --------
    >>> from kg.model import Figure, Paper
    >>> from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
    >>> graph = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled())).map(
    ...     Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1")))
    >>> item = FigureOutput.of(graph, ["nt"])
    >>> item.texts["nt"].count(b"\\n"), len(item.shared)
    (3, 2)
    """

    figure: str
    texts: Mapping[str, bytes]
    shared: Sequence[Statement] = field(default_factory=tuple)
    # Its rows for the store's answer index (kg.index), when the build makes a store.
    facts: FigureFacts | None = None

    @classmethod
    def of(
        cls, graph: FigureGraph, formats: Sequence[str], shared: Sequence[Statement] | None = None
    ) -> FigureOutput:
        """``graph`` rendered in ``formats``; ``shared`` defaults to all its shared statements."""
        texts = {name: renderer(name)(graph) for name in formats}
        return cls(graph.figure, texts, graph.shared if shared is None else shared)
