"""kg.files: bounded reads of regular files only, and atomic writes."""

from __future__ import annotations

import os

import pytest

from kg.files import FileRefused, atomic_write_bytes, read_bounded


def test_a_file_at_the_cap_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    with pytest.raises(FileRefused, match="too large: 10 bytes, the limit is 9"):
        read_bounded(path, 9)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "not a regular file: a FIFO"),
        (lambda p: p.mkdir(), "not a regular file: a folder"),
        (lambda p: p.symlink_to("/dev/zero"), "not a regular file: a device"),
        (lambda p: None, "cannot read: No such file or directory"),
    ],
    ids=["fifo", "folder", "device", "missing"],
)
def test_what_is_not_a_regular_file_is_refused_at_once(tmp_path, make, reason):
    path = tmp_path / "thing"
    make(path)
    with pytest.raises(FileRefused) as refused:
        read_bounded(path, 1 << 20)
    assert refused.value.reason == reason


def test_an_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(path, b"new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
