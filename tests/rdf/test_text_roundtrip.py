"""Property tests: any text in title, caption and keywords comes back from Turtle unchanged."""

from __future__ import annotations

import io
import tempfile
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import rdflib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Problem
from kg.outputs import FigureOutput
from kg.outputs.writers import open_writer
from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
from kg.sources import TaxonTable, parse_front_matter
from kg.sources.records import figure_from_front_matter
from kg.sources.values import PLACEHOLDERS

MAPPER = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
FIGURE = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__f1.html")
PAPER = rdflib.URIRef("http://identifiers.org/pmc/PMC1")
SCHEMA = rdflib.Namespace("http://schema.org/")
DCTERMS = rdflib.namespace.DCTERMS

# Any Unicode text but lone surrogates, which are not Unicode scalar values and cannot be
# encoded as UTF-8 (the reader rejects them with an error line; tested in tests/sources).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


def _turtle(record: dict) -> tuple[rdflib.Graph, list[Problem], dict]:
    """Build ``record`` written as a real record file; also return what its YAML holds.

    YAML 1.1 folds some characters (NEL, LINE SEPARATOR) into spaces as line breaks, so the
    expected values are taken from the front matter as parsed, not from ``record``.
    """
    source = "---\n" + yaml.safe_dump(record, allow_unicode=True) + "---\n"
    data = parse_front_matter(source)
    parsed = figure_from_front_matter(data, "x.md", TaxonTable())
    assert parsed.figure is not None
    graph = MAPPER.map(parsed.figure)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pfocr.ttl"
        with open_writer("ttl", path) as writer:
            writer.add(FigureOutput.of(graph, ["ttl"]))
            writer.commit()
        turtle = path.read_bytes()
    store = ox.Store()
    store.load(io.BytesIO(turtle), format=ox.RdfFormat.TURTLE)
    parsed_graph = rdflib.Graph().parse(data=turtle.decode("utf-8"), format="turtle")
    assert len(store) == len(parsed_graph)
    return parsed_graph, parsed.problems + graph.problems, data


def _expected(value: str) -> str | None:
    stripped = value.strip()
    return None if stripped in PLACEHOLDERS else unicodedata.normalize("NFC", stripped)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=text, caption=text)
def test_title_and_caption_round_trip_through_turtle(title, caption):
    graph, problems, data = _turtle(
        {"figid": "PMC1__f1", "pmcid": "PMC1", "figtitle": title, "caption": caption}
    )
    assert problems == []
    title, caption = data["figtitle"], data["caption"]
    found_title = graph.value(FIGURE, DCTERMS.title)
    found_caption = graph.value(FIGURE, SCHEMA.caption)
    assert (None if found_title is None else str(found_title)) == _expected(title)
    assert (None if found_caption is None else str(found_caption)) == _expected(caption)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keywords=st.lists(text, max_size=8))
def test_jsonld_keywords_round_trip_through_turtle(keywords):
    record = {
        "figid": "PMC1__f1",
        "pmcid": "PMC1",
        "schema-jsonld": {"@context": "https://schema.org/", "keywords": keywords},
    }
    graph, problems, data = _turtle(record)
    assert problems == []
    keywords = data["schema-jsonld"]["keywords"]
    # JSON-LD keeps each keyword verbatim (no stripping: it is the figure's own data).
    assert {str(k) for k in graph.objects(FIGURE, SCHEMA.keywords)} == set(keywords)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keywords=st.lists(text.filter(lambda k: "|" not in k), max_size=8))
def test_paper_keywords_round_trip_through_turtle(keywords):
    graph, problems, data = _turtle(
        {"figid": "PMC1__f1", "pmcid": "PMC1", "keywords": " | ".join(keywords)}
    )
    assert problems == []
    expected = {" ".join(k.split()) for k in data["keywords"].split("|")} - PLACEHOLDERS - {""}
    expected = {unicodedata.normalize("NFC", k) for k in expected}  # as text is stored
    assert {str(k) for k in graph.objects(PAPER, SCHEMA.keywords)} == expected
