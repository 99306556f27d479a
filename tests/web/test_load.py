"""A bounded load test on loopback: 20 concurrent clients, a fixed mix of pages and SPARQL
requests each; it ends by itself, and every request is answered (bench/serve_load.py prints
the latencies; BENCHMARKS.md reports them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_twenty_clients_get_every_answer(sample_build):
    path = Path(__file__).resolve().parents[2] / "bench" / "serve_load.py"
    spec = importlib.util.spec_from_file_location("serve_load", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    times, errors = module.run(sample_build[1] / "store", clients=20, requests=16)
    assert errors == []
    assert sum(len(v) for v in times.values()) == 20 * 16
    assert set(times) == set(module.page_paths(["f"], [("1", "A")]))  # every page kind was asked
