"""pfocr-kg: PFOCR pathway-figure records to an RDF knowledge graph.

The stages, in the one direction data flows:

* :mod:`kg.sources` reads records and companion TSVs (no RDF) into :mod:`kg.model` records;
* :mod:`kg.rdf` maps records to triples (IRIs, vocabulary and formats each in one module);
* :mod:`kg.store` is where triples live (Oxigraph, rdflib, a SPARQL endpoint), and
  :mod:`kg.queries` the named queries over any of them;
* :mod:`kg.lookups` reads what :mod:`kg.analysis` (co-occurrence, enrichment) and
  :mod:`kg.exports` (GMT, KGX, VoID) start from;
* :mod:`kg.build` runs the stages over a corpus into :mod:`kg.outputs` (files, store, cache,
  switched in whole), with :mod:`kg.files` for bounded reads and atomic writes;
* :mod:`kg.validate` checks a graph against the SHACL shapes in ``ontology/``;
* :mod:`kg.cli` is the ``pfocr-kg`` command.

Example
-------
>>> import kg, tempfile, pathlib
>>> report = kg.build([pathlib.Path("data/sample")], pathlib.Path(tempfile.mkdtemp()))
>>> report.records_built
68
"""

__version__ = "0.1.0"

from kg.build import BuildReport, build

__all__ = ["BuildReport", "__version__", "build"]
