"""Hostile records never stop a build: each gets one clear error line, the good one still builds.

Every case builds the real STAT3 record (131 triples, see tests/rdf/test_stat3_record.py)
beside one bad input, with the network blocked (conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
import yaml

import kg
from kg.build import InputError, NothingBuilt
from tests.conftest import STAT3_FIGID
from tests.hostile.helpers import (
    GENES_HEADER,
    GENES_ROWS,
    PFOCR,
    STAT3_RECORD,
    STAT3_TRIPLES,
    assert_output_parses,
    build,
    record,
)

REJECTED_RECORDS = [
    ("invalid-yaml", b"---\nfigid: [unclosed\npmcid: PMC1\n---\n", "front matter", "invalid YAML"),
    (
        "python-tag",
        b"---\nfigid: !!python/object/apply:os.system ['echo pwned']\n---\n",
        "front matter",
        "YAML tags that construct objects are not allowed",
    ),
    (
        "missing-front-matter",
        b"# Just a heading\n\nNo front matter.\n",
        "front matter",
        "missing: the file does not start with a '---' line",
    ),
    (
        "unterminated",
        b"---\nfigid: PMC1__bad\npmcid: PMC1\n",
        "front matter",
        "unterminated: no closing '---' line",
    ),
    (
        "latin-1",
        "---\nfigid: PMC1__bad\ncaption: café\n---\n".encode("latin-1"),
        "front matter",
        "not UTF-8 text: invalid byte 0xe9 at line 3, column 13",
    ),
    (
        "binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "front matter",
        "binary file: contains NUL bytes",
    ),
    ("empty", b"", "front matter", "empty file"),
    ("only-dashes", b"---\n---\n", "front matter", "empty: the front matter holds no fields"),
    ("a-list", b"---\n- figid\n---\n", "front matter", "wrong type: expected a mapping"),
    (
        "unsafe-figid",
        record(figid='"PMC1__a> <b"').encode(),
        "figid",
        "'PMC1__a> <b' cannot be used in an IRI",
    ),
    ("missing-figid", b"---\npmcid: PMC1\n---\n", "figid", "missing"),
    (
        "no-pmcid",
        b"---\nfigid: fig1\n---\n",
        "pmcid",
        "missing or invalid, and the figid does not start with a PMCID",
    ),
    (
        "duplicate-key",
        b"---\nfigid: PMC1__a\nfigid: PMC1__b\n---\n",
        "front matter",
        "duplicate key 'figid'",
    ),
    (
        "alias",
        b"---\nfigid: PMC1__a\nx: &a [1, 2]\ny: *a\n---\n",
        "front matter",
        "YAML anchors and aliases are not allowed",
    ),
    (
        "billion-laughs",
        b"---\nfigid: PMC1__lol\na: &a [lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
        "front matter",
        "YAML anchors and aliases are not allowed",
    ),
    (
        "too-large",
        b"---\nfigid: PMC1__big\ncaption: " + b"x" * (9 * 2**20) + b"\n---\n",
        "front matter",
        "too large: 9437219 bytes, the limit is 8388608",
    ),
    (
        "too-many-nodes",
        b"---\nfigid: PMC1__n\nx: [" + b",".join([b"1"] * 250_000) + b"]\n---\n",
        "front matter",
        "too large: more than 200000 YAML nodes",
    ),
    (
        "remote-context",
        record(**{"schema-jsonld": '{"@context": "https://example.org/ctx"}'}).encode(),
        "schema-jsonld",
        "context 'https://example.org/ctx' refused",
    ),
    (
        "file-context",
        record(**{"schema-jsonld": '{"@context": "file:///etc/passwd"}'}).encode(),
        "schema-jsonld",
        "context 'file:///etc/passwd' refused",
    ),
    (
        "relative-context",
        record(**{"schema-jsonld": '{"@context": "ctx.jsonld"}'}).encode(),
        "schema-jsonld",
        "context 'https://pfocr.wikipathways.org/figures/ctx.jsonld' refused",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    REJECTED_RECORDS,
    ids=[case[0] for case in REJECTED_RECORDS],
)
def test_bad_record_is_rejected_with_one_error_and_the_good_one_builds(
    layout, tmp_path, name, content, field, message
):
    bad = layout / "_figures" / f"{name}.md"
    bad.write_bytes(content)
    report, out = build(layout, tmp_path)
    errors = [e for e in report.errors if e.file == str(bad)]
    assert len(errors) == 1, errors
    assert errors[0].field == field
    assert message in errors[0].message
    assert errors[0].message.endswith("record rejected")
    assert (report.records_found, report.records_built, report.records_rejected) == (2, 1, 1)
    assert report.triples == STAT3_TRIPLES
    assert len(assert_output_parses(out)) == STAT3_TRIPLES
    saved = json.loads((out / "build-report.json").read_text())
    assert {
        "file": str(bad),
        "field": field,
        "message": errors[0].message,
        "severity": "error",
    } in saved["errors"]


def test_deeply_nested_yaml_is_refused_without_crashing(layout, tmp_path):
    bad = layout / "_figures" / "deep.md"
    bad.write_text("---\nfigid: PMC1__deep\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\n")
    report, _ = build(layout, tmp_path)
    [error] = [e for e in report.errors if e.file == str(bad)]
    assert error.field == "front matter"
    assert "nesting too deep" in error.message
    assert report.records_built == 1


def test_wrong_value_types_are_reported_per_field_and_kept_as_unmapped_json(layout, tmp_path):
    bad = layout / "_figures" / "PMC1__types.md"
    bad.write_text(
        record(
            "PMC1__types",
            figtitle="{a: 1}",
            year="[2020]",
            automl_pathway="high",
            doi="not-a-doi",
            organisms="{x: y}",
            genes='"not a list"',
        )
    )
    report, out = build(layout, tmp_path)
    errors = {e.field: e.message for e in report.errors if e.file == str(bad)}
    assert set(errors) == {"figtitle", "year", "automl_pathway", "doi", "organisms", "genes"}
    assert errors["year"] == "expected text, got list; kept as unmapped text"
    assert (
        errors["doi"]
        == "'not-a-doi' is not a DOI such as 10.3389/fimmu.2021.767939; kept as unmapped text"
    )
    assert report.records_built == 2
    graph = assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__types.html")
    unmapped = {
        json.dumps(json.loads(str(v)), sort_keys=True)
        for v in graph.objects(figure, PFOCR.unmappedField)
    }
    assert unmapped == {
        json.dumps(d, sort_keys=True)
        for d in (
            {"figtitle": {"a": 1}},
            {"year": [2020]},
            {"automl_pathway": "high"},
            {"doi": "not-a-doi"},
            {"organisms": {"x": "y"}},
            {"genes": "not a list"},
        )
    }
    # figure type, identifier, isPartOf, 6 unmapped fields; paper type and PMCID
    assert report.triples == STAT3_TRIPLES + 9 + 2


def test_unknown_fields_are_kept_and_counted(layout, tmp_path):
    (layout / "_figures" / "PMC1__extra.md").write_text(record("PMC1__extra", curator="Kristina"))
    report, out = build(layout, tmp_path)
    assert report.unmapped_fields == {"curator": 1}
    assert [w.field for w in report.warnings if w.file.endswith("PMC1__extra.md")] == ["curator"]
    graph = assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__extra.html")
    assert [json.loads(str(v)) for v in graph.objects(figure, PFOCR.unmappedField)] == [
        {"curator": "Kristina"}
    ]


def test_duplicate_figid_in_another_file_is_rejected(layout, tmp_path):
    copy = layout / "_figures" / "copy-of-stat3.md"
    copy.write_text(STAT3_RECORD)
    report, _ = build(layout, tmp_path)
    [error] = report.errors
    assert (error.file, error.field) == (str(copy), "figid")
    assert error.message.startswith(f"duplicate figid '{STAT3_FIGID}', already built from ")
    assert (report.records_built, report.records_rejected, report.triples) == (1, 1, STAT3_TRIPLES)


def test_jsonld_id_other_than_the_figure_page_is_reported_and_replaced(layout, tmp_path):
    record = STAT3_RECORD.replace(
        f"'@id': https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html",
        "'@id': 'https://evil.example/x> <y'",
    )
    (layout / "_figures" / f"{STAT3_FIGID}.md").write_text(record)
    report, out = build(layout, tmp_path)
    [error] = report.errors
    assert error.field == "schema-jsonld.@id"
    graph = assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert (
        figure,
        rdflib.URIRef("http://schema.org/name"),
        rdflib.Literal("CreativeWork"),
    ) in graph
    assert [json.loads(str(v)) for v in graph.objects(figure, PFOCR.unmappedField)] == [
        {"schema-jsonld.@id": "https://evil.example/x> <y"}
    ]
    assert report.triples == STAT3_TRIPLES + 1


def test_jsonld_that_states_mention_evidence_is_dropped_with_a_warning(layout, tmp_path):
    """Mention evidence comes from the TSVs only: a JSON-LD block cannot forge a mention."""
    node = f"https://w3id.org/pfocr-kg/id/{STAT3_FIGID}/mention/gene-1-forged"
    forged = (
        "  '@type': Dataset\n"
        f"  '{PFOCR.hasMention}':\n"
        f"    '@id': {node}\n"
        f"    '{PFOCR.ocrWord}': FORGED\n"
        f"    '{PFOCR.mentionOf}': {{'@id': 'http://identifiers.org/ncbigene/1'}}\n"
    )
    record = STAT3_RECORD.replace("  '@type': Dataset\n", forged, 1)
    assert record != STAT3_RECORD
    (layout / "_figures" / f"{STAT3_FIGID}.md").write_text(record)
    report, out = build(layout, tmp_path)
    assert report.errors == []
    [warning] = [p for p in report.problems if p.field == "schema-jsonld"]
    assert warning.message == (
        "states mention evidence (pfocr-kg's own model); 3 statements dropped"
    )
    graph = assert_output_parses(out)
    assert (None, None, rdflib.Literal("FORGED")) not in graph
    assert (None, None, rdflib.URIRef(node)) not in graph
    assert (rdflib.URIRef(node), None, None) not in graph
    assert report.triples == STAT3_TRIPLES


MALFORMED_GENES = [
    ("wrong-header", "a\tb\tc\n" + "\n".join(GENES_ROWS), "header", "unexpected columns a|b|c"),
    ("empty", "", "file", "empty file: no header line"),
    ("binary", "\x00\x01\x02", "file", "binary file: contains NUL bytes"),
]


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    MALFORMED_GENES,
    ids=[case[0] for case in MALFORMED_GENES],
)
def test_unreadable_genes_tsv_is_reported_and_the_figure_still_builds(
    layout, tmp_path, name, content, field, message
):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    tsv.write_text(content)
    report, out = build(layout, tmp_path)
    [error] = report.errors
    assert (error.file, error.field) == (str(tsv), field)
    assert error.message.startswith(message)
    assert report.records_built == 1
    graph = assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert list(graph.objects(figure, PFOCR.hasMention)) == []
    # With no genes, the six schema.org keywords go to the symbol index: nothing else in this
    # input lists zebrafish genes, so all six stay unresolved and are kept as literals.
    assert len(list(graph.objects(figure, PFOCR.unresolvedGeneKeyword))) == 6
    assert report.gene_keywords_unresolved == 6


def test_header_only_genes_tsv_is_a_warning(layout, tmp_path):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    tsv.write_text(GENES_HEADER + "\n")
    report, _ = build(layout, tmp_path)
    assert report.errors == []
    assert [(w.file, w.message) for w in report.warnings] == [(str(tsv), "header only: no rows")]


def test_short_row_and_bad_ids_are_reported_per_row(layout, tmp_path):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    rows = list(GENES_ROWS)
    rows[0] = "\t".join(rows[0].split("\t")[:5])  # row 2: five columns
    cells = rows[1].split("\t")
    cells[6] = "abc"  # row 3: non-numeric gene id
    rows[1] = "\t".join(cells)
    tsv.write_text("\n".join([GENES_HEADER, *rows]) + "\n")
    report, out = build(layout, tmp_path)
    assert sorted((e.field, e.message) for e in report.errors) == [
        ("row 2", "has 5 columns, the header has 11; row skipped"),
        ("row 3 ncbigene_id", "'abc' is not an NCBI numeric id; left empty"),
    ]
    graph = assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert len(list(graph.objects(figure, PFOCR.hasMention))) == 5
    assert len(list(graph.objects(figure, rdflib.URIRef("http://schema.org/mentions")))) == 4


def test_crlf_and_duplicate_rows_give_the_same_graph(layout, tmp_path):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    tsv.write_bytes(("\r\n".join([GENES_HEADER, *GENES_ROWS, GENES_ROWS[2]]) + "\r\n").encode())
    report, _ = build(layout, tmp_path)
    assert report.errors == []
    assert report.duplicate_rows == 1
    assert report.triples == STAT3_TRIPLES


def test_literal_text_of_every_kind_yields_valid_turtle(layout, tmp_path):
    nasty = 'quote " back\\slash \\n newline\nnext tab\t ctrl \x01\x7f emoji 🧬 RTL \u202e >"""'
    record = STAT3_RECORD.replace(
        "figtitle: Exploiting the STAT3 Nexus in Cancer-Associated Fibroblasts to Improve Cancer\n"
        "  Therapy",
        yaml.safe_dump({"figtitle": nasty}, allow_unicode=True, width=10**6).rstrip("\n"),
    )
    (layout / "_figures" / f"{STAT3_FIGID}.md").write_text(record)
    report, out = build(layout, tmp_path)
    assert report.errors == []
    graph = assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert (
        str(graph.value(figure, rdflib.URIRef("http://purl.org/dc/terms/title"))) == nasty.strip()
    )


