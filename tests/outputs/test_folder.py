"""The output folder: only what pfocr-kg made is replaced, and a build's outputs switch whole.

Refusals happen before any work (nothing is written); a failed build leaves the previous
set as it was; stale formats of an earlier build disappear with it; readers of the store
keep the files they opened.
"""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest

import kg
from kg.build import InputError, NothingBuilt
from kg.cli import main
from kg.outputs.folder import GENERATIONS_NAME, STATE_NAME, OutputRefused
from kg.rdf import FigureMapper
from tests.conftest import FIGURES, SAMPLE, STAT3_FIGID

STAT3 = FIGURES / f"{STAT3_FIGID}.md"


def _tree(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def test_failed_build_leaves_previous_output_and_no_temporary_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    kg.build([SAMPLE], out, ["ttl", "nt"])
    before = _tree(out)

    original = FigureMapper.map
    calls = {"n": 0}

    def failing_map(self, figure):
        calls["n"] += 1
        if calls["n"] == 30:
            raise MemoryError("simulated crash half-way")
        return original(self, figure)

    monkeypatch.setattr(FigureMapper, "map", failing_map)
    with pytest.raises(MemoryError):
        kg.build([SAMPLE], out, ["ttl", "nt"], jobs=1)
    assert _tree(out) == before  # the staged generation is gone too


def test_outputs_are_readable_by_others_like_plain_files(tmp_path):
    report = kg.build([STAT3], tmp_path / "out")
    for path in report.outputs.values():
        mode = os.stat(path).st_mode & 0o777
        assert mode & 0o044 == 0o044, oct(mode)


@pytest.mark.parametrize("place", ["file", "folder"])
def test_a_folder_holding_other_files_is_refused_before_any_work(tmp_path, place, capsys):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("precious")
    before = _tree(tmp_path)
    if place == "folder":
        args = ["build", str(STAT3), "-o", str(thesis)]
    else:
        args = ["build", str(STAT3), "-o", str(tmp_path / "out"), "--store", str(thesis)]
    assert main(args) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: {thesis}") and err.count("\n") == 1
    assert _tree(tmp_path) == before


def test_the_store_cannot_be_the_output_folder_or_an_input(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(OutputRefused, match="cannot be the output folder"):
        kg.build([STAT3], out, store=out)
    copy = tmp_path / "records"
    copy.mkdir()
    (copy / STAT3.name).write_bytes(STAT3.read_bytes())
    with pytest.raises(OutputRefused, match="an input inside the --store"):
        kg.build([copy], out, store=copy)
    with pytest.raises(OutputRefused, match="an input inside the output folder"):
        kg.build([copy], copy)
    assert (copy / STAT3.name).read_bytes() == STAT3.read_bytes()
    assert not out.exists()


def test_a_missing_input_or_no_records_changes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    kg.build([SAMPLE], out, store=out / "store")
    before = _tree(out)
    with pytest.raises(InputError, match="smaple: no such file or folder"):
        kg.build([tmp_path / "smaple"], out, store=out / "store")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.md").write_text("# not a record\n")
    with pytest.raises(NothingBuilt):
        kg.build([notes], out, store=out / "store")
    assert main(["build", str(notes), "-o", str(out), "--store", str(out / "store")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"error: {notes / 'todo.md'}: front matter: missing")
    assert err[-1] == (
        "error: none of the 1 records could be built (1 errors); "
        "previous outputs were left as they were"
    )
    assert _tree(out) == before


def test_a_smaller_build_drops_the_formats_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    kg.build([STAT3], out, ["ttl", "nt", "jsonld"], store=out / "store")
    kg.build([STAT3], out, ["ttl"])
    names = sorted(p.name for p in out.iterdir())
    assert names == [STATE_NAME, "build-report.json", "pfocr.ttl", "void.ttl"]
    assert len(list((out / STATE_NAME / GENERATIONS_NAME).iterdir())) == 1


def test_a_store_outside_the_output_folder_is_a_link_to_its_current_store(tmp_path):
    out, store = tmp_path / "out", tmp_path / "elsewhere" / "kg-store"
    kg.build([STAT3], out, store=store)
    assert store.is_symlink()
    first = ox.Store.read_only(str(store.resolve()))
    assert len(first) == 131
    kg.build([SAMPLE], out, store=store)  # replaces the link: pfocr-kg made it
    assert len(ox.Store.read_only(str(store.resolve()))) == 60666
    assert len(first) == 131  # a reader keeps the store it opened


def test_an_output_folder_of_the_previous_release_is_adopted_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "pfocr.ttl").write_text("# an old graph\n")
    (out / "pfocr.nt").write_text("")
    (out / ".pfocr-kg.lock").write_text("")
    (out / "store").mkdir()
    (out / "store" / "CURRENT").write_text("MANIFEST-000001\n")
    report = {"pfocr_kg_version": "0.1.0", "outputs": {"store": str(out / "store")}}
    (out / "build-report.json").write_text(json.dumps(report))
    kg.build([STAT3], out, store=out / "store")
    names = sorted(p.name for p in out.iterdir())
    assert names == [STATE_NAME, "build-report.json", "pfocr.ttl", "store", "void.ttl"]
    assert all((out / name).is_symlink() for name in names[1:])
    assert len(ox.Store.read_only(str((out / "store").resolve()))) == 131


def test_a_reader_knows_when_a_rebuild_switched_its_store_and_reopens(tmp_path):
    from kg.store import OxigraphStore

    out = tmp_path / "out"
    kg.build([STAT3], out, store=out / "store")
    reader = OxigraphStore(out / "store", read_only=True)
    assert not reader.outdated() and not reader.reopen()
    kg.build([SAMPLE], out, store=out / "store")
    assert reader.outdated()
    assert reader.reopen()
    assert len(reader) == 60666 and not reader.outdated()
