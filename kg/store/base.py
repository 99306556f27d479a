"""The interface every triple store backend implements, and the results they all return.

Backends differ in where triples live (an on-disk Oxigraph store, an rdflib graph in
memory, a remote SPARQL 1.1 server) but answer with the same :class:`QueryResult`, whose
values are plain Python: IRIs as ``str``, numeric literals as ``int`` / ``float``,
booleans as ``bool``, other literals as their lexical ``str``, unbound as ``None``.

Example
-------
>>> import pyoxigraph as ox
>>> python_value(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
3
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from kg.rdf.formats import RdfFormat, format_of
from kg.rdf.vocab import PREFIXES

__all__ = [
    "QueryResult",
    "QuerySyntaxError",
    "StoreError",
    "Term",
    "TripleStore",
    "UpdateRefused",
    "insert_values",
    "python_value",
    "rdf_format",
    "with_prefixes",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_FLOATS = {XSD + "double", XSD + "float", XSD + "decimal"}


class StoreError(Exception):
    """A store that cannot be opened, loaded or reached; the message says which and why."""


class QuerySyntaxError(StoreError):
    """A SPARQL query that does not parse, with the line and column of the error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"SPARQL syntax error at {where}{message}")
        self.line = line
        self.column = column
        self.detail = message


class UpdateRefused(StoreError):
    """A SPARQL update sent where only queries run (stores are opened read-only)."""


_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*(?:\n|$))\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def refuse_updates(query: str) -> None:
    """Raise :class:`UpdateRefused` if ``query`` is a SPARQL update, not a query."""
    match = _UPDATE.match(query)
    if match is not None:
        raise UpdateRefused(
            f"SPARQL updates ({match.group(1).upper()}) are not run: pfocr-kg answers "
            "queries (SELECT, ASK, CONSTRUCT, DESCRIBE); rebuild to change the graph"
        )


def rdf_format(path: Path) -> RdfFormat:
    """The RDF format of ``path``, from its extension (:mod:`kg.rdf.formats`)."""
    try:
        return format_of(path)
    except ValueError as exc:
        raise StoreError(str(exc)) from None


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """A query result term as a plain Python value (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)


def with_prefixes(query: str) -> tuple[str, int]:
    """``query`` with the project's prefixes it does not declare itself, and how many lines
    were added (so error line numbers can be given in the user's own numbering)."""
    declared = {match.group(1) or "" for match in _DECLARED.finditer(query)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*lines, query]), len(lines)


Term = ox.NamedNode | ox.Literal


# Stands for "no value": rdflib cannot evaluate an empty VALUES block, and an IRI that no
# data holds matches nothing in every engine.
NO_MATCH = ox.NamedNode("urn:pfocr-kg:no-value")


def insert_values(
    query: str, bindings: Mapping[str, Term | Sequence[Term]], *, per_variable: bool = False
) -> str:
    """Bind variables with ``VALUES`` at the start of the first ``WHERE`` group.

    A variable may take several values (a gene symbol naming genes of several organisms);
    a variable with no value at all is bound to :data:`NO_MATCH`, so the query then answers
    nothing. By default one block holds every combination, the form the embedded engines
    join best (rdflib evaluates separate blocks as a cross product first); ``per_variable``
    gives each variable its own one-variable block instead, the same join in the form every
    server accepts (Virtuoso 7.2 fails on a multi-variable block that meets an ``OPTIONAL``,
    error SP031). Terms are written in their N-Triples form by Oxigraph, which escapes every
    character that could end a literal or an IRI. A query whose parameters belong in a
    subquery marks the place with a line ``# @parameters``.

    >>> x = {"a": ox.NamedNode("http://x"), "b": ox.Literal("y")}
    >>> print(insert_values("SELECT * WHERE { ?a ?b ?c }", x))
    SELECT * WHERE {
      VALUES (?a ?b) { (<http://x> "y") } ?a ?b ?c }
    >>> print(insert_values("SELECT * WHERE { ?a ?b ?c }", x, per_variable=True))
    SELECT * WHERE {
      VALUES ?a { <http://x> } VALUES ?b { "y" } ?a ?b ?c }
    """
    if not bindings:
        return query
    choices = {
        name: [value] if isinstance(value, ox.NamedNode | ox.Literal) else list(value) or [NO_MATCH]
        for name, value in bindings.items()
    }
    if per_variable:
        block = " ".join(
            f"VALUES ?{name} {{ {' '.join(map(str, terms))} }}" for name, terms in choices.items()
        )
    else:
        rows = "".join(
            f" ({' '.join(map(str, row))})" for row in itertools.product(*choices.values())
        )
        block = f"VALUES ({' '.join('?' + n for n in choices)}) {{{rows} }}"
    marker = re.search(r"^[ \t]*# @parameters[ \t]*$", query, re.MULTILINE)
    if marker is not None:
        return query[: marker.start()] + "  " + block + query[marker.end() :]
    match = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE)
    if match is None:
        raise StoreError("the query has no WHERE clause to bind parameters in")
    return query[: match.end()] + "\n  " + block + query[match.end() :]


