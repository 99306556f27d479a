"""Shared pieces of the hostile-input tests: the good STAT3 record and how a case builds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

import kg
from tests.conftest import DATA, FIGURES, STAT3_FIGID

STAT3_TRIPLES = 131
STAT3_RECORD = (FIGURES / f"{STAT3_FIGID}.md").read_text("utf-8")
STAT3_GENES = (DATA / f"{STAT3_FIGID}-genes.tsv").read_text("utf-8")
PFOCR = rdflib.Namespace("https://w3id.org/pfocr-kg/vocab#")


def record(figid: str = "PMC1__bad", **fields: object) -> str:
    lines = ["---", f"figid: {figid}", "pmcid: PMC1"]
    lines += [f"{name}: {value}" for name, value in fields.items()]
    return "\n".join([*lines, "---", ""])


def build(root: Path, tmp_path: Path) -> tuple[kg.BuildReport, Path]:
    out = tmp_path / "out"
    report = kg.build([root], out)
    return report, out


def assert_output_parses(out: Path) -> rdflib.Graph:
    graph = rdflib.Graph().parse(out / "pfocr.ttl", format="turtle")
    store = ox.Store()
    store.bulk_load(path=str(out / "pfocr.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(graph)
    return graph


GENES_HEADER = STAT3_GENES.splitlines()[0]
GENES_ROWS = STAT3_GENES.splitlines()[1:]
