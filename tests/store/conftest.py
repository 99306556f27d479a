"""Stores over the bundled sample: embedded Oxigraph (built with --store), rdflib, a server."""

from __future__ import annotations

import pytest

from kg.store import OxigraphStore, RdflibStore, RemoteStore


@pytest.fixture(scope="session")
def oxigraph_store(sample_build) -> OxigraphStore:
    _, out = sample_build  # built with --store out/store
    return OxigraphStore(out / "store", read_only=True)


@pytest.fixture(scope="session")
def rdflib_store(sample_build) -> RdflibStore:
    _, out = sample_build
    store = RdflibStore()
    store.load(out / "pfocr.ttl")
    return store


@pytest.fixture(scope="session")
def remote_store(oxigraph_server, sample_build) -> RemoteStore:
    _, out = sample_build
    store = RemoteStore(query_url=oxigraph_server + "/query", store_url=oxigraph_server + "/store")
    store.load(out / "pfocr.ttl")
    return store
