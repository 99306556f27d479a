"""The answer index (kg.index): every answer equals the SPARQL answer on the store it was
made from, and an index is only ever used for that store."""

from __future__ import annotations

import shutil

import pytest

import kg
from kg.analysis import enrich
from kg.index import open_index
from kg.index.answers import ANSWERS
from kg.index.facts import mention_records
from kg.index.schema import index_path
from kg.lookups import figures as figures_lookup
from kg.lookups import incidence
from kg.lookups.incidence import gene_figure_table
from kg.model import excluded_sources
from kg.queries import load_queries, run_named
from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader, iris
from kg.sources import TaxonTable, discover, read_record
from kg.store import OxigraphStore, open_store
from kg.web import data as web_data
from tests.conftest import SAMPLE, STAT3_FIGID

TAXA = [None, "9606", "10090", "7955"]
EVIDENCE = [None, "synonyms", "families", "synonyms,families"]
CHEMICALS = ["D000255", "D005947", "pyruvate", "ATP", "Glucose", "calcium", "nothing-like-it"]
JOURNALS = ["Front Immunol", "frontiers in immunology", "Nature", "Cell Death Dis", "none"]


@pytest.fixture(scope="module")
def store(sample_build):
    with open_store(sample_build[1] / "store") as opened:
        yield opened


@pytest.fixture(scope="module")
def genes(store) -> list[str]:
    """Symbols of every fourth of the 80 top genes, a few ids and cases, and an unknown."""
    top = run_named(store, "top-genes", {"limit": 80}, index=False).rows
    return [row["symbol"] for row in top[::4]] + ["stat3", "Tnf", "6774", "NOT-A-GENE"]


def _choices(name: str, genes: list[str]) -> list[dict]:
    gene_cases = [
        {"gene": g, **({"taxon": t} if t else {}), **({"exclude": e} if e else {})}
        for g in genes
        for t in TAXA
        for e in EVIDENCE
    ]
    if name in ("figures-mentioning-gene", "genes-comentioned-with-gene"):
        return [dict(c, limit=n) for c in gene_cases for n in (3, 1000)]
    if name == "diseases-comentioned-with-gene":
        return gene_cases
    if name == "figures-mentioning-gene-and-chemical":
        return [dict(c, chemical=x) for c in gene_cases[::3] for x in CHEMICALS]
    if name == "mention-evidence":
        figure = {"figure": "PMC10039534__12943_2023_1761_Fig2_HTML"}
        return [{"gene": g, **({"taxon": t} if t else {})} for g in genes for t in TAXA] + [
            {"gene": "MAPK3", **figure},
            {"gene": "STAT3", **figure},
        ]
    if name == "top-genes":
        return [
            {"limit": n, **({"taxon": t} if t else {}), **({"exclude": e} if e else {})}
            for t in TAXA
            for e in EVIDENCE
            for n in (0, 5, 3000)
        ]
    if name in ("figures-per-organism", "top-chemicals"):
        return [{"limit": n} for n in (0, 1, 7, 1000)]
    if name == "papers-per-year":
        return [{"taxon": t} if t else {} for t in TAXA]
    if name == "figures-of-journal":
        return [{"journal": j} for j in JOURNALS]
    return [{}]


