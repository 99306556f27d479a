"""Crash safety: a build killed with SIGKILL at any point leaves the previous output intact.

Outputs are written to temporary files and a temporary store folder, then renamed into place;
so after a kill the old Turtle, report, VoID file and store are whole, and a rerun succeeds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import rdflib

from kg.build import LOCK_NAME
from tests.conftest import SAMPLE


def _command(out) -> list[str]:
    return [sys.executable, "-m", "kg", "build", str(SAMPLE), "-o", str(out),
            "--store", str(out / "store"), "--quiet"]  # fmt: skip


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_whole(out, turtle_digest: str, triples: int) -> None:
    assert _digest(out / "pfocr.ttl") == turtle_digest
    store = ox.Store.read_only(str(out / "store"))
    assert len(store) == triples
    del store
    assert len(rdflib.Graph().parse(out / "void.ttl")) > 100
    assert b'"records"' in (out / "build-report.json").read_bytes()


def test_sigkill_at_random_points_leaves_the_previous_build_whole(tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    subprocess.run(_command(out), check=True, timeout=300)
    duration = time.monotonic() - started
    turtle_digest = _digest(out / "pfocr.ttl")
    triples = len(rdflib.Graph().parse(out / "pfocr.ttl"))

    rng = random.Random(20261126)
    killed_mid_build = 0
    for _ in range(6):
        process = subprocess.Popen(_command(out))
        time.sleep(rng.uniform(0.2, duration * 0.95))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed_mid_build += 1
        process.wait(timeout=300)
        _assert_whole(out, turtle_digest, triples)
    assert killed_mid_build >= 4

    leftovers = sorted(p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old")))
    assert leftovers  # the kills did leave temporaries behind
    finished = subprocess.run(_command(out), timeout=300)
    assert finished.returncode == 0
    _assert_whole(out, turtle_digest, triples)
    # The rerun, holding the folder's lock, removed them.
    assert [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))] == []


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "pfocr.ttl").write_text("# the previous output\n")
    with (out / LOCK_NAME).open("a") as held:  # as a running build holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        second = subprocess.run(_command(out), capture_output=True, text=True, timeout=300)
    assert second.returncode == 1
    assert f"{out}: another pfocr-kg build is writing here" in second.stderr
    assert (out / "pfocr.ttl").read_text() == "# the previous output\n"
    assert subprocess.run(_command(out), timeout=300).returncode == 0
