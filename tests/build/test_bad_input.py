"""Bad records never stop a build: each gets one clear error line, the good record still builds.

Every case builds the real STAT3 record (131 triples, see tests/rdf/test_stat3_record.py)
beside one bad input, with the network blocked.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import yaml

import kg
from tests.conftest import DATA, FIGURES, STAT3_FIGID

STAT3_TRIPLES = 131
STAT3_RECORD = (FIGURES / f"{STAT3_FIGID}.md").read_text("utf-8")
STAT3_GENES = (DATA / f"{STAT3_FIGID}-genes.tsv").read_text("utf-8")
PFOCR = rdflib.Namespace("https://w3id.org/pfocr-kg/vocab#")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    (root / "_figures" / f"{STAT3_FIGID}.md").write_text(STAT3_RECORD, "utf-8")
    (root / "_data" / f"{STAT3_FIGID}-genes.tsv").write_text(STAT3_GENES, "utf-8")
    return root


def _record(figid: str = "PMC1__bad", **fields: object) -> str:
    lines = ["---", f"figid: {figid}", "pmcid: PMC1"]
    lines += [f"{name}: {value}" for name, value in fields.items()]
    return "\n".join([*lines, "---", ""])


def _build(root: Path, tmp_path: Path) -> tuple[kg.BuildReport, Path]:
    out = tmp_path / "out"
    report = kg.build([root], out)
    return report, out


def _assert_output_parses(out: Path) -> rdflib.Graph:
    graph = rdflib.Graph().parse(out / "pfocr.ttl", format="turtle")
    store = ox.Store()
    store.bulk_load(path=str(out / "pfocr.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(graph)
    return graph


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
        _record(figid='"PMC1__a> <b"').encode(),
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
        "remote-context",
        _record(**{"schema-jsonld": '{"@context": "https://example.org/ctx"}'}).encode(),
        "schema-jsonld",
        "context 'https://example.org/ctx' refused",
    ),
    (
        "file-context",
        _record(**{"schema-jsonld": '{"@context": "file:///etc/passwd"}'}).encode(),
        "schema-jsonld",
        "context 'file:///etc/passwd' refused",
    ),
    (
        "relative-context",
        _record(**{"schema-jsonld": '{"@context": "ctx.jsonld"}'}).encode(),
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
    report, out = _build(layout, tmp_path)
    errors = [e for e in report.errors if e.file == str(bad)]
    assert len(errors) == 1, errors
    assert errors[0].field == field
    assert message in errors[0].message
    assert errors[0].message.endswith("record rejected")
    assert (report.records_found, report.records_built, report.records_rejected) == (2, 1, 1)
    assert report.triples == STAT3_TRIPLES
    assert len(_assert_output_parses(out)) == STAT3_TRIPLES
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
    report, _ = _build(layout, tmp_path)
    [error] = [e for e in report.errors if e.file == str(bad)]
    assert error.field == "front matter"
    assert "nesting too deep" in error.message
    assert report.records_built == 1


def test_wrong_value_types_are_reported_per_field_and_kept_as_unmapped_json(layout, tmp_path):
    bad = layout / "_figures" / "PMC1__types.md"
    bad.write_text(
        _record(
            "PMC1__types",
            figtitle="{a: 1}",
            year="[2020]",
            automl_pathway="high",
            doi="not-a-doi",
            organisms="{x: y}",
            genes='"not a list"',
        )
    )
    report, out = _build(layout, tmp_path)
    errors = {e.field: e.message for e in report.errors if e.file == str(bad)}
    assert set(errors) == {"figtitle", "year", "automl_pathway", "doi", "organisms", "genes"}
    assert errors["year"] == "expected text, got list; kept as unmapped text"
    assert (
        errors["doi"]
        == "'not-a-doi' is not a DOI such as 10.3389/fimmu.2021.767939; kept as unmapped text"
    )
    assert report.records_built == 2
    graph = _assert_output_parses(out)
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
    (layout / "_figures" / "PMC1__extra.md").write_text(_record("PMC1__extra", curator="Kristina"))
    report, out = _build(layout, tmp_path)
    assert report.unmapped_fields == {"curator": 1}
    assert [w.field for w in report.warnings if w.file.endswith("PMC1__extra.md")] == ["curator"]
    graph = _assert_output_parses(out)
    figure = rdflib.URIRef("https://pfocr.wikipathways.org/figures/PMC1__extra.html")
    assert [json.loads(str(v)) for v in graph.objects(figure, PFOCR.unmappedField)] == [
        {"curator": "Kristina"}
    ]


def test_duplicate_figid_in_another_file_is_rejected(layout, tmp_path):
    copy = layout / "_figures" / "copy-of-stat3.md"
    copy.write_text(STAT3_RECORD)
    report, _ = _build(layout, tmp_path)
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
    report, out = _build(layout, tmp_path)
    [error] = report.errors
    assert error.field == "schema-jsonld.@id"
    graph = _assert_output_parses(out)
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


GENES_HEADER = STAT3_GENES.splitlines()[0]
GENES_ROWS = STAT3_GENES.splitlines()[1:]

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
    report, out = _build(layout, tmp_path)
    [error] = report.errors
    assert (error.file, error.field) == (str(tsv), field)
    assert error.message.startswith(message)
    assert report.records_built == 1
    graph = _assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert list(graph.objects(figure, PFOCR.hasMention)) == []
    # With no genes, the six schema.org keywords go to the symbol index: nothing else in this
    # input lists zebrafish genes, so all six stay unresolved and are kept as literals.
    assert len(list(graph.objects(figure, PFOCR.unresolvedGeneKeyword))) == 6
    assert report.gene_keywords_unresolved == 6


def test_header_only_genes_tsv_is_a_warning(layout, tmp_path):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    tsv.write_text(GENES_HEADER + "\n")
    report, _ = _build(layout, tmp_path)
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
    report, out = _build(layout, tmp_path)
    assert sorted((e.field, e.message) for e in report.errors) == [
        ("row 2", "has 5 columns, the header has 11; row skipped"),
        ("row 3 ncbigene_id", "'abc' is not an NCBI numeric id; left empty"),
    ]
    graph = _assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert len(list(graph.objects(figure, PFOCR.hasMention))) == 5
    assert len(list(graph.objects(figure, rdflib.URIRef("http://schema.org/mentions")))) == 4


def test_crlf_and_duplicate_rows_give_the_same_graph(layout, tmp_path):
    tsv = layout / "_data" / f"{STAT3_FIGID}-genes.tsv"
    tsv.write_bytes(("\r\n".join([GENES_HEADER, *GENES_ROWS, GENES_ROWS[2]]) + "\r\n").encode())
    report, _ = _build(layout, tmp_path)
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
    report, out = _build(layout, tmp_path)
    assert report.errors == []
    graph = _assert_output_parses(out)
    figure = rdflib.URIRef(f"https://pfocr.wikipathways.org/figures/{STAT3_FIGID}.html")
    assert (
        str(graph.value(figure, rdflib.URIRef("http://purl.org/dc/terms/title"))) == nasty.strip()
    )


def test_a_build_with_only_bad_records_still_writes_valid_empty_outputs(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.md").write_bytes(b"")
    report = kg.build([folder], tmp_path / "out")
    assert (report.records_built, report.records_rejected, report.triples) == (0, 1, 0)
    assert len(rdflib.Graph().parse(tmp_path / "out" / "pfocr.ttl")) == 0


def test_missing_input_is_reported(tmp_path):
    report = kg.build([tmp_path / "nowhere"], tmp_path / "out")
    assert [(e.field, e.message) for e in report.errors] == [("input", "no such file or folder")]
