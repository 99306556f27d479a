"""The incremental build's cache: a content hash and the prepared record of every record file.

``build --incremental`` keeps ``build-cache.sqlite`` with its other outputs. Each record
file is keyed by its path; its hash covers the record, its companion TSVs, the pfocr-kg
version, the files in ``ontology/`` and the build settings, so any change to what a
figure's graph depends on re-does that figure. The cache holds data only: each entry is
JSON (made and read by :class:`kg.build.prepare.Prepared`) with a SHA-256 checksum, never
a pickle. An entry that does not check out is a miss; a cache that cannot be opened is
reported and rebuilt.

The previous build's cache is read from its generation; this build's is written into the
new generation and switches in with the other outputs.

Example
-------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> cache = BuildCache(None, folder / "one.sqlite", settings="s")
>>> cache.add(CacheEntry("a.md", "PMC1__f1", "h1", b"payload"))
>>> cache.commit()
>>> again = BuildCache(folder / "one.sqlite", folder / "two.sqlite", settings="s")
>>> again.get("a.md", "h1"), again.get("a.md", "h2"), again.previous
(b'payload', None, {'a.md': ('PMC1__f1', 'h1')})
>>> again.discard()
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg import __version__
from kg.files import read_bounded
from kg.resources import ontology_dir

__all__ = ["CACHE_NAME", "BuildCache", "CacheEntry", "CacheError", "record_hash"]

CACHE_NAME = "build-cache.sqlite"
_SCHEMA = (
    "CREATE TABLE records (path TEXT PRIMARY KEY, figid TEXT, hash TEXT, "
    "checksum TEXT, payload BLOB)"
)
_LAYOUT = "pfocr-kg cache 4 (json)"


class CacheError(OSError):
    """The cache cannot be written (a full disk, say); the message says which and why."""


@cache
def _ontology_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(ontology_dir().rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record_hash(files: Iterable[Path | None], settings: str, max_bytes: int) -> str:
    """The content hash of one record: its files (record and companions) and the settings.

    Raises
    ------
    kg.files.FileRefused : a file is not a regular file or holds more than ``max_bytes``.
    """
    digest = hashlib.sha256((_ontology_fingerprint() + settings).encode())
    for path in files:
        digest.update(b"\0file\0")
        if path is not None:
            digest.update(path.name.encode() + b"\0" + read_bounded(path, max_bytes))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One record file's cached result: its figid, content hash and prepared record."""

    path: str
    figid: str | None
    digest: str
    payload: bytes


class BuildCache:
    """Reads the previous build's cache (``previous``) and writes this build's (``path``).

    ``problem`` says why the previous cache was not used, when it exists but could not be
    read (a corrupt or foreign file); the build reports it and rebuilds every record.
    """

    def __init__(self, previous: Path | None, path: Path, settings: str) -> None:
        self.path = path
        self.settings = f"{_LAYOUT}|{settings}"
        self.previous: dict[str, tuple[str, str]] = {}
        self.problem: str | None = None
        self._old: sqlite3.Connection | None = None
        if os.path.lexists(path):  # discard() deletes it: it must be this cache's own file
            raise CacheError(f"{path}: exists already; a new cache needs a new path")
        if previous is not None and previous.is_file():
            self._open_previous(previous)
        try:
            self._new = sqlite3.connect(path)
            self._new.execute(_SCHEMA)
            self._new.execute("CREATE TABLE settings (value TEXT)")
            self._new.execute("INSERT INTO settings VALUES (?)", (self.settings,))
        except sqlite3.Error as exc:
            raise CacheError(f"{path}: cannot write the build cache: {exc}") from None
        self._done = False

    def _open_previous(self, previous: Path) -> None:
        try:
            old = sqlite3.connect(f"file:{previous}?mode=ro", uri=True)
            (settings,) = old.execute("SELECT value FROM settings").fetchone()
            if settings != self.settings:
                old.close()
                return  # other settings or another release: every record is a miss
            self.previous = {
                str(p): (str(f), str(h))
                for p, f, h in old.execute("SELECT path, figid, hash FROM records")
            }
            self._old = old
        except (sqlite3.Error, TypeError, ValueError) as exc:
            self.problem = f"cannot read the previous build cache ({exc}); every record rebuilt"
            self.previous = {}

    def get(self, path: str, digest: str) -> bytes | None:
        """The stored payload of ``path`` if its hash is still ``digest`` and it checks out."""
        if self._old is None or self.previous.get(path, (None, None))[1] != digest:
            return None
        try:
            row = self._old.execute(
                "SELECT checksum, payload FROM records WHERE path = ?", (path,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[1], bytes):
            return None
        checksum, payload = row
        return payload if hashlib.sha256(payload).hexdigest() == checksum else None

    def add(self, item: CacheEntry) -> None:
        """Keep ``item`` for the next incremental build."""
        try:
            self._new.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                (
                    item.path,
                    item.figid,
                    item.digest,
                    hashlib.sha256(item.payload).hexdigest(),
                    item.payload,
                ),
            )
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the build cache: {exc}") from None

    def commit(self) -> None:
        """Write this build's records to disk."""
        try:
            self._new.commit()
            self._new.close()
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the build cache: {exc}") from None
        self._close_previous()
        self._done = True

    def discard(self) -> None:
        """Drop this build's records unless committed (closing twice is harmless)."""
        self._close_previous()
        if not self._done:
            self._new.close()
            self.path.unlink(missing_ok=True)
            self._done = True

    def _close_previous(self) -> None:
        if self._old is not None:
            self._old.close()
            self._old = None
