"""Locate the files shipped in ``ontology/``, in a source checkout or an installed wheel.

Example
-------
>>> (ontology_path("pfocr-kg.ttl")).name
'pfocr-kg.ttl'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ontology_dir", "ontology_path", "queries_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """A folder shipped with the project: beside the package in a checkout, in it in a wheel."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / f"_{name}"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the pfocr-kg {name} folder is missing from this installation")


def ontology_dir() -> Path:
    """The ``ontology/`` folder: OWL vocabulary, SHACL shapes, contexts, organism table."""
    return _shipped("ontology")


def queries_dir() -> Path:
    """The ``queries/`` folder of named SPARQL queries."""
    return _shipped("queries")


def ontology_path(name: str) -> Path:
    """The path of ``name`` inside :func:`ontology_dir`."""
    return ontology_dir() / name
