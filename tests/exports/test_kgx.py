"""KGX TSV: every node and edge valid against the Biolink model's JSON Schema.

The kgx validator cannot run offline (it downloads the Biolink model when imported); see
data/README.md. These tests validate the same rows against the Biolink JSON Schema.
"""

from __future__ import annotations

import csv
import gzip
import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from kg.exports import prefix_converter, write_kgx
from kg.exports.kgx import EDGE_COLUMNS, NODE_COLUMNS
from tests.conftest import STAT3_FIGID

SCHEMA = Path(__file__).parent / "data" / "biolink-model-4.4.6.schema.json.gz"


@cache
def biolink() -> dict:
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    # The generator puts a multivalued slot's allowed values (category) on the array itself,
    # which no array can equal; they belong to its items.
    for definition in schema["$defs"].values():
        for prop in definition.get("properties", {}).values():
            if "enum" in prop and "array" in prop.get("type", ""):
                prop["items"] = {"enum": prop.pop("enum")}
    return schema


@cache
def validator(definition: str) -> jsonschema.protocols.Validator:
    schema = {"$defs": biolink()["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema)


def as_json(row: dict[str, str], definition: str) -> dict:
    """A KGX TSV row as the JSON object the schema describes ('|' joins list values)."""
    properties = biolink()["$defs"][definition]["properties"]
    out = {}
    for key, value in row.items():
        if value == "":
            continue
        kind = properties.get(key, {}).get("type", "string")
        out[key] = value.split("|") if "array" in kind else value
    return out


@pytest.fixture(scope="module")
def kgx(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kgx")
    counts = write_kgx(store, folder)

    def read(name):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))

    return counts, read("nodes.tsv"), read("edges.tsv")


def test_every_node_is_valid_biolink(kgx):
    _, nodes, _ = kgx
    for node in nodes:
        definition = node["category"].removeprefix("biolink:")
        errors = list(validator(definition).iter_errors(as_json(node, definition)))
        assert not errors, (node, [e.message for e in errors])


def test_every_edge_is_a_valid_biolink_association(kgx):
    _, nodes, edges = kgx
    ids = {n["id"] for n in nodes}
    for edge in edges:
        errors = list(validator("Association").iter_errors(as_json(edge, "Association")))
        assert not errors, (edge, [e.message for e in errors])
        assert edge["subject"] in ids and edge["object"] in ids
        assert edge["primary_knowledge_source"] == "infores:pfocr"


def test_columns_counts_and_categories(kgx, sample_build):
    (n_nodes, n_edges), nodes, edges = kgx
    report = sample_build[0]
    assert list(nodes[0]) == list(NODE_COLUMNS) and list(edges[0]) == list(EDGE_COLUMNS)
    assert (n_nodes, n_edges) == (len(nodes), len(edges))
    by_category: dict[str, int] = {}
    for node in nodes:
        by_category[node["category"]] = by_category.get(node["category"], 0) + 1
    assert by_category == {
        "biolink:Gene": report.entities["genes"],
        "biolink:OrganismTaxon": report.entities["organisms"],
        "biolink:ChemicalEntity": report.entities["chemicals"],
        "biolink:Disease": report.entities["diseases"],
        "biolink:Publication": report.entities["papers"] + report.records_built,
    }
    assert {e["predicate"] for e in edges} == {
        "biolink:mentions",
        "biolink:in_taxon",
        "biolink:part_of",
    }
    assert sum(e["predicate"] == "biolink:part_of" for e in edges) == report.records_built


def test_curies_come_from_the_prefix_map_and_expand_to_graph_iris(kgx):
    _, nodes, edges = kgx
    converter = prefix_converter()
    for curie in [n["id"] for n in nodes] + [e["subject"] for e in edges]:
        assert converter.is_curie(curie), curie
    stat3 = next(n for n in nodes if n["id"] == "NCBIGene:6774")
    assert stat3["name"] == "STAT3" and "in_taxon" not in stat3
    assert {
        e["object"]
        for e in edges
        if e["subject"] == "NCBIGene:6774" and e["predicate"] == "biolink:in_taxon"
    } == {"NCBITaxon:9606"}
    assert converter.expand("NCBIGene:6774") == "http://identifiers.org/ncbigene/6774"
    figure = next(n for n in nodes if n["id"] == f"PFOCR:{STAT3_FIGID}.html")
    assert figure["publication_type"] == "fabio:Figure"
    mention = next(
        e for e in edges if e["subject"] == figure["id"] and e["predicate"] == "biolink:mentions"
    )
    assert mention["publications"] == "PMC:8632218"
    assert mention["agent_type"] == "image_processing_agent"


def test_the_schema_check_rejects_what_biolink_does_not_allow(kgx):
    _, nodes, edges = kgx
    bad_edge = {**edges[0], "knowledge_level": "hearsay"}
    assert list(validator("Association").iter_errors(as_json(bad_edge, "Association")))
    no_id = {k: v for k, v in nodes[0].items() if k != "id"}
    definition = nodes[0]["category"].removeprefix("biolink:")
    assert list(validator(definition).iter_errors(as_json(no_id, definition)))
    wrong_category = {**nodes[0], "category": "biolink:Disease"}
    assert list(validator("Gene").iter_errors(as_json(wrong_category, "Gene")))
