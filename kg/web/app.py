"""``pfocr-kg serve``: a SPARQL 1.1 endpoint at ``/sparql`` and pages to look at figures,
genes, enrichment and queries, over one built store, read-only.

The app is a Starlette application: pages are rendered on the server (Jinja2 templates in
``kg/web/templates``), with a little JavaScript where it helps (the ego network is drawn by
cytoscape.js, the query page is YASGUI), all served from ``kg/web/static`` (vendored; see
``kg/web/static/vendor/README.md``), never from a CDN.

Example
-------
>>> import pathlib, tempfile, kg
>>> from starlette.testclient import TestClient
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> _ = kg.build([pathlib.Path("data/sample")], out, [], store=out / "store")
>>> with TestClient(create_app(Settings(out / "store", workers=1))) as client:
...     client.get("/gene/6774").status_code
200
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.analysis import UNIVERSES, enrich
from kg.lookups.incidence import GeneFigureTable, gene_figure_table
from kg.model import excluded_sources
from kg.queries import ParameterError, load_queries, run_named
from kg.rdf.vocab import PREFIXES
from kg.store import OxigraphStore, QuerySyntaxError, StoreError, UpdateRefused
from kg.store.base import insert_values, with_prefixes
from kg.web import data
from kg.web.pool import QueryPool, QueryTimeout, TooManyRows
from kg.web.results import negotiate, render

__all__ = ["SETTINGS_VARIABLE", "Settings", "app_from_environment", "create_app"]

HERE = Path(__file__).parent
MAX_QUERY_BYTES = 1_000_000  # a SPARQL request body or query string
MAX_GENE_LIST = 5_000  # genes a pasted enrichment list may hold


@dataclass(frozen=True, slots=True)
class Settings:
    """What the server serves and its limits.

    ``store`` is an on-disk Oxigraph store (opened read-only). ``time_limit`` (seconds) and
    ``max_rows`` bound each ``/sparql`` query; ``workers`` processes answer them.
    """

    store: Path
    time_limit: float = 30.0
    max_rows: int = 100_000
    workers: int = 2

    def to_json(self) -> str:
        return json.dumps(
            {"store": str(self.store), "time_limit": self.time_limit,
             "max_rows": self.max_rows, "workers": self.workers}
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Settings:
        values = json.loads(text)
        return cls(Path(values["store"]), float(values["time_limit"]), int(values["max_rows"]),
                   int(values["workers"]))  # fmt: skip


# How `pfocr-kg serve` hands its settings to each server process it starts.
SETTINGS_VARIABLE = "PFOCR_KG_SERVE_SETTINGS"


def app_from_environment() -> Starlette:
    """The app for the settings in :data:`SETTINGS_VARIABLE` (a server process's factory)."""
    return create_app(Settings.from_json(os.environ[SETTINGS_VARIABLE]))


class _State:
    """The open store and the SPARQL workers; the store reopens when a rebuild switches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = OxigraphStore(settings.store, read_only=True)
        # Enrichment's figure-by-gene tables, by (store folder, taxon, evidence): derived data
        # of one store, read once (a few, each a few bytes a figure-gene pair).
        self.tables: dict[tuple, GeneFigureTable] = {}
        # A gene page's partners, by (store folder, gene id): asked for by the page and by
        # its network, and again by every visitor.
        self.partners: dict[tuple, list[dict[str, Any]]] = {}
        # What every page shows of the whole store (its summary, its organisms), by (store
        # folder, name): the same until a rebuild switches a new store in.
        self.about: dict[tuple, Any] = {}
        self.lock = threading.Lock()
        self.pool = QueryPool(
            settings.store, settings.workers, settings.time_limit, settings.max_rows
        )
        self.catalog = load_queries()

    def current(self) -> OxigraphStore:
        """The store, reopened first if a build has switched a new one in."""
        if self.store.outdated():
            with self.lock:  # pages run on several threads: one reopens
                if self.store.reopen():
                    self.tables.clear()
                    self.partners.clear()
                    self.about.clear()
        return self.store

    def store_wide(self, read: Callable[[OxigraphStore, data.Catalog], Any]) -> Any:
        """What ``read`` (``data.summary``, ``data.organisms``) says of the whole store, read
        once per store generation."""
        store = self.current()
        key = (store.folder, read.__name__)
        found = self.about.get(key)
        if found is None:
            found = self.about[key] = read(store, self.catalog)
        return found

    def table(self, taxon: int, excluded: frozenset[str]) -> GeneFigureTable:
        """The figure-by-gene table enrichment reads, for one taxon and evidence choice."""
        store = self.current()
        key = (store.folder, taxon, excluded)
        found = self.tables.get(key)
        if found is None:
            found = gene_figure_table(
                store, taxon=taxon, max_figure_genes=0, exclude_sources=excluded
            )
            with self.lock:
                if len(self.tables) >= 8:
                    self.tables.pop(next(iter(self.tables)))
                self.tables[key] = found
        return found

    def close(self) -> None:
        self.pool.close()
        self.store.close()


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["curie"] = _curie
    return env


def _curie(iri: str | None) -> str:
    """A short form of an IRI for display (``ncbigene:6774``)."""
    if not iri:
        return ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def create_app(settings: Settings) -> Starlette:
    """The web application over ``settings.store``."""
    env = _templates()
    state: dict[str, _State] = {}

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = env.get_template(name).render(request=request, path=request.url.path, **context)
        return HTMLResponse(body, status_code=status)

    def problem(request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return page(request, "problem.html", status, title=title, message=message)

    def store() -> OxigraphStore:
        return state["app"].current()

    def home(request: Request) -> Response:
        return page(
            request,
            "home.html",
            title="pfocr-kg",
            summary=state["app"].store_wide(data.summary),
            organisms=state["app"].store_wide(data.organisms),
        )

    def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        kind = request.query_params.get("kind", "gene")
        taxon = request.query_params.get("taxon", "").strip() or None
        if kind not in ("gene", "chemical", "disease"):
            return problem(request, 400, "Bad search", "kind must be gene, chemical or disease")
        if taxon is not None and not taxon.isdigit():
            return problem(request, 400, "Bad search", "taxon must be an NCBI Taxonomy id")
        if len(text) > 200:
            return problem(request, 400, "Bad search", "the search text is too long")
        current = store()
        if kind == "gene":
            found = data.find_genes(current, text, taxon) if text else []
            if len(found) == 1 and request.query_params.get("go") != "no":
                return RedirectResponse(f"/gene/{found[0]['id']}", status_code=303)
        else:
            found = data.find_terms(current, text, kind) if text else []
        return page(
            request,
            "search.html",
            title=f"Search: {text}" if text else "Search",
            text=text,
            kind=kind,
            taxon=taxon,
            found=found,
            organisms=state["app"].store_wide(data.organisms),
        )

    def figure(request: Request) -> Response:
        figid = request.path_params["figid"]
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,300}", figid):
            return problem(request, 404, "No such figure", f"{figid!r} is not a PFOCR figure id")
        card = data.figure_details(store(), figid)
        if card is None:
            return problem(request, 404, "No such figure", f"{figid} is not in this graph")
        return page(request, "figure.html", title=card.get("title") or figid, card=card)

    def _gene(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        gene_id = request.path_params["gene_id"]
        if not gene_id.isdigit() or len(gene_id) > 12:
            return None, problem(request, 404, "No such gene", "give an NCBI Gene id")
        about = data.gene_about(store(), gene_id)
        if about is None:
            return None, problem(
                request, 404, "No such gene", f"NCBI Gene {gene_id} is in no figure here"
            )
        return about, None

    def _partners(current: OxigraphStore, about: dict[str, Any], n: int) -> list[dict[str, Any]]:
        cache = state["app"].partners
        key = (current.folder, about["id"], n)
        found = cache.get(key)
        if found is None:
            found = _read_partners(current, about, n)
            with state["app"].lock:
                if len(cache) >= 256:
                    cache.pop(next(iter(cache)))
                cache[key] = found
        return [dict(row) for row in found]

    def _read_partners(
        current: OxigraphStore, about: dict[str, Any], n: int
    ) -> list[dict[str, Any]]:
        rows = run_named(
            current,
            "genes-comentioned-with-gene",
            {"gene": about["id"], "taxon": about["taxon_id"], "limit": n},
            state["app"].catalog,
        ).rows
        totals = {
            g["gene"]: g["figures"]
            for g in data.partner_totals(current, [r["partner"] for r in rows])
        }
        for row in rows:
            total = totals.get(row["partner"], row["figures"])
            row["id"] = row["partner"].rsplit("/", 1)[-1]
            row["jaccard"] = row["figures"] / (about["figures"] + total - row["figures"])
        return rows

    def gene(request: Request) -> Response:
        about, failed = _gene(request)
        if failed is not None:
            return failed
        assert about is not None
        current = store()
        figures = run_named(
            current,
            "figures-mentioning-gene",
            {"gene": about["id"], "limit": 60},
            state["app"].catalog,
        ).rows
        shown = data.figure_summaries(current, list(dict.fromkeys(r["figure"] for r in figures)))
        return page(
            request,
            "gene.html",
            title=f"{about['symbol'] or about['id']} ({about['organism'] or about['taxon_id']})",
            gene=about,
            figures=shown,
            partners=_partners(current, about, 25),
        )

    def gene_network(request: Request) -> Response:
        about, failed = _gene(request)
        if failed is not None:
            return failed
        assert about is not None
        current = store()
        return JSONResponse(data.ego_network(current, about, _partners(current, about, 25)))

    def _enrichment(params: Any) -> tuple[dict[str, Any], Any]:
        genes = re.split(r"[\s,;]+", params.get("genes", "").strip())
        genes = [g for g in genes if g][:MAX_GENE_LIST]
        taxon = params.get("taxon", "9606").strip() or "9606"
        evidence = params.get("evidence", "all")
        background = [g for g in re.split(r"[\s,;]+", params.get("background", "")) if g]
        form = {
            "genes": "\n".join(genes),
            "taxon": taxon,
            "evidence": evidence,
            "background": "\n".join(background[: MAX_GENE_LIST * 10]),
        }
        if not genes:
            return form, None
        if not taxon.isdigit() or evidence not in ("all", "synonyms", "families", "official"):
            raise ValueError("taxon must be an NCBI Taxonomy id; evidence one of the choices")
        excluded = excluded_sources(
            evidence in ("synonyms", "official"), evidence in ("families", "official")
        )
        result = enrich(
            store(),
            genes,
            taxon=int(taxon),
            universe=background or UNIVERSES[0],
            exclude_sources=excluded,
            table=state["app"].table(int(taxon), excluded),
        )
        return form, result

    async def enrichment(request: Request) -> Response:
        params = await request.form() if request.method == "POST" else request.query_params
        try:
            form, result = await run_in_threadpool(_enrichment, params)
        except ValueError as exc:
            return problem(request, 400, "Bad enrichment request", str(exc))
        query = urlencode({k: v for k, v in form.items() if v})
        return await run_in_threadpool(
            page,
            request,
            "enrich.html",
            title="Enrichment",
            form=form,
            result=result,
            csv_url=f"/enrich.csv?{query}",
            organisms=state["app"].store_wide(data.organisms),
        )

    def enrichment_csv(request: Request) -> Response:
        try:
            _, result = _enrichment(request.query_params)
        except ValueError as exc:
            return Response(f"{exc}\n", status_code=400, media_type="text/plain")
        if result is None:
            return Response("give genes=...\n", status_code=400, media_type="text/plain")
        return Response(
            result.to_result().to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="pfocr-enrichment.csv"'},
        )

    def query_page(request: Request) -> Response:
        named = [
            {"name": q.name, "title": q.title, "text": _example(q)}
            for q in state["app"].catalog.values()
        ]
        return page(request, "query.html", title="SPARQL query", named=named)

    def queries_json(request: Request) -> Response:
        return JSONResponse({q.name: _example(q) for q in state["app"].catalog.values()})

    async def sparql(request: Request) -> Response:
        return await _sparql(request, state["app"])

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["app"] = _State(settings)
        try:
            yield
        finally:
            state.pop("app").close()

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/figure/{figid:path}", figure),
        Route("/gene/{gene_id}", gene),
        Route("/gene/{gene_id}/network.json", gene_network),
        Route("/enrich", enrichment, methods=["GET", "POST"]),
        Route("/enrich.csv", enrichment_csv),
        Route("/query", query_page),
        Route("/queries.json", queries_json),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return problem(request, 404, "Not found", f"nothing at {request.url.path}")

    return Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found})


# Example values for the named queries' required parameters, by parameter type.
_EXAMPLES = {
    "gene": "6774",
    "figure": "PMC8632218__fimmu-12-767939-g001",
    "chemical": "D000255",
    "string": "Front Immunol",
}


def _example(query: Any) -> str:
    """A named query as it runs: required parameters bound to examples as ``VALUES`` (so it
    runs as is in the editor), integer placeholders filled with their defaults."""
    values = {
        p.name: _EXAMPLES.get(p.type, "1")
        for p in query.parameters
        if p.required and p.type in _EXAMPLES
    }
    if "figure_b" in values:
        values["figure_b"] = "PMC6040882__elife-34890-fig11"
    try:
        text, bindings = query.bind(values)
    except ParameterError:
        text, bindings = query.text, {}
    # The project's prefixes declared, so the query runs (and checks) in any editor.
    bound = insert_values(text, bindings, per_variable=True) if bindings else text
    return with_prefixes(bound)[0]


async def _sparql(request: Request, state: _State) -> Response:
    """The SPARQL 1.1 Protocol: query by GET or POST; updates refused; answers negotiated."""
    if request.method == "GET":
        text = request.query_params.get("query")
        fmt = request.query_params.get("format")
        if "update" in request.query_params:
            return _refuse_update()
    else:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if len(body) > MAX_QUERY_BYTES:
            return _text(413, f"the request body is over {MAX_QUERY_BYTES:,} bytes")
        if kind == "application/sparql-update":
            return _refuse_update()
        if kind == "application/sparql-query":
            text, fmt = body.decode("utf-8", "replace"), request.query_params.get("format")
        elif kind == "application/x-www-form-urlencoded":
            form = await request.form()
            if "update" in form:
                return _refuse_update()
            text, fmt = form.get("query"), form.get("format") or request.query_params.get("format")
        else:
            return _text(415, "send application/sparql-query or a form with query=")
    if text is None:
        return _service_description(request)
    text = str(text)
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        return _text(413, f"the query is over {MAX_QUERY_BYTES:,} bytes")
    try:
        answer = await run_in_threadpool(state.pool.run, text)
    except UpdateRefused as exc:
        return _text(403, str(exc))
    except QuerySyntaxError as exc:
        return _text(400, str(exc))
    except TooManyRows as exc:
        return _text(400, str(exc))
    except QueryTimeout as exc:
        return _text(503, str(exc))
    except StoreError as exc:
        return _text(500, str(exc))
    media_type = negotiate(request.headers.get("accept"), answer.triples is not None, fmt)
    if media_type is None:
        return _text(406, "no acceptable format: see the service description at /sparql")
    body, content_type = render(answer, media_type)
    return Response(body, media_type=content_type, headers={"Vary": "Accept"})


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _refuse_update() -> Response:
    return _text(403, "SPARQL updates are not run here: this endpoint is read-only")


_FORMATS = {
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "http://www.w3.org/ns/formats/Turtle",
    "http://www.w3.org/ns/formats/N-Triples",
    "http://www.w3.org/ns/formats/JSON-LD",
}


def _service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint (Turtle)."""
    endpoint = str(request.url.replace(query=""))
    formats = ", ".join(f"<{f}>" for f in sorted(_FORMATS))
    text = (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        f"<{html.escape(endpoint)}> a sd:Service ;\n"
        f"  sd:endpoint <{html.escape(endpoint)}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        "  sd:feature sd:UnionDefaultGraph ;\n"
        f"  sd:resultFormat {formats} .\n"
    )
    return Response(text, media_type="text/turtle; charset=utf-8")
