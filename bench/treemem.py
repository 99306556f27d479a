"""Peak memory of a whole process tree (a command and every process it forks), measured.

Every ``interval`` seconds the PSS (proportional set size: a page shared by forked
workers counts once, split among them) of the command and all its descendants is read from
``/proc/<pid>/smaps_rollup`` and summed; the largest sum is the peak. Linux only.

    from treemem import run_measured
    measured = run_measured(["python", "-m", "kg", "build", ...])
    measured.peak_bytes, measured.seconds, measured.returncode
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    seconds: float
    peak_bytes: int
    stdout: str
    stderr: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_pss(root: int) -> int:
    """The summed PSS of ``root`` and its descendants, in bytes."""
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss(pid)
        stack.extend(tree.get(pid, []))
    return total


def run_measured(command: list[str], interval: float = 0.05, **kwargs: object) -> Measured:
    """Run ``command`` to its end, sampling its tree's memory; output captured as text."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss(process.pid))
        time.sleep(interval)
    stdout, stderr = process.communicate()
    return Measured(process.returncode, time.perf_counter() - started, peak, stdout, stderr)


if __name__ == "__main__":
    import sys

    measured = run_measured(sys.argv[1:])
    print(f"{measured.seconds:.1f} s, peak {measured.peak_bytes / 2**20:.0f} MiB (tree PSS)")
    os._exit(measured.returncode)
