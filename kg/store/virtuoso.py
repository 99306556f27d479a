"""OpenLink Virtuoso, the SPARQL server users of this field grow into: bulk loading and a
private local instance.

pfocr-kg queries a Virtuoso like any SPARQL 1.1 endpoint (:class:`~kg.store.RemoteStore`:
GET, or a form POST for long queries, one ``VALUES`` block per variable, the truncation
header checked). Loading a build into Virtuoso is Virtuoso's own bulk loader, run through
``isql``; :func:`loader_script` writes the statements (docs/virtuoso.md walks through them).
:class:`PrivateVirtuoso` starts a throw-away server on loopback with its own database folder,
for the tests and benchmarks, and for trying it out.

Example
-------
>>> print(loader_script(Path("/data/out"), "pfocr.nt", "https://example.org/graph"))
ld_dir('/data/out', 'pfocr.nt', 'https://example.org/graph');
rdf_loader_run();
checkpoint;
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from kg.store.base import StoreError

__all__ = ["PrivateVirtuoso", "loader_script", "sql_string"]


def sql_string(text: str) -> str:
    """``text`` as a Virtuoso SQL string literal (quotes doubled; no line breaks allowed)."""
    if any(c in text for c in "\r\n\x00"):
        raise ValueError(f"{text!r}: a line break or NUL cannot go into an isql statement")
    return "'" + text.replace("'", "''") + "'"


def loader_script(folder: Path, pattern: str, graph: str) -> str:
    """The ``isql`` statements that bulk-load the files of ``folder`` matching ``pattern``
    (N-Triples or Turtle into ``graph``; N-Quads keep their own graphs) and make them
    durable. ``folder`` must be listed in the server's ``DirsAllowed``."""
    return (
        f"ld_dir({sql_string(str(folder))}, {sql_string(pattern)}, {sql_string(graph)});\n"
        "rdf_loader_run();\n"
        "checkpoint;"
    )


_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
MaxCheckpointRemap = 2000
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
DirsAllowed = ., {load}
MaxQueryMem = 2G
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateVirtuoso:
    """A Virtuoso server on 127.0.0.1 with a new database in ``folder`` (made here).

    Parameters
    ----------
    folder : a new folder for the database and its configuration.
    load_folder : the one folder the bulk loader may read (``DirsAllowed``).
    max_rows : ``ResultSetMaxRows``, the most rows the SPARQL endpoint answers with.
    memory_gb : buffer memory, about 8.5 KB a buffer as Virtuoso's own guide sizes it.

    Use it as a context manager; the server stops (and its folder stays) on exit.
    """

    def __init__(
        self, folder: Path, load_folder: Path, *, max_rows: int = 10000, memory_gb: float = 2
    ) -> None:
        self.server = shutil.which("virtuoso-t")
        self.isql_binary = shutil.which("isql-vt") or shutil.which("isql")
        if self.server is None or self.isql_binary is None:
            raise StoreError(
                "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)"
            )
        self.folder = folder
        self.load_folder = load_folder
        self.sql_port = _free_port()
        self.http_port = _free_port()
        buffers = int(memory_gb * 1e9 / 8500)
        folder.mkdir(parents=True)
        (folder / "vsp").mkdir()
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(
            _INI.format(
                db=folder,
                load=load_folder,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
                max_rows=max_rows,
            ),
            "utf-8",
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def sparql_url(self) -> str:
        """The SPARQL endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self, wait: float = 120) -> None:
        """Start the server and wait until its SPARQL endpoint answers."""
        self.process = subprocess.Popen(
            [str(self.server), "+foreground", "+configfile", str(self.ini)],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text("utf-8", "replace")[-2000:]
                raise StoreError(f"Virtuoso stopped at start: {log}")
            try:
                with urllib.request.urlopen(f"{self.sparql_url}?query=ASK%7B%7D", timeout=5):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.stop()
        raise StoreError(f"Virtuoso did not answer within {wait:g} s")

    def isql(self, script: str, timeout: float = 3600) -> str:
        """Run SQL statements through ``isql`` as the ``dba`` user; their output."""
        done = subprocess.run(
            [str(self.isql_binary), f"127.0.0.1:{self.sql_port}", "dba", "dba"],
            input=script.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in output:
            raise StoreError(f"isql failed: {' '.join(output.split())[-500:]}")
        return output

    def bulk_load(self, pattern: str, graph: str) -> None:
        """Load the files of the load folder matching ``pattern`` into ``graph``."""
        self.isql(loader_script(self.load_folder, pattern, graph))
        errors = self.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;"
        )
        if "0 Rows." not in errors:
            raise StoreError(f"the bulk loader reported errors: {' '.join(errors.split())[:500]}")

    def stop(self) -> None:
        """Stop the server (a checkpoint first, through its SQL port, when it runs)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(StoreError, subprocess.TimeoutExpired):
            self.isql("shutdown;", timeout=120)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> PrivateVirtuoso:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
