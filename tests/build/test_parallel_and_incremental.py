"""--jobs gives the same output as one process; --incremental the same output as a clean build."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys

import pyoxigraph as ox
import pytest

import kg
from kg.cli import main
from kg.index.schema import index_path
from tests.conftest import SAMPLE, STAT3_FIGID

prepare = sys.modules["kg.build.prepare"]
workers = sys.modules["kg.build.workers"]

pytestmark = pytest.mark.slow

FORMATS = ["ttl", "nt", "nq", "jsonld"]
FILES = ["pfocr.ttl", "pfocr.nt", "pfocr.nq", "pfocr.jsonld"]


def _report(out) -> dict:
    saved = json.loads((out / "build-report.json").read_text())
    for volatile in ("seconds", "outputs", "inputs", "incremental"):
        saved.pop(volatile, None)
    if "index" in saved:  # its timings vary; what it holds is compared by _index_rows
        saved["index"] = saved["index"]["figure_gene_pairs"]
    return saved


def _index_rows(store) -> dict:
    """Every table of a store's answer index but its metadata (which holds a time)."""
    db = sqlite3.connect(f"file:{index_path(store)}?mode=ro", uri=True)
    try:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in tables
            if t != "meta"
        }
    finally:
        db.close()


def _same_outputs(a, b) -> None:
    for name in FILES:
        if (a / name).exists() or (b / name).exists():
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert _report(a) == _report(b)


def _store_triples(folder) -> set:
    return set(ox.Store.read_only(str(folder)))


