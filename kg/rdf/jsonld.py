"""Process a record's embedded schema.org JSON-LD with pyld, strictly offline.

The only contexts ever loaded are the files in ``ontology/``: the schema.org context
(served for ``https://schema.org/`` and its spellings) and the project's own context. Any
other context, remote, ``file:`` or relative, is refused by :class:`OfflineContextLoader`
and the record's JSON-LD is rejected with a clear message; nothing is fetched and no other
file is read. Blank nodes are skolemized into IRIs under the figure, so the graph holds none.

Example
-------
>>> converter = JsonLdConverter(OfflineContextLoader.bundled())
>>> result = converter.convert(
...     {"@context": "https://schema.org/", "@type": "Dataset", "name": "CreativeWork"},
...     "PMC1__f1",
... )
>>> sorted(predicate for _, predicate, _ in result.statements)
['<http://schema.org/name>', '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox
from cachetools import LRUCache

from kg.model import Severity
from kg.rdf import iris
from kg.rdf.ntriples import Statement, checked_iri, iri, literal
from kg.rdf.vocab import RDF, SCHEMA
from kg.resources import ontology_path

__all__ = [
    "PROJECT_CONTEXT_URL",
    "SCHEMA_ORG_CONTEXT_URLS",
    "JsonLdConverter",
    "JsonLdResult",
    "OfflineContextLoader",
]

SCHEMA_ORG_CONTEXT_URLS = frozenset(
    f"{scheme}://schema.org{path}"
    for scheme in ("https", "http")
    for path in ("", "/", "/docs/jsonldcontext.jsonld", "/docs/jsonldcontext.json")
)
PROJECT_CONTEXT_URL = "https://w3id.org/pfocr-kg/context.jsonld"

# schema.org types `license` as an IRI; PFOCR writes the short name "CC0", which as a
# relative IRI would resolve against the figure page. Known short names map to their IRIs.
LICENSE_IRIS = {
    "CC0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
}


@cache
def _pyld() -> Any:
    """pyld's ``jsonld`` module, imported on first use (a tenth of a second, with its HTTP
    client): PFOCR's own blocks never need it (:func:`_plain_dataset`)."""
    from pyld import jsonld

    return jsonld


@cache
def _context_refused() -> type[Exception]:
    """The error for a context the offline loader will not serve: a pyld ``JsonLdError``,
    so pyld reports it as the root cause of a failed expansion."""
    return type("ContextRefused", (_pyld().JsonLdError,), {"__module__": __name__})


class OfflineContextLoader:
    """A pyld document loader that serves bundled context documents and refuses the rest."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._documents = dict(documents)

    @classmethod
    def bundled(cls) -> OfflineContextLoader:
        """Serve ``ontology/schemaorg-context.jsonld`` and the project's own context."""
        schema = json.loads(ontology_path("schemaorg-context.jsonld").read_text("utf-8"))
        project = json.loads(ontology_path("pfocr-kg.context.jsonld").read_text("utf-8"))
        documents: dict[str, Any] = dict.fromkeys(SCHEMA_ORG_CONTEXT_URLS, schema)
        documents[PROJECT_CONTEXT_URL] = project
        return cls(documents)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        document = self._documents.get(url)
        if document is None:
            raise _context_refused()(
                f"context {url!r} refused: only the bundled schema.org context is served "
                "(nothing is fetched from the network or read from files)",
                "jsonld.LoadDocumentError",
                {"url": url},
                code="loading remote context failed",
            )
        # "static" lets pyld cache the processed context across documents.
        return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


