"""Named SPARQL queries (``queries/*.rq``) and safe parameter binding.

Each ``.rq`` file starts with a comment header::

    # title: Figures mentioning a gene
    # description: Figures whose OCR mentions a gene ...
    # category: genes
    # param: gene | gene | required | gene symbol (any case) or NCBI Gene id
    # param: taxon | taxon | optional | NCBI Taxonomy id such as 9606
    # param: limit | integer | 1000 | the most rows to return

A parameter line reads ``name | type | required, optional or a default | description``.
Values are converted to typed RDF terms (:data:`PARAMETER_TYPES`) and handed to the store
as variable bindings (see :meth:`kg.store.TripleStore.query`); they are never pasted into
the query as text, so a value holding SPARQL syntax is just a strange literal. Integer
parameters may also appear as ``${name}`` (in ``LIMIT``), where only the validated integer
is written.

Example
-------
>>> query = load_queries()["figures-mentioning-gene"]
>>> [p.name for p in query.parameters]
['gene', 'taxon', 'limit', 'exclude']
>>> query.bind({"gene": "STAT3", "taxon": "9606"})[1]
{'gene': SymbolLookup(symbol='STAT3'), 'taxon': <NamedNode value=http://purl.obolibrary.org/obo/NCBITaxon_9606>}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.index import Index, open_index
from kg.index.answers import ANSWERS
from kg.model import MESH_PATTERN, excluded_sources
from kg.rdf import iris
from kg.resources import queries_dir
from kg.store.base import QueryResult, Term, TripleStore

__all__ = [
    "PARAMETER_TYPES",
    "NamedQuery",
    "Parameter",
    "ParameterError",
    "SymbolLookup",
    "load_queries",
    "run_named",
    "run_sparql",
]

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


class ParameterError(ValueError):
    """A parameter that is unknown, missing or malformed; the message lists the valid ones."""


def _integer(value: str) -> ox.Literal:
    if not re.fullmatch(r"[0-9]{1,18}", value.strip()):
        raise ValueError(f"{value!r} is not a whole number (0 or more)")
    return ox.Literal(str(int(value)), datatype=XSD_INTEGER)


def _taxon(value: str) -> ox.NamedNode:
    local = value.strip().removeprefix("NCBITaxon:").removeprefix("taxon:")
    return ox.NamedNode(iris.taxon(local))


def _figure(value: str) -> ox.NamedNode:
    text = value.strip()
    if text.startswith(iris.FIGURE_BASE) and text.endswith(".html"):
        text = text[len(iris.FIGURE_BASE) : -len(".html")]
    return ox.NamedNode(iris.figure(text))


def _year(value: str) -> ox.Literal:
    if not re.fullmatch(r"[0-9]{4}", value.strip()):
        raise ValueError(f"{value!r} is not a four-digit year")
    return ox.Literal(value.strip(), datatype=XSD_GYEAR)


def _iri(value: str) -> ox.NamedNode:
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value.strip()):
        raise ValueError(f"{value!r} is not an absolute IRI")
    try:
        return ox.NamedNode(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a valid IRI") from None


@dataclass(frozen=True, slots=True)
class SymbolLookup:
    """A gene given by symbol: resolved to gene IRIs on the store the query runs on."""

    symbol: str


def _gene(name: str, value: str) -> dict[str, ox.NamedNode | SymbolLookup]:
    """A gene by NCBI Gene id binds ``?name`` to its IRI; by symbol, to every gene whose
    symbol it is (any case, any organism: a ``taxon`` parameter narrows it down)."""
    text = value.strip().removeprefix("ncbigene:").removeprefix("NCBIGene:")
    if text.isdigit():
        return {name: ox.NamedNode(iris.gene(text))}
    if not text:
        raise ValueError("empty gene symbol")
    return {name: SymbolLookup(value.strip())}


def _chemical(name: str, value: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """A chemical by MeSH id binds ``?name``; by name or OCR word, ``?name_name``."""
    text = value.strip()
    local = text.split(":", 1)[1] if text.lower().startswith("mesh:") else text
    if MESH_PATTERN.fullmatch(local):
        return {name: ox.NamedNode(iris.mesh(local))}
    return {f"{name}_name": ox.Literal(text)}


def _evidence(value: str) -> frozenset[str]:
    """``synonyms``, ``families`` or both (comma-separated): the evidence left out."""
    words = {word.strip().lower() for word in value.split(",") if word.strip()}
    unknown = sorted(words - {"synonyms", "families", "none"})
    if unknown:
        raise ValueError(f"{unknown[0]!r} is neither synonyms nor families")
    return excluded_sources("synonyms" in words, "families" in words)


# A line ``# @evidence ?figure ?gene`` marks where a query counts ``?gene`` for ``?figure``.
_EVIDENCE_MARKER = re.compile(
    r"^[ \t]*# @evidence (\?[A-Za-z_][A-Za-z0-9_]*) (\?[A-Za-z_][A-Za-z0-9_]*)[ \t]*$", re.M
)


def with_evidence(text: str, excluded: frozenset[str]) -> str:
    """``text`` with each evidence marker made a filter: the gene counts for the figure only if
    one of its mentions there has a match source not in ``excluded`` (or none recorded).

    The sources are the project's own constants (:data:`kg.model.SYNONYM_SOURCES` and
    :data:`kg.model.FAMILY_SOURCES`), never user text.

    >>> print(with_evidence("  # @evidence ?f ?g", frozenset({"x"})))
      FILTER EXISTS { ?f pfocr:hasMention ?_em1 . ?_em1 pfocr:mentionOf ?g .
        FILTER NOT EXISTS { ?_em1 pfocr:matchSource ?_es1 . FILTER(?_es1 IN ("x")) } }
    """
    if not excluded:
        return text
    sources = ", ".join(f'"{source}"' for source in sorted(excluded))
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        figure, gene, m, s = match.group(1), match.group(2), f"?_em{count}", f"?_es{count}"
        return (
            f"  FILTER EXISTS {{ {figure} pfocr:hasMention {m} . {m} pfocr:mentionOf {gene} .\n"
            f"    FILTER NOT EXISTS {{ {m} pfocr:matchSource {s} . FILTER({s} IN ({sources})) }} }}"
        )

    return _EVIDENCE_MARKER.sub(replace, text)


def _single(convert: Callable[[str], ox.NamedNode | ox.Literal]) -> Callable[..., dict]:
    return lambda name, value: {name: convert(value)}


# type name -> (converter to {variable: term}, what to tell users)
PARAMETER_TYPES: dict[str, tuple[Callable[[str, str], dict], str]] = {
    "string": (_single(lambda v: ox.Literal(v)), "any text"),
    "integer": (_single(_integer), "a whole number, 0 or more"),
    "taxon": (_single(_taxon), "an NCBI Taxonomy id such as 9606"),
    "gene": (_gene, "a gene symbol such as STAT3 or an NCBI Gene id such as 6774"),
    "chemical": (_chemical, "a MeSH id such as D000255 or a chemical name"),
    "figure": (_single(_figure), "a PFOCR figure id such as PMC8632218__fimmu-12-767939-g001"),
    "year": (_single(_year), "a four-digit year"),
    "iri": (_single(_iri), "an absolute IRI"),
    "evidence": (
        lambda name, value: {},  # applied to the query text by with_evidence
        "synonyms, families, or synonyms,families: gene evidence left out (default: none)",
    ),
}


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared parameter of a named query."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str

    def describe(self) -> str:
        need = (
            "required"
            if self.required
            else (f"default {self.default}" if self.default is not None else "optional")
        )
        return f"{self.name} ({self.type}, {need})"


_SYMBOL_LOOKUP = """
SELECT DISTINCT ?gene WHERE {
  ?gene a biolink:Gene ; rdfs:label ?label .
  FILTER(LCASE(STR(?label)) = LCASE(STR(?symbol)))
}
ORDER BY ?gene
"""


def resolve_symbols(
    store: TripleStore, bindings: Mapping[str, object]
) -> dict[str, Term | list[Term]]:
    """``bindings`` with each :class:`SymbolLookup` replaced by the gene IRIs it names."""
    resolved: dict[str, Term | list[Term]] = {}
    for name, value in bindings.items():
        if isinstance(value, SymbolLookup):
            rows = store.query(_SYMBOL_LOOKUP, {"symbol": ox.Literal(value.symbol)}).rows
            resolved[name] = [ox.NamedNode(row["gene"]) for row in rows]
        else:
            resolved[name] = value  # type: ignore[assignment]
    return resolved


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query from ``queries/``: its header, parameters and SPARQL text."""

    name: str
    title: str
    description: str
    category: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def bind(
        self, values: Mapping[str, object]
    ) -> tuple[str, dict[str, ox.NamedNode | ox.Literal]]:
        """The query text and the typed terms its variables are bound to.

        The store applies the bindings (see :meth:`kg.store.TripleStore.query`); only
        integer ``${name}`` placeholders are filled in the text itself.
        """
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise ParameterError(
                f"{self.name}: unknown parameter {unknown[0]!r}; valid parameters: "
                + ", ".join(p.describe() for p in self.parameters)
                if self.parameters
                else f"{self.name}: unknown parameter {unknown[0]!r}; this query takes none"
            )
        bindings: dict[str, Term | SymbolLookup] = {}
        text = self.text
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            if raw is None:
                if parameter.required:
                    raise ParameterError(
                        f"{self.name}: missing required parameter {parameter.describe()}: "
                        f"{parameter.description}"
                    )
                text = text.replace("${" + parameter.name + "}", "")
                continue
            convert, expected = PARAMETER_TYPES[parameter.type]
            if parameter.type == "evidence":
                try:
                    text = with_evidence(text, _evidence(str(raw)))
                except ValueError as exc:
                    raise ParameterError(
                        f"{self.name}: parameter {parameter.name} must be {expected}: {exc}"
                    ) from None
                continue
            try:
                terms = convert(parameter.name, str(raw))
            except ValueError as exc:
                raise ParameterError(
                    f"{self.name}: parameter {parameter.name} must be {expected}: {exc}"
                ) from None
            placeholder = "${" + parameter.name + "}"
            if placeholder in text:
                # Only a validated integer is ever written into the text itself.
                text = text.replace(placeholder, str(int(_integer(str(raw)).value)))
            else:
                bindings.update(terms)
        return text, bindings

    def arguments(self, values: Mapping[str, object]) -> dict[str, object]:
        """The validated parameter values as Python values, for answers made without SPARQL
        (:mod:`kg.index.answers`): IRIs and text as ``str``, integers as ``int``, a gene as
        its IRI or a :class:`SymbolLookup`, a chemical as ``chemical`` (its MeSH IRI) or
        ``chemical_name``, the evidence choice as the excluded match sources.

        >>> load_queries()["top-genes"].arguments({"taxon": "9606"})["limit"]
        20
        """
        _, bindings = self.bind(values)  # validates every value
        found: dict[str, object] = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            name = parameter.name
            if parameter.type == "evidence":
                found[name] = _evidence(str(raw)) if raw is not None else frozenset()
            elif parameter.type == "integer":
                found[name] = None if raw is None else int(_integer(str(raw)).value)
            else:
                for key in (name, f"{name}_name"):
                    value = bindings.get(key)
                    if key == name or value is not None:
                        found[key] = (
                            value
                            if value is None or isinstance(value, SymbolLookup)
                            else value.value
                        )
        return found


