"""Crash safety: a build killed at any commit point leaves the whole old output set or the
whole new one, and says which; the next build cleans up after it.

A child process runs ``pfocr-kg build`` with every file-system step that publishes or
removes something (rename, replace, symlink, link, unlink, rmtree) counted; a first run
counts them, then one run per step sends the process SIGKILL or SIGINT just before it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import signal
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.outputs.folder import GENERATIONS_NAME, LOCK_NAME, STATE_NAME
from tests.conftest import FIGURES, SAMPLE, STAT3_FIGID

pytestmark = pytest.mark.slow

OLD = ["PMC100003__mb2410470011", STAT3_FIGID]
NEW = [*OLD, "PMC10031116__fmolb-10-1132353-g005"]

_CHILD = """
import os, shutil, signal, sys
point, sig = int(sys.argv[1]), int(sys.argv[2])
# Ctrl-C as at a terminal, even when the tests run as a background job (which ignores it)
signal.signal(signal.SIGINT, signal.default_int_handler)
calls = 0
def counted(function):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == point:
            os.kill(os.getpid(), sig)
        return function(*args, **kwargs)
    return call
for name in ("replace", "rename", "symlink", "link", "unlink"):
    setattr(os, name, counted(getattr(os, name)))
shutil.rmtree = counted(shutil.rmtree)
from kg.cli import main
status = main(sys.argv[3:])
sys.stderr.write(f"CALLS {calls}\\n")
sys.exit(status)
"""


def _inputs(root, figids):
    figures = root / "_figures"
    data = root / "_data"
    figures.mkdir(parents=True)
    data.mkdir()
    for figid in figids:
        shutil.copy(FIGURES / f"{figid}.md", figures)
        for companion in (SAMPLE / "_data").glob(f"{figid}-*.tsv"):
            shutil.copy(companion, data)
    return root


def _build(source, out, *extra, point=0, sig=signal.SIGKILL):
    args = ["build", str(source), "-o", str(out), "--store", str(out / "store"), "-q", "-j1"]
    return subprocess.run(
        [sys.executable, "-c", _CHILD, str(point), str(int(sig)), *args, *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _state(out) -> dict:
    """What a reader of ``out`` sees: digests of the files, the store's size, the report."""
    seen: dict = {}
    for name in ("pfocr.ttl", "pfocr.nt"):
        path = out / name
        seen[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    report = json.loads((out / "build-report.json").read_text())
    seen["report"] = (report["records"], report["triples"])
    seen["void"] = f"void:triples {report['triples']}" in (out / "void.ttl").read_text()
    store = ox.Store.read_only(str((out / "store").resolve()))
    seen["store"] = len(store)
    del store
    return seen


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """The inputs, and what a reader sees of a whole old and a whole new output set."""
    root = tmp_path_factory.mktemp("crash")
    old, new = _inputs(root / "old", OLD), _inputs(root / "new", NEW)
    reference_old, reference_new = root / "ref-old", root / "ref-new"
    assert _build(old, reference_old).returncode == 0
    assert _build(new, reference_new, "--format", "nt").returncode == 0
    counted = _build(new, reference_old, "--format", "nt")  # the old set, replaced by the new
    calls = int(counted.stderr.rsplit("CALLS ", 1)[1])
    shutil.rmtree(reference_old)
    assert _build(old, reference_old).returncode == 0
    return old, new, _state(reference_old), _state(reference_new), calls


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_at_every_commit_point_leaves_one_whole_set(tmp_path, sets, sig):
    old, new, old_state, new_state, calls = sets
    assert calls > 10
    assert old_state["store"] < new_state["store"]
    outcomes = []
    for point in range(1, calls + 1):
        out = tmp_path / f"out-{point}"
        assert _build(old, out).returncode == 0
        killed = _build(new, out, "--format", "nt", point=point, sig=sig)
        state = _state(out)
        assert state in (old_state, new_state), f"killed at step {point}: {state}"
        outcomes.append("new" if state == new_state else "old")
        if sig == signal.SIGINT and killed.returncode == 130:
            said_new = "new outputs were already in place" in killed.stderr
            assert said_new == (state == new_state), killed.stderr
        assert _build(new, out, "--format", "nt").returncode == 0  # the next build goes on
        assert _state(out) == new_state
        assert len(list((out / STATE_NAME / GENERATIONS_NAME).iterdir())) == 1
        assert not list(out.glob(".*.tmp")) and not list((out / STATE_NAME).glob(".*.tmp"))
        shutil.rmtree(out)
    assert "old" in outcomes and "new" in outcomes


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path, sets):
    old, new, old_state, _, _ = sets
    out = tmp_path / "out"
    assert _build(old, out).returncode == 0
    with (out / STATE_NAME / LOCK_NAME).open("a") as held:  # as a running build holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        second = _build(new, out)
    assert second.returncode == 3
    assert f"error: {out}: another pfocr-kg build is writing here" in second.stderr
    assert _state(out) == old_state
    assert _build(new, out).returncode == 0
