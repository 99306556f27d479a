"""Stream figure graphs into RDF files: Turtle, N-Triples, N-Quads and JSON-LD.

Writers are registered by format name (:data:`WRITERS`), the way rdflib registers its
serializers, so a format is a name and not an if-chain. Each writer takes figure graphs one
at a time: the figure's own triples are written at once, shared entity triples are merged
and written once at the end. Files are written to a temporary name in the output folder and
renamed into place by :meth:`RdfWriter.commit`, so an interrupted build leaves the previous
output intact.

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
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyoxigraph as ox
from pyld import jsonld

from kg.rdf.figure import FigureGraph
from kg.rdf.jsonld import PROJECT_CONTEXT_URL, OfflineContextLoader
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
    """Base writer: a temporary file that becomes ``path`` on :meth:`commit`."""

    extension = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, self._temp = _temporary(path)
        self._out: IO[bytes] = os.fdopen(handle, "wb")
        self._shared: dict[ox.Triple, None] = {}
        self._committed = False

    def add(self, graph: FigureGraph) -> None:
        """Write ``graph``'s own triples; keep its shared triples for the end."""
        self._write_local(graph)
        self._shared.update(dict.fromkeys(graph.shared))

    def _write_local(self, graph: FigureGraph) -> None:
        raise NotImplementedError

    def _write_shared(self, triples: list[ox.Triple]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Anything a format writes after the last triple."""

    def shared_triples(self) -> list[ox.Triple]:
        """Shared triples, grouped by subject in IRI order for readable, stable output."""
        return sorted(self._shared, key=lambda t: t.subject.value)

    def commit(self) -> Path:
        """Finish the file, flush it to disk and move it into place atomically."""
        self._write_shared(self.shared_triples())
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


def _without_prefix_lines(turtle: bytes) -> bytes:
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]


class TurtleWriter(RdfWriter):
    """Turtle with the project's prefixes, one block per subject."""

    extension = "ttl"
    _HEADER = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()).encode()

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._out.write(self._HEADER)

    def _chunk(self, triples: list[ox.Triple]) -> None:
        if not triples:
            return
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        # Oxigraph writes the prefix lines on every call, in no fixed order; this file's
        # own header (above) already declared them, in a fixed order.
        self._out.write(_without_prefix_lines(data))

    def _write_local(self, graph: FigureGraph) -> None:
        self._chunk(graph.local)

    def _write_shared(self, triples: list[ox.Triple]) -> None:
        self._chunk(triples)


class NTriplesWriter(RdfWriter):
    """N-Triples: the default graph, one triple a line."""

    extension = "nt"

    def _write_local(self, graph: FigureGraph) -> None:
        if graph.local:
            self._out.write(graph.local_ntriples())

    def _write_shared(self, triples: list[ox.Triple]) -> None:
        if triples:
            self._out.write(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


class NQuadsWriter(RdfWriter):
    """N-Quads with one named graph per figure (named by the figure IRI), for provenance.

    Each figure's graph holds everything that figure states, shared entities included, so
    a figure's contribution can be dropped or replaced as one graph.
    """

    extension = "nq"

    def add(self, graph: FigureGraph) -> None:
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph.figure) for t in graph.triples()]
        if quads:
            self._out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))

    def _write_shared(self, triples: list[ox.Triple]) -> None:
        """Shared triples already went into each figure's graph."""


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


class JsonLdWriter(RdfWriter):
    """JSON-LD compacted with the project's context (``ontology/pfocr-kg.context.jsonld``).

    The context is embedded in the file, so reading it back fetches nothing.
    """

    extension = "jsonld"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._context = json.loads(ontology_path("pfocr-kg.context.jsonld").read_text("utf-8"))
        self._loader = OfflineContextLoader.bundled()
        self._first = True
        head = json.dumps({"@context": self._context["@context"]}, ensure_ascii=False, indent=1)
        self._out.write((head[: head.rindex("}")].rstrip() + ',\n "@graph": [').encode())

    def _nodes(self, triples: list[ox.Triple]) -> list[dict[str, Any]]:
        if not triples:
            return []
        # pyld's own N-Quads parser is quadratic in triples; hand it its dataset form.
        dataset = {"@default": [_pyld_triple(t) for t in triples]}
        expanded = jsonld.from_rdf(dataset, {"documentLoader": self._loader})
        compacted = jsonld.compact(
            expanded, PROJECT_CONTEXT_URL, {"documentLoader": self._loader, "graph": True}
        )
        return compacted.get("@graph", [])

    def _emit(self, triples: list[ox.Triple]) -> None:
        for node in self._nodes(triples):
            text = json.dumps(node, ensure_ascii=False, sort_keys=True)
            self._out.write(("\n  " if self._first else ",\n  ").encode() + text.encode("utf-8"))
            self._first = False

    def _write_local(self, graph: FigureGraph) -> None:
        self._emit(graph.local)

    def _write_shared(self, triples: list[ox.Triple]) -> None:
        self._emit(triples)

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
