"""Outputs are replaced atomically: a build that fails half-way leaves the previous files."""

from __future__ import annotations

import pytest

import kg
from kg.build import LOCK_NAME
from kg.rdf import FigureMapper
from tests.conftest import SAMPLE


def test_failed_build_leaves_previous_output_and_no_temporary_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    kg.build([SAMPLE], out, ["ttl", "nt"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    original = FigureMapper.map
    calls = {"n": 0}

    def failing_map(self, figure):
        calls["n"] += 1
        if calls["n"] == 30:
            raise MemoryError("simulated crash half-way")
        return original(self, figure)

    monkeypatch.setattr(FigureMapper, "map", failing_map)
    with pytest.raises(MemoryError):
        kg.build([SAMPLE], out, ["ttl", "nt"])
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME]


def test_outputs_are_readable_by_others_like_plain_files(tmp_path):
    report = kg.build([SAMPLE / "_figures" / "PMC100003__mb2410470011.md"], tmp_path)
    for path in report.outputs.values():
        mode = (tmp_path / path.rsplit("/", 1)[1]).stat().st_mode & 0o777
        assert mode & 0o044 == 0o044, oct(mode)
