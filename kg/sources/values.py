"""Cleaning of scalar values as PFOCR writes them: placeholders, stray space, bad text.

PFOCR's R pipeline leaves several spellings of "no value" behind (``NA``, ``NaN``,
``.na.character``, the empty string). They are never values; :func:`clean_text` turns
each into ``None`` so later stages need not know them.

Example
-------
>>> clean_text("  .na.character ")
>>> clean_text(" STAT3 ")
'STAT3'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "PLACEHOLDERS",
    "TextIssue",
    "clean_text",
    "describe_decode_error",
    "is_placeholder",
    "parse_count",
    "split_keywords",
    "text_issue",
    "verbatim_text",
]

PLACEHOLDERS = frozenset({"", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", ".na.character"})

_COUNT = re.compile(r"(\d{1,18})(?:\.0*)?")
_SURROGATE = re.compile("[\ud800-\udfff]")


class TextIssue(ValueError):
    """A string that cannot be carried into RDF unchanged."""


def is_placeholder(value: object) -> bool:
    """True for the spellings PFOCR uses for "no value"."""
    return isinstance(value, str) and value.strip() in PLACEHOLDERS


def text_issue(value: str) -> str | None:
    """Why ``value`` cannot be written to RDF as it is, or ``None`` when it can.

    Lone UTF-16 surrogates (which YAML escapes such as ``"\\ud800"`` can produce) are not
    Unicode scalar values, so no RDF serialization can hold them.
    """
    if _SURROGATE.search(value):
        return "contains a lone UTF-16 surrogate, which is not valid Unicode text"
    return None


def clean_text(value: object) -> str | None:
    """Strip a scalar and map placeholders to ``None``; non-strings become their text.

    Booleans and numbers that YAML typed on its own (``number: 1``) come back as text,
    since every PFOCR text field is text; mappings and lists are not scalars and raise
    ``TypeError``.
    """
    if value is None:
        return None
    if value.__class__ is str and value.isascii():
        # The common case, made cheap: ASCII text is NFC and holds no surrogate.
        stripped = value.strip()
        return None if stripped in PLACEHOLDERS else stripped
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, int | float):
        value = repr(value) if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    stripped = value.strip()
    if stripped in PLACEHOLDERS:
        return None
    issue = text_issue(stripped)
    if issue:
        raise TextIssue(issue)
    return unicodedata.normalize("NFC", stripped)


def verbatim_text(value: str | None) -> str | None:
    """Text kept as written, placeholders included: for OCR words, where ``NA`` may be
    the word itself (the Drosophila gene *na*, sodium), not a missing value."""
    if value is None or not value.strip():
        return None
    if value.isascii():
        return value.strip()
    issue = text_issue(value)
    if issue:
        raise TextIssue(issue)
    return unicodedata.normalize("NFC", value.strip())


def describe_decode_error(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Where a UTF-8 decode failed, as people count: byte value, line and column."""
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return f"not UTF-8 text: invalid byte 0x{raw[exc.start]:02x} at line {line}, column {column}"


def split_keywords(value: str | None, separator: str = "|") -> tuple[str, ...]:
    """Split a ``|``-separated keyword string, dropping placeholders and repeats in order."""
    if value is None:
        return ()
    seen: dict[str, None] = {}
    for part in value.split(separator):
        word = " ".join(part.split())
        if word and word not in PLACEHOLDERS:
            seen.setdefault(word, None)
    return tuple(seen)


def parse_count(value: str | None) -> int | None:
    """A non-negative count from TSV text; placeholders give ``None``; junk raises."""
    text = clean_text(value)
    if text is None:
        return None
    match = _COUNT.fullmatch(text)  # R writes some counts as "3.0"
    if match is None:
        raise ValueError(f"{text!r} is not a non-negative whole number")
    return int(match.group(1))
