"""The direct path for plain JSON-LD keywords gives exactly pyld's triples, on every record."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

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


def _pyld_only(monkeypatch) -> None:
    monkeypatch.setattr(jsonld_module, "_plain_dataset", lambda doc, figid: None)


def test_pfocr_shaped_blocks_give_pyld_statements_in_pyld_order(monkeypatch):
    converter = JsonLdConverter(OfflineContextLoader.bundled())
    blocks = _blocks()
    shortcut, taken = jsonld_module._plain_dataset, []

    def spy(doc, figid):
        taken.append(shortcut(doc, figid) is not None)
        return shortcut(doc, figid)

    monkeypatch.setattr(jsonld_module, "_plain_dataset", spy)
    fast = [converter.convert(block, figid) for block, figid in blocks]
    assert taken == [True] * 68  # every real block takes the direct path
    _pyld_only(monkeypatch)
    slow = [converter.convert(block, figid) for block, figid in blocks]
    for (_, figid), a, b in zip(blocks, fast, slow, strict=True):
        assert a.statements == b.statements, figid
        assert (a.problems, a.unmapped, a.rejected) == (b.problems, b.unmapped, b.rejected)
    first = fast[0].statements
    assert (
        "<https://w3id.org/pfocr-kg/id/PMC100003__mb2410470011/jsonld/b0>",
        "<http://schema.org/name>",
        '"WikiPathways"',
    ) in first
    assert len(first) == 7 + 6  # seven from the block, six keywords


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_ODD = st.one_of(st.none(), st.integers(), st.lists(_TEXT, max_size=2), st.just({"@value": "x"}))


@st.composite
def _dataset_blocks(draw) -> dict:
    """Blocks of PFOCR's shape (most), and near misses that must go through pyld."""
    block: dict = {"@context": "https://schema.org/", "@type": "Dataset"}
    for key in ("description", "name"):
        if draw(st.integers(0, 4)):
            block[key] = draw(_TEXT)
    if draw(st.integers(0, 4)):
        block["license"] = draw(st.sampled_from(["CC0", "CC-BY-4.0", " CC0 ", "CC BY 4.0"]))
    if draw(st.integers(0, 4)):
        block["creator"] = {"@type": "Organization"}
        if draw(st.integers(0, 4)):
            block["creator"]["name"] = draw(_TEXT)
    if draw(st.booleans()):
        block["keywords"] = draw(st.lists(_TEXT, max_size=3))
    miss = draw(st.integers(0, 12))  # 0-8: one thing off the shape; 9-12: none
    if miss == 0:
        block["@context"] = draw(st.sampled_from(["http://schema.org/", "https://schema.org"]))
    elif miss == 1:
        block["@type"] = draw(st.sampled_from(["Organization", "Thing", ["Dataset"]]))
    elif miss == 2:
        block[draw(st.sampled_from(["description", "name"]))] = draw(_ODD)
    elif miss == 3:
        block["license"] = draw(st.sampled_from(["MIT", "", "https://example.org/licence"]))
    elif miss == 4:
        block["creator"] = draw(st.sampled_from([
            {"@type": "Person", "name": "A"}, [{"@type": "Organization"}], "WikiPathways",
            {"@type": "Organization", "@id": "https://example.org/wp"}, {"name": "A"},
        ]))  # fmt: skip
    elif miss == 5 and "creator" in block:
        block["creator"]["name"] = draw(_ODD)
    elif miss == 6:
        block[draw(st.sampled_from(["url", "dateCreated", "@reverse"]))] = draw(_TEXT)
    elif miss == 7:
        block["@id"] = draw(st.sampled_from([
            "https://pfocr.wikipathways.org/figures/PMC1__f1.html", "https://example.org/x",
        ]))  # fmt: skip
    elif miss == 8:
        del block["@context"]
    return block


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block=_dataset_blocks())
def test_generated_blocks_agree_with_pyld(block):
    converter = JsonLdConverter(OfflineContextLoader.bundled())
    shortcut, taken = jsonld_module._plain_dataset, []

    def spy(doc, figid):
        made = shortcut(doc, figid)
        taken.append(made is not None)
        return made

    jsonld_module._plain_dataset = spy
    try:
        ours = converter.convert(block, "PMC1__f1")
        jsonld_module._plain_dataset = lambda doc, figid: None
        theirs = converter.convert(block, "PMC1__f1")
    finally:
        jsonld_module._plain_dataset = shortcut
    event("direct path" if taken == [True] else "pyld")
    assert ours.statements == theirs.statements
    assert (ours.problems, ours.unmapped, ours.rejected) == (
        theirs.problems,
        theirs.unmapped,
        theirs.rejected,
    )
