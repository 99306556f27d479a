"""pfocr-kg: PFOCR pathway-figure records to an RDF knowledge graph.

The stages, in the one direction data flows:

* :mod:`kg.sources` reads records and companion TSVs (no RDF);
* :mod:`kg.model` holds the typed records;
* :mod:`kg.rdf` maps records to triples and writes RDF files;
* :mod:`kg.build` runs the stages over a corpus;
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
