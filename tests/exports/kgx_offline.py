"""Run kgx's own validator on a KGX TSV export, offline.

kgx downloads the Biolink model, its predicate map and JSON-LD context when it is imported;
here they come from the ``biolink-model`` wheel instead, and the project's declared prefixes
(``ontology/prefixes.json``: ``PFOCR`` for figure pages) are given to the validator. Prints
one JSON object: the error count and each error kind with examples.

    python tests/exports/kgx_offline.py out/kgx/nodes.tsv out/kgx/edges.tsv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import biolink_model
import bmt.toolkit

ROOT = Path(next(iter(biolink_model.__path__)))
PROJECT_PREFIXES = Path(__file__).resolve().parents[2] / "ontology" / "prefixes.json"


def main(nodes: str, edges: str) -> None:
    schema = str(ROOT / "schema" / "biolink_model.yaml")
    # Toolkit's defaults are URLs; kgx builds one when imported.
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    biolink = json.loads((ROOT / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    declared = json.loads(PROJECT_PREFIXES.read_text())
    context = {**biolink, **{p: iri for p, iri in declared.items() if p not in biolink}}
    kgx.config.get_config()
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    transformer = Transformer(stream=False)
    transformer.transform({"filename": [nodes, edges], "format": "tsv"})
    validator = Validator()
    validator.validate(transformer.store.graph)
    found = {
        f"{level} {kind}: {message}": sorted(set(ids))[:3]
        for level, kinds in validator.get_errors().items()
        for kind, messages in kinds.items()
        for message, ids in messages.items()
    }
    graph = transformer.store.graph
    sys.stdout.write(
        json.dumps(
            {
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "errors": found,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
