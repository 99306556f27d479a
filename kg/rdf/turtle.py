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
_PLAIN_LOCAL = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?"
_INTEGER_TYPE = '"^^<http://www.w3.org/2001/XMLSchema#integer>'
_INTEGER = re.compile(r'"([+-]?[0-9]+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>')
# Short forms are kept for reuse (predicates, classes, genes and taxa recur in every
# figure) up to this many, so a corpus of unique IRIs cannot grow the table without bound.
_KEPT_SHORT_FORMS = 100_000


class TurtleFormatter:
    """Turtle text for statements under a fixed set of ``prefixes`` (name to IRI)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._names = {base: name for name, base in self.prefixes.items()}
        # Longest namespace first, so NCBITaxon_ wins over obo/ when both could apply.
        bases = sorted(self._names, key=len, reverse=True)
        self._prefixed = re.compile("<(" + "|".join(map(re.escape, bases)) + f")({_PLAIN_LOCAL})>")
        self._short: dict[str, str] = {RDF_TYPE: "a"}

    def header(self) -> str:
        """The ``@prefix`` lines, in the order the prefixes were given."""
        return "".join(f"@prefix {name}: <{base}> .\n" for name, base in self.prefixes.items())

    def _iri(self, term: str) -> str:
        short = self._short.get(term)
        if short is not None:
            return short
        match = self._prefixed.fullmatch(term)
        if match is None:
            return term  # no prefix applies, or a blank node
        short = f"{self._names[match.group(1)]}:{match.group(2)}"
        if len(self._short) < _KEPT_SHORT_FORMS:
            self._short[term] = short
        return short

    def _object(self, term: str) -> str:
        if term[0] == "<":
            return self._iri(term)
        if term[-1] != ">":  # plain or language-tagged literal
            return term
        if term.endswith(_INTEGER_TYPE):
            number = _INTEGER.fullmatch(term)
            if number:
                short = number.group(1)
                # Counts recur (0, 1, 2...): kept like IRIs' short forms.
                if len(self._short) < _KEPT_SHORT_FORMS:
                    self._short[term] = short
                return short
        # The datatype follows the last '"^^': the lexical form cannot hold a raw quote.
        cut = term.rindex('"^^<') + 3
        return term[:cut] + self._iri(term[cut:])

    def block(self, statements: Sequence[Statement]) -> str:
        """Turtle for ``statements``; runs of one subject share one description."""
        short, iri, obj = self._short, self._iri, self._object
        parts: list[str] = []
        previous = None
        for subject, predicate, value in statements:
            verb = short.get(predicate) or iri(predicate)
            # Plain literals (the last character a quote or a language tag's) are as written.
            written = value if value[-1] != ">" else short.get(value) or obj(value)
            if subject == previous:
                parts.append(f" ;\n\t{verb} {written}")
            else:
                if previous is not None:
                    parts.append(" .\n")
                parts.append(f"{short.get(subject) or iri(subject)} {verb} {written}")
                previous = subject
        if previous is not None:
            parts.append(" .\n")
        return "".join(parts)
