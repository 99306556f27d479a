"""Stream figures into RDF files: Turtle, N-Triples, N-Quads and JSON-LD.

Writers are registered by format name (:data:`WRITERS`), the way rdflib registers its
serializers. Each takes figures one at a time (:class:`~kg.outputs.FigureOutput`: the
figure's text in its format, made ahead by a worker, and the shared statements no figure
stated before) and writes each at once, so nothing is held across figures. A file is
written under a temporary name beside its path and renamed into place by
:meth:`RdfWriter.commit`; :meth:`RdfWriter.discard` drops it.

Example
-------
>>> import tempfile, pathlib
>>> from kg.model import Figure, Paper
>>> from kg.outputs import FigureOutput
>>> from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
>>> graph = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled())).map(
...     Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1")))
>>> out = pathlib.Path(tempfile.mkdtemp()) / "pfocr.nt"
>>> with open_writer("nt", out) as writer:
...     writer.add(FigureOutput.of(graph, ["nt"]))
...     writer.commit()
>>> len(out.read_text().splitlines())
5
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from kg.files import temporary_file
from kg.outputs import FigureOutput
from kg.rdf.formats import BUILD_FORMATS, FORMATS, JsonLdNodes
from kg.rdf.ntriples import ntriples
from kg.rdf.turtle import TurtleFormatter
from kg.rdf.vocab import PREFIXES
from kg.resources import ontology_path

__all__ = ["WRITERS", "RdfWriter", "open_writer", "output_name"]

OUTPUT_STEM = "pfocr"


def output_name(format_name: str) -> str:
    """The file name a build gives format ``format_name``: ``pfocr.ttl``, ``pfocr.nt``..."""
    return OUTPUT_STEM + FORMATS[format_name].extension


class RdfWriter:
    """Base writer: a temporary file that becomes ``path`` on :meth:`commit`."""

    name = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, self._temp = temporary_file(path)
        self._out: IO[bytes] = os.fdopen(handle, "wb")
        self._committed = False

    def add(self, item: FigureOutput) -> None:
        """Write one figure: its text in this format, then its new shared statements."""
        self._out.write(item.texts[self.name])
        if item.shared:
            self._out.write(self._shared(item))

    def _shared(self, item: FigureOutput) -> bytes:
        raise NotImplementedError

    def _finish(self) -> None:
        """Anything a format writes after the last statement."""

    def commit(self) -> None:
        """Finish the file, flush it to disk and move it into place atomically."""
        self._finish()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._temp, self.path)
        self._committed = True

    def discard(self) -> None:
        """Drop the temporary file; whatever was at ``path`` stays as it was."""
        if not self._out.closed:
            self._out.close()
        if not self._committed:
            self._temp.unlink(missing_ok=True)

    def __enter__(self) -> RdfWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


class TurtleWriter(RdfWriter):
    """Turtle with the project's prefixes, one description per subject and figure."""

    name = "ttl"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._formatter = TurtleFormatter(PREFIXES)
        self._out.write(self._formatter.header().encode("utf-8"))

    def _shared(self, item: FigureOutput) -> bytes:
        return self._formatter.block(item.shared).encode("utf-8")


class NTriplesWriter(RdfWriter):
    """N-Triples: the default graph, one triple a line."""

    name = "nt"

    def _shared(self, item: FigureOutput) -> bytes:
        return ntriples(item.shared)


class NQuadsWriter(RdfWriter):
    """N-Quads with one named graph per figure (named by the figure IRI), for provenance.

    Each figure's graph holds everything that figure states, shared entities included
    (its rendered text already does), so a figure's contribution can be dropped or
    replaced as one graph.
    """

    name = "nq"

    def add(self, item: FigureOutput) -> None:
        self._out.write(item.texts[self.name])


class JsonLdWriter(RdfWriter):
    """JSON-LD compacted with the project's context (``ontology/pfocr-kg.context.jsonld``).

    The context is embedded in the file, so reading it back fetches nothing. A shared
    node stated by several figures may appear more than once; JSON-LD merges node objects
    of the same ``@id``.
    """

    name = "jsonld"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._nodes = JsonLdNodes()
        self._first = True
        context = json.loads(ontology_path("pfocr-kg.context.jsonld").read_text("utf-8"))
        head = json.dumps({"@context": context["@context"]}, ensure_ascii=False, indent=1)
        self._out.write((head[: head.rindex("}")].rstrip() + ',\n "@graph": [').encode())

    def _emit(self, text: bytes) -> None:
        if text:
            self._out.write((b"\n  " if self._first else b",\n  ") + text)
            self._first = False

    def add(self, item: FigureOutput) -> None:
        self._emit(item.texts[self.name])
        self._emit(self._nodes(item.shared))

    def _finish(self) -> None:
        self._out.write(b"\n ]\n}\n")


WRITERS: dict[str, Callable[[Path], RdfWriter]] = {
    "ttl": TurtleWriter,
    "nt": NTriplesWriter,
    "nq": NQuadsWriter,
    "jsonld": JsonLdWriter,
}
assert tuple(WRITERS) == BUILD_FORMATS  # every format a build renders has its writer


def open_writer(format_name: str, path: Path) -> RdfWriter:
    """A writer for ``format_name`` (one of :data:`WRITERS`) that will write ``path``."""
    try:
        factory = WRITERS[format_name]
    except KeyError:
        raise ValueError(
            f"unknown format {format_name!r}; choose from {', '.join(WRITERS)}"
        ) from None
    return factory(path)
