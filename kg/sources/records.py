"""Turn a parsed front-matter mapping into a :class:`~kg.model.Figure`.

Every field is accounted for: a known field is typed and validated; a field whose value
has the wrong type or form is reported (file, field, reason) and kept verbatim as an
:class:`~kg.model.UnmappedField`; an unknown field is kept the same way with a warning.
Only a record with no usable ``figid`` or PMCID is rejected, because no IRI can be minted
for it.

Example
-------
>>> from kg.sources.taxa import TaxonTable
>>> parsed = figure_from_front_matter(
...     {"figid": "PMC1__f1", "pmcid": "PMC1", "year": "2001", "organisms": ["NA"]},
...     "PMC1__f1.md", TaxonTable(),
... )
>>> parsed.figure.paper.year, parsed.figure.organisms, parsed.problems
('2001', (), [])
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.model import (
    FIGID_PATTERN,
    ChemicalMention,
    DiseaseMention,
    EvidenceOrigin,
    Figure,
    GeneMention,
    OrganismRef,
    Paper,
    Problem,
    Severity,
    UnmappedField,
)
from kg.sources.identifiers import mesh_id, ncbi_id
from kg.sources.taxa import TaxonTable
from kg.sources.values import clean_text, is_placeholder, split_keywords

__all__ = ["ParsedFigure", "figure_from_front_matter"]

_PMCID = re.compile(r"PMC[1-9][0-9]{0,9}")
_YEAR = re.compile(r"[12][0-9]{3}")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")

HUMAN = OrganismRef("Homo sapiens", "9606", "Homo sapiens")

_TEXT_FIELDS = {
    "figtitle": "title",
    "caption": "caption",
    "number": "number",
    "filename": "filename",
    "figlink": "figlink",
    "figid_alias": "figid_alias",
    "figtype": "figtype",
    "ndex": "ndex",
    "seo": "seo",
    "wpid": "wpid",
}
_PAPER_TEXT_FIELDS = {
    "papertitle": "title",
    "reftext": "reftext",
    "journal_title": "journal_title",
    "journal_nlm_ta": "journal_nlm_ta",
    "publisher_name": "publisher_name",
}
_HANDLED = {
    "figid", "pmcid", "year", "doi", "keywords", "automl_pathway", "pathway_score",
    "pmc_ranked_result_index", "organisms", "organisms_ner", "redirect_from",
    "schema-jsonld", "genes", "chemicals", "diseases", "annotations",
    *_TEXT_FIELDS, *_PAPER_TEXT_FIELDS,
}  # fmt: skip


@dataclass(slots=True)
class ParsedFigure:
    """A figure built from front matter (``None`` when rejected) and what was found."""

    figure: Figure | None
    problems: list[Problem] = field(default_factory=list)


class _FieldError(ValueError):
    """A field value of the wrong type or form; the field is then kept unmapped."""


def _text(value: object) -> str | None:
    try:
        return clean_text(value)
    except TypeError as exc:
        raise _FieldError(str(exc)) from None


def _text_list(value: object) -> tuple[str, ...]:
    """A string or a list of strings, placeholders dropped, order and repeats kept."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    texts = (_text(item) for item in items)
    return tuple(text for text in texts if text is not None)


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[object], str | None]:
    def parse(value: object) -> str | None:
        text = _text(value)
        if text is not None and not regex.fullmatch(text):
            raise _FieldError(f"{text!r} is not {what}")
        return text

    return parse


