"""Write a co-occurrence graph for other tools: GraphML, GEXF, CSV edge lists, and RDF.

GraphML and GEXF open in Cytoscape and Gephi; every edge carries its shared-figure count
(``figures``) and scores, every node its symbol, taxon and figure count.

Example
-------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.Graph(figures=3)
>>> G.add_node("http://identifiers.org/ncbigene/1", symbol="A1BG", taxon="", figures=2)
>>> G.add_node("http://identifiers.org/ncbigene/2", symbol="A2M", taxon="", figures=2)
>>> G.add_edge(*list(G), figures=1, npmi=0.2)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> write_graph(G, path)
>>> nx.read_graphml(path).edges["http://identifiers.org/ncbigene/1", "http://identifiers.org/ncbigene/2"]["figures"]
1
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.analysis.names import EDGE_ATTRIBUTES
from kg.files import atomic_write_text, temporary_file
from kg.outputs import FigureOutput
from kg.outputs.writers import open_writer
from kg.rdf import iris
from kg.rdf.figure import FigureGraph
from kg.rdf.iris import ID_BASE
from kg.rdf.ntriples import from_oxigraph
from kg.rdf.vocab import PFOCR, RDF, XSD

__all__ = ["GRAPH_FORMATS", "cooccurrence_triples", "edge_list_csv", "write_graph"]

EDGE_COLUMNS = EDGE_ATTRIBUTES


def _scalar_attributes(G: nx.Graph) -> nx.Graph:
    """A copy for GraphML and GEXF: scalar graph attributes (they take nothing else), and
    each node labelled with its gene symbol (``label`` and ``name``, what Gephi and
    Cytoscape show) with its IRI kept as ``iri``."""
    H = G.copy()
    for key, value in list(H.graph.items()):
        if value is None:
            del H.graph[key]
        elif isinstance(value, list | tuple | set):
            H.graph[key] = ",".join(map(str, value))
    for node, data in H.nodes(data=True):
        label = data.get("symbol") or iris.gene_id(node) or node
        data.update(label=label, name=label, iri=node)
    return H


def edge_list_csv(G: nx.Graph) -> str:
    """Edges as CSV: both genes with symbols, then every score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["gene_a", "symbol_a", "gene_b", "symbol_b", *EDGE_COLUMNS])
    for a, b, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        writer.writerow(
            [
                a,
                G.nodes[a].get("symbol", ""),
                b,
                G.nodes[b].get("symbol", ""),
                *(data.get(c, "") for c in EDGE_COLUMNS),
            ]
        )
    return out.getvalue()


def _write_xml(writer: Callable[[nx.Graph, Path], None]) -> Callable[[nx.Graph, Path], None]:
    def write(G: nx.Graph, path: Path) -> None:
        handle, temp = temporary_file(path)  # a fresh name beside ``path``
        try:
            with os.fdopen(handle, "wb") as out:
                writer(_scalar_attributes(G), out)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    return write


def cooccurrence_triples(G: nx.Graph) -> Iterator[ox.Triple]:
    """Each edge as a ``pfocr:CoOccurrence`` node with its two genes and its scores.

    Node IRIs are deterministic: the pair of gene IRIs and the graph's settings (taxon,
    hub cap, evidence) decide them. Graphs merged by symbol have no gene IRIs to link and
    are refused.
    """
    if G.graph.get("orthology_naive_symbol_merge"):
        raise ValueError("a graph merged by symbol has no gene IRIs; export it without merging")
    settings = "|".join(f"{k}={G.graph.get(k)}" for k in sorted(G.graph))
    properties = {
        "figures": (PFOCR.sharedFigures, XSD.integer),
        "jaccard": (PFOCR.jaccardIndex, XSD.double),
        "pmi": (PFOCR.pointwiseMutualInformation, XSD.double),
        "npmi": (PFOCR.normalizedPointwiseMutualInformation, XSD.double),
        "score": (PFOCR.textMiningScore, XSD.double),
        "p_value": (PFOCR.hypergeometricPValue, XSD.double),
        "q_value": (PFOCR.benjaminiHochbergQValue, XSD.double),
    }
    for a, b, data in sorted(G.edges(data=True), key=lambda e: tuple(sorted(e[:2]))):
        first, second = sorted((a, b))
        digest = hashlib.sha256(f"{first}|{second}|{settings}".encode()).hexdigest()[:20]
        node = ox.NamedNode(f"{ID_BASE}cooccurrence/{digest}")
        yield ox.Triple(node, RDF.type, PFOCR.CoOccurrence)
        for gene in (first, second):
            yield ox.Triple(node, PFOCR.cooccurringGene, ox.NamedNode(gene))
        for key, (predicate, datatype) in properties.items():
            value = data[key]
            lexical = str(int(value)) if datatype == XSD.integer else repr(float(value))
            yield ox.Triple(node, predicate, ox.Literal(lexical, datatype=datatype))


def _write_rdf(G: nx.Graph, path: Path) -> None:
    fmt = {".ttl": "ttl", ".nt": "nt"}[path.suffix.lower()]
    # One pseudo-figure: the writer only needs its statements.
    graph = FigureGraph(f"{ID_BASE}cooccurrence", local=from_oxigraph(cooccurrence_triples(G)))
    with open_writer(fmt, path) as writer:
        writer.add(FigureOutput.of(graph, [fmt]))
        writer.commit()


GRAPH_FORMATS: dict[str, Callable[[nx.Graph, Path], None]] = {
    ".graphml": _write_xml(nx.write_graphml),
    ".gexf": _write_xml(nx.write_gexf),
    ".csv": lambda G, path: atomic_write_text(path, edge_list_csv(G)),
    ".ttl": _write_rdf,
    ".nt": _write_rdf,
}


def write_graph(G: nx.Graph, path: Path) -> None:
    """Write ``G`` in the format its extension names: .graphml, .gexf, .csv, .ttl, .nt."""
    try:
        writer = GRAPH_FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(GRAPH_FORMATS)
        raise ValueError(f"{path.name}: unknown graph format; use one of {known}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(G, path)