_HEADER = re.compile(r"^#\s*(title|description|category|param)\s*:\s*(.*)$")


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file with its header."""
    text = path.read_text("utf-8")
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            if last == "description" and line.strip("# "):
                fields["description"] += " " + line.strip("# ").strip()
            continue
        key, value = match.groups()
        last = key
        if key == "param":
            name, kind, need, description = (part.strip() for part in value.split("|", 3))
            if kind not in PARAMETER_TYPES:
                raise ValueError(f"{path}: parameter {name} has unknown type {kind!r}")
            required = need == "required"
            default = None if need in ("required", "optional") else need
            parameters.append(Parameter(name, kind, required, default, description))
        else:
            fields[key] = value.strip()
    for key in ("title", "description"):
        if key not in fields:
            raise ValueError(f"{path}: the header has no {key}")
    return NamedQuery(
        name=path.stem,
        title=fields["title"],
        description=fields["description"],
        category=fields.get("category", ""),
        parameters=tuple(parameters),
        text=text,
        path=path,
    )


def load_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (default: the project's ``queries/``), by name."""
    folder = folder or queries_dir()
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def run_named(
    store: TripleStore,
    name: str,
    params: Mapping[str, object] | None = None,
    catalog: Mapping[str, NamedQuery] | None = None,
    *,
    index: Index | bool = True,
) -> QueryResult:
    """Run the named query ``name`` (see :func:`load_queries`) with its parameters.

    Parameters
    ----------
    store : where to run it.
    name : a query of ``catalog`` (default: the project's ``queries/``), such as ``top-genes``.
    params : values of its declared parameters, as text or numbers.
    index : the store's answer index (:mod:`kg.index`): ``True`` finds the one the build made
        beside the store, if any; ``False`` always runs the SPARQL. Only the bundled queries
        are answered from an index, with the same rows as their SPARQL.

    Returns
    -------
    QueryResult : the rows.

    Raises
    ------
    ParameterError : an unknown query, or a parameter unknown, missing or malformed.

    Examples
    --------
    >>> import pathlib, tempfile, kg
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> _ = kg.build([pathlib.Path("data/sample")], out)
    >>> from kg.store import open_store
    >>> with open_store(out / "pfocr.ttl") as store:
    ...     run_named(store, "top-genes", {"taxon": 9606, "limit": 1}).rows[0]["symbol"]
    'MAPK3'
    """
    catalog = catalog if catalog is not None else load_queries()
    query = catalog.get(name)
    if query is None:
        hint = " (named queries use dashes)" if name.replace("_", "-") in catalog else ""
        raise ParameterError(
            f"unknown named query {name!r}{hint}; named queries: {', '.join(sorted(catalog))}"
        )
    values = dict(params or {})
    answer = ANSWERS.get(name) if _bundled(query) else None
    if answer is not None and index is not False:
        found = open_index(store) if index is True else index
        if found is not None:
            return answer(found, _resolved(found, query.arguments(values)))
    text, bindings = query.bind(values)
    return store.query(text, resolve_symbols(store, bindings))


