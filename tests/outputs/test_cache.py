"""The incremental cache: JSON entries checked by their checksum, a cache per generation."""

from __future__ import annotations

import sqlite3

from kg.build.prepare import Prepared, RecordPreparer
from kg.outputs.cache import BuildCache, CacheEntry
from kg.sources import TaxonTable, discover
from tests.conftest import FIGURES, STAT3_FIGID


def _prepared() -> tuple:
    source = discover([FIGURES / f"{STAT3_FIGID}.md"]).records[0]
    return source, RecordPreparer(TaxonTable.bundled(), None, ["nt"], keep=True).prepare(source)


def test_a_prepared_record_survives_json_whole(tmp_path):
    source, prepared = _prepared()
    again = Prepared.from_json(source, prepared.to_json())
    assert again.graph.local == prepared.graph.local
    assert again.graph.shared == prepared.graph.shared
    assert again.graph.entities == prepared.graph.entities
    assert (again.figid, again.symbols, again.counts) == (
        prepared.figid,
        prepared.symbols,
        prepared.counts,
    )


def test_an_entry_whose_statements_are_not_ntriples_is_refused(tmp_path):
    source, prepared = _prepared()
    text = prepared.to_json().replace(b'"<https://pfocr', b'"<https://pf ocr', 1)
    try:
        Prepared.from_json(source, text)
    except ValueError as exc:
        assert "not N-Triples" in str(exc)
    else:
        raise AssertionError("a broken statement was accepted")


def test_entries_come_back_only_while_their_hash_and_checksum_hold(tmp_path):
    first = BuildCache(None, tmp_path / "1.sqlite", settings="s")
    first.add(CacheEntry("a.md", "PMC1__f1", "h1", b'{"x": 1}'))
    first.commit()
    db = sqlite3.connect(tmp_path / "1.sqlite")
    db.execute("INSERT INTO records VALUES ('b.md', 'PMC1__f2', 'h2', 'wrong', x'7b7d')")
    db.commit()
    db.close()
    second = BuildCache(tmp_path / "1.sqlite", tmp_path / "2.sqlite", settings="s")
    assert second.get("a.md", "h1") == b'{"x": 1}'
    assert second.get("a.md", "other hash") is None
    assert second.get("b.md", "h2") is None  # its checksum does not match its payload
    second.discard()
    assert not (tmp_path / "2.sqlite").exists()


def test_other_settings_make_every_entry_a_miss(tmp_path):
    first = BuildCache(None, tmp_path / "1.sqlite", settings="s")
    first.add(CacheEntry("a.md", "PMC1__f1", "h1", b"{}"))
    first.commit()
    second = BuildCache(tmp_path / "1.sqlite", tmp_path / "2.sqlite", settings="other")
    assert (second.previous, second.problem) == ({}, None)
    assert second.get("a.md", "h1") is None
    second.discard()


def test_a_file_that_is_not_a_cache_is_reported(tmp_path):
    (tmp_path / "1.sqlite").write_bytes(b"not sqlite at all" * 64)
    cache = BuildCache(tmp_path / "1.sqlite", tmp_path / "2.sqlite", settings="s")
    assert cache.previous == {}
    assert cache.problem.startswith("cannot read the previous build cache")
    cache.discard()


def test_a_new_cache_never_takes_over_a_file_that_is_there(tmp_path):
    import pytest

    from kg.outputs.cache import CacheError

    someone = tmp_path / "2.sqlite"
    someone.write_text("someone else's file")
    with pytest.raises(CacheError, match="exists already"):
        BuildCache(None, someone, settings="s")
    assert someone.read_text() == "someone else's file"