def test_a_build_with_only_bad_records_writes_nothing_and_says_why(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.md").write_bytes(b"")
    with pytest.raises(NothingBuilt) as failed:
        kg.build([folder], tmp_path / "out")
    report = failed.value.report
    assert (report.records_built, report.records_rejected, report.triples) == (0, 1, 0)
    assert [(e.field, e.message) for e in report.errors] == [
        ("front matter", "empty file; record rejected")
    ]
    assert not (tmp_path / "out" / "pfocr.ttl").exists()


def test_missing_input_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="nowhere: no such file or folder"):
        kg.build([tmp_path / "nowhere"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bom_and_crlf_record_builds_the_same_graph(layout, tmp_path):
    figure = layout / "_figures" / f"{STAT3_FIGID}.md"
    figure.write_bytes(b"\xef\xbb\xbf" + STAT3_RECORD.replace("\n", "\r\n").encode())
    report, out = build(layout, tmp_path)
    assert report.errors == [] and report.records_built == 1
    assert report.triples == STAT3_TRIPLES
    assert len(assert_output_parses(out)) == STAT3_TRIPLES


def test_a_multi_megabyte_caption_builds_whole(layout, tmp_path):
    caption = "STAT3 " * 500_000  # 3 MB, under the 8 MiB record cap
    (layout / "_figures" / "PMC1__long.md").write_text(record("PMC1__long", caption=caption))
    report, out = build(layout, tmp_path)
    assert report.errors == [] and report.records_built == 2
    graph = assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__long.html")
    assert str(graph.value(figure, rdflib.URIRef("http://schema.org/caption"))) == caption.strip()


CHEMICALS_HEADER = "word\tmesh\tmatch\tname\tchebi"


def _figure_with_terms(layout, kind: str, content: bytes) -> tuple[Path, Path]:
    figure = layout / "_figures" / "PMC2__terms.md"
    figure.write_text(record("PMC2__terms").replace("pmcid: PMC1", "pmcid: PMC2"))
    tsv = layout / "_data" / f"PMC2__terms-{kind}.tsv"
    tsv.write_bytes(content)
    return figure, tsv


@pytest.mark.parametrize(
    ("name", "content", "problems", "mentions"),
    [
        (
            "wrong-header",
            b"foo\tbar\nATP\tD000255\n",
            [
                (
                    "header",
                    "unexpected columns foo|bar; expected word|mesh|match|name|chebi"
                    " or word|source|identifier",
                )
            ],
            0,
        ),
        ("empty", b"", [("file", "empty file: no header line")], 0),
        ("header-only", CHEMICALS_HEADER.encode() + b"\n", [("file", "header only: no rows")], 0),
        (
            "missing-columns",
            (CHEMICALS_HEADER + "\nATP\tmesh:D000255\n").encode(),
            [("row 2", "has 2 columns, the header has 5; row skipped")],
            0,
        ),
        (
            "bad-ids",
            (
                CHEMICALS_HEADER + "\nATP\tmesh:XYZ\tATP\tATP\tchebi:15422\n"
                "ADP\tmesh:D000244\tADP\tADP\tchebi:abc\n"
            ).encode(),
            [
                ("row 2 mesh", "'mesh:XYZ' is not a MeSH id; kept without this id"),
                ("row 3 chebi", "'chebi:abc' is not a ChEBI id; kept without this id"),
            ],
            2,
        ),
        (
            "crlf-and-duplicates",
            (
                CHEMICALS_HEADER + "\r\nATP\tmesh:D000255\tATP\tATP\tchebi:15422\r\n"
                "ATP\tmesh:D000255\tATP\tATP\tchebi:15422\r\n"
            ).encode(),
            [("rows", "1 exact duplicate row(s) merged")],
            1,
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_malformed_chemicals_tsv(layout, tmp_path, name, content, problems, mentions):
    _, tsv = _figure_with_terms(layout, "chemicals", content)
    report, out = build(layout, tmp_path)
    found = [(p.field, p.message) for p in report.problems if p.file == str(tsv)]
    assert found == problems
    assert report.records_built == 2
    graph = assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC2__terms.html")
    assert len(list(graph.objects(figure, PFOCR.hasMention))) == mentions
    if name == "bad-ids":  # the good id of each row survives its neighbour's bad one
        linked = {
            str(o) for o in graph.objects(figure, rdflib.URIRef("http://schema.org/mentions"))
        }
        assert "http://id.nlm.nih.gov/mesh/D000244" in linked


def test_malformed_diseases_tsv_does_not_cost_the_figure(layout, tmp_path):
    _, tsv = _figure_with_terms(
        layout, "diseases", b"word\tmesh\tmatch\tname\tdoid\ntumor\tD009369\ttumor\t\tDOID:x\n"
    )
    report, out = build(layout, tmp_path)
    assert [(p.field, p.message) for p in report.problems if p.file == str(tsv)] == [
        ("row 2 doid", "'DOID:x' is not a Disease Ontology id; kept without this id")
    ]
    graph = assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC2__terms.html")
    assert rdflib.URIRef("http://id.nlm.nih.gov/mesh/D009369") in set(
        graph.objects(figure, rdflib.URIRef("http://schema.org/mentions"))
    )
