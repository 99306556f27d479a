"""What a demanding operator tries: files that are not files, caches that are not ours,
folders that vanish, endpoints that lie or hang, and flags that make no sense. Each ends in
one clear line and a documented exit status, and nothing is lost or run."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import time

import pytest

import kg
from kg.cli import main
from kg.outputs.cache import CACHE_NAME, BuildCache, CacheError
from kg.outputs.folder import STATE_NAME
from tests.conftest import FIGURES, STAT3_FIGID
from tests.hostile.helpers import GENES_HEADER, STAT3_RECORD, STAT3_TRIPLES, build, record

STAT3 = FIGURES / f"{STAT3_FIGID}.md"


def test_a_fifo_record_is_refused_without_hanging(layout, tmp_path):
    os.mkfifo(layout / "_figures" / "PMC1__fifo.md")
    started = time.monotonic()
    report, _ = build(layout, tmp_path)
    assert time.monotonic() - started < 30
    [error] = report.errors
    assert error.message == "not a regular file: a FIFO; record rejected"
    assert report.triples == STAT3_TRIPLES


def test_a_link_to_a_device_is_refused_without_reading_it(layout, tmp_path):
    (layout / "_figures" / "PMC1__zero.md").symlink_to("/dev/zero")
    (layout / "_data" / f"{STAT3_FIGID}-chemicals.tsv").symlink_to("/dev/zero")
    report, _ = build(layout, tmp_path)
    messages = sorted(e.message for e in report.errors)
    assert messages == [
        "not a regular file: a device",
        "not a regular file: a device; record rejected",
    ]


def test_a_genes_tsv_past_the_row_cap_keeps_its_first_rows_and_says_so(layout, tmp_path):
    rows = [
        f"9606\tHomo sapiens\tVertebrates\tW{i}\tW{i}\tG{i}\t{i}\tncbigene_symbol\t1\t0\t1"
        for i in range(1, 20_101)
    ]
    (layout / "_data" / f"{STAT3_FIGID}-genes.tsv").write_text("\n".join([GENES_HEADER, *rows]))
    report, _ = build(layout, tmp_path)
    capped = [e for e in report.errors if "rows" in e.message]
    assert [(e.field, e.message) for e in capped] == [
        ("row 20002", "more than 20000 rows; this row and those after it skipped")
    ]
    assert report.mentions["gene"] == 20_000


def test_a_database_clone_without_its_data_folder_is_an_error_per_record(layout, tmp_path):
    for tsv in (layout / "_data").iterdir():
        tsv.unlink()
    (layout / "_data").rmdir()
    report, _ = build(layout, tmp_path)
    [error] = report.errors
    assert error.field == "companions"
    assert error.message.startswith(f"no {layout / '_data'} folder beside _figures/")
    assert report.records_built == 1
    code = main(["build", str(layout), "-o", str(tmp_path / "strict"), "-q", "--strict"])
    assert code == 1


def test_the_file_named_after_its_figid_wins_a_duplicate(layout, tmp_path):
    misnamed = layout / "_figures" / "A-copy.md"  # sorts before the real one
    misnamed.write_text(STAT3_RECORD.replace("caption:", "caption: A copy.", 1))
    report, out = build(layout, tmp_path)
    duplicate = [e for e in report.errors if e.field == "figid"]
    assert [e.file for e in duplicate] == [str(misnamed)]
    assert duplicate[0].message.startswith(f"duplicate figid '{STAT3_FIGID}', already built from ")
    assert (report.records_built, report.triples) == (1, STAT3_TRIPLES)
    assert "A copy." not in (out / "pfocr.ttl").read_text()


def _cache_rows(out):
    cache = (out / STATE_NAME / "current" / CACHE_NAME).resolve()
    return cache, sqlite3.connect(cache)


class _Canary:
    def __reduce__(self):
        return (os.system, ("touch /tmp/pfocr-kg-pickle-canary",))


def test_a_crafted_cache_entry_is_never_run_and_the_figure_is_rebuilt(layout, tmp_path):
    out = tmp_path / "out"
    kg.build([layout], out, incremental=True)
    _, db = _cache_rows(out)
    payload = pickle.dumps(_Canary())
    db.execute("UPDATE records SET payload = ?", (payload,))
    db.commit()
    db.close()
    canary = "/tmp/pfocr-kg-pickle-canary"
    if os.path.exists(canary):
        os.unlink(canary)
    report = kg.build([layout], out, incremental=True)
    assert not os.path.exists(canary)
    assert report.changes["unchanged"] == 0 and report.triples == STAT3_TRIPLES


def test_a_garbled_cache_is_reported_and_every_figure_rebuilt(layout, tmp_path, capsys):
    out = tmp_path / "out"
    kg.build([layout], out, incremental=True)
    cache, _ = _cache_rows(out)
    cache.write_bytes(b"this is not sqlite" * 100)
    code = main(["build", str(layout), "-o", str(out), "--incremental", "-v"])
    assert code == 0
    assert "cannot read the previous build cache" in capsys.readouterr().err
    report = json.loads((out / "build-report.json").read_text())
    assert report["incremental"]["added"] == [STAT3_FIGID]


def test_a_full_disk_while_the_cache_is_written_is_one_line(layout, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    kg.build([layout], out)
    before = (out / "pfocr.ttl").read_bytes()

    def full(self, item):
        raise CacheError(f"{self.path}: cannot write the build cache: database or disk is full")

    monkeypatch.setattr(BuildCache, "add", full)
    code = main(["build", str(layout), "-o", str(out), "--incremental", "-q"])
    err = capsys.readouterr().err
    assert code == 4 and err.count("\n") == 1
    assert "cannot write the build cache: database or disk is full" in err
    assert (out / "pfocr.ttl").read_bytes() == before


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "out"
    kg.build([STAT3], out, store=out / "store")
    return out


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["query", "{store}", "SELECT ?x WHERE { ?x ?p ?o }", "--param", "x=<not an iri>"], 2,
         "parameter x: 'not an iri' is not an absolute IRI"),
        (["query", "{store}", "-f", "{latin1}"], 2, "query file: not UTF-8 text"),
        (["query", "{store}", "-f", "{fifo}"], 2, "query file: not a regular file: a FIFO"),
        (["query", "{store}", "top-genes", "--param", "limit=-5"], 2,
         "parameter limit must be a whole number, 0 or more"),
        (["query", "{store}", "INSERT DATA { <a:b> <a:b> <a:b> }"], 2,
         "SPARQL updates (INSERT) are not run"),
        (["query", "{store}", "top_genes"], 2,
         "unknown named query 'top_genes' (named queries use dashes)"),
        (["query", "{broken}", "top-genes"], 4, "cannot open the Oxigraph store"),
        (["cooccur", "{store}", "--gene", "STAT3", "--min-figures", "-5"], 2,
         "-5 is not a whole number of 1 or more"),
        (["build", "{record}", "-o", "{fresh}", "-j", "-3"], 2,
         "-3 is not a whole number of 1 or more"),
        (["enrich", "{store}", "STAT3", "--top", "-1"], 2, "-1 is not a whole number of 0 or more"),
    ],
)  # fmt: skip
def test_every_mistake_is_one_line_and_a_documented_status(
    built, tmp_path, capsys, args, status, says
):
    latin1 = tmp_path / "q.rq"
    latin1.write_bytes("SELECT * WHERE { ?s ?p 'café' }".encode("latin-1"))
    fifo = tmp_path / "fifo.rq"
    os.mkfifo(fifo)
    broken = tmp_path / "broken-store"
    (broken).mkdir()
    (broken / "CURRENT").write_text("MANIFEST-000009\n")
    values = {"store": built / "store", "latin1": latin1, "fifo": fifo, "broken": broken,
              "record": STAT3, "fresh": tmp_path / "fresh"}  # fmt: skip
    for name, value in values.items():
        args = [a.replace("{" + name + "}", str(value)) for a in args]
    try:
        code = main(args)
    except SystemExit as exited:  # argparse: a bad option value
        code = exited.code
    err = capsys.readouterr().err
    assert code == status, err
    assert says in err, err
    assert "Traceback" not in err


def test_a_file_name_with_a_newline_cannot_forge_a_summary_line(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x\nbuilt 99 of 99 records.md").write_text(record("PMC1__x", caption="[unclosed"))
    (folder / STAT3.name).write_text(STAT3_RECORD)
    assert main(["build", str(folder), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert not any(line.startswith("built 99") for line in err)
    assert any("x\\nbuilt 99 of 99 records.md" in line for line in err)