def test_parallel_build_writes_exactly_what_one_process_writes(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    kg.build([SAMPLE], one, FORMATS, store=one / "store", jobs=1)
    kg.build([SAMPLE], two, FORMATS, store=two / "store", jobs=2)
    _same_outputs(one, two)
    assert _store_triples(one / "store") == _store_triples(two / "store")
    assert _index_rows(one / "store") == _index_rows(two / "store")


def test_default_workers_leave_a_core_to_the_store(tmp_path, monkeypatch):
    asked = []
    start = workers.Workers.__init__

    def counted(self, preparer, jobs):
        asked.append(jobs)
        start(self, preparer, jobs)

    monkeypatch.setattr(workers, "available_cores", lambda: 4)
    monkeypatch.setattr(workers.Workers, "__init__", counted)
    kg.build([SAMPLE], tmp_path / "turtle", ["ttl"])
    kg.build([SAMPLE], tmp_path / "store", ["ttl"], store=tmp_path / "store" / "store")
    kg.build([SAMPLE], tmp_path / "told", ["ttl"], store=tmp_path / "told" / "store", jobs=4)
    assert asked == [4, 3, 4]


def test_workers_also_map_the_records_waiting_for_the_symbol_index(tmp_path, monkeypatch):
    # With chunks of 2, the sample's records without a genes TSV (mapped once every genes
    # TSV is read) are enough to go to the workers too, each with its index entries.
    monkeypatch.setattr(workers, "PARALLEL_CHUNK", 2)
    one, two = tmp_path / "one", tmp_path / "two"
    first = kg.build([SAMPLE], one, FORMATS, jobs=1)
    second = kg.build([SAMPLE], two, FORMATS, jobs=3)
    assert first.gene_keywords_resolved > 0
    assert (second.gene_keywords_resolved, second.gene_keywords_unresolved) == (
        first.gene_keywords_resolved,
        first.gene_keywords_unresolved,
    )
    _same_outputs(one, two)


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "pfocr"
    shutil.copytree(SAMPLE, root)
    return root


def test_incremental_rebuild_redoes_only_what_changed_and_equals_a_clean_build(corpus, tmp_path):
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = kg.build([corpus], out, ["ttl", "nq"], incremental=True)
    assert first.changes == {"added": sorted(first.changes["added"]), "changed": [],
                             "removed": [], "unchanged": 0}  # fmt: skip
    assert len(first.changes["added"]) == 68

    again = kg.build([corpus], out, ["ttl", "nq"], incremental=True, jobs=2)
    assert again.changes == {"added": [], "changed": [], "removed": [], "unchanged": 68}

    record = corpus / "_figures" / f"{STAT3_FIGID}.md"
    record.write_text(record.read_text().replace("Exploiting the STAT3", "Exploiting STAT3"))
    tsv = corpus / "_data" / "PMC10039534__12943_2023_1761_Fig2_HTML-genes.tsv"
    tsv.write_text("\n".join(tsv.read_text().splitlines()[:-1]) + "\n")  # one gene row fewer
    (corpus / "_figures" / "PMC100003__mb2410470011.md").unlink()
    shutil.copy(corpus / "_figures" / f"{STAT3_FIGID}.md", corpus / "_figures" / "PMC9__new.md")
    new = corpus / "_figures" / "PMC9__new.md"
    new.write_text(new.read_text().replace(STAT3_FIGID, "PMC9__new").replace("PMC8632218", "PMC9"))

    changed = kg.build([corpus], out, ["ttl", "nq"], incremental=True)
    assert changed.changes == {
        "added": ["PMC9__new"],
        "changed": ["PMC10039534__12943_2023_1761_Fig2_HTML", STAT3_FIGID],
        "removed": ["PMC100003__mb2410470011"],
        "unchanged": 65,
    }
    kg.build([corpus], clean, ["ttl", "nq"])
    _same_outputs(out, clean)
    assert json.loads((out / "build-report.json").read_text())["incremental"] == changed.changes


def test_an_incremental_build_remakes_the_answer_index_as_a_clean_build(corpus, tmp_path):
    out, clean = tmp_path / "out", tmp_path / "clean"
    kg.build([corpus], out, [], store=out / "store", incremental=True)
    tsv = corpus / "_data" / "PMC10039534__12943_2023_1761_Fig2_HTML-genes.tsv"
    tsv.write_text("\n".join(tsv.read_text().splitlines()[:-1]) + "\n")  # one gene row fewer
    (corpus / "_figures" / "PMC100003__mb2410470011.md").unlink()
    changed = kg.build([corpus], out, [], store=out / "store", incremental=True)
    assert changed.changes["unchanged"] == 66
    kg.build([corpus], clean, [], store=clean / "store")
    assert _index_rows(out / "store") == _index_rows(clean / "store")


def test_cli_jobs_and_incremental(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "--incremental", "--jobs", "2"]
    assert main(args) == 0
    assert main([*args, "-v"]) == 0
    err = capsys.readouterr().err
    assert "incremental: 0 added, 0 changed, 0 removed, 68 unchanged" in err
    assert (out / ".pfocr-kg" / "current" / "build-cache.sqlite").is_file()


def test_an_in_process_build_collects_seldom_and_gives_the_thresholds_back(tmp_path, monkeypatch):
    import gc

    during = []
    original = prepare.RecordPreparer.prepare

    def prepare_one(self, source):
        during.append(gc.get_threshold())
        return original(self, source)

    monkeypatch.setattr(prepare.RecordPreparer, "prepare", prepare_one)
    before = gc.get_threshold()
    kg.build([SAMPLE], tmp_path / "one", ["ttl"], jobs=1)
    assert set(during) == {workers.WORKER_GC_THRESHOLDS} != {before}
    assert gc.get_threshold() == before


def test_records_come_back_from_the_workers_with_their_own_sources(monkeypatch):
    from kg.sources import TaxonTable, discover

    monkeypatch.setattr(workers, "PARALLEL_CHUNK", 2)
    sources = discover([SAMPLE]).records[:12]
    preparer = prepare.RecordPreparer(TaxonTable.bundled(), None, ["nt"])
    with workers.Workers(preparer, 3) as crew:
        back = list(crew.records(sources))
        again = list(crew.deferred([(source, None, []) for source in sources[:6]]))
    assert [p.source for p in back] == sources
    assert [p.source for p in again] == sources[:6]
    assert [p.problems for p in back] == [preparer.prepare(s).problems for s in sources]
