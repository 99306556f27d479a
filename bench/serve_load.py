"""A bounded load test of `pfocr-kg serve` on loopback: concurrent clients each send a fixed
mix of page and SPARQL requests; prints p50/p95 latency per page and the error count.
Each request of a page kind asks for another figure, gene or gene list (60 figures of MAPK3
and 60 human genes they mention, in rotation), so the server's per-store caches do not
answer the same request again and again.

    python bench/serve_load.py OUT/store                    # 20 clients x 30 requests
    python bench/serve_load.py OUT/store --clients 20 --requests 50

The server is started here (`pfocr-kg serve STORE --port 0`, two SPARQL workers) and stopped
at the end; the run ends by itself. The figures and genes are asked of the server's own
/sparql first, so any build with MAPK3 in it serves (the sample, corpora scaled from it).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from kg.web.launch import launch, stop

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }"
FIRST = "SELECT ?f WHERE { ?f a fabio:Figure } LIMIT 100"
# Figures of MAPK3 (NCBI Gene 5595) and the human genes they mention, for the pages to
# rotate over: each request of a kind asks for another figure, gene or gene list.
FIGURES = """SELECT DISTINCT ?id WHERE { ?f schema:mentions ncbigene:5595 ; dcterms:identifier ?id }
ORDER BY ?id LIMIT 60"""
GENES = """SELECT DISTINCT ?g ?symbol WHERE {
  ?f schema:mentions ncbigene:5595 , ?gene . ?gene rdfs:label ?symbol ;
  obo:RO_0002162 obo:NCBITaxon_9606 . BIND(STRAFTER(STR(?gene), "ncbigene/") AS ?g)
} ORDER BY ?g LIMIT 60"""


def page_paths(figids: list[str], genes: list[tuple[str, str]]) -> dict[str, Callable[[int], str]]:
    """Each page kind: the path of its ``k``-th request."""

    def pick(k: int, n: int = 1) -> list[tuple[str, str]]:
        return [genes[(k * n + j) % len(genes)] for j in range(n)]

    return {
        "home": lambda k: "",
        "search": lambda k: "search?" + urllib.parse.urlencode(
            {"q": pick(k)[0][1].lower(), "kind": "gene", "go": "no"}
        ),
        "gene": lambda k: f"gene/{pick(k)[0][0]}",
        "gene network": lambda k: f"gene/{pick(k)[0][0]}/network.json",
        "figure": lambda k: f"figure/{figids[k % len(figids)]}",
        "enrich": lambda k: "enrich?" + urllib.parse.urlencode(
            {"genes": " ".join(symbol for _, symbol in pick(k, 5)), "taxon": "9606"}
        ),
        "sparql count": lambda k: "sparql?" + urllib.parse.urlencode({"query": COUNT}),
        "sparql 100 rows": lambda k: "sparql?" + urllib.parse.urlencode({"query": FIRST}),
    }  # fmt: skip


def _client(base: str, pages: dict, requests: int, offset: int, times: dict, errors: list) -> None:
    names = list(pages)
    for i in range(requests):
        name = names[(offset + i) % len(names)]
        path = pages[name](offset * requests + i)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=120) as answer:
                answer.read()
                if answer.status != 200:
                    errors.append(f"{name}: HTTP {answer.status}")
        except Exception as exc:
            errors.append(f"{name} {path}: {exc}")
        times.setdefault(name, []).append(time.perf_counter() - start)


def _csv(base: str, query: str) -> list[list[str]]:
    request = urllib.request.Request(
        base + "sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=300) as answer:
        return list(csv.reader(io.StringIO(answer.read().decode())))[1:]


def run(store: Path, clients: int, requests: int) -> tuple[dict, list]:
    # A long time limit for the setup queries below (seconds at 100k figures).
    process, base = launch(store, "--workers", "2", "--time-limit", "600")
    try:
        figids = [row[0] for row in _csv(base, FIGURES)]
        genes = [(row[0], row[1]) for row in _csv(base, GENES)]
        pages = page_paths(figids, genes)
        for path in pages.values():  # warm: the first request of each kind opens files
            urllib.request.urlopen(base + path(0), timeout=120).read()
        times: dict[str, list[float]] = {}
        errors: list[str] = []
        threads = [
            threading.Thread(target=_client, args=(base, pages, requests, c, times, errors))
            for c in range(clients)
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
    finally:
        stop(process, timeout=30)
    total = sum(len(t) for t in times.values())
    print(f"{clients} clients x {requests} requests: {total} in {wall:.1f} s "
          f"({total / wall:.0f}/s), {len(errors)} errors")  # fmt: skip
    print(f"{'page':14} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in times.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{name:14} {len(values):5d} {statistics.median(values) * 1000:8.0f} {p95 * 1000:8.0f}"
        )
    return times, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="requests per client")
    args = parser.parse_args()
    _, errors = run(args.store, args.clients, args.requests)
    for error in errors[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
