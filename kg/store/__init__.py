"""Where triples live: embedded Oxigraph (default), rdflib in memory, or a SPARQL server.

Example
-------
>>> import pathlib, tempfile, kg
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = kg.build([pathlib.Path("data/sample/_figures/PMC8632218__fimmu-12-767939-g001.md")], out)
>>> with open_store(out / "pfocr.ttl") as store:
...     store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
[{'n': 131}]
"""

from kg.store.backends import BACKENDS, OxigraphStore, RdflibStore, RemoteStore, open_store
from kg.store.base import QueryResult, QuerySyntaxError, StoreError, TripleStore, UpdateRefused

__all__ = [
    "BACKENDS",
    "OxigraphStore",
    "QueryResult",
    "QuerySyntaxError",
    "RdflibStore",
    "RemoteStore",
    "StoreError",
    "TripleStore",
    "UpdateRefused",
    "open_store",
]
