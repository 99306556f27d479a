"""pfocr-kg's genes-TSV path against an RML engine, morph-kgc, making the same triples.

    pip install morph-kgc        # in any environment; it is not a pfocr-kg dependency
    python bench/rml.py CORPUS --morph-python PATH/TO/python [--processes 2]

CORPUS is a folder in the PFOCR layout (``_data/*-genes.tsv``), such as the scaled corpus
bench/build.py keeps. Most of a build's triples come from the genes TSV rows; this script
times the two ways of making them:

* pfocr-kg: ``read_genes`` (checks and cleans every cell), then ``FigureMapper`` over a
  figure that names only those genes, then N-Triples text; one process, timed here. The
  gene-row triples are the figure's statements minus those of the same figure with no genes.
* morph-kgc: the same rows as two CSV files (rows with and without an NCBI Gene id), with
  the values pfocr-kg cleaned and each mention's IRI (a SHA-256 of its evidence) computed
  beforehand, untimed (work pfocr-kg's time includes), and an RML mapping written here that
  makes the same triples; ``python -m morph_kgc CONFIG`` is timed as a whole process.

It checks that both make the same set of triples, then prints the seconds of each.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.model import Figure, GeneMention, Paper
from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader, iris
from kg.rdf.figure import evidence_key
from kg.rdf.ntriples import ntriples
from kg.sources.genes import read_genes

PREFIXES = """\
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix pfocr: <https://w3id.org/pfocr-kg/vocab#> .
@prefix schema: <http://schema.org/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""
COLUMNS = [
    "figure", "mention", "gene_id", "symbol", "taxon_id", "organism_name", "organism_group",
    "word", "match", "source", "origin", "count_direct", "count_synonym", "count_match",
]  # fmt: skip


def _map(source: str, subject: str, body: str) -> str:
    return (
        f"[ rml:logicalSource [ rml:source {source!r} ; rml:referenceFormulation ql:CSV ] ;\n"
        f"  rr:subjectMap [ {subject} ] ;\n{body} ] .\n"
    ).replace("'", '"')


def _po(predicate: str, obj: str) -> str:
    return f"  rr:predicateObjectMap [ rr:predicate {predicate} ; rr:objectMap [ {obj} ] ] ;\n"


def _literal(column: str, datatype: str | None = None) -> str:
    typed = f" ; rr:datatype {datatype}" if datatype else ""
    return f"rml:reference {column!r}{typed}".replace("'", '"')


GENE = 'rr:template "http://identifiers.org/ncbigene/{gene_id}"'
TAXON = 'rr:template "http://purl.obolibrary.org/obo/NCBITaxon_{taxon_id}"'
MENTION = 'rml:reference "mention" ; rr:termType rr:IRI'
FIGURE = 'rml:reference "figure" ; rr:termType rr:IRI'


def mapping(resolved: Path, unresolved: Path) -> str:
    """RML for the triples pfocr-kg makes of gene rows (kg.rdf.figure, gene mentions)."""
    evidence = (
        _po("rdf:type", "rr:constant pfocr:GeneMention")
        + _po("pfocr:ocrWord", _literal("word"))
        + _po("pfocr:matchedText", _literal("match"))
        + _po("pfocr:matchSource", _literal("source"))
        + _po("pfocr:evidenceOrigin", _literal("origin"))
        + "".join(
            _po(f"pfocr:{name}", _literal(column, "xsd:integer"))
            for name, column in (
                ("countDirect", "count_direct"),
                ("countSynonym", "count_synonym"),
                ("countMatch", "count_match"),
            )
        )
    )
    parts = [PREFIXES, "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"]
    for source in (str(resolved), str(unresolved)):
        parts.append(_map(source, FIGURE, _po("pfocr:hasMention", MENTION)))
    parts.append(_map(str(resolved), FIGURE, _po("schema:mentions", GENE)))
    parts.append(_map(str(resolved), MENTION, evidence + _po("pfocr:mentionOf", GENE)))
    parts.append(
        _map(
            str(unresolved),
            MENTION,
            evidence + _po("pfocr:termName", _literal("symbol")) + _po("pfocr:organism", TAXON),
        )
    )
    parts.append(
        _map(
            str(resolved),
            GENE,
            _po("rdf:type", "rr:constant biolink:Gene")
            + _po("rdfs:label", _literal("symbol"))
            + _po("obo:RO_0002162", TAXON),
        )
    )
    for source in (str(resolved), str(unresolved)):
        parts.append(
            _map(
                source,
                TAXON,
                _po("rdf:type", "rr:constant biolink:OrganismTaxon")
                + _po("rdfs:label", _literal("organism_name"))
                + _po("pfocr:organismGroup", _literal("organism_group")),
            )
        )
    return "\n".join(parts)


