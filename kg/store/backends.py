"""The three store backends: embedded Oxigraph, rdflib in memory, and a remote SPARQL server.

Backends are registered by name (:data:`BACKENDS`) and opened with :func:`open_store`, which
also picks one from what it is given: a folder is an Oxigraph store on disk, an RDF file is
loaded into an in-memory store, an ``http(s)://`` URL is a SPARQL endpoint.

Example
-------
>>> with OxigraphStore() as store:
...     store.load_data(b"<http://a> <http://b> <http://c> .", ox.RdfFormat.N_TRIPLES)
...     store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
[{'n': 1}]
"""

from __future__ import annotations

import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.store.base import (
    QueryResult,
    QuerySyntaxError,
    StoreError,
    TripleStore,
    parse_error_position,
    python_value,
    rdf_format,
    refuse_updates,
    with_prefixes,
)

if TYPE_CHECKING:  # rdflib loads only for the rdflib backend: it costs every command 0.15 s
    import rdflib

__all__ = ["BACKENDS", "OxigraphStore", "RdflibStore", "RemoteStore", "open_store"]

log = logging.getLogger(__name__)


class OxigraphStore(TripleStore):
    """Embedded Oxigraph: on disk when given a folder, in memory otherwise.

    Queries see the union of all graphs as the default graph, so a store loaded from
    per-figure N-Quads answers like one loaded from Turtle.
    """

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        # The real folder: a build switches the link at ``path`` to a new one, and this store
        # goes on reading the files it opened (see kg.outputs.folder) until reopened.
        self._real = None if path is None else os.path.realpath(path)
        self._store = self._open()
        # What is derived from this store's files and read beside it (kg.index), by name:
        # opened once, closed with the store, dropped when it reopens another folder.
        self.companions: dict[str, Any] = {}

    def _open(self) -> ox.Store:
        try:
            if self.path is None:
                return ox.Store()
            if self.read_only:
                return ox.Store.read_only(self._real)
            return ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            detail = " ".join(str(exc).split())
            raise StoreError(f"{self.path}: cannot open the Oxigraph store: {detail}") from None

    @property
    def folder(self) -> Path | None:
        """The real folder this store reads (``None`` in memory)."""
        return None if self._real is None else Path(self._real)

    def outdated(self) -> bool:
        r"""Whether a build has switched another store in at ``path`` since this one opened.

        A long-lived reader (a server, a notebook) checks this and calls :meth:`reopen`:
        the folder it reads belongs to an earlier build, which the next build removes.
        """
        return self.path is not None and os.path.realpath(self.path) != self._real

    def reopen(self) -> bool:
        """Open the store now at ``path`` if a build switched one in; ``True`` if it did."""
        if not self.outdated():
            return False
        self._real = os.path.realpath(self.path)  # type: ignore[arg-type]
        self._store = self._open()
        self._close_companions()
        return True

    def _close_companions(self) -> None:
        for companion in self.companions.values():
            if companion is not None:
                companion.close()
        self.companions.clear()

    def load(self, path: Path) -> None:
        try:
            self._store.bulk_load(path=str(path), format=rdf_format(path).oxigraph)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from None

    def load_data(self, data: bytes, fmt: ox.RdfFormat, *, trusted: bool = False) -> None:
        """Load RDF given as bytes; ``trusted`` data (made and checked by this package) skips
        Oxigraph's second check of every IRI and language tag, about a sixth of the load."""
        self._store.bulk_load(data, format=fmt, lenient=trusted)

    def _execute(self, query: str) -> QueryResult:
        try:
            answer = self._store.query(query, use_default_graph_as_union=True)
            return QueryResult.from_oxigraph(answer)
        except SyntaxError as exc:
            line, column, detail = parse_error_position(str(exc))
            raise QuerySyntaxError(detail, line, column) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.path or 'store'}: query failed: {exc}") from None

    def stream(self, query: str) -> Iterator[tuple[Any, ...]]:
        """The rows of a SELECT ``query`` (prefixes declared), one tuple at a time, as plain
        values in the order of its variables: for scans too large to hold as dicts.

        >>> with OxigraphStore() as store:
        ...     store.load_data(b'<http://a> <http://b> "x" .', ox.RdfFormat.N_TRIPLES)
        ...     list(store.stream("SELECT ?s ?o WHERE { ?s ?p ?o }"))
        [('http://a', 'x')]
        """
        refuse_updates(query)
        try:
            answer = self._store.query(with_prefixes(query)[0], use_default_graph_as_union=True)
        except SyntaxError as exc:
            line, column, detail = parse_error_position(str(exc))
            raise QuerySyntaxError(detail, line, column) from None
        if not isinstance(answer, ox.QuerySolutions):
            raise StoreError("stream() runs SELECT queries only")
        names = [v.value for v in answer.variables]
        for solution in answer:
            yield tuple(python_value(solution[name]) for name in names)

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, path: Path) -> None:
        fmt = rdf_format(path).oxigraph
        options = {} if fmt.supports_datasets else {"from_graph": ox.DefaultGraph()}
        self._store.dump(str(path), format=fmt, **options)

    def flush(self) -> None:
        self._store.flush()

    def optimize(self) -> None:
        self._store.optimize()

    def close(self) -> None:
        self._close_companions()
        if self.path is not None and not self.read_only and self._store is not None:
            self._store.flush()
        self._store = None  # type: ignore[assignment]


