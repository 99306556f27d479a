"""Files in and out: bounded reads of regular files, and atomic writes.

Every file pfocr-kg reads from its inputs goes through :func:`read_bounded`: it opens the
path without blocking (a FIFO would otherwise hang the open), refuses anything that is not
a regular file (FIFOs, devices, sockets, folders), and reads at most ``max_bytes``, so a
``/dev/zero`` symlink or a file that grows while it is read costs no more than the cap.
Every file it writes goes through :func:`atomic_write_bytes`: a temporary file in the same
folder, flushed to disk and renamed into place, so a reader sees the old file or the new
one, never half of one.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> atomic_write_text(path, "hello")
>>> read_bounded(path, 10)
b'hello'
>>> read_bounded(path, 3)
Traceback (most recent call last):
...
kg.files.FileRefused: too large: 5 bytes, the limit is 3
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

__all__ = [
    "FileRefused",
    "atomic_write_bytes",
    "atomic_write_text",
    "creation_mode",
    "fsync_folder",
    "read_bounded",
    "temporary_file",
]

_CHUNK = 1024 * 1024


class FileRefused(OSError):
    """A file that is not read: not a regular file, too large, or unreadable.

    ``reason`` is the short phrase for an error line (``file: reason``).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, if it holds at most ``max_bytes``.

    Parameters
    ----------
    path : the file; a symlink is followed, and what it points at must be a regular file.
    max_bytes : the most this read may return; the cap is enforced on the read itself, not
        only on the size the file system reports.

    Returns
    -------
    bytes : the whole file.

    Raises
    ------
    FileRefused : not a regular file, larger than ``max_bytes``, or unreadable; its
        ``reason`` reads as one line (``not a regular file: a FIFO``).
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"not a regular file: {_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise FileRefused(f"too large: {info.st_size} bytes, the limit is {max_bytes}")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(handle, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileRefused(f"too large: more than {max_bytes} bytes, the limit")
        return b"".join(chunks)
    except FileRefused:
        raise
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise FileRefused("not a regular file: a folder") from None
        raise FileRefused(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)


def creation_mode(directory: bool = False) -> int:
    """The mode a plain ``open()`` or ``mkdir()`` would give under the current umask.

    ``mkstemp`` and ``mkdtemp`` create owner-only files; outputs are for sharing.
    """
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def temporary_file(path: Path) -> tuple[int, Path]:
    """An open descriptor and the name of a new temporary file beside ``path``.

    Its name is ``.<name>.<random>.tmp``, so a later run can tell it was ours.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(handle, creation_mode())
    return handle, Path(temp)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    handle, temp = temporary_file(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename."""
    atomic_write_bytes(path, text.encode("utf-8"))
