"""Locate the files shipped in ``ontology/``, in a source checkout or an installed wheel.

Example
-------
>>> (ontology_path("pfocr-kg.ttl")).name
'pfocr-kg.ttl'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ontology_dir", "ontology_path"]

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The ``ontology/`` folder: beside the package in a checkout, inside it in a wheel."""
    for candidate in (_PACKAGE.parent / "ontology", _PACKAGE / "_ontology"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the pfocr-kg ontology folder is missing from this installation")


def ontology_path(name: str) -> Path:
    """The path of ``name`` inside :func:`ontology_dir`."""
    return ontology_dir() / name