class RdflibStore(TripleStore):
    """rdflib in memory: for small graphs, and for users who work in rdflib already."""

    name = "rdflib"

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        import rdflib

        self.dataset = rdflib.Dataset(default_union=True)
        if graph is not None:
            for triple in graph:
                self.dataset.add(triple)

    def load(self, path: Path) -> None:
        fmt = rdf_format(path).rdflib
        try:
            self.dataset.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise StoreError(f"{path}: cannot load: {exc}") from None

    def _execute(self, query: str) -> QueryResult:
        from pyparsing import ParseException

        try:
            answer = self.dataset.query(query)
        except ParseException as exc:
            raise QuerySyntaxError(str(exc.msg), exc.lineno, exc.col) from None
        if answer.type == "ASK":
            return QueryResult(boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            data = answer.serialize(format="nt")
            return QueryResult(triples=list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
        names = [str(v) for v in answer.vars]
        rows = [
            {name: python_value(_to_oxigraph(row[i])) for i, name in enumerate(names)}
            for row in answer
        ]
        return QueryResult(variables=names, rows=rows)

    def __len__(self) -> int:
        return len(self.dataset)


def _to_oxigraph(term: rdflib.term.Node | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """One term conversion for every backend, so values compare equal across them."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


# What a SPARQL endpoint may answer a query with; anything else (an HTML page, say) means
# the URL is not a query endpoint, and is an error rather than a guess.
_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "ttl",
}
# Queries up to this long (URL-encoded) go by GET, longer ones as a form POST: both are
# SPARQL 1.1 Protocol, and unlike an application/sparql-query POST, every server takes them.
MAX_GET_QUERY = 2000
DEFAULT_TIMEOUT = 30.0


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


class RemoteStore(TripleStore):
    """A SPARQL 1.1 server: the query endpoint, and the Graph Store Protocol for loading.

    ``query_url`` is the endpoint for queries (``http://host/query``); ``store_url`` the
    Graph Store Protocol endpoint (``http://host/store``). Either may be omitted when the
    other is all that is needed. ``timeout`` (seconds) bounds the connection and each wait
    for the server's answer. ``default_graph`` names the graph queries see as their default
    graph (the protocol's ``default-graph-uri``): on a server holding other graphs too, such
    as Virtuoso with its system graphs, the one the build was loaded into.

    An answer the server cut short is an error, not a silent partial answer: Virtuoso says
    so with its ``X-SPARQL-MaxRows`` header when ``ResultSetMaxRows`` stopped it.
    """

    name = "sparql"
    values_per_variable = True

    def __init__(
        self,
        query_url: str | None = None,
        store_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        default_graph: str | None = None,
    ) -> None:
        for url in (query_url, store_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url}: not an http(s) URL")
        if not timeout > 0:
            raise StoreError(f"the timeout must be a positive number of seconds, not {timeout}")
        self.query_url = query_url
        self.store_url = store_url
        self.timeout = timeout
        self.default_graph = default_graph

    def _request(
        self, request: urllib.request.Request, query: bool = False
    ) -> tuple[bytes, str, Any]:
        """The body, media type and headers of the server's answer; HTTP errors as
        StoreError (and a query's HTTP 400, Bad Request, as a QuerySyntaxError)."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media_type = _media_type(response.headers.get("Content-Type"))
                return response.read(), media_type, response.headers
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            if (exc.code == 400 and request.get_method() == "GET") or request.data is not None:
                line, column, detail = parse_error_position(body)
                if line is not None:
                    raise QuerySyntaxError(detail, line, column) from None
            detail = " ".join(body.split())[:300]
            raise StoreError(f"{_url(request)}: HTTP {exc.code}: {detail}") from None
        except TimeoutError:
            raise StoreError(
                f"{_url(request)}: no answer within {self.timeout:g} s (--timeout)"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{_url(request)}: cannot reach the endpoint ({reason})") from None

    def load(self, path: Path, graph: str | None = None) -> None:
        """Send ``path`` to the Graph Store Protocol endpoint, streamed from disk.

        Triples go to ``graph`` or the default graph (POST: added to what is there); a
        format with graphs of its own (N-Quads, TriG, JSON-LD) keeps them, and refuses
        ``graph``.
        """
        if self.store_url is None:
            raise StoreError("loading needs a Graph Store Protocol URL (such as .../store)")
        fmt = rdf_format(path)
        if graph is not None and fmt.has_graphs:
            raise StoreError(
                f"{path}: {fmt.name} holds its own named graphs, so --graph does not apply; "
                "load a .ttl or .nt file into a graph instead"
            )
        target = "graph=" + urllib.parse.quote(graph, safe="") if graph else "default"
        separator = "&" if "?" in self.store_url else "?"
        url = self.store_url if fmt.has_graphs else f"{self.store_url}{separator}{target}"
        with path.open("rb") as body:
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": fmt.media_type,
                    "Content-Length": str(os.fstat(body.fileno()).st_size),
                },
            )
            _, media_type, _ = self._request(request)
        if media_type == "text/html":
            raise StoreError(
                f"{self.store_url}: answered with an HTML page, not as a Graph Store Protocol "
                "endpoint (such as http://host/store); nothing is known to be loaded"
            )

    def _execute(self, query: str) -> QueryResult:
        if self.query_url is None:
            raise StoreError("querying needs a SPARQL query endpoint URL (such as .../query)")
        headers = {
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9, "
            "text/turtle;q=0.8",
        }
        fields = {"query": query}
        if self.default_graph is not None:
            fields["default-graph-uri"] = self.default_graph
        encoded = urllib.parse.urlencode(fields)
        if len(encoded) <= MAX_GET_QUERY:
            separator = "&" if "?" in self.query_url else "?"
            request = urllib.request.Request(
                f"{self.query_url}{separator}{encoded}", headers=headers, method="GET"
            )
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(
                self.query_url, data=encoded.encode("ascii"), headers=headers, method="POST"
            )
        body, media_type, answer_headers = self._request(request, query=True)
        kind = _RESULT_TYPES.get(media_type)
        if kind is None:
            raise StoreError(
                f"{self.query_url}: answered {media_type or 'with no content type'}, not SPARQL "
                "results; is it a SPARQL query endpoint (such as http://host/sparql)?"
            )
        try:
            if kind == "json":
                answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                result = QueryResult.from_oxigraph(answer)
                _check_complete(self.query_url, answer_headers, len(result.rows))
                return result
            fmt = ox.RdfFormat.N_TRIPLES if kind == "nt" else ox.RdfFormat.TURTLE
            return QueryResult(triples=[q.triple for q in ox.parse(body, format=fmt)])
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.query_url}: unreadable {media_type} answer: {exc}") from None

    def __len__(self) -> int:
        """The triples of the default graph given, else of every graph the server holds
        (on Virtuoso that includes its own system graphs)."""
        if self.default_graph is not None:
            answer = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        else:
            answer = self.query(
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
        return int(answer.rows[0]["n"])


def _check_complete(url: str, headers: Any, rows: int) -> None:
    """Raise if the server says it stopped at a row limit and the answer reaches it."""
    limit = headers.get("X-SPARQL-MaxRows") if headers is not None else None
    if limit is not None and limit.strip().isdigit() and rows >= int(limit):
        raise StoreError(
            f"{url}: the server cut the answer at {int(limit):,} rows (its result-row limit; "
            "Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, see "
            "docs/virtuoso.md); raise the limit or narrow the query (LIMIT/OFFSET)"
        )


def _url(request: urllib.request.Request) -> str:
    """The request's URL without its query string (which may be a whole SPARQL query)."""
    return request.full_url.split("?", 1)[0]


def _open_file(path: Path) -> TripleStore:
    store = OxigraphStore()
    store.load(path)
    return store


BACKENDS: dict[str, Callable[..., TripleStore]] = {
    "oxigraph": OxigraphStore,
    "rdflib": RdflibStore,
    "sparql": RemoteStore,
}


def open_store(
    location: str | Path,
    backend: str | None = None,
    *,
    read_only: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    default_graph: str | None = None,
) -> TripleStore:
    """Open what ``location`` names, with ``backend`` or the natural one for it.

    * ``http(s)://...``: a remote SPARQL endpoint (queries; loads go to ``.../store``),
      seeing ``default_graph`` (an IRI) as its default graph when given;
    * a folder: an Oxigraph store on disk (read-only unless ``read_only=False``);
    * an RDF file (``.ttl``, ``.nt``, ``.nq``, ...): loaded into a temporary in-memory
      store, Oxigraph by default or rdflib with ``backend="rdflib"``.
    """
    text = str(location)
    if text.startswith(("http://", "https://")):
        if backend not in (None, "sparql"):
            raise StoreError(f"{text}: a URL is a SPARQL endpoint, not a {backend} store")
        return RemoteStore(query_url=text, timeout=timeout, default_graph=default_graph)
    path = Path(location)
    if backend not in (None, *BACKENDS):
        raise StoreError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if path.is_dir():
        if backend not in (None, "oxigraph"):
            raise StoreError(f"{path} is an Oxigraph store folder, not a {backend} store")
        if not any(path.iterdir()):
            raise StoreError(f"{path}: empty folder, not an Oxigraph store")
        return OxigraphStore(path, read_only=read_only)
    if path.is_file():
        if backend == "rdflib":
            store: TripleStore = RdflibStore()
            store.load(path)
            return store
        return _open_file(path)
    raise StoreError(f"{path}: no such store folder or RDF file")
