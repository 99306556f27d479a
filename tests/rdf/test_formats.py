"""kg.rdf.formats: one table of RDF formats, by name and by extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.rdf.formats import BUILD_FORMATS, FORMATS, format_of, renderer


def test_every_format_is_found_by_its_extension_in_any_case():
    for fmt in FORMATS.values():
        assert format_of(Path(f"x{fmt.extension.upper()}")) is fmt
    assert [f.name for f in FORMATS.values() if f.has_graphs] == ["nq", "trig", "jsonld"]


def test_an_unknown_extension_names_the_known_ones():
    with pytest.raises(ValueError, match=r"x\.csv: cannot tell its RDF format; use one of \.ttl"):
        format_of(Path("x.csv"))


def test_the_build_renders_exactly_the_formats_it_writes():
    assert BUILD_FORMATS == ("ttl", "nt", "nq", "jsonld")
    with pytest.raises(ValueError, match="unknown format 'rdf'"):
        renderer("rdf")
