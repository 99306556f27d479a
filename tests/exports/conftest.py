from __future__ import annotations

import pytest

from kg.store import open_store


@pytest.fixture(scope="module")
def store(sample_build):
    with open_store(sample_build[1] / "store") as opened:
        yield opened
