"""Find PFOCR records and their companion TSVs.

Three inputs are accepted, in any mix:

* a PFOCR database folder: ``_figures/<figid>.md`` with companions in ``_data/``;
* any folder of record files (``*.md``), companions beside them or in a ``_data/`` folder;
* single ``.md`` record files, companions found the same way.

Records come back sorted by file name, so a build's output order never depends on the
file system.

Example
-------
>>> from pathlib import Path
>>> found = discover([Path("data/sample")])
>>> len(found.records), found.records[0].figure_file.name
(68, 'PMC100003__mb2410470011.md')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Problem, Severity

__all__ = ["COMPANION_KINDS", "Discovery", "RecordSource", "discover"]

COMPANION_KINDS = ("genes", "chemicals", "diseases")


@dataclass(frozen=True, slots=True)
class RecordSource:
    """One record file and the companion TSVs found for it."""

    figure_file: Path
    genes_tsv: Path | None = None
    chemicals_tsv: Path | None = None
    diseases_tsv: Path | None = None
    # Why the companions could not be looked for (a database clone without a readable
    # ``_data/`` folder): an error for the record, whose genes would silently go missing.
    companions_missing: str | None = None

    @property
    def stem(self) -> str:
        return self.figure_file.stem


@dataclass(slots=True)
class Discovery:
    """The records found under the inputs, and problems with the inputs themselves."""

    records: list[RecordSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_NOT_RECORDS = ("readme.md", "source.md")


def _companion_dirs(figure_dir: Path) -> list[Path]:
    dirs = [figure_dir, figure_dir / "_data"]
    if figure_dir.name == "_figures":
        dirs.insert(0, figure_dir.parent / "_data")
    return [d for d in dirs if d.is_dir()]


def _list_tsvs(folder: Path) -> set[str] | str:
    """The ``.tsv`` names in ``folder``, or why it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return {e.name for e in entries if e.name.endswith(".tsv")}
    except OSError as exc:
        return f"cannot list {folder}: {exc.strerror or exc}"


def _missing_data_folder(figure_dir: Path, listing: dict[Path, set[str] | str]) -> str | None:
    """Why a database clone's ``_data/`` folder cannot give this folder's companions."""
    if figure_dir.name != "_figures":
        return None
    data = figure_dir.parent / "_data"
    if not data.is_dir():
        return f"no {data} folder beside {figure_dir.name}/"
    if data not in listing:
        listing[data] = _list_tsvs(data)
    found = listing[data]
    return found if isinstance(found, str) else None


def _with_companions(
    figure_files: Iterable[Path], listing: dict[Path, set[str] | str]
) -> list[RecordSource]:
    records = []
    # Per record folder, once (a database clone has one for 100,000 records).
    folders: dict[Path, tuple[list[Path], str | None]] = {}
    for figure_file in figure_files:
        companions: dict[str, Path | None] = dict.fromkeys(COMPANION_KINDS)
        parent = figure_file.parent
        if parent not in folders:
            folders[parent] = (_companion_dirs(parent), _missing_data_folder(parent, listing))
        dirs, missing = folders[parent]
        stem = figure_file.stem
        for kind in COMPANION_KINDS:
            name = f"{stem}-{kind}.tsv"
            for folder in dirs:
                if folder not in listing:  # list each folder once, not once per record
                    listing[folder] = _list_tsvs(folder)
                names = listing[folder]
                if not isinstance(names, str) and name in names:
                    companions[kind] = folder / name
                    break
        records.append(
            RecordSource(
                figure_file,
                genes_tsv=companions["genes"],
                chemicals_tsv=companions["chemicals"],
                diseases_tsv=companions["diseases"],
                companions_missing=missing,
            )
        )
    return records


def discover(inputs: Sequence[Path]) -> Discovery:
    """Find every record under ``inputs`` (folders or ``.md`` files), with companions."""
    found = Discovery()
    figure_files: dict[Path, None] = {}
    folders: list[Path] = []
    for path in inputs:
        if path.is_file():
            if path.suffix.lower() != ".md":
                found.problems.append(Problem(str(path), "input", "not a .md record file; skipped"))
            else:
                figure_files[path] = None
        elif path.is_dir():
            folder = path / "_figures" if (path / "_figures").is_dir() else path
            folders.append(folder)
            # (Ordered below, with the files given one by one.)
            files = [f for f in folder.glob("*.md") if f.name.lower() not in _NOT_RECORDS]
            if not files:
                found.problems.append(Problem(str(path), "input", "no .md record files found"))
            figure_files.update(dict.fromkeys(files))
        else:
            found.problems.append(Problem(str(path), "input", "no such file or folder"))
    listing: dict[Path, set[str] | str] = {}
    ordered = sorted(figure_files, key=lambda p: (p.name, str(p)))
    found.records = _with_companions(ordered, listing)
    # Orphans are worth a warning only where a whole folder was asked for; a build of one
    # record from a database clone would otherwise flag every other companion.
    whole = {d for folder in folders for d in _companion_dirs(folder)}
    found.problems.extend(
        _orphans(
            found.records,
            {d: n for d, n in listing.items() if d in whole and not isinstance(n, str)},
        )
    )
    return found


def _orphans(records: list[RecordSource], listing: dict[Path, set[str]]) -> list[Problem]:
    """Companion TSVs whose record is not among the inputs: reported, never silently ignored."""
    used = {
        str(path)
        for record in records
        for path in (record.genes_tsv, record.chemicals_tsv, record.diseases_tsv)
        if path is not None
    }
    problems = []
    for folder, names in sorted(listing.items()):
        where = str(folder)
        for name in sorted(names):
            path = os.path.join(where, name)
            if path not in used and any(name.endswith(f"-{k}.tsv") for k in COMPANION_KINDS):
                problems.append(
                    Problem(
                        path,
                        "file",
                        "companion TSV with no record among the inputs",
                        Severity.WARNING,
                    )
                )
    return problems
