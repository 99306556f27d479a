"""The direct N-Triples and Turtle writers say exactly what Oxigraph and rdflib read back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.prepare import RecordPreparer
from kg.rdf.ntriples import FirstSeen, from_oxigraph, iri, literal, ntriples, to_oxigraph
from kg.rdf.turtle import TurtleFormatter
from kg.rdf.vocab import PREFIXES
from kg.sources import TaxonTable, discover
from tests.conftest import SAMPLE

# Any Unicode text but lone surrogates (not encodable as UTF-8, refused by the reader).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
# Local names that may or may not be written as prefixed names: dots, dashes, underscores,
# percent signs and a trailing dot all have rules of their own in Turtle.
local_name = st.lists(
    st.sampled_from(["a", "X", "0", "9", ".", "-", "_", "%41", "~", ":", "/", "#"]), max_size=8
).map("".join)
namespace = st.sampled_from([*PREFIXES.values(), "https://example.org/other/"])
datatype = st.sampled_from(
    [
        None,
        "http://www.w3.org/2001/XMLSchema#integer",
        "http://www.w3.org/2001/XMLSchema#double",
        "http://www.w3.org/2001/XMLSchema#gYear",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON",
        "https://example.org/other/type",
    ]
)


def _valid_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


@st.composite
def iris(draw: st.DrawFn) -> str:
    return draw(st.builds(str.__add__, namespace, local_name).filter(_valid_iri))


@st.composite
def objects(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["iri", "text", "typed", "int", "lang"]))
    if kind == "iri":
        return iri(draw(iris()))
    if kind == "int":
        return literal(draw(st.integers(-(10**20), 10**20)))
    if kind == "lang":
        return literal(draw(text), language=draw(st.sampled_from(["en", "de-CH"])))
    if kind == "typed":
        return literal(draw(text), draw(datatype))
    return literal(draw(text))


statements = st.lists(st.tuples(iris().map(iri), iris().map(iri), objects()), max_size=30)


def _oxigraph_triples(statements_: list) -> set[ox.Triple]:
    return set(to_oxigraph(statements_))


@settings(max_examples=300, deadline=None)
@given(value=text, datatype=datatype)
def test_literals_are_written_as_oxigraph_writes_them(value, datatype):
    expected = ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
    assert literal(value, datatype) == str(expected)


@settings(max_examples=200, deadline=None)
@given(statements_=statements)
def test_ntriples_are_byte_identical_to_oxigraph(statements_):
    triples = to_oxigraph(statements_)
    assert ntriples(statements_) == ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert from_oxigraph(triples) == statements_


@settings(max_examples=200, deadline=None)
@given(statements_=statements)
def test_turtle_reads_back_as_the_same_graph_in_oxigraph_and_rdflib(statements_):
    statements_ = sorted(statements_, key=lambda s: s[0])
    formatter = TurtleFormatter(PREFIXES)
    turtle = formatter.header() + formatter.block(statements_)
    expected = _oxigraph_triples(statements_)
    read = {q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)}
    assert read == expected
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) == len(expected)
    reread = rdflib.Graph().parse(data=ntriples(statements_).decode("utf-8"), format="nt")
    assert set(graph) == set(reread)


def test_turtle_shortens_what_it_can():
    formatter = TurtleFormatter(PREFIXES)
    gene = iri("http://identifiers.org/ncbigene/6774")
    block = formatter.block(
        [
            (
                gene,
                iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                iri("https://w3id.org/biolink/vocab/Gene"),
            ),
            (
                gene,
                iri("http://purl.obolibrary.org/obo/RO_0002162"),
                iri("http://purl.obolibrary.org/obo/NCBITaxon_9606"),
            ),
            (gene, iri("http://schema.org/position"), literal(7)),
            (gene, iri("http://schema.org/position"), literal(0.5)),
            (gene, iri("http://schema.org/url"), iri("https://example.org/other/x.")),
        ]
    )
    assert block == (
        "ncbigene:6774 a biolink:Gene ;\n"
        "\tobo:RO_0002162 NCBITaxon:9606 ;\n"
        "\tschema:position 7 ;\n"
        '\tschema:position "0.5"^^xsd:double ;\n'
        "\tschema:url <https://example.org/other/x.> .\n"
    )


def test_first_seen_passes_each_statement_once_in_order():
    a = (iri("http://a"), iri("http://p"), literal("x y"))
    b = (iri("http://a"), iri("http://p"), literal("x"))
    first_seen = FirstSeen()
    assert first_seen.new([a, b, a]) == [a, b]
    assert first_seen.new([b, (iri("http://b"), iri("http://p"), literal("x"))]) == [
        (iri("http://b"), iri("http://p"), literal("x"))
    ]
    assert len(first_seen) == 3


@pytest.mark.parametrize("repeats", [0, 1, 3, 100_000])
def test_first_seen_agrees_with_a_plain_set_whatever_it_keeps_of_repeats(repeats):
    # Statements met again are kept as they are up to ``repeats``; past that, and below
    # it, only what was seen decides.
    terms = [iri(f"http://x/{i}") for i in range(4)]
    pool = [(s, p, o) for s in terms for p in terms[:2] for o in (*terms, literal("a b"))]
    rounds = [[pool[(i * 7 + j * 3) % len(pool)] for j in range(9)] for i in range(12)]
    first_seen, plain = FirstSeen(repeats), set()
    for statements in rounds:
        expected = []
        for statement in statements:
            if statement not in plain:
                plain.add(statement)
                expected.append(statement)
        assert first_seen.new(statements) == expected
    assert len(first_seen) == len(plain) and 0 < len(plain) < sum(map(len, rounds))


def test_every_sample_figure_writes_the_bytes_oxigraph_would():
    preparer = RecordPreparer(TaxonTable.bundled(), None, ["nt", "ttl"], keep=True)
    figures = 0
    for source in discover([SAMPLE]).records:
        prepared = preparer.prepare(source)
        if prepared.graph is None:
            continue
        figures += 1
        local = prepared.graph.local
        oxigraph = ox.serialize(to_oxigraph(local), format=ox.RdfFormat.N_TRIPLES)
        assert prepared.texts["nt"] == oxigraph
        turtle = (
            b"".join(f"@prefix {name}: <{base}> .\n".encode() for name, base in PREFIXES.items())
            + prepared.texts["ttl"]
        )
        read = {q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}
        assert read == set(to_oxigraph(local))
    assert figures >= 60
