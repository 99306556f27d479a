"""A bounded load test of `pfocr-kg serve` on loopback: concurrent clients each send a fixed
mix of page and SPARQL requests; prints p50/p95 latency per page and the error count.

    python bench/serve_load.py OUT/store                    # 20 clients x 30 requests
    python bench/serve_load.py OUT/store --clients 20 --requests 50

The server is started here (`pfocr-kg serve STORE --port 0`, two SPARQL workers) and stopped
at the end; the run ends by itself. Gene and figure pages use the sample's ids, which scaled
corpora keep (copy 0 of each figure is the figure itself).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from kg.web.launch import launch

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?f a fabio:Figure }"
PAGES = {
    "home": "",
    "search": "search?q=stat3&kind=gene&go=no",
    "gene": "gene/5595",
    "gene network": "gene/5595/network.json",
    "figure": "figure/{figid}",
    "enrich": "enrich?genes=STAT3+JAK1+JAK2+SOCS3+IL6&taxon=9606",
    "sparql count": "sparql?" + urllib.parse.urlencode({"query": COUNT}),
    "sparql named": "sparql?"
    + urllib.parse.urlencode({"query": "SELECT ?f WHERE { ?f a fabio:Figure } LIMIT 100"}),
}


def _client(base: str, requests: int, offset: int, times: dict, errors: list) -> None:
    names = list(PAGES)
    for i in range(requests):
        name = names[(offset + i) % len(names)]
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(base + PAGES[name], timeout=120) as answer:
                answer.read()
                if answer.status != 200:
                    errors.append(f"{name}: HTTP {answer.status}")
        except Exception as exc:
            errors.append(f"{name}: {exc}")
        times.setdefault(name, []).append(time.perf_counter() - start)


def run(store: Path, clients: int, requests: int) -> tuple[dict, list]:
    process, base = launch(store, "--workers", "2")
    try:
        # A figure of MAPK3's (scaled corpora rename the sample's figures).
        ask = (
            "SELECT ?id WHERE { ?f schema:mentions ncbigene:5595 ; dcterms:identifier ?id } LIMIT 1"
        )
        request = urllib.request.Request(
            base + "sparql?" + urllib.parse.urlencode({"query": ask}),
            headers={"Accept": "text/csv"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            figid = answer.read().decode().split()[-1]
        PAGES["figure"] = PAGES["figure"].format(figid=figid)
        for path in PAGES.values():  # warm: the first request of each kind opens files
            urllib.request.urlopen(base + path, timeout=120).read()
        times: dict[str, list[float]] = {}
        errors: list[str] = []
        threads = [
            threading.Thread(target=_client, args=(base, requests, c, times, errors))
            for c in range(clients)
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
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