def _check_answers(store, name: str, choices: list[dict]) -> None:
    index = open_index(store)
    assert index is not None
    nonempty = 0
    for params in choices:
        expected = run_named(store, name, params, index=False)
        answered = run_named(store, name, params, index=index)
        assert answered.variables == expected.variables, params
        assert answered.rows == expected.rows, params
        nonempty += bool(expected.rows)
    assert nonempty >= 1  # the choices reach real rows, not only empty answers


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_index_answers_equal_the_sparql_answers(store, genes, name):
    choices = _choices(name, genes)
    _check_answers(store, name, choices[:: max(1, len(choices) // 40)])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_index_answers_equal_the_sparql_answers_for_every_choice(store, genes, name):
    _check_answers(store, name, _choices(name, genes))


def test_the_mappers_mention_records_restate_its_mention_statements():
    """The index reads mention evidence from the mapper's records, not its statements: the
    two must say the same, for every mention of every sample figure."""
    mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
    taxa, kinds = TaxonTable.bundled(), {}
    for source in discover([SAMPLE]).records:
        graph = mapper.map(read_record(source, taxa, None).figure)
        assert graph.mentions == mention_records(graph.figure, graph.local), source.stem
        for record in graph.mentions:
            kind = record.cls.rsplit("#", 1)[1][:-1]
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"GeneMention": 3837, "ChemicalMention": 488, "DiseaseMention": 47}


def test_the_index_answers_the_top_human_gene_by_hand(store):
    # MAPK3 (NCBI Gene 5595) is mentioned by 14 human figures of the sample.
    rows = run_named(store, "top-genes", {"taxon": 9606, "limit": 2}).rows
    assert [(r["symbol"], r["figures"]) for r in rows] == [("MAPK3", 14), ("MAPK1", 13)]


@pytest.mark.parametrize("taxon", [None, 9606])
@pytest.mark.parametrize("merge", [False, True])
@pytest.mark.parametrize("evidence", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("cap", [0, 20, 100])
def test_incidence_table_from_the_index_equals_the_sparql_one(
    store, monkeypatch, taxon, merge, evidence, cap
):
    options = {
        "taxon": taxon,
        "merge_symbols": merge,
        "exclude_sources": excluded_sources(*evidence),
        "max_figure_genes": cap,
    }
    fast = gene_figure_table(store, **options)
    monkeypatch.setattr(incidence, "_from_index", lambda *args: None)
    slow = gene_figure_table(store, **options)
    assert fast.figures == slow.figures and fast.genes == slow.genes
    assert fast.symbols == slow.symbols and fast.taxa == slow.taxa
    assert (fast.matrix != slow.matrix).nnz == 0
    assert fast.dropped_hub_figures == slow.dropped_hub_figures
    assert fast.settings == slow.settings


def test_enrichment_from_the_index_equals_the_sparql_one(store, monkeypatch):
    genes = ["STAT3", "JAK1", "JAK2", "SOCS3", "IL6", "NOPE"]
    fast = enrich(store, genes, taxon=9606, exclude_sources=excluded_sources(True))
    monkeypatch.setattr(incidence, "_from_index", lambda *args: None)
    monkeypatch.setattr("kg.lookups.figures.open_index", lambda store: None)
    slow = enrich(store, genes, taxon=9606, exclude_sources=excluded_sources(True))
    assert fast.rows == slow.rows and fast.rows
    assert (fast.unknown, fast.universe_size, fast.tested) == (
        slow.unknown,
        slow.universe_size,
        slow.tested,
    )


def test_figure_mentions_from_the_index_equal_the_sparql_ones_for_every_figure(store, monkeypatch):
    figures = [r["figure"] for r in store.query("SELECT ?figure WHERE { ?figure a fabio:Figure }")]
    fast = {figure: figures_lookup.figure_mentions(store, figure) for figure in figures}
    monkeypatch.setattr(figures_lookup, "open_index", lambda store: None)
    slow = {figure: figures_lookup.figure_mentions(store, figure) for figure in figures}
    assert len(figures) == 68
    kinds = {"gene": 0, "chemical": 0, "disease": 0}
    for figure in figures:
        # The same rows, in the same order of kind, name, term, word and source (rows equal
        # in all of those may come in either order).
        assert sorted(map(_row, fast[figure])) == sorted(map(_row, slow[figure])), figure
        assert [_key(r) for r in fast[figure]] == [_key(r) for r in slow[figure]], figure
        for row in fast[figure]:
            kinds[row["kind"]] += 1
    assert all(kinds.values()), kinds
    card = {r["term"]: r for r in fast[iris.figure(STAT3_FIGID)]}
    stat3 = card["http://identifiers.org/ncbigene/30767"]  # zebrafish stat3
    assert (stat3["name"], stat3["word"], stat3["source"], stat3["origin"]) == (
        "stat3", "STAT3", "ncbigene_symbol", "genes-tsv"
    )  # fmt: skip
    assert figures_lookup.figure_mentions(store, "https://example.org/no-figure") == []


def test_figure_summaries_from_the_index_equal_the_sparql_ones(store, monkeypatch):
    figures = [r["figure"] for r in store.query("SELECT ?figure WHERE { ?figure a fabio:Figure }")]
    figures = [*sorted(figures, reverse=True), "https://example.org/no-figure"]
    fast = web_data.figure_summaries(store, figures)
    monkeypatch.setattr(web_data, "open_index", lambda store: None)
    slow = web_data.figure_summaries(store, figures)
    assert fast == slow and len(fast) == 68
    assert [s["figure"] for s in fast] == figures[:-1]  # in the order given
    card = next(s for s in fast if s["figid"] == STAT3_FIGID)
    assert card["year"] == "2021" and card["image"].endswith("/fimmu-12-767939-g001.jpg")
    assert sum(bool(s["organisms"]) for s in fast) == 41  # 27 have no pfocr:organism


def _row(row: dict) -> tuple:
    return tuple((k, "" if v is None else v) for k, v in sorted(row.items()))


def _key(row: dict) -> tuple:
    return tuple(row[k] for k in ("kind", "name", "term", "word", "source"))


def test_enrichment_with_a_background_from_the_index_equals_the_sparql_one(store, monkeypatch):
    genes = ["STAT3", "JAK1", "JAK2", "SOCS3", "IL6"]
    top = run_named(store, "top-genes", {"limit": 300}).rows
    background = [r["symbol"] for r in top if r["symbol"]]
    fast = enrich(store, genes, taxon=9606, universe=background)
    monkeypatch.setattr(incidence, "_from_index", lambda *args: None)
    monkeypatch.setattr("kg.lookups.figures.open_index", lambda store: None)
    slow = enrich(store, genes, taxon=9606, universe=background)
    assert fast.rows == slow.rows and fast.rows
    assert (
        fast.universe_size
        == slow.universe_size
        < len(gene_figure_table(store, taxon=9606, max_figure_genes=0).genes)
    )


def test_a_custom_catalog_is_never_answered_from_the_index(store, tmp_path):
    # Same name as a bundled query, other text: its own SPARQL runs.
    (tmp_path / "top-genes.rq").write_text(
        "# title: t\n# description: d\n# param: limit | integer | 20 | n\n"
        "SELECT ?gene WHERE { ?gene a biolink:Gene } ORDER BY ?gene LIMIT ${limit}\n"
    )
    rows = run_named(store, "top-genes", {"limit": 2}, load_queries(tmp_path)).rows
    assert list(rows[0]) == ["gene"]


def test_an_index_is_used_only_for_the_store_it_was_made_from(sample_build, tmp_path):
    out = sample_build[1]
    # Another store (a second build of the same records) with the first build's index.
    other = tmp_path / "other"
    kg.build([SAMPLE], other, [], store=other / "store")
    with open_store(other / "store") as store:
        assert open_index(store) is not None
        own = index_path(store.folder)
    shutil.copyfile(index_path((out / "store").resolve()), tmp_path / "theirs.sqlite")
    own.unlink()
    shutil.copyfile(tmp_path / "theirs.sqlite", own)
    with open_store(other / "store") as store:
        assert open_index(store) is None  # another store's RocksDB identity
    own.write_bytes(b"not an index")
    with open_store(other / "store") as store:
        assert open_index(store) is None  # unreadable: answered by SPARQL, with a warning
        rows = run_named(store, "top-genes", {"taxon": 9606, "limit": 1}).rows
        assert rows[0]["symbol"] == "MAPK3"


def test_a_reopened_store_reads_its_own_index(tmp_path, pfocr_copy):
    root = pfocr_copy("PMC8632218__fimmu-12-767939-g001")
    out = tmp_path / "out"
    kg.build([root], out, [], store=out / "store")
    store = OxigraphStore(out / "store", read_only=True)
    try:
        first = open_index(store)
        assert first is not None and open_index(store) is first  # kept with the store
        shutil.copytree(SAMPLE / "_figures", root / "_figures", dirs_exist_ok=True)
        shutil.copytree(SAMPLE / "_data", root / "_data", dirs_exist_ok=True)
        kg.build([root], out, [], store=out / "store")
        assert store.reopen()
        assert open_index(store) is not first
        rows = run_named(store, "graph-summary", {}).rows
        counts = {row["class"]: row["entities"] for row in rows}
        assert counts["http://purl.org/spar/fabio/Figure"] == 68
    finally:
        store.close()


def test_a_rebuild_makes_a_new_index_with_its_new_store(tmp_path, pfocr_copy):
    root = pfocr_copy("PMC8632218__fimmu-12-767939-g001")
    out = tmp_path / "out"
    kg.build([root], out, [], store=out / "store")
    first = index_path(out / "store")
    with open_store(out / "store") as store:
        assert run_named(store, "graph-summary", {}).rows[0]["entities"] == 1
    shutil.copytree(SAMPLE / "_figures", root / "_figures", dirs_exist_ok=True)
    shutil.copytree(SAMPLE / "_data", root / "_data", dirs_exist_ok=True)
    report = kg.build([root], out, [], store=out / "store")
    assert report.index is not None and report.index["figure_gene_pairs"] == 3813
    assert not first.exists()  # went with its generation
    with OxigraphStore(out / "store", read_only=True) as store:
        summary = {r["class"]: r["entities"] for r in run_named(store, "graph-summary", {}).rows}
        assert summary["http://purl.org/spar/fabio/Figure"] == 68


def test_the_build_report_gives_the_index_cost(sample_build):
    report = sample_build[0]
    assert report.index is not None
    assert report.index["figure_gene_pairs"] == 3813
    assert 0 < report.index["seconds"] < report.seconds


def test_an_index_writer_never_replaces_or_removes_a_file_it_did_not_make(tmp_path):
    from kg.index import IndexWriter

    theirs = tmp_path / "store.index.sqlite"
    theirs.write_text("someone's file")
    with pytest.raises(FileExistsError):
        IndexWriter(theirs)
    assert theirs.read_text() == "someone's file"  # neither replaced nor removed
    ours = tmp_path / "ours.sqlite"
    writer = IndexWriter(ours)
    writer.discard()
    assert not ours.exists() and theirs.exists()
