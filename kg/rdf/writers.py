"""Stream figure graphs into RDF files: Turtle, N-Triples, N-Quads and JSON-LD.

Writers are registered by format name (:data:`WRITERS`), the way rdflib registers its
serializers, so a format is a name and not an if-chain. Each writer takes figure graphs one
at a time and writes each at once: the figure's own statements, then the shared entity
statements no figure before it stated, so nothing but a set of digests is held across
figures. Files are written to a temporary name in the output folder and renamed into place
by :meth:`RdfWriter.commit`, so an interrupted build leaves the previous output intact.

Example
-------
>>> import tempfile, pathlib
>>> from kg.model import Figure, Paper
>>> from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
>>> graph = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled())).map(
...     Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1")))
>>> out = pathlib.Path(tempfile.mkdtemp()) / "pfocr.nt"
>>> with open_writer("nt", out) as writer:
...     writer.add(graph)
...     path = writer.commit()
>>> len(out.read_text().splitlines())
5
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

import pyoxigraph as ox
from pyld import jsonld

from kg.rdf.figure import FigureGraph
from kg.rdf.jsonld import PROJECT_CONTEXT_URL, OfflineContextLoader
from kg.rdf.ntriples import FirstSeen, Statement, iri, nquads, ntriples, to_oxigraph
from kg.rdf.turtle import TurtleFormatter
from kg.rdf.vocab import PREFIXES
from kg.resources import ontology_path

__all__ = [
    "EXTENSIONS",
    "WRITERS",
    "RdfWriter",
    "atomic_write_bytes",
    "atomic_write_text",
    "creation_mode",
    "open_writer",
]


def creation_mode(directory: bool = False) -> int:
    """The mode a plain ``open()`` or ``mkdir()`` would give under the current umask.

    ``mkstemp`` and ``mkdtemp`` create owner-only files; outputs are for sharing.
    """
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def _temporary(path: Path) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(handle, creation_mode())
    return handle, Path(temp)


class RdfWriter:
    """Base writer: a temporary file that becomes ``path`` on :meth:`commit`.

    :meth:`add` writes a figure's own statements, then the shared statements not written
    before. Which those are the caller may say (a build that feeds several writers works
    it out once); otherwise the writer remembers what it wrote (:class:`FirstSeen`).
    """

    name = ""
    extension = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, self._temp = _temporary(path)
        self._out: IO[bytes] = os.fdopen(handle, "wb")
        self._render_local = self.renderer()
        self._first_seen: FirstSeen | None = None
        self._committed = False

    @staticmethod
    def renderer() -> Callable[[FigureGraph], bytes]:
        """What turns a figure's ``local`` statements into this format's text.

        A parallel build's workers call it ahead (:meth:`FigureGraph.render`), so the
        writing process finds the text made.
        """
        raise NotImplementedError

    def add(self, graph: FigureGraph, shared: Sequence[Statement] | None = None) -> None:
        """Write ``graph``; ``shared``: its shared statements not written before, if known."""
        if shared is None:
            self._first_seen = self._first_seen or FirstSeen()
            shared = self._first_seen.new(graph.shared)
        self._write(graph.render(self.name, self._render_local), graph, shared)

    def _write(self, local: bytes, graph: FigureGraph, shared: Sequence[Statement]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Anything a format writes after the last statement."""

    def commit(self) -> Path:
        """Finish the file, flush it to disk and move it into place atomically."""
        self._finish()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._temp, self.path)
        self._committed = True
        return self.path

    def discard(self) -> None:
        """Drop the temporary file; the previous output stays as it was."""
        if not self._out.closed:
            self._out.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> RdfWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.discard()


class TurtleWriter(RdfWriter):
    """Turtle with the project's prefixes, one description per subject and figure."""

    name = "ttl"
    extension = "ttl"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._formatter = TurtleFormatter(PREFIXES)
        self._out.write(self._formatter.header().encode("utf-8"))

    @staticmethod
    def renderer() -> Callable[[FigureGraph], bytes]:
        formatter = TurtleFormatter(PREFIXES)
        return lambda graph: formatter.block(graph.local).encode("utf-8")

    def _write(self, local: bytes, graph: FigureGraph, shared: Sequence[Statement]) -> None:
        self._out.write(local)
        if shared:
            self._out.write(self._formatter.block(shared).encode("utf-8"))


