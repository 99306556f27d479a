"""How records are shared between the build's process and its workers (kg.build.workers).

The scheduler is checked with stand-in workers whose chunks come back when a test says, so
who prepares what, and how much anyone holds, is known exactly; real worker processes are
checked in builds of the sample: one that dies, one that raises, and their ends.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections import deque
from types import SimpleNamespace

import pytest

import kg
from kg.cli import main
from tests.conftest import SAMPLE

workers = sys.modules["kg.build.workers"]
prepare = sys.modules["kg.build.prepare"]


class StandIn:
    """A worker whose oldest chunk is back only when ``ready_after`` polls say so."""

    def __init__(self, ready_after: int) -> None:
        self.ready_after = ready_after
        self.held = 0
        self.most_held = 0
        self.chunks: deque[list[int]] = deque()
        self.polls = 0

    def send(self, kind: str, items: list[int]) -> None:
        assert kind == "records"
        self.chunks.append(items)
        self.held += 1
        self.most_held = max(self.most_held, self.held)

    def ready(self) -> bool:
        self.polls += 1
        return self.polls > self.ready_after

    def take(self) -> list[SimpleNamespace]:
        self.held -= 1
        self.polls = 0
        chunk = self.chunks.popleft()
        return [SimpleNamespace(item=item, by="worker", source=None) for item in chunk]


def _share(items, crew, text=b"text"):
    own_ahead = []

    def own(item):
        own_ahead.append(item)
        return SimpleNamespace(item=item, by="own", source=item, texts={"ttl": text})

    back = list(workers._share("records", items, SimpleNamespace(prepare=own), crew))
    return back, own_ahead


@pytest.fixture
def chunk_of_4(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_CHUNK", 4)


def test_a_worker_that_is_always_ready_prepares_everything(chunk_of_4):
    crew = [StandIn(ready_after=0)]
    back, own = _share(list(range(40)), crew)
    assert [p.item for p in back] == list(range(40))
    assert own == []
    assert {p.by for p in back} == {"worker"}
    assert [p.source for p in back] == list(range(40))  # sources put back, in order
    assert crew[0].most_held == workers.WORKER_WINDOW


def test_while_a_worker_is_slow_this_process_prepares_the_next_records(chunk_of_4):
    # Ten chunks of 4. Each of the worker's chunks comes back on the 4th poll: before
    # each, this process prepares one record of a chunk of its own. Chunks 0 and 1 go
    # to the worker; waiting for chunk 0, it prepares 8-10 of chunk 2; for chunk 1, 11
    # and 16-17 (chunk 3 went to the worker meanwhile, chunk 4 is its own); and so on.
    # At the end, with every chunk handed out, it waits for the worker's chunk 8.
    crew = [StandIn(ready_after=3)]
    back, own = _share(list(range(40)), crew)
    assert [p.item for p in back] == list(range(40))
    assert [p.source for p in back] == list(range(40))
    assert own == [8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27, 36, 37, 38, 39]
    assert [p.by for p in back][::4] == ["worker", "worker", "own", "worker", "own",
                                         "worker", "own", "worker", "worker", "own"]  # fmt: skip
    assert crew[0].most_held == workers.WORKER_WINDOW


def test_this_process_never_runs_more_than_its_own_window_ahead(chunk_of_4, monkeypatch):
    # A worker that never answers until asked to hand over: this process prepares
    # OWN_AHEAD chunks of its own, then waits for the worker's chunk.
    monkeypatch.setattr(workers, "OWN_AHEAD", 3)
    crew = [StandIn(ready_after=10**9)]
    back, own = _share(list(range(24)), crew)
    assert [p.item for p in back] == list(range(24))
    # Chunks 0-1 go to the worker, 2-4 are prepared here, then chunk 0 is taken; chunk 5
    # goes to the worker, and this process prepares nothing more: OWN_AHEAD chunks at most.
    assert own == list(range(8, 20))
    assert crew[0].most_held == workers.WORKER_WINDOW


def test_what_this_process_prepares_ahead_is_bounded_by_its_text_too(chunk_of_4, monkeypatch):
    # Records of 4 bytes, 10 bytes ahead at most: it prepares 8, 9 and 10 (12 bytes), then
    # only takes the worker's chunks 0 and 1; it finishes its chunk 2 when it gets there,
    # and prepares the next chunk nobody holds, 5, the same way.
    monkeypatch.setattr(workers, "OWN_AHEAD_BYTES", 10)
    crew = [StandIn(ready_after=10**9)]
    back, own = _share(list(range(24)), crew, text=b"four")
    assert [p.item for p in back] == list(range(24))
    assert own == [8, 9, 10, 11, 20, 21, 22, 23]


def test_several_workers_take_turns(chunk_of_4):
    crew = [StandIn(ready_after=0), StandIn(ready_after=0), StandIn(ready_after=0)]
    back, own = _share(list(range(60)), crew)
    assert [p.item for p in back] == list(range(60))
    assert own == []
    assert [w.most_held for w in crew] == [workers.WORKER_WINDOW] * 3


def test_a_worker_prepares_no_more_while_too_much_waits_to_be_sent():
    release, sent = threading.Event(), []

    class Unread:  # the build's end of the pipe, not read yet
        def send_bytes(self, payload):
            release.wait()
            sent.append(payload)

    outbox = workers._Outbox(Unread())
    sender = threading.Thread(target=outbox.send_all)
    sender.start()
    outbox.put(b"x" * 100)
    outbox.wait_below(100)  # at the limit: goes on
    waiting = threading.Thread(target=outbox.wait_below, args=(99,))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()  # 100 bytes unsent, over 99: the worker waits
    release.set()
    waiting.join(5)
    assert not waiting.is_alive()
    outbox.put(None)
    sender.join(5)
    assert sent == [b"x" * 100] and not sender.is_alive()


def _in_a_worker(test_pid: int) -> bool:
    return os.getpid() != test_pid


@pytest.mark.slow
def test_a_worker_killed_ends_the_build_with_one_line_and_keeps_the_outputs(
    tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    kg.build([SAMPLE], out, ["ttl"], jobs=1)
    before = (out / "pfocr.ttl").read_bytes()
    test_pid, original = os.getpid(), prepare.RecordPreparer.prepare

    def dies(self, source):
        if _in_a_worker(test_pid):
            os._exit(9)
        return original(self, source)

    monkeypatch.setattr(prepare.RecordPreparer, "prepare", dies)
    with pytest.raises(workers.WorkerLost, match=r"ended unexpectedly \(exit 9\)"):
        kg.build([SAMPLE], out, ["ttl"], jobs=2)
    assert (out / "pfocr.ttl").read_bytes() == before
    assert main(["build", str(SAMPLE), "-o", str(out), "--jobs", "2", "--quiet"]) == 4
    assert (
        capsys.readouterr()
        .err.strip()
        .splitlines()[-1]
        .endswith(
            "a worker process ended unexpectedly (exit 9); previous outputs were left as they were"
        )
    )
    assert (out / "pfocr.ttl").read_bytes() == before


@pytest.mark.slow
def test_an_error_in_a_worker_is_raised_by_the_build(tmp_path, monkeypatch):
    test_pid, original = os.getpid(), prepare.RecordPreparer.prepare

    def fails(self, source):
        if _in_a_worker(test_pid):
            raise ZeroDivisionError(f"made to fail on {source.stem}")
        return original(self, source)

    monkeypatch.setattr(prepare.RecordPreparer, "prepare", fails)
    with pytest.raises(ZeroDivisionError, match="made to fail on PMC") as raised:
        kg.build([SAMPLE], tmp_path / "out", ["ttl"], jobs=2)
    note = raised.value.__notes__[0]
    assert note.startswith("raised in a worker process:") and "in fails" in note
    assert not (tmp_path / "out" / "pfocr.ttl").exists()


@pytest.mark.slow
def test_workers_leave_ctrl_c_to_the_build_and_end_with_it():
    from kg.sources import TaxonTable, discover

    sources = discover([SAMPLE]).records
    preparer = prepare.RecordPreparer(TaxonTable.bundled(), None, ["nt"])
    with workers.Workers(preparer, 3) as crew:
        records = crew.records(sources)
        first = next(records)
        processes = [worker.process for worker in crew._crew]
        for process in processes:
            os.kill(process.pid, signal.SIGINT)
        rest = list(records)
        assert all(process.is_alive() for process in processes)
    assert [p.figid for p in [first, *rest]] == [preparer.prepare(s).figid for s in sources]
    assert len(processes) == 2
    assert not any(process.is_alive() for process in processes)
