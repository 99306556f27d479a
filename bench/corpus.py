"""Scaled corpora for benchmarks: re-keyed copies of the real sample (never committed).

Two forms:

* :func:`scale_records` copies the sample's record files and TSVs N times with new figids
  and PMCIDs, for benchmarks of the build itself;
* :func:`scale_graph` copies the sample's built graph (N-Triples) the same way, for
  benchmarks that need a large graph fast (SPARQL, co-occurrence): figure, mention and paper
  IRIs are re-keyed per copy, genes, taxa, chemicals and diseases stay shared, as in the
  real corpus.

Copy ``k`` of figure ``PMC123__f1`` is ``PMC123__f1-k{k}``. In a scaled graph its paper is
``PMC9{k:06d}123``; in scaled records, whose PMCIDs the reader checks (at most 10 digits),
it is ``PMC9{k:05d}{i:04d}``, ``i`` being the paper's place among the sample's papers.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

_FIGURE = re.compile(r"(https://pfocr\.wikipathways\.org/figures/)([A-Za-z0-9._-]+)(\.html)")
_NODE = re.compile(r"(https://w3id\.org/pfocr-kg/id/)([A-Za-z0-9._-]+)/")
_PAPER = re.compile(r"(http://identifiers\.org/pmc/PMC)([0-9]+)")
_FIGID_LITERAL = re.compile(r'(<http://purl\.org/dc/terms/identifier> ")([^"]+)(")')
_PMCID_LITERAL = re.compile(r'(hasPubMedCentralId> "PMC)([0-9]+)(")')
_FIGURE_SCOPED = (
    "<https://pfocr.wikipathways.org/figures/",
    "<https://w3id.org/pfocr-kg/id/",
    "<http://identifiers.org/pmc/",
)


def _paper(k: int, number: str) -> str:
    return f"9{k:06d}{number}"


def rekey_line(line: str, k: int) -> str:
    """One N-Triples line of the sample rewritten for copy ``k``."""
    line = _FIGURE.sub(lambda m: f"{m.group(1)}{m.group(2)}-k{k}{m.group(3)}", line)
    line = _NODE.sub(lambda m: f"{m.group(1)}{m.group(2)}-k{k}/", line)
    line = _PAPER.sub(lambda m: m.group(1) + _paper(k, m.group(2)), line)
    line = _FIGID_LITERAL.sub(lambda m: f"{m.group(1)}{m.group(2)}-k{k}{m.group(3)}", line)
    return _PMCID_LITERAL.sub(lambda m: m.group(1) + _paper(k, m.group(2)) + m.group(3), line)


def scale_graph(source_nt: Path, figures: int, dest: Path) -> int:
    """Write ``dest`` (N-Triples) with about ``figures`` figures; returns the triple count."""
    lines = source_nt.read_text("utf-8").splitlines()
    sample_figures = sum(1 for x in lines if x.endswith("<http://purl.org/spar/fabio/Figure> ."))
    copies = math.ceil(figures / sample_figures)
    scoped = [x for x in lines if x.startswith(_FIGURE_SCOPED)]
    shared = [x for x in lines if not x.startswith(_FIGURE_SCOPED)]
    count = 0
    with dest.open("w", encoding="utf-8") as out:
        for line in shared:  # genes, taxa, chemicals, diseases: once
            out.write(line + "\n")
            count += 1
        for k in range(copies):
            out.write("\n".join(rekey_line(x, k) for x in scoped) + "\n")
            count += len(scoped)
    return count


def scale_records(figures: int, dest: Path, sample: Path = SAMPLE) -> int:
    """Copy the sample's records and TSVs into ``dest`` (PFOCR layout) until ``figures``."""
    records = sorted((sample / "_figures").glob("*.md"))
    papers = sorted({record.stem.partition("__")[0] for record in records})
    (dest / "_figures").mkdir(parents=True, exist_ok=True)
    (dest / "_data").mkdir(exist_ok=True)
    written = 0
    k = 0
    while written < figures:
        for record in records:
            if written >= figures:
                break
            figid = record.stem
            new = f"{figid}-k{k}"
            pmc = figid.partition("__")[0]
            text = record.read_text("utf-8")
            text = text.replace(figid, new).replace(
                f"pmcid: {pmc}\n", f"pmcid: PMC9{k:05d}{papers.index(pmc):04d}\n"
            )
            (dest / "_figures" / f"{new}.md").write_text(text, "utf-8")
            for companion in (sample / "_data").glob(f"{figid}-*.tsv"):
                kind = companion.name[len(figid) + 1 :]
                shutil.copyfile(companion, dest / "_data" / f"{new}-{kind}")
            written += 1
        k += 1
    return written
