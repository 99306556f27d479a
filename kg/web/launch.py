"""Start ``pfocr-kg serve`` in a child process and wait until it listens, and stop it (tests,
benchmarks)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

__all__ = ["launch", "stop"]


def launch(store: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``pfocr-kg serve STORE --port 0 OPTIONS``, started; returns the process and its base
    URL (read from the banner it prints once it listens). The caller stops the process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(store), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    match = re.search(r"at (http://\S+/) ", line)
    if match is None:
        process.kill()
        raise RuntimeError(f"pfocr-kg serve did not start: {line}{process.stderr.read()}")
    return process, match.group(1)


def stop(process: subprocess.Popen[str], timeout: float = 20) -> None:
    """Stop a server :func:`launch` started: asked to end, then killed after ``timeout``
    seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
