"""The output folder: what a build may touch, and how its outputs switch in one step.

A build's outputs (Turtle and the other formats, the store, ``void.ttl``, the report and
the incremental cache) form one set. They are written into a new *generation* folder and
become visible together, by one atomic rename of a symbolic link::

    out/
      pfocr.ttl          -> .pfocr-kg/current/pfocr.ttl      (stable names, links)
      store              -> .pfocr-kg/current/store
      .pfocr-kg/
        output.json                     the marker: this folder is pfocr-kg's
        lock                            held while a build writes here
        current          -> generations/20261201T151400Z-4242
        generations/20261201T151400Z-4242/{pfocr.ttl, store/, void.ttl, ...}

Until the switch every reader sees the previous set whole; after it, the new set whole. A
build killed at any point leaves one or the other, and the next build removes what the
killed one left in ``generations/``. pfocr-kg deletes or replaces only what it made: a
folder is used only when it is new, empty, marked as pfocr-kg's, or an output folder of
an earlier pfocr-kg release (``build-report.json`` and nothing but known output names);
a ``--store`` path only when it is new or a link pfocr-kg made.

Example
-------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> folder = OutputFolder.claim(out)
>>> with folder.locked():
...     generation = folder.stage()
...     _ = (generation.path / "pfocr.ttl").write_text("# a graph\\n")
...     generation.switch(["pfocr.ttl"])
>>> (out / "pfocr.ttl").read_text(), generation.switched
('# a graph\\n', True)
>>> OutputFolder.claim(pathlib.Path(tempfile.mkdtemp()).parent)
Traceback (most recent call last):
...
kg.outputs.folder.OutputRefused: ...: holds files pfocr-kg did not make; give a new ...
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.files import atomic_write_text, creation_mode, fsync_folder, read_bounded

__all__ = [
    "STATE_NAME",
    "BuildInProgress",
    "Generation",
    "OutputFolder",
    "OutputRefused",
]

log = logging.getLogger(__name__)

STATE_NAME = ".pfocr-kg"
MARKER_NAME = "output.json"
LOCK_NAME = "lock"
CURRENT_NAME = "current"
GENERATIONS_NAME = "generations"
STORE_NAME = "store"  # a generation's store folder, whatever --store is called
# What an output folder of pfocr-kg 0.1 (before generations) could hold.
_LEGACY_FILES = frozenset(
    {"pfocr.ttl", "pfocr.nt", "pfocr.nq", "pfocr.jsonld", "build-report.json", "void.ttl",
     "build-cache.sqlite", ".pfocr-kg.lock"}
)  # fmt: skip


class OutputRefused(Exception):
    """An output path pfocr-kg will not write to; the message says which and why."""


class BuildInProgress(OutputRefused):
    """Another build is writing to the same output folder."""


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _legacy_entries(folder: Path) -> list[str] | None:
    """The output names of a pfocr-kg 0.1 output folder, or ``None`` if it is not one."""
    report = folder / "build-report.json"
    try:
        data = json.loads(read_bounded(report, 64 * 1024 * 1024))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "pfocr_kg_version" not in data:
        return None
    outputs = data.get("outputs") if isinstance(data.get("outputs"), dict) else {}
    stores = {Path(str(outputs.get("store"))).name} if outputs.get("store") else set()
    names = []
    for entry in folder.iterdir():
        name = entry.name
        leftover = name.startswith(".") and name.endswith((".tmp", ".old"))
        if name in _LEGACY_FILES or leftover or (name in stores and entry.is_dir()):
            names.append(name)
        else:
            return None
    return names


@dataclass(slots=True)
class OutputFolder:
    """An output folder that a build may write to (see the module docstring).

    Make one with :meth:`claim`, which checks every path before anything is written.
    """

    path: Path
    store_link: Path | None = None
    legacy: list[str] | None = None
    _held: bool = field(default=False, repr=False)

    @property
    def state(self) -> Path:
        return self.path / STATE_NAME

    @classmethod
    def claim(
        cls, path: Path, *, store: Path | None = None, inputs: Sequence[Path] = ()
    ) -> OutputFolder:
        """Check that a build may write to ``path`` (and link its store at ``store``).

        Raises
        ------
        OutputRefused : the folder or the store path holds something pfocr-kg did not
            make, or overlaps an input; nothing has been written.
        """
        out = Path(os.path.abspath(path))
        link = None if store is None else Path(os.path.abspath(store))
        for given in inputs:
            source = Path(os.path.realpath(given))
            for name, target in (("output folder", out), ("--store", link)):
                if target is not None and _is_within(source, Path(os.path.realpath(target))):
                    raise OutputRefused(f"{given}: an input inside the {name}; choose another")
        legacy = None
        if os.path.lexists(out) and not out.is_dir():
            raise OutputRefused(f"{path}: not a folder")
        if out.is_dir() and not (out / STATE_NAME / MARKER_NAME).is_file():
            entries = list(out.iterdir())
            legacy = _legacy_entries(out) if entries else None
            if entries and legacy is None:
                raise OutputRefused(
                    f"{path}: holds files pfocr-kg did not make; give a new or empty "
                    "folder, or one a pfocr-kg build made"
                )
        if link is not None:
            _check_store_link(link, out, legacy)
        return cls(out, link, legacy)

    @contextlib.contextmanager
    def locked(self) -> Iterator[OutputFolder]:
        """Hold the folder's lock (dropped by the kernel if the process dies, even by SIGKILL);
        mark the folder as pfocr-kg's and remove what interrupted builds left."""
        state = self.state
        state.mkdir(parents=True, exist_ok=True)
        with (state / LOCK_NAME).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildInProgress(
                    f"{self.path}: another pfocr-kg build is writing here"
                ) from None
            try:
                self._held = True
                if not (state / MARKER_NAME).is_file():
                    marker = {"made_by": "pfocr-kg", "kind": "output folder"}
                    atomic_write_text(state / MARKER_NAME, json.dumps(marker) + "\n")
                if self.legacy is not None:
                    self._adopt_legacy(self.legacy)
                    self.legacy = None
                self._remove_stale()
                yield self
            finally:
                self._held = False
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current(self) -> Path | None:
        """The generation folder now in place, if a build has switched one in."""
        link = self.state / CURRENT_NAME
        if not link.is_symlink():
            return None
        target = self.state / os.readlink(link)
        return target if target.is_dir() else None

    def stage(self) -> Generation:
        """A new, empty generation folder for a build to write its outputs into."""
        if not self._held:
            raise RuntimeError("stage() needs the folder's lock (locked())")
        generations = self.state / GENERATIONS_NAME
        generations.mkdir(exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = generations / f"{stamp}-{os.getpid()}"
        path.mkdir(mode=creation_mode(directory=True))
        return Generation(self, path)

    def _remove_stale(self) -> None:
        """Generations other than the current one, and temporaries (safe: we hold the lock)."""
        current = self.current()
        generations = self.state / GENERATIONS_NAME
        if generations.is_dir():
            for entry in generations.iterdir():
                if current is None or entry.name != current.name:
                    log.info("removing %s, left by an interrupted build", entry)
                    _remove(entry)
        for entry in self.state.glob(".*.tmp"):
            _remove(entry)

    def _adopt_legacy(self, names: list[str]) -> None:
        """Move a pfocr-kg 0.1 output set into a first generation, losing nothing."""
        generation = self.stage()
        kept = []
        for name in names:
            entry = self.path / name
            if name.startswith(".") or name == "build-cache.sqlite":
                continue  # temporaries, the old lock, a pickled cache: not carried over
            if entry.is_file() and not entry.is_symlink():
                os.link(entry, generation.path / name)
                kept.append(name)
        _point(self.state / CURRENT_NAME, f"{GENERATIONS_NAME}/{generation.path.name}")
        for name in kept:
            _point(self.path / name, f"{STATE_NAME}/{CURRENT_NAME}/{name}")
        for name in names:
            entry = self.path / name
            if entry.is_dir() and not entry.is_symlink():  # the old store
                os.rename(entry, generation.path / STORE_NAME)
                _point(entry, f"{STATE_NAME}/{CURRENT_NAME}/{STORE_NAME}")
            elif name not in kept and os.path.lexists(entry):
                _remove(entry)


def _check_store_link(link: Path, out: Path, legacy: list[str] | None) -> None:
    if _is_within(out, link):
        raise OutputRefused(f"{link}: the store cannot be the output folder or hold it")
    if not os.path.lexists(link):
        return
    if legacy is not None and link.parent == out and link.name in legacy:
        return
    if link.is_symlink():
        target = Path(os.path.normpath(link.parent / os.readlink(link)))
        owner = target.parent.parent
        if (
            target.name == STORE_NAME
            and target.parent.name == CURRENT_NAME
            and owner.name == STATE_NAME
            and (owner / MARKER_NAME).is_file()
        ):
            return
    raise OutputRefused(
        f"{link}: exists and is not a store pfocr-kg made; give a new path for --store"
    )


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _point(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` in one atomic step."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    while True:  # a fresh name: nothing already there is ever replaced or removed
        temp = link.with_name(f".{link.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.symlink(target, temp)
            break
        except FileExistsError:
            continue
    os.replace(temp, link)
    fsync_folder(link.parent)


@dataclass(slots=True)
class Generation:
    """One build's outputs, staged in their own folder until :meth:`switch`."""

    folder: OutputFolder
    path: Path
    switched: bool = False

    def switch(self, names: Sequence[str], store: bool = False) -> None:
        """Make this generation the folder's outputs, in one step, and drop the previous one.

        ``names`` are the files in the generation that get a stable link of the same name
        in the output folder; ``store`` also links the ``--store`` path to its store.
        """
        folder = self.folder
        state = f"{STATE_NAME}/{CURRENT_NAME}"
        links = {name: f"{state}/{name}" for name in names}
        outside = None
        if store and folder.store_link is not None:
            link = folder.store_link
            if link.parent == folder.path:
                links[link.name] = f"{state}/{STORE_NAME}"
            else:
                link.parent.mkdir(parents=True, exist_ok=True)
                target = folder.path / state / STORE_NAME
                inside = _is_within(link, folder.path)
                outside = (link, os.path.relpath(target, link.parent) if inside else str(target))
        # Links first: a name new in this set points at nothing until the switch below.
        for name, target in links.items():
            _point(folder.path / name, target)
        if outside is not None:
            _point(*outside)
        previous = folder.current()
        _point(folder.state / CURRENT_NAME, f"{GENERATIONS_NAME}/{self.path.name}")
        self.switched = True
        # The new set is in place; what follows only tidies up.
        for entry in folder.path.iterdir():
            ours = entry.is_symlink() and os.readlink(entry).startswith(f"{state}/")
            if ours and entry.name not in links:
                entry.unlink(missing_ok=True)  # an output of the previous set only
        if previous is not None and previous != self.path:
            _remove(previous)

    def discard(self) -> None:
        """Drop this generation (unless switched in); the previous outputs stay."""
        if not self.switched:
            _remove(self.path)