@dataclass(slots=True)
class JsonLdResult:
    """The statements of one JSON-LD block and the problems met, as ``(field, message, severity)``.

    ``rejected`` is set when the block as a whole could not be processed (a refused
    context, invalid JSON-LD); the record it came from is then rejected too.
    """

    statements: list[Statement] = field(default_factory=list)
    problems: list[tuple[str, str, Severity]] = field(default_factory=list)
    unmapped: dict[str, Any] = field(default_factory=dict)
    rejected: bool = False

    def problem(self, name: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append((name, message, severity))


SCHEMA_KEYWORDS = "http://schema.org/keywords"
_KEPT_KEYWORDS = 50_000


def _plain_keywords(doc: dict[str, Any]) -> list[str] | None:
    """The top node's ``keywords`` when they are plain strings under the schema.org context.

    pyld checks each new value of a property against all the values before it, so a figure
    listing hundreds of gene symbols costs quadratic time there. Under the schema.org context
    ``keywords`` is ``schema:keywords`` with no type or language, so each distinct string is
    one plain literal on the top node: the triples pyld would make, made directly (a test
    checks both ways agree on every record of the sample). Anything else goes through pyld.
    """
    value = doc.get("keywords")
    if doc.get("@context") != "https://schema.org/" or value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        return None
    return list(dict.fromkeys(values))


# The one shape PFOCR writes every figure's block in: a Dataset with a description, a name,
# a known licence and an Organization as creator (keywords aside, see above).
_DATASET_KEYS = frozenset(("@context", "@id", "@type", "description", "name", "license", "creator"))
_CREATOR_KEYS = frozenset(("@type", "name"))
_LICENSES = frozenset(LICENSE_IRIS.values())


def _plain_dataset(doc: dict[str, Any], figid: str) -> list[Statement] | None:
    """The statements pyld makes of ``doc`` (after :meth:`JsonLdConverter._prepare`, its
    keywords taken out) when it has PFOCR's own shape, in pyld's order; else ``None``.

    pyld costs about 0.6 ms a block, a tenth of a figure's mapping, to expand the same few
    values under the schema.org context, where ``description`` and ``name`` are plain
    literals, ``license`` an IRI and ``creator`` a node, the blank node ``_:b0``, as it is
    the block's only one. pyld writes subjects, then predicates, in code-point order: the
    blank node comes before the figure, ``rdf:type`` before ``schema:*``. Any other key,
    type, value kind or licence goes through pyld; tests hold the two equal on the sample
    and on generated blocks.
    """
    if (
        doc.get("@context") != "https://schema.org/"
        or doc.get("@type") != "Dataset"
        or not _DATASET_KEYS.issuperset(doc)
    ):
        return None
    description, name, licence = doc.get("description"), doc.get("name"), doc.get("license")
    creator = doc.get("creator")
    if not all(value is None or type(value) is str for value in (description, name)):
        return None
    if licence is not None and licence not in _LICENSES:
        return None
    statements: list[Statement] = []
    node = iri(iris.figure(figid))
    if creator is not None:
        if (
            type(creator) is not dict
            or creator.get("@type") != "Organization"
            or not _CREATOR_KEYS.issuperset(creator)
            or not (creator.get("name") is None or type(creator["name"]) is str)
        ):
            return None
        blank = iri(iris.figure_node(figid, "jsonld", "b0"))
        statements.append((blank, RDF.nt.type, SCHEMA.nt.Organization))
        if creator.get("name") is not None:
            statements.append((blank, SCHEMA.nt.name, literal(creator["name"])))
    statements.append((node, RDF.nt.type, SCHEMA.nt.Dataset))
    if creator is not None:
        statements.append((node, SCHEMA.nt.creator, blank))
    if description is not None:
        statements.append((node, SCHEMA.nt.description, literal(description)))
    if licence is not None:
        statements.append((node, SCHEMA.nt.license, iri(licence)))
    if name is not None:
        statements.append((node, SCHEMA.nt.name, literal(name)))
    return statements


def _root_message(exc: BaseException) -> str:
    while True:
        cause = getattr(exc, "cause", None) or exc.__cause__
        if cause is None or cause is exc:
            break
        exc = cause
    message = getattr(exc, "message", None) or str(exc)
    return str(message).splitlines()[0]


class JsonLdConverter:
    """Expand JSON-LD to RDF with pyld, reusing processed contexts across records."""

    def __init__(self, loader: OfflineContextLoader) -> None:
        self._loader = loader
        # Bounded, and private to this converter: a context cached by other pyld users in
        # the same process must never bypass the offline loader.
        self._cache: LRUCache[str, Any] = LRUCache(maxsize=32)
        # Keywords (mostly gene symbols) recur across figures: their literals are kept, to a bound.
        self._keywords: dict[str, str] = {}

    def _prepare(
        self, document: dict[str, Any], figure_iri: str, result: JsonLdResult
    ) -> dict[str, Any]:
        # Only top-level keys change below, so a shallow copy leaves the record untouched.
        doc = dict(document)
        if "@context" not in doc:
            doc["@context"] = "https://schema.org/"
            result.problem(
                "schema-jsonld.@context", "missing; schema.org assumed", Severity.WARNING
            )
        declared = doc.get("@id")
        if declared is None:
            doc["@id"] = figure_iri
        elif declared != figure_iri:
            result.problem(
                "schema-jsonld.@id",
                f"{declared!r} is not the figure's IRI {figure_iri}; "
                "the figure IRI is used and the declared one kept as unmapped text",
            )
            result.unmapped["schema-jsonld.@id"] = declared
            doc["@id"] = figure_iri
        license_name = doc.get("license")
        if isinstance(license_name, str) and license_name.strip() in LICENSE_IRIS:
            doc["license"] = LICENSE_IRIS[license_name.strip()]
        return doc

    def convert(self, document: dict[str, Any], figid: str) -> JsonLdResult:
        """The triples that ``document`` (a figure's JSON-LD block) states."""
        result = JsonLdResult()
        figure_iri = iris.figure(figid)
        doc = self._prepare(document, figure_iri, result)
        keywords = _plain_keywords(doc)
        if keywords is not None:
            del doc["keywords"]
        try:
            plain = _plain_dataset(doc, figid)
        except ValueError:  # a value Oxigraph refuses: pyld's path reports it
            plain = None
        if plain is not None:
            result.statements = plain
            self._add_keywords(result, figure_iri, keywords)
            return result
        jsonld = _pyld()
        from pyld.context_resolver import ContextResolver

        options = {
            "base": figure_iri,  # the block is embedded in the figure's page
            "documentLoader": self._loader,
            "contextResolver": ContextResolver(self._cache, self._loader),
        }
        try:
            dataset = jsonld.JsonLdProcessor().to_rdf(doc, options)
        except jsonld.JsonLdError as exc:
            result.problem("schema-jsonld", f"{_root_message(exc)}; record rejected")
            result.rejected = True
            return result
        except (RecursionError, TypeError, ValueError) as exc:
            result.problem(
                "schema-jsonld", f"invalid JSON-LD ({type(exc).__name__}: {exc}); record rejected"
            )
            result.rejected = True
            return result
        for graph_name in sorted(dataset):
            if graph_name != "@default":
                result.problem(
                    "schema-jsonld",
                    f"named graph {graph_name!r} merged into the figure's graph",
                    Severity.WARNING,
                )
            for quad in dataset[graph_name]:
                try:
                    result.statements.append(
                        (
                            self._term(quad["subject"], figid),
                            checked_iri(quad["predicate"]["value"]),
                            self._term(quad["object"], figid),
                        )
                    )
                except (ValueError, TypeError) as exc:
                    result.problem("schema-jsonld", f"triple dropped: {exc}")
        self._add_keywords(result, figure_iri, keywords)
        return result

    def _add_keywords(
        self, result: JsonLdResult, figure_iri: str, keywords: list[str] | None
    ) -> None:
        if keywords is None:
            return
        figure, predicate, kept = iri(figure_iri), iri(SCHEMA_KEYWORDS), self._keywords
        for keyword in keywords:
            text = kept.get(keyword)
            if text is None:
                text = literal(keyword)
                if len(kept) < _KEPT_KEYWORDS and len(keyword) <= 40:
                    kept[keyword] = text
            result.statements.append((figure, predicate, text))

    @staticmethod
    def _term(term: dict[str, str], figid: str) -> str:
        kind = term["type"]
        if kind == "IRI":
            return checked_iri(term["value"])
        if kind == "blank node":
            return iri(iris.figure_node(figid, "jsonld", term["value"].removeprefix("_:")))
        language = term.get("language")
        if language:
            return str(ox.Literal(term["value"], language=language))
        datatype = term.get("datatype")
        if datatype:
            checked_iri(datatype)
        return literal(term["value"], datatype)