def _number(value: object) -> float | None:
    if value is None or is_placeholder(value):
        return None
    if isinstance(value, bool):
        raise _FieldError("expected a number, got a boolean")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _FieldError(f"expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise _FieldError(f"expected a finite number, got {value!r}")
    return number


def _whole(value: object) -> int | None:
    number = _number(value)
    if number is not None and number != int(number):
        raise _FieldError(f"expected a whole number, got {value!r}")
    return None if number is None else int(number)


def _keywords(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(dict.fromkeys(_text_list(value)))
    return split_keywords(_text(value))


def _mapping_list(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _FieldError("expected a list of mappings")
    return value


def _embedded_genes(value: object) -> tuple[GeneMention, ...]:
    """Old-format ``genes``: human genes (HGNC symbols) by Entrez id."""
    mentions = []
    for item in _mapping_list(value):
        gene_id = _id(ncbi_id, item.get("entrez"))
        word = _text(item.get("word")) or _text(item.get("symbol")) or ""
        mentions.append(
            GeneMention(
                word=word,
                gene_id=gene_id,
                symbol=_text(item.get("hgnc_symbol")),
                taxon_id=HUMAN.taxon_id,
                organism_name=HUMAN.name,
                match=_text(item.get("symbol")),
                source=_text(item.get("source")),
                origin=EvidenceOrigin.FRONT_MATTER,
            )
        )
    return tuple(mentions)


def _id(parse: Callable[[str | None], str | None], value: object) -> str | None:
    try:
        return parse(_text(value))
    except ValueError as exc:
        raise _FieldError(str(exc)) from None


def _embedded_terms(
    value: object, make: type[ChemicalMention] | type[DiseaseMention]
) -> tuple[ChemicalMention | DiseaseMention, ...]:
    """Old-format ``chemicals`` / ``diseases``: word, source, identifier (MeSH)."""
    mentions = []
    for item in _mapping_list(value):
        source = _text(item.get("source"))
        identifier = _text(item.get("identifier"))
        if identifier is not None and (source or "MESH").upper() != "MESH":
            raise _FieldError(f"unknown identifier source {source!r}")
        mentions.append(
            make(
                _text(item.get("word")) or "",
                _id(mesh_id, identifier),
                None,
                None,
                None,
                source,
                EvidenceOrigin.FRONT_MATTER,
            )
        )
    return tuple(mentions)


def _organisms(value: object, taxa: TaxonTable) -> tuple[OrganismRef, ...]:
    names = dict.fromkeys(_text_list(value))
    return tuple(taxa.resolve(name) for name in names)


def _jsonld(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _FieldError(f"expected a JSON-LD object, got {type(value).__name__}")
    return value


def _jsonld_keywords(jsonld: dict[str, Any] | None) -> tuple[str, ...]:
    if not jsonld or "keywords" not in jsonld:
        return ()
    return _keywords(jsonld["keywords"])


class _Fields:
    """The front matter being read: each field parsed once, problems and leftovers kept."""

    def __init__(self, data: dict[str, Any], source_file: str) -> None:
        self.data = data
        self.source_file = source_file
        self.problems: list[Problem] = []
        self.unmapped: list[UnmappedField] = []
        self.values: dict[str, Any] = {}

    def take(self, name: str, parse: Callable[[object], Any]) -> Any:
        """Field ``name`` parsed, or ``None``; a value that does not parse is kept unmapped."""
        if name not in self.data:
            return None
        try:
            parsed = parse(self.data[name])
        except (_FieldError, ValueError) as exc:
            self.problem(name, f"{exc}; kept as unmapped text")
            self.unmapped.append(UnmappedField(name, self.data[name], str(exc)))
            return None
        self.values[name] = parsed
        return parsed

    def problem(self, name: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.source_file, name, message, severity))

    def keep_unmapped(self, name: str, message: str) -> None:
        self.unmapped.append(UnmappedField(name, self.data[name], "no mapping"))
        self.problem(name, message, Severity.WARNING)


def _identity(fields: _Fields) -> tuple[str, str] | None:
    """The figid and PMCID, or ``None`` (the record is rejected, and says why)."""
    figid = fields.take("figid", _text)
    if figid is None or not FIGID_PATTERN.fullmatch(figid):
        reason = "missing" if figid is None else f"{figid!r} cannot be used in an IRI"
        fields.problem("figid", f"{reason} (letters, digits, '.', '_', '-' only); record rejected")
        return None
    pmcid = fields.take("pmcid", _pattern(_PMCID, "a PMCID such as PMC8632218"))
    if pmcid is not None:
        return figid, pmcid
    prefix = figid.split("__", 1)[0]
    if not _PMCID.fullmatch(prefix):
        fields.problem(
            "pmcid",
            "missing or invalid, and the figid does not start with a PMCID; record rejected",
        )
        return None
    fields.problem("pmcid", f"missing; taken from figid as {prefix}", Severity.WARNING)
    return figid, prefix


def _take_values(fields: _Fields, taxa: TaxonTable) -> None:
    take = fields.take
    for name in _TEXT_FIELDS | _PAPER_TEXT_FIELDS:
        take(name, _text)
    take("year", _pattern(_YEAR, "a four-digit year"))
    take("doi", _pattern(_DOI, "a DOI such as 10.3389/fimmu.2021.767939"))
    take("keywords", _keywords)
    take("automl_pathway", _number)
    take("pathway_score", _number)
    take("pmc_ranked_result_index", _whole)
    take("redirect_from", _text_list)
    take("organisms", lambda v: _organisms(v, taxa))
    take("organisms_ner", lambda v: _organisms(v, taxa))
    take("schema-jsonld", _jsonld)
    take("genes", _embedded_genes)
    take("chemicals", lambda v: _embedded_terms(v, ChemicalMention))
    take("diseases", lambda v: _embedded_terms(v, DiseaseMention))
    if fields.data.get("annotations") not in (None, []):
        fields.keep_unmapped("annotations", "non-empty; kept as unmapped text")
    for name in sorted(set(fields.data) - _HANDLED):
        fields.keep_unmapped(name, "unknown field; kept as unmapped text")


def _unknown_organisms(fields: _Fields) -> None:
    for name in ("organisms", "organisms_ner"):
        for ref in fields.values.get(name, ()):
            if ref.taxon_id is None:
                fields.problem(
                    name,
                    f"{ref.name!r} has no NCBI Taxonomy id in the bundled table; kept as a name",
                    Severity.WARNING,
                )


def figure_from_front_matter(
    data: dict[str, Any], source_file: str, taxa: TaxonTable
) -> ParsedFigure:
    """Map front matter ``data`` read from ``source_file`` to a figure record."""
    fields = _Fields(data, source_file)
    identity = _identity(fields)
    if identity is None:
        return ParsedFigure(None, fields.problems)
    figid, pmcid = identity
    _take_values(fields, taxa)
    values = fields.values
    jsonld = values.get("schema-jsonld")
    try:
        gene_keywords = _jsonld_keywords(jsonld)
    except _FieldError as exc:
        fields.problem("schema-jsonld.keywords", str(exc))
        gene_keywords = ()
    _unknown_organisms(fields)
    paper = Paper(
        pmcid=pmcid,
        year=values.get("year"),
        doi=values.get("doi"),
        keywords=values.get("keywords") or (),
        **{attr: values.get(name) for name, attr in _PAPER_TEXT_FIELDS.items()},
    )
    figure = Figure(
        figid=figid,
        source_file=source_file,
        paper=paper,
        automl_pathway=values.get("automl_pathway"),
        pathway_score=values.get("pathway_score"),
        pmc_ranked_result_index=values.get("pmc_ranked_result_index"),
        redirect_from=values.get("redirect_from") or (),
        organisms=values.get("organisms") or (),
        organisms_ner=values.get("organisms_ner") or (),
        jsonld=jsonld,
        gene_keywords=gene_keywords,
        genes=values.get("genes") or (),
        chemicals=values.get("chemicals") or (),  # type: ignore[arg-type]
        diseases=values.get("diseases") or (),  # type: ignore[arg-type]
        unmapped=tuple(fields.unmapped),
        **{attr: values.get(name) for name, attr in _TEXT_FIELDS.items()},
    )
    return ParsedFigure(figure, fields.problems)