def _figures(corpus: Path) -> list[tuple[str, Path]]:
    return [
        (path.name.removesuffix("-genes.tsv"), path)
        for path in sorted((corpus / "_data").glob("*-genes.tsv"))
    ]


def pfocr_kg_path(corpus: Path) -> tuple[float, set[str], list[tuple[str, list[GeneMention]]]]:
    """Seconds to read, check, map and write every gene row; the gene-row triples; the rows."""
    mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
    figures = _figures(corpus)
    start = time.perf_counter()
    rows, texts = [], []
    for figid, path in figures:
        genes = read_genes(path).mentions
        figure = Figure(figid, str(path), Paper(figid.split("__")[0]), genes=genes)
        graph = mapper.map(figure)
        texts.append(ntriples(graph.statements()))
        rows.append((figid, genes))
    seconds = time.perf_counter() - start
    made = _triples(b"".join(texts))
    for figid, path in figures:  # the same figures' statements without their genes
        graph = mapper.map(Figure(figid, str(path), Paper(figid.split("__")[0])))
        made -= _triples(ntriples(graph.statements()))
    return seconds, made, rows


def _triples(data: bytes) -> set[str]:
    return {str(quad.triple) for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def write_csv(rows: list[tuple[str, list[GeneMention]]], resolved: Path, unresolved: Path) -> int:
    """The rows as morph-kgc's input, values as pfocr-kg cleaned them; how many rows."""
    written = 0
    with resolved.open("w", newline="") as a, unresolved.open("w", newline="") as b:
        writers = {True: csv.writer(a), False: csv.writer(b)}
        for writer in writers.values():
            writer.writerow(COLUMNS)
        for figid, genes in rows:
            for gene in genes:
                node = iris.mention(figid, "gene", gene.gene_id, evidence_key(gene))
                values = [
                    iris.figure(figid), node, gene.gene_id, gene.symbol, gene.taxon_id,
                    gene.organism_name, gene.organism_group, gene.word or None, gene.match,
                    gene.source, str(gene.origin), gene.count_direct, gene.count_synonym,
                    gene.count_match,
                ]  # fmt: skip
                writers[gene.gene_id is not None].writerow(["" if v is None else v for v in values])
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--morph-python", default=sys.executable, help="a python with morph-kgc")
    parser.add_argument("--processes", type=int, default=2, help="morph-kgc processes")
    args = parser.parse_args()
    seconds, made, rows = pfocr_kg_path(args.corpus)
    with tempfile.TemporaryDirectory(prefix="pfocr-bench-rml-") as folder:
        work = Path(folder)
        resolved, unresolved = work / "genes.csv", work / "unresolved.csv"
        count = write_csv(rows, resolved, unresolved)
        (work / "mapping.ttl").write_text(mapping(resolved, unresolved))
        (work / "config.ini").write_text(
            "[CONFIGURATION]\noutput_file = "
            f"{work / 'out.nt'}\nnumber_of_processes = {args.processes}\nna_values = \n"
            f"[PFOCR]\nmappings = {work / 'mapping.ttl'}\n"
        )
        start = time.perf_counter()
        done = subprocess.run(
            [args.morph_python, "-m", "morph_kgc", str(work / "config.ini")],
            capture_output=True,
            text=True,
        )
        morph = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"morph-kgc failed:\n{done.stderr[-2000:]}")
        theirs = _triples((work / "out.nt").read_bytes())
    print(f"{count:,} gene rows of {len(rows):,} figures; {len(made):,} distinct triples")
    print(f"pfocr-kg (read, check, map, N-Triples; 1 process): {seconds:6.2f} s")
    print(f"morph-kgc ({args.processes} process(es), inputs prepared): {morph:6.2f} s")
    if theirs != made:
        print(
            f"DIFFERENT: {len(made - theirs):,} only from pfocr-kg, {len(theirs - made):,} only "
            f"from morph-kgc; e.g. {sorted(made - theirs)[:2]} / {sorted(theirs - made)[:2]}"
        )
        raise SystemExit(1)
    print(f"same triples; pfocr-kg is {morph / seconds:.2f}x faster")


if __name__ == "__main__":
    main()
