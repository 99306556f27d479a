"""The direct path for plain JSON-LD keywords gives exactly pyld's triples, on every record."""

from __future__ import annotations

import pytest

import kg.rdf.jsonld as jsonld_module
from kg.rdf import JsonLdConverter, OfflineContextLoader
from kg.sources.frontmatter import read_front_matter
from tests.conftest import FIGURES


def _blocks() -> list[tuple[dict, str]]:
    blocks = []
    for path in sorted(FIGURES.glob("*.md")):
        front = read_front_matter(path)
        if isinstance(front.get("schema-jsonld"), dict):
            blocks.append((front["schema-jsonld"], str(front["figid"])))
    return blocks


def test_fast_keywords_equal_pyld_on_the_whole_sample(monkeypatch):
    converter = JsonLdConverter(OfflineContextLoader.bundled())
    blocks = _blocks()
    assert len(blocks) == 68
    fast = [converter.convert(block, figid) for block, figid in blocks]
    assert sum(len(block.get("keywords") or []) for block, _ in blocks) > 1000
    monkeypatch.setattr(jsonld_module, "_plain_keywords", lambda doc: None)
    slow = [converter.convert(block, figid) for block, figid in blocks]
    for (_, figid), a, b in zip(blocks, fast, slow, strict=True):
        assert set(a.statements) == set(b.statements), figid
        assert len(a.statements) == len(b.statements) and a.problems == b.problems


@pytest.mark.parametrize(
    "keywords",
    [["STAT3", 7, "JAK1"], [{"@value": "x"}], "one"],
    ids=["mixed", "value-object", "single"],
)
def test_anything_but_plain_strings_goes_through_pyld_and_agrees(keywords, monkeypatch):
    block = {"@context": "https://schema.org/", "@type": "Dataset", "keywords": keywords}
    converter = JsonLdConverter(OfflineContextLoader.bundled())
    ours = converter.convert(block, "PMC1__f1").statements
    monkeypatch.setattr(jsonld_module, "_plain_keywords", lambda doc: None)
    assert set(ours) == set(converter.convert(block, "PMC1__f1").statements)
