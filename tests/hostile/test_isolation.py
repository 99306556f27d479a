"""A build reads its inputs, its own ontology files and Python's: nothing else, no network.

An audit hook records every file the process opens while a build of hostile records runs.
The records point at a canary file outside the inputs in every way a record could (JSON-LD
contexts by file: IRI and by relative path, YAML tags that would open files); the canary
must never be opened, and the network is blocked (conftest.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import kg
from kg.resources import ontology_dir
from tests.conftest import REPO
from tests.hostile.helpers import record

_OPENED: list[str] = []
_RECORDING: list[bool] = [False]


def _hook(event: str, args: tuple) -> None:
    if _RECORDING[0] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_hook)  # audit hooks cannot be removed; this one is idle unless recording


def _opened_during(action) -> list[str]:
    tempfile.gettempdir()  # chosen once per process by writing a probe file; not the build's
    _OPENED.clear()
    _RECORDING[0] = True
    try:
        action()
    finally:
        _RECORDING[0] = False
    return list(_OPENED)


def test_hostile_records_never_reach_a_canary_file(layout, tmp_path):
    canary = tmp_path / "canary.jsonld"
    canary.write_text('{"@context": {"name": "http://example.org/stolen"}}')
    figures = layout / "_figures"
    contexts = {
        "PMC1__file": canary.as_uri(),
        "PMC2__relative": "../../canary.jsonld",
        "PMC3__plain": str(canary),
    }
    for figid, context in contexts.items():
        (figures / f"{figid}.md").write_text(
            record(figid, **{"schema-jsonld": f'{{"@context": "{context}", "name": "x"}}'})
        )
    (figures / "PMC4__tag.md").write_text(
        f"---\nfigid: !!python/object/apply:open ['{canary}']\npmcid: PMC4\n---\n"
    )
    (figures / "PMC5__include.md").write_text(
        record("PMC5__include", caption=f"'see {canary}'", figlink=f"'file://{canary}'")
    )
    out = tmp_path / "out"
    reports: list[kg.BuildReport] = []
    opened = _opened_during(lambda: reports.append(kg.build([layout], out, ["ttl", "jsonld"])))

    [report] = reports
    assert str(canary) not in {str(Path(p).resolve()) for p in opened}
    rejected = {Path(e.file).stem for e in report.errors}
    assert rejected == {"PMC1__file", "PMC2__relative", "PMC3__plain", "PMC4__tag"}
    assert report.records_built == 2  # STAT3 and the record that only mentions the path

    allowed = [
        layout.resolve(),
        out.resolve(),
        ontology_dir().resolve(),
        REPO.resolve(),
        *(Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}),
        *(Path(p).resolve() for p in sys.path if p),
    ]
    outside = [
        p
        for p in opened
        if not p.startswith(("/dev/", "/proc/", "/sys/"))
        and not any(Path(p).resolve().is_relative_to(root) for root in allowed)
    ]
    assert outside == []
    assert any(Path(p).resolve().is_relative_to(layout.resolve()) for p in opened)
