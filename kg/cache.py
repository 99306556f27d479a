"""The incremental build's manifest: a content hash and the prepared result of every record.

``build --incremental`` keeps ``build-cache.sqlite`` beside its outputs. Each record file is
keyed by its path; its hash covers the record, its companion TSVs, the pfocr-kg version, the
files in ``ontology/`` and the build settings, so any change to what a figure's graph depends
on re-does that figure. Unchanged figures reuse their stored graph, and the outputs are then
written as a clean build would write them.

Example
-------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with BuildCache(folder / "build-cache.sqlite", settings="s") as cache:
...     cache.put("a.md", "PMC1__f1", "h1", b"payload")
...     cache.commit()
>>> with BuildCache(folder / "build-cache.sqlite", settings="s") as cache:
...     cache.get("a.md", "h1"), cache.get("a.md", "h2"), cache.previous
(b'payload', None, {'a.md': ('PMC1__f1', 'h1')})
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import TracebackType

from kg import __version__
from kg.resources import ontology_dir

__all__ = ["CACHE_NAME", "BuildCache", "record_hash"]

CACHE_NAME = "build-cache.sqlite"
_SCHEMA = "CREATE TABLE records (path TEXT PRIMARY KEY, figid TEXT, hash TEXT, payload BLOB)"


@cache
def _ontology_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(ontology_dir().rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record_hash(files: Iterable[Path | None], settings: str) -> str:
    """The content hash of one record: its files (record and companions) and the settings."""
    digest = hashlib.sha256((_ontology_fingerprint() + settings).encode())
    for path in files:
        digest.update(b"\0file\0")
        if path is not None:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """Reads the previous build's records and writes this build's, swapped in on commit."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path = path
        self.settings = settings
        self._old: sqlite3.Connection | None = None
        self.previous: dict[str, tuple[str, str]] = {}
        if path.exists():
            try:
                self._old = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                self.previous = {
                    p: (f, h)
                    for p, f, h in self._old.execute("SELECT path, figid, hash FROM records")
                }
            except sqlite3.DatabaseError:  # unreadable: rebuild everything, replace it
                self._old, self.previous = None, {}
        self._temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._temp.unlink(missing_ok=True)
        self._new = sqlite3.connect(self._temp)
        self._new.execute(_SCHEMA)

    def get(self, path: str, digest: str) -> bytes | None:
        """The stored payload of ``path`` if its hash is still ``digest``."""
        if self._old is None or self.previous.get(path, (None, None))[1] != digest:
            return None
        row = self._old.execute("SELECT payload FROM records WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def put(self, path: str, figid: str | None, digest: str, payload: bytes) -> None:
        self._new.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", (path, figid, digest, payload)
        )

    def commit(self) -> None:
        """Make this build's records the cache (atomically)."""
        self._new.commit()
        self._new.close()
        if self._old is not None:
            self._old.close()
            self._old = None
        os.replace(self._temp, self.path)

    def close(self) -> None:
        """Drop this build's records unless committed (closing twice is harmless)."""
        for connection in (self._old, self._new):
            if connection is not None:
                connection.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
