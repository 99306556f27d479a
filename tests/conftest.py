"""Shared fixtures: the bundled real sample, built once per test session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import rdflib

import kg
from kg.build import BuildReport

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
FIGURES = SAMPLE / "_figures"
DATA = SAMPLE / "_data"

STAT3_FIGID = "PMC8632218__fimmu-12-767939-g001"


def figure_iri(figid: str) -> rdflib.URIRef:
    return rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{figid}.html")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    out = tmp_path_factory.mktemp("sample-build")
    report = kg.build([SAMPLE], out, ["ttl", "nt", "nq", "jsonld"], store=out / "store")
    return report, out


@pytest.fixture(scope="session")
def sample_graph(sample_build: tuple[BuildReport, Path]) -> rdflib.Graph:
    return rdflib.Graph().parse(sample_build[1] / "pfocr.ttl", format="turtle")


@pytest.fixture
def pfocr_copy(tmp_path: Path):
    """A function that copies named sample records (with companions) into a fresh layout."""

    def copy(*figids: str) -> Path:
        root = tmp_path / "pfocr"
        (root / "_figures").mkdir(parents=True, exist_ok=True)
        (root / "_data").mkdir(exist_ok=True)
        for figid in figids:
            shutil.copy(FIGURES / f"{figid}.md", root / "_figures")
            for companion in DATA.glob(f"{figid}-*.tsv"):
                shutil.copy(companion, root / "_data")
        return root

    return copy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> str:
    """A real `oxigraph serve` on 127.0.0.1 and a free port; yields its base URL."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the `oxigraph` command is missing: pip install -e '.[test]' installs it")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                message = f"oxigraph serve did not start: {process.stderr.read()!r}"
                raise RuntimeError(message) from None
            time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
