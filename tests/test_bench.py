"""The benchmark scripts remove only what they made."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def build_bench(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # its own imports: corpus, treemem
    spec = importlib.util.spec_from_file_location("bench_build", BENCH / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_bench_refuses_a_folder_it_did_not_make(build_bench, tmp_path):
    theirs = tmp_path / "results"
    theirs.mkdir()
    (theirs / "out-store-2000").mkdir()  # a name the bench would remove
    (theirs / "out-store-2000" / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match=r"not a folder bench/build\.py made"):
        build_bench.workspace(theirs)
    assert (theirs / "out-store-2000" / "notes.txt").read_text() == "mine"
    assert not (theirs / build_bench.MARK).exists()


def test_the_build_bench_works_in_a_new_folder_and_again_in_one_it_made(build_bench, tmp_path):
    new = tmp_path / "new" / "bench"
    assert build_bench.workspace(new) == new and (new / build_bench.MARK).is_file()
    (new / "corpus-2000").mkdir()
    assert build_bench.workspace(new) == new  # an earlier run's folder
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_bench.workspace(empty) == empty


def test_the_build_bench_run_stops_before_touching_a_folder_it_did_not_make(
    build_bench, tmp_path, monkeypatch
):
    """The whole run, not only the check: nothing is made, removed or timed."""
    theirs = tmp_path / "results"
    (theirs / "out-turtle-2").mkdir(parents=True)
    (theirs / "out-turtle-2" / "notes.txt").write_text("mine")
    monkeypatch.setattr("sys.argv", ["build.py", "--sizes", "2", "--keep", str(theirs)])
    with pytest.raises(SystemExit, match=r"not a folder bench/build\.py made"):
        build_bench.main()
    assert sorted(p.name for p in theirs.rglob("*")) == ["notes.txt", "out-turtle-2"]
