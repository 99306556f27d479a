"""SPARQL endpoints that lie or hang: an HTML answer is an error, a silent one times out."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

import kg
from kg.cli import main
from kg.store import RemoteStore, StoreError
from tests.conftest import FIGURES, STAT3_FIGID

STAT3 = FIGURES / f"{STAT3_FIGID}.md"


class _Lying(http.server.BaseHTTPRequestHandler):
    """Answers every request with 200 and an HTML page, or not at all."""

    hang = False

    def _answer(self) -> None:
        if self.hang:
            time.sleep(5)
            return
        body = b"<!doctype html><html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def lying_server():
    servers = []

    def start(hang: bool = False) -> str:
        handler = type("Handler", (_Lying,), {"hang": hang})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


def test_an_endpoint_answering_html_is_an_error_for_load_query_and_enrich(
    lying_server, tmp_path, capsys
):
    url = lying_server()
    kg.build([STAT3], tmp_path / "out")
    ttl = str(tmp_path / "out" / "pfocr.ttl")
    assert main(["load", ttl, "--endpoint", url + "/store", "-q"]) == 4
    assert "answered with an HTML page" in capsys.readouterr().err
    assert main(["query", "--endpoint", url + "/sparql", "top-genes"]) == 4
    assert "answered text/html, not SPARQL results" in capsys.readouterr().err
    assert main(["enrich", url + "/sparql", "STAT3"]) == 4
    assert "answered text/html, not SPARQL results" in capsys.readouterr().err


def test_a_hanging_endpoint_times_out_as_asked(lying_server, capsys):
    url = lying_server(hang=True)
    started = time.monotonic()
    assert main(["query", "--endpoint", url + "/sparql", "top-genes", "--timeout", "1"]) == 4
    assert time.monotonic() - started < 4.5
    assert "no answer within 1 s (--timeout)" in capsys.readouterr().err
    assert RemoteStore(query_url=url).timeout == 30


def test_graph_is_refused_for_formats_with_their_own_graphs(tmp_path):
    kg.build([STAT3], tmp_path / "out", ["ttl", "nq"])
    store = RemoteStore(store_url="http://127.0.0.1:9/store")
    with pytest.raises(StoreError, match="nq holds its own named graphs"):
        store.load(tmp_path / "out" / "pfocr.nq", graph="http://example.org/g")