def _csv_value(value: Any) -> Any:
    """A cell for CSV/TSV: floats to 12 significant digits (``0.9999999999999998`` is 1)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".12g")
    return value


@dataclass(slots=True)
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as a list of ``{variable: value}`` dicts."""
        return [dict(row) for row in self.rows]

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame (needs pandas; ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.rows, columns=self.variables)

    def to_csv(self, delimiter: str = ",") -> str:
        """Rows as CSV (or TSV with ``delimiter="\\t"``), with a header line."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([_csv_value(row.get(v)) for v in self.variables])
        return out.getvalue()

    def to_json(self) -> str:
        """Rows (or the ASK answer) as JSON."""
        if self.boolean is not None:
            return json.dumps({"boolean": self.boolean})
        return json.dumps({"variables": self.variables, "rows": self.rows}, ensure_ascii=False)

    @classmethod
    def from_oxigraph(cls, answer: Any) -> QueryResult:
        """Convert what ``pyoxigraph`` returns for any query form."""
        if isinstance(answer, ox.QueryBoolean):
            return cls(boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = [{name: python_value(solution[name]) for name in names} for solution in answer]
            return cls(variables=names, rows=rows)
        return cls(triples=list(answer))


class TripleStore(ABC):
    """Where triples live: load RDF, run SPARQL, dump, count."""

    name = "store"
    # How parameters are bound: one VALUES block of every combination, or one a variable
    # (see insert_values); servers get one a variable, the form every engine accepts.
    values_per_variable = False

    @property
    def folder(self) -> Path | None:
        """The folder the store's data is in, for stores kept on disk (else ``None``)."""
        return None

    @abstractmethod
    def load(self, path: Path) -> None:
        """Bulk-load the RDF file at ``path`` (format from its extension)."""

    @abstractmethod
    def _execute(self, query: str) -> QueryResult:
        """Run a complete SPARQL query: prefixes declared, parameters bound."""

    def query(
        self, query: str, bindings: Mapping[str, Term | Sequence[Term]] | None = None
    ) -> QueryResult:
        """Run a SPARQL query, with ``bindings`` for some of its variables.

        The project's prefixes are predeclared. Bindings are typed terms, given to the
        engine as data (one ``VALUES`` block, see :func:`insert_values`), never as query
        text. Updates are refused (:class:`UpdateRefused`).
        """
        refuse_updates(query)
        full, added = with_prefixes(query)
        try:
            bound = insert_values(full, dict(bindings or {}), per_variable=self.values_per_variable)
            return self._execute(bound)
        except QuerySyntaxError as exc:
            line = None if exc.line is None else max(exc.line - added, 1)
            raise QuerySyntaxError(exc.detail, line, exc.column) from None

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples (quads, where the store has named graphs)."""

    def dump(self, path: Path) -> None:
        """Write every triple to ``path`` (format from its extension)."""
        raise StoreError(f"the {self.name} backend cannot dump")

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release the store (files, connections)."""

    def __enter__(self) -> TripleStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def parse_error_position(message: str) -> tuple[int | None, int | None, str]:
    """Split Oxigraph's ``error at L:C: detail`` message into its parts."""
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match is None:
        return None, None, message
    return int(match.group(1)), int(match.group(2)), match.group(3)
