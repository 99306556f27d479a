"""Peak memory of a build on the worst input the read caps allow, for SECURITY.md.

Cases (each one record, built in a child process; peak memory of the whole process tree,
measured as summed PSS by bench/treemem.py), and ``--many N``: N copies of the genes-tsv
record at once, to show that what is in flight is bounded, not the corpus:

* genes-tsv: a genes TSV at the row cap (20,000 rows) and near the byte cap (16 MiB),
  every row a different gene with a long OCR word;
* record: a record at the byte cap (8 MiB) whose caption fills it;
* keywords: a record near the YAML node cap (200,000 nodes) of gene keywords.

Run: python bench/worst_case.py [--store]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from treemem import run_measured

from kg.sources.frontmatter import ReadLimits
from kg.sources.tsv import MAX_TSV_BYTES, MAX_TSV_ROWS

HEADER = (
    "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol\t"
    "ncbigene_id\tsource\tcount_direct\tcount_synonym\tcount_match"
)


def _record(figid: str, **fields: str) -> str:
    lines = ["---", f"figid: {figid}", "pmcid: PMC1", "figtitle: worst case"]
    lines += [f"{name}: {value}" for name, value in fields.items()]
    return "\n".join([*lines, "---", ""])


def genes_tsv(root: Path) -> None:
    figid = "PMC1__genes"
    (root / "_figures" / f"{figid}.md").write_text(_record(figid))
    budget = MAX_TSV_BYTES - len(HEADER) - 1
    per_row = budget // MAX_TSV_ROWS
    rows = []
    for i in range(1, MAX_TSV_ROWS + 1):
        fixed = f"9606\tHomo sapiens\tVertebrates\t\t\tG{i}\t{i}\tncbigene_symbol\t1\t0\t1"
        word = f"W{i}".ljust(max(1, (per_row - len(fixed) - 1) // 2), "x")
        rows.append(
            f"9606\tHomo sapiens\tVertebrates\t{word}\t{word}\tG{i}\t{i}\tncbigene_symbol\t1\t0\t1"
        )
    text = "\n".join([HEADER, *rows]) + "\n"
    (root / "_data" / f"{figid}-genes.tsv").write_text(text[:MAX_TSV_BYTES])


def record(root: Path) -> None:
    figid = "PMC1__caption"
    limit = ReadLimits().max_bytes
    head = _record(figid, caption="X")
    caption = "STAT3 " * ((limit - len(head) - 16) // 6)
    (root / "_figures" / f"{figid}.md").write_text(_record(figid, caption=caption))


def keywords(root: Path) -> None:
    figid = "PMC1__keywords"
    nodes = ReadLimits().max_nodes - 100
    body = "\n".join(f"- G{i}" for i in range(nodes))
    (root / "_figures" / f"{figid}.md").write_text(
        "---\n"
        f"figid: {figid}\npmcid: PMC1\nfigtitle: worst case\norganisms:\n- Homo sapiens\n"
        f"genes:\n{body}\n---\n"
    )


def many(root: Path, copies: int) -> None:
    """``copies`` records like genes-tsv's, each with its own PMCID and the same TSV."""
    genes_tsv(root)
    text = (root / "_figures" / "PMC1__genes.md").read_text()
    table = (root / "_data" / "PMC1__genes-genes.tsv").read_bytes()
    for i in range(2, copies + 1):
        figid = f"PMC{i}__genes"
        record_text = text.replace("PMC1__genes", figid).replace("pmcid: PMC1", f"pmcid: PMC{i}")
        (root / "_figures" / f"{figid}.md").write_text(record_text)
        (root / "_data" / f"{figid}-genes.tsv").write_bytes(table)


CASES = {"genes-tsv": genes_tsv, "record": record, "keywords": keywords}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", action="store_true", help="also load an Oxigraph store")
    parser.add_argument(
        "--many",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="also build N genes-tsv records at once (with 2 workers)",
    )
    args = parser.parse_args()
    cases = dict(CASES)
    for copies in args.many:
        cases[f"{copies}x genes"] = lambda root, copies=copies: many(root, copies)
    print(f"{'case':<12} {'input MB':>8} {'seconds':>8} {'peak MB':>8}  result")
    for name, make in cases.items():
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "in"
            (root / "_figures").mkdir(parents=True)
            (root / "_data").mkdir()
            make(root)
            size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
            out = Path(folder) / "out"
            command = [sys.executable, "-m", "kg", "build", str(root), "-o", str(out), "-q", "-j2"]
            if args.store:
                command += ["--store", str(out / "store")]
            measured = run_measured(command)
            seconds, code = measured.seconds, str(measured.returncode)
            peak_mb = measured.peak_bytes / 2**20
            child = measured
            result = "built" if code == "0" else f"exit {code}: {child.stderr.strip()[:80]}"
            print(f"{name:<12} {size:>8.1f} {seconds:>8.1f} {peak_mb:>8.0f}  {result}")


if __name__ == "__main__":
    main()