def _bundled(query: NamedQuery) -> bool:
    """Whether ``query`` is the project's own file (whose index answer is tested equal)."""
    return query.path.resolve().parent == queries_dir().resolve()


def _resolved(index: Index, arguments: dict[str, object]) -> dict[str, object]:
    """``arguments`` with gene symbols looked up in the index, as the SPARQL looks them up."""
    return {
        name: index.gene_iris(value.symbol) if isinstance(value, SymbolLookup) else value
        for name, value in arguments.items()
    }


def run_sparql(
    store: TripleStore, text: str, params: Mapping[str, object] | None = None
) -> QueryResult:
    """Run the SPARQL query ``text``, with ``params`` bound to its variables as data.

    Parameters
    ----------
    store : where to run it.
    text : a SPARQL query; the project's prefixes are declared for it.
    params : variable name -> value: ``<...>`` values are IRIs, anything else a plain
        literal.

    Returns
    -------
    QueryResult : rows, a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    Raises
    ------
    ParameterError : a name that is no SPARQL variable, or an IRI that is not valid.
    kg.store.QuerySyntaxError, kg.store.UpdateRefused : the query itself.

    Examples
    --------
    >>> from kg.store import OxigraphStore
    >>> with OxigraphStore() as store:
    ...     run_sparql(store, "SELECT ?x WHERE { }", {"x": "<http://example.org/a>"}).rows
    [{'x': 'http://example.org/a'}]
    """
    bindings: dict[str, Term] = {}
    for key, value in (params or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ParameterError(f"{key!r} is not a SPARQL variable name")
        value = str(value)
        if value.startswith("<") and value.endswith(">"):
            try:
                bindings[key] = _iri(value[1:-1])
            except ValueError as exc:
                raise ParameterError(f"parameter {key}: {exc}") from None
        else:
            bindings[key] = ox.Literal(value)
    return store.query(text, bindings)
