"""kg.outputs.writers: a file appears whole on commit, and discard leaves nothing."""

from __future__ import annotations

import pyoxigraph as ox

from kg.model import Figure, Paper
from kg.outputs import FigureOutput
from kg.outputs.writers import WRITERS, open_writer
from kg.rdf import FigureMapper, JsonLdConverter, OfflineContextLoader
from kg.rdf.formats import FORMATS


def _graph():
    mapper = FigureMapper(JsonLdConverter(OfflineContextLoader.bundled()))
    return mapper.map(Figure("PMC1__f1", "PMC1__f1.md", Paper("PMC1"), title="A pathway"))


def test_each_writer_commits_a_file_that_parses_to_the_figure(tmp_path):
    graph = _graph()
    for name in WRITERS:
        path = tmp_path / f"pfocr{FORMATS[name].extension}"
        with open_writer(name, path) as writer:
            writer.add(FigureOutput.of(graph, [name]))
            writer.commit()
        read = {q.triple for q in ox.parse(path=str(path), format=FORMATS[name].oxigraph)}
        assert read == set(graph.triples()), name
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pfocr.jsonld",
        "pfocr.nq",
        "pfocr.nt",
        "pfocr.ttl",
    ]


def test_a_discarded_writer_leaves_what_was_there(tmp_path):
    path = tmp_path / "pfocr.nt"
    path.write_text("# before\n")
    with open_writer("nt", path) as writer:
        writer.add(FigureOutput.of(_graph(), ["nt"]))
    assert path.read_text() == "# before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pfocr.nt"]
