"""Parse the identifiers PFOCR writes into bare local ids of their standards.

Each parser accepts the CURIE forms PFOCR uses (``mesh:D000255``, ``chebi:15422``,
``doid:1612``) or the bare local id, and returns the local id (``D000255``, ``15422``,
``1612``), ``None`` for a placeholder, or raises ``ValueError`` for anything else. The
patterns are strict on purpose: these ids are pasted into IRIs, so an id that does not
look like its standard's is refused rather than minted.

Example
-------
>>> mesh_id("mesh:D001920"), chebi_id("chebi:3165"), ncbi_id("30767")
('D001920', '3165', '30767')
"""

from __future__ import annotations

import re

from kg.model import MESH_PATTERN
from kg.sources.values import clean_text

__all__ = ["chebi_id", "doid", "mesh_id", "ncbi_id"]

_DIGITS = re.compile(r"[1-9][0-9]{0,11}")
_DOID = re.compile(r"[0-9]{1,8}")


def _local(value: str | None, prefixes: tuple[str, ...]) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    head, sep, tail = text.partition(":")
    if sep and head.lower() in prefixes:
        return tail.strip()
    return text


def ncbi_id(value: str | None) -> str | None:
    """An NCBI Gene or NCBI Taxonomy id (positive integer, as text)."""
    local = _local(value, ("ncbigene", "ncbitaxon", "taxon", "entrez"))
    if local is None:
        return None
    if local.endswith(".0"):  # R and pandas write some integer ids as floats
        local = local[:-2]
    if not _DIGITS.fullmatch(local):
        raise ValueError(f"{value!r} is not an NCBI numeric id")
    return local


def mesh_id(value: str | None) -> str | None:
    """A MeSH descriptor, supplementary concept or qualifier id such as ``D000255``."""
    local = _local(value, ("mesh",))
    if local is None:
        return None
    if not MESH_PATTERN.fullmatch(local):
        raise ValueError(f"{value!r} is not a MeSH id")
    return local


def _numbered(value: str | None, prefix: str, name: str) -> str | None:
    local = _local(value, (prefix,))
    if local is None:
        return None
    if not _DIGITS.fullmatch(local):
        raise ValueError(f"{value!r} is not a {name} id")
    return local


def chebi_id(value: str | None) -> str | None:
    """A ChEBI number, from ``chebi:15422`` or ``15422``."""
    return _numbered(value, "chebi", "ChEBI")


def doid(value: str | None) -> str | None:
    """A Disease Ontology number, from ``doid:0060239`` or ``0060239`` (zeros kept)."""
    local = _local(value, ("doid",))
    if local is None:
        return None
    if not _DOID.fullmatch(local):
        raise ValueError(f"{value!r} is not a Disease Ontology id")
    return local
