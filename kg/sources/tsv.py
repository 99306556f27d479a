"""Read PFOCR's companion TSV files into rows keyed by column name.

PFOCR writes these files from R: tab-separated, no quoting (OCR words hold quotes), ``NA``
for missing values, sometimes CRLF line ends or no final newline. :func:`read_tsv` accepts
any of several known headers (older and newer forms of the same file kind) and reports a
wrong header, a short row or an exact duplicate row as a :class:`~kg.model.Problem`, keeping
every row it can.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x-chemicals.tsv"
>>> _ = path.write_text("word\\tsource\\tidentifier\\nADP\\tMESH\\tD000244\\n")
>>> table = read_tsv(path, (("word", "source", "identifier"),))
>>> table.rows[0]["identifier"], table.column("source"), table.problems
('D000244', ['MESH'], [])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.files import FileRefused, read_bounded
from kg.model import Problem, Severity
from kg.sources.values import describe_decode_error

__all__ = ["Table", "read_tsv"]

# The largest companion TSV of the real PFOCR corpus is well under 1 MiB with a few
# thousand rows; these caps keep one hostile file's cost to a bounded amount of memory.
MAX_TSV_BYTES = 16 * 1024 * 1024
MAX_TSV_ROWS = 20_000


@dataclass(slots=True)
class Table:
    """The rows of one TSV (``cells``, in ``header`` order), the header form, and what
    went wrong."""

    path: Path
    header: tuple[str, ...] = ()
    cells: list[tuple[str, ...]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    duplicate_rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, str]]:
        """The rows as ``{column: text}``."""
        return [dict(zip(self.header, cells, strict=True)) for cells in self.cells]

    def column(self, name: str) -> list[str | None]:
        """Every row's text in column ``name`` (``None`` for each when the header has none)."""
        if name not in self.header:
            return [None] * len(self.cells)
        at = self.header.index(name)
        return [cells[at] for cells in self.cells]


def _decode(path: Path, table: Table) -> str | None:
    try:
        raw = read_bounded(path, MAX_TSV_BYTES)
    except FileRefused as exc:
        table.problems.append(Problem(str(path), "file", exc.reason))
        return None
    if b"\x00" in raw:
        table.problems.append(Problem(str(path), "file", "binary file: contains NUL bytes"))
        return None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        table.problems.append(Problem(str(path), "file", describe_decode_error(raw, exc)))
        return None


def read_tsv(path: Path, headers: Sequence[Sequence[str]]) -> Table:
    """Read ``path``, whose first line must be one of ``headers`` (trailing space ignored).

    Rows come back with surrounding white space stripped from every cell; an empty file,
    a header-only file and a file with an unknown header give a problem and no rows.
    """
    table = Table(path)
    text = _decode(path, table)
    if text is None:
        return table
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        table.problems.append(Problem(str(path), "file", "empty file: no header line"))
        return table
    header = tuple(cell.strip() for cell in lines[0].split("\t"))
    if header not in {tuple(h) for h in headers}:
        expected = " or ".join("|".join(h) for h in headers)
        table.problems.append(
            Problem(
                str(path), "header", f"unexpected columns {'|'.join(header)}; expected {expected}"
            )
        )
        return table
    table.header = header
    if len(lines) == 1:
        table.problems.append(Problem(str(path), "file", "header only: no rows", Severity.WARNING))
    seen: set[tuple[str, ...]] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if len(table.cells) == MAX_TSV_ROWS:
            table.problems.append(
                Problem(
                    str(path),
                    f"row {number}",
                    f"more than {MAX_TSV_ROWS} rows; this row and those after it skipped",
                )
            )
            break
        cells = tuple(map(str.strip, line.split("\t")))
        if len(cells) != len(header):
            table.problems.append(
                Problem(
                    str(path),
                    f"row {number}",
                    f"has {len(cells)} columns, the header has {len(header)}; row skipped",
                )
            )
            continue
        if cells in seen:
            table.duplicate_rows += 1
            continue
        seen.add(cells)
        table.cells.append(cells)
        table.row_numbers.append(number)
    if table.duplicate_rows:
        table.problems.append(
            Problem(
                str(path),
                "rows",
                f"{table.duplicate_rows} exact duplicate row(s) merged",
                Severity.WARNING,
            )
        )
    return table
