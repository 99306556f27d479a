"""SPARQL answers in the formats of the SPARQL 1.1 Protocol, chosen by content negotiation.

SELECT and ASK: SPARQL Results JSON, XML, CSV and TSV (W3C Recommendations); CONSTRUCT and
DESCRIBE: Turtle, N-Triples and JSON-LD, written by Oxigraph with the project's prefixes.

Example
-------
>>> import pyoxigraph as ox
>>> answer = Answer(["x"], [(ox.NamedNode("http://a"),), (ox.Literal("b", language="en"),)])
>>> print(render(answer, "text/tab-separated-values")[0].decode(), end="")
?x
<http://a>
"b"@en
>>> negotiate("application/sparql-results+xml;q=0.9, */*;q=0.1", graph=False)
'application/sparql-results+xml'
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.rdf.vocab import PREFIXES
from kg.web.pool import Answer

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "negotiate", "render"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Media types offered, the first the default; short names for a ?format= parameter.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


def negotiate(accept: str | None, graph: bool, fmt: str | None = None) -> str | None:
    """The media type to answer with: the ``format`` parameter (a short name or a media
    type) if given, else the best of ``accept`` (quality values honoured); ``None`` when
    nothing acceptable is offered (HTTP 406)."""
    offered = list(GRAPH_TYPES if graph else RESULT_TYPES)
    if fmt:
        wanted = _SHORT.get(fmt.lower(), fmt.lower())
        return wanted if wanted in offered else None
    if not accept:
        return offered[0]
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, media.lower()))
    for negative, _, media in sorted(choices):
        if negative == 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for option in offered:
                if prefix == "*" or option.startswith(prefix + "/"):
                    return option
    return None


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    integer = isinstance(term, ox.Literal) and term.datatype.value == _XSD_INTEGER
    if integer and term.value.lstrip("+-").isdigit():
        return term.value  # Turtle's short form of an integer
    # N-Triples form, with the tab that TSV cannot hold escaped too.
    return str(term).replace("\t", "\\t")


def render(answer: Answer, media_type: str) -> tuple[bytes, str]:
    """The answer's bytes in ``media_type`` (from :func:`negotiate`), and the Content-Type."""
    if answer.triples is not None:
        data = ox.serialize(answer.triples, format=GRAPH_TYPES[media_type], prefixes=PREFIXES)
        return data or b"", f"{media_type}; charset=utf-8"
    kind = RESULT_TYPES[media_type]
    if kind == "json":
        if answer.boolean is not None:
            body: Any = {"head": {}, "boolean": answer.boolean}
        else:
            body = {
                "head": {"vars": answer.variables},
                "results": {
                    "bindings": [
                        {
                            name: _json_term(term)
                            for name, term in zip(answer.variables, row, strict=True)
                            if term is not None
                        }
                        for row in answer.rows
                    ]
                },
            }
        return json.dumps(body, ensure_ascii=False).encode("utf-8"), f"{media_type}"
    if kind == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if answer.boolean is not None:
            parts.append(f"<head/><boolean>{'true' if answer.boolean else 'false'}</boolean>")
        else:
            parts.append("<head>")
            parts += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
            parts.append("</head><results>")
            for row in answer.rows:
                parts.append("<result>")
                for name, term in zip(answer.variables, row, strict=True):
                    if term is not None:
                        parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
                parts.append("</result>")
            parts.append("</results>")
        parts.append("</sparql>\n")
        return "".join(parts).encode("utf-8"), f"{media_type}; charset=utf-8"
    out = io.StringIO()
    if answer.boolean is not None:  # no W3C form: the word, as most servers answer
        out.write("true\n" if answer.boolean else "false\n")
    elif kind == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(answer.variables)
        writer.writerows([_csv_term(t) for t in row] for row in answer.rows)
    else:
        out.write("\t".join("?" + v for v in answer.variables) + "\n")
        for row in answer.rows:
            out.write("\t".join(_tsv_term(t) for t in row) + "\n")
    return out.getvalue().encode("utf-8"), f"{media_type}; charset=utf-8"
