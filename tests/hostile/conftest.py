"""Every hostile-input test runs with the network blocked: any connection attempt fails it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.conftest import STAT3_FIGID
from tests.hostile.helpers import STAT3_GENES, STAT3_RECORD


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    (root / "_figures" / f"{STAT3_FIGID}.md").write_text(STAT3_RECORD, "utf-8")
    (root / "_data" / f"{STAT3_FIGID}-genes.tsv").write_text(STAT3_GENES, "utf-8")
    return root
