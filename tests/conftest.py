"""Shared fixtures: the bundled real sample, built once per test session."""

from __future__ import annotations

import shutil
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
    report = kg.build([SAMPLE], out, ["ttl", "nt", "nq", "jsonld"])
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
