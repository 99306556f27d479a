"""Placeholders, counts and identifiers as PFOCR writes them."""

from __future__ import annotations

import pytest

from kg.sources.identifiers import chebi_id, doid, mesh_id, ncbi_id
from kg.sources.values import TextIssue, clean_text, parse_count, split_keywords, verbatim_text


@pytest.mark.parametrize("placeholder", ["NA", " NA ", "NaN", ".na.character", "", "  "])
def test_placeholders_are_not_values(placeholder):
    assert clean_text(placeholder) is None


def test_ocr_word_na_is_a_word():
    assert verbatim_text("NA") == "NA"
    assert verbatim_text("  ") is None


def test_text_is_stripped_and_nfc_normalized():
    assert clean_text(" Cafe\u0301 ") == "Café"


def test_yaml_typed_scalars_become_text():
    assert clean_text(11) == "11"
    assert clean_text(0.5) == "0.5"


def test_lone_surrogates_are_refused():
    with pytest.raises(TextIssue, match="surrogate"):
        clean_text("bad \ud800 text")


def test_mappings_are_not_text():
    with pytest.raises(TypeError, match="expected text, got dict"):
        clean_text({"a": 1})


def test_keywords_split_on_pipes_without_placeholders_or_repeats():
    assert split_keywords("STAT3 | tumor  development | NA | STAT3 |") == (
        "STAT3",
        "tumor development",
    )


@pytest.mark.parametrize(("text", "count"), [("5", 5), ("3.0", 3), ("NA", None), ("0", 0)])
def test_counts(text, count):
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["-1", "2.5", "many", "1e3"])
def test_bad_counts_raise(text):
    with pytest.raises(ValueError, match="not a non-negative whole number"):
        parse_count(text)


def test_identifier_forms():
    assert ncbi_id("30767") == "30767"
    assert ncbi_id("9606.0") == "9606"
    assert ncbi_id("NaN") is None
    assert mesh_id("mesh:D000255") == "D000255"
    assert mesh_id("C000589078") == "C000589078"
    assert chebi_id("chebi:15422") == "15422"
    assert doid("doid:0060239") == "0060239"


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (ncbi_id, "12a"),
        (ncbi_id, "0"),
        (mesh_id, "D12"),
        (mesh_id, "mesh:X000255"),
        (chebi_id, "chebi:abc"),
        (doid, "doid:12345678901"),
        (mesh_id, "D000255> <x"),
    ],
)
def test_identifiers_that_would_not_mint_a_safe_iri_are_refused(parse, text):
    with pytest.raises(ValueError, match="is not"):
        parse(text)
