"""A served sample: the app in process, and `pfocr-kg serve` as a real server on loopback."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from kg.web.app import Settings, create_app
from kg.web.launch import launch, stop


@pytest.fixture(scope="session")
def client(sample_build):
    settings = Settings(sample_build[1] / "store", time_limit=2, max_rows=50, workers=1)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


start_server = launch


@pytest.fixture(scope="session")
def server(sample_build):
    process, url = start_server(sample_build[1] / "store", "--workers", "2")
    yield url
    stop(process)
    time.sleep(0.1)
