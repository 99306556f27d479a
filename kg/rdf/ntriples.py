"""Triples as N-Triples text: the form the build makes, merges, counts and writes.

A :data:`Statement` is a triple whose three terms are already written the N-Triples way:
``<iri>``, ``"text"``, ``"text"@en`` or ``"1"^^<http://www.w3.org/2001/XMLSchema#integer>``.
A tuple of three strings costs a fraction of a microsecond to make, hash and compare, where
an Oxigraph ``Triple`` costs about four; an N-Triples file is then a join, N-Quads the same
with a graph name, and Turtle a grouping by subject (:mod:`kg.rdf.turtle`).

Literals are escaped by Oxigraph itself (the ``str`` of a :class:`pyoxigraph.Literal`), so a
statement's line is byte for byte the line Oxigraph writes for the same triple; a property
test holds the two to that.

Example
-------
>>> s = (iri("http://example.org/a"), iri("http://schema.org/name"), literal('say "hi"'))
>>> ntriples([s]).decode()
'<http://example.org/a> <http://schema.org/name> "say \\\\"hi\\\\"" .\\n'
>>> literal(3)
'"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> to_oxigraph([s])[0].object.value
'say "hi"'
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b

import pyoxigraph as ox

__all__ = [
    "FirstSeen",
    "Statement",
    "checked_iri",
    "from_oxigraph",
    "iri",
    "iri_value",
    "literal",
    "nquads",
    "ntriples",
    "to_oxigraph",
]

Statement = tuple[str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_INTEGER = "^^<http://www.w3.org/2001/XMLSchema#integer>"
_DOUBLE = "^^<http://www.w3.org/2001/XMLSchema#double>"


def iri(value: str) -> str:
    """``<value>``, for IRIs already checked (minted by :mod:`kg.rdf.iris`, vocabulary terms)."""
    return f"<{value}>"


def checked_iri(value: str) -> str:
    """``<value>`` after Oxigraph's IRI check; ``ValueError`` when ``value`` is no valid IRI."""
    return str(ox.NamedNode(value))


def iri_value(term: str) -> str:
    """The IRI inside an IRI term (``<x>`` gives ``x``)."""
    return term[1:-1]


def literal(
    value: str | int | float, datatype: str | None = None, language: str | None = None
) -> str:
    """A literal term; ints are ``xsd:integer``, floats ``xsd:double`` (``repr`` lexical form).

    ``datatype`` is an IRI value (not a term); ``xsd:string`` is written as a plain literal,
    as RDF 1.1 defines them to be the same.
    """
    if isinstance(value, bool):
        raise TypeError("booleans are not mapped")
    if isinstance(value, int):
        return f'"{value}"{_INTEGER}'
    if isinstance(value, float):
        return f'"{value!r}"{_DOUBLE}'
    if language:
        return str(ox.Literal(value, language=language))
    if datatype and datatype != XSD_STRING:
        return f"{ox.Literal(value)}^^<{datatype}>"
    return str(ox.Literal(value))


def ntriples(statements: Iterable[Statement]) -> bytes:
    """``statements`` as N-Triples, one line each."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in statements]).encode("utf-8")


def nquads(statements: Iterable[Statement], graph: str) -> bytes:
    """``statements`` as N-Quads in the named graph ``graph`` (an IRI term)."""
    return "".join([f"{s} {p} {o} {graph} .\n" for s, p, o in statements]).encode("utf-8")


def from_oxigraph(triples: Iterable[ox.Triple]) -> list[Statement]:
    """Oxigraph triples as statements."""
    return [(str(t.subject), str(t.predicate), str(t.object)) for t in triples]


def to_oxigraph(statements: Iterable[Statement]) -> list[ox.Triple]:
    """Statements as Oxigraph triples (parsed, so any malformed term is an error here)."""
    return [quad.triple for quad in ox.parse(ntriples(statements), format=ox.RdfFormat.N_TRIPLES)]


class FirstSeen:
    """Passes on the statements not seen before, remembering each by a 128-bit digest.

    A digest (about 80 bytes with its set entry) stands in for a statement that may hold a
    paper's whole citation, so what a build keeps across 100,000 figures stays small. The
    statements met a second time (a gene's label, a taxon's: stated again by figure after
    figure) are also kept as they are, up to ``repeats`` of them (about 35 MB at the
    default), and known again by an exact match, at a quarter of a digest's cost.
    """

    __slots__ = ("_limit", "_repeated", "_seen")

    def __init__(self, repeats: int = 100_000) -> None:
        self._seen: set[bytes] = set()
        self._repeated: set[Statement] = set()
        self._limit = repeats

    def new(self, statements: Iterable[Statement]) -> list[Statement]:
        """The statements of ``statements`` not seen before, in order; now they are seen."""
        seen, repeated, fresh = self._seen, self._repeated, []
        for statement in statements:
            if statement in repeated:
                continue
            # Subjects and predicates hold no spaces, so the joined text is unambiguous.
            key = blake2b(" ".join(statement).encode("utf-8"), digest_size=16).digest()
            if key not in seen:
                seen.add(key)
                fresh.append(statement)
            elif len(repeated) < self._limit:
                repeated.add(statement)
        return fresh

    def __len__(self) -> int:
        return len(self._seen)
