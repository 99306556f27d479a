"""Write statements (:mod:`kg.rdf.ntriples`) as Turtle, directly, with the project's prefixes.

N-Triples terms are valid Turtle terms, so writing Turtle is grouping statements by subject
and shortening what can be shortened: IRIs under a declared prefix whose local part is a
plain name become prefixed names, ``rdf:type`` becomes ``a``, datatypes are prefixed, and
``xsd:integer`` literals are written as bare numbers. Everything else is written as it came,
so the file parses (in rdflib and Oxigraph alike; tests check both) to the same graph as
the statements.

Example
-------
>>> from kg.rdf.ntriples import iri, literal
>>> formatter = TurtleFormatter({"schema": "http://schema.org/"})
>>> subject = iri("http://schema.org/Thing")
>>> rdf_type = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> formatter.block([
...     (subject, rdf_type, iri("http://schema.org/Class")),
...     (subject, iri("http://schema.org/position"), literal(2)),
... ]).splitlines()
['schema:Thing a schema:Class ;', '\\tschema:position 2 .']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kg.rdf.ntriples import Statement

__all__ = ["TurtleFormatter"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# A local name written without escapes (a conservative subset of Turtle's PN_LOCAL).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_INTEGER = re.compile(r'"([+-]?[0-9]+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>')
# Predicates (and datatypes) come from a small vocabulary; their short forms are kept, up to
# this many, so a hostile record inventing properties cannot grow the table without bound.
_KEPT_SHORT_FORMS = 4096


class TurtleFormatter:
    """Turtle text for statements under a fixed set of ``prefixes`` (name to IRI)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._names = {base: name for name, base in self.prefixes.items()}
        self._short: dict[str, str] = {RDF_TYPE: "a"}

    def header(self) -> str:
        """The ``@prefix`` lines, in the order the prefixes were given."""
        return "".join(f"@prefix {name}: <{base}> .\n" for name, base in self.prefixes.items())

    def _iri(self, term: str) -> str:
        if term[0] != "<":  # a blank node
            return term
        value = term[1:-1]
        # Try the longest candidate namespace first: NCBITaxon_ before obo/.
        for cut in sorted((value.rfind("_"), value.rfind("#"), value.rfind("/")), reverse=True):
            if cut < 0:
                break
            name = self._names.get(value[: cut + 1])
            if name is not None and _PLAIN_LOCAL.fullmatch(value, cut + 1):
                return f"{name}:{value[cut + 1 :]}"
        return term

    def _predicate(self, term: str) -> str:
        short = self._short.get(term)
        if short is None:
            short = self._iri(term)
            if len(self._short) < _KEPT_SHORT_FORMS:
                self._short[term] = short
        return short

    def _object(self, term: str) -> str:
        if term[0] == "<":
            return self._iri(term)
        if term[-1] != ">":  # plain or language-tagged literal
            return term
        number = _INTEGER.fullmatch(term)
        if number:
            return number.group(1)
        # The datatype follows the last '"^^': the lexical form cannot hold a raw quote.
        cut = term.rindex('"^^<') + 3
        return term[:cut] + self._predicate(term[cut:])

    def block(self, statements: Sequence[Statement]) -> str:
        """Turtle for ``statements``; runs of one subject share one description."""
        parts: list[str] = []
        previous = None
        for subject, predicate, obj in statements:
            if subject == previous:
                parts.append(f" ;\n\t{self._predicate(predicate)} {self._object(obj)}")
            else:
                if previous is not None:
                    parts.append(" .\n")
                parts.append(
                    f"{self._iri(subject)} {self._predicate(predicate)} {self._object(obj)}"
                )
                previous = subject
        if previous is not None:
            parts.append(" .\n")
        return "".join(parts)
