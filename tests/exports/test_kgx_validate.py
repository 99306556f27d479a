"""The KGX export passes kgx's own validator (kgx from PyPI, run offline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.exports import write_kgx

pytestmark = pytest.mark.slow

HELPER = Path(__file__).with_name("kgx_offline.py")


def _validate(folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(HELPER), str(folder / "nodes.tsv"), str(folder / "edges.tsv")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_kgx_validate_finds_no_error_in_the_sample_export(store, tmp_path):
    nodes, edges = write_kgx(store, tmp_path / "kgx")
    result = _validate(tmp_path / "kgx")
    assert result["errors"] == {}
    assert (result["nodes"], result["edges"]) == (nodes, edges)


def test_kgx_validate_catches_a_broken_export(store, tmp_path):
    write_kgx(store, tmp_path / "kgx")
    nodes = tmp_path / "kgx" / "nodes.tsv"
    lines = nodes.read_text().splitlines()
    lines[1] = lines[1].replace("biolink:", "biolink:NotACategory", 1)
    nodes.write_text("\n".join(lines) + "\n")
    errors = _validate(tmp_path / "kgx")["errors"]
    assert any("category" in key.lower() for key in errors), errors