class NTriplesWriter(RdfWriter):
    """N-Triples: the default graph, one triple a line."""

    name = "nt"
    extension = "nt"

    @staticmethod
    def renderer() -> Callable[[FigureGraph], bytes]:
        return lambda graph: ntriples(graph.local)

    def _write(self, local: bytes, graph: FigureGraph, shared: Sequence[Statement]) -> None:
        self._out.write(local)
        if shared:
            self._out.write(ntriples(shared))


class NQuadsWriter(RdfWriter):
    """N-Quads with one named graph per figure (named by the figure IRI), for provenance.

    Each figure's graph holds everything that figure states, shared entities included, so
    a figure's contribution can be dropped or replaced as one graph.
    """

    name = "nq"
    extension = "nq"

    @staticmethod
    def renderer() -> Callable[[FigureGraph], bytes]:
        return lambda graph: nquads(graph.statements(), iri(graph.figure))

    def add(self, graph: FigureGraph, shared: Sequence[Statement] | None = None) -> None:
        # Every figure's graph repeats its shared statements: nothing to remember.
        self._out.write(graph.render(self.name, self._render_local))


def _pyld_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    literal = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        literal["language"] = term.language
    return literal


def _pyld_triple(triple: ox.Triple) -> dict[str, dict[str, str]]:
    return {
        "subject": _pyld_term(triple.subject),  # type: ignore[arg-type]
        "predicate": _pyld_term(triple.predicate),
        "object": _pyld_term(triple.object),  # type: ignore[arg-type]
    }


class _JsonLdNodes:
    """Statements as compacted JSON-LD node objects, one JSON text a line."""

    def __init__(self) -> None:
        self._loader = OfflineContextLoader.bundled()

    def __call__(self, statements: Sequence[Statement]) -> bytes:
        if not statements:
            return b""
        # pyld's own N-Quads parser is quadratic in triples; hand it its dataset form.
        dataset = {"@default": [_pyld_triple(t) for t in to_oxigraph(statements)]}
        expanded = jsonld.from_rdf(dataset, {"documentLoader": self._loader})
        compacted = jsonld.compact(
            expanded, PROJECT_CONTEXT_URL, {"documentLoader": self._loader, "graph": True}
        )
        texts = (
            json.dumps(node, ensure_ascii=False, sort_keys=True)
            for node in compacted.get("@graph", [])
        )
        return ",\n  ".join(texts).encode("utf-8")


class JsonLdWriter(RdfWriter):
    """JSON-LD compacted with the project's context (``ontology/pfocr-kg.context.jsonld``).

    The context is embedded in the file, so reading it back fetches nothing. A shared
    node stated by several figures may appear more than once; JSON-LD merges node objects
    of the same ``@id``.
    """

    name = "jsonld"
    extension = "jsonld"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._nodes = _JsonLdNodes()
        self._first = True
        context = json.loads(ontology_path("pfocr-kg.context.jsonld").read_text("utf-8"))
        head = json.dumps({"@context": context["@context"]}, ensure_ascii=False, indent=1)
        self._out.write((head[: head.rindex("}")].rstrip() + ',\n "@graph": [').encode())

    @staticmethod
    def renderer() -> Callable[[FigureGraph], bytes]:
        nodes = _JsonLdNodes()
        return lambda graph: nodes(graph.local)

    def _emit(self, text: bytes) -> None:
        if text:
            self._out.write((b"\n  " if self._first else b",\n  ") + text)
            self._first = False

    def _write(self, local: bytes, graph: FigureGraph, shared: Sequence[Statement]) -> None:
        self._emit(local)
        self._emit(self._nodes(shared))

    def _finish(self) -> None:
        self._out.write(b"\n ]\n}\n")


WRITERS: dict[str, Callable[[Path], RdfWriter]] = {
    "ttl": TurtleWriter,
    "nt": NTriplesWriter,
    "nq": NQuadsWriter,
    "jsonld": JsonLdWriter,
}
EXTENSIONS = {name: writer.extension for name, writer in WRITERS.items()}  # type: ignore[attr-defined]


def open_writer(format_name: str, path: Path) -> RdfWriter:
    """A writer for ``format_name`` (one of :data:`WRITERS`) that will write ``path``."""
    try:
        factory = WRITERS[format_name]
    except KeyError:
        raise ValueError(
            f"unknown format {format_name!r}; choose from {', '.join(WRITERS)}"
        ) from None
    return factory(path)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    handle, temp = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
