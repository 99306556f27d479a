"""The notebooks are stored clean, use the public API only, and the README links each one.

Running them is nbmake's job: ``pytest`` collects every ``notebooks/*.ipynb`` as a test.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
README = (REPO / "README.md").read_text("utf-8")


def test_three_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01-build-and-explore.ipynb",
        "02-gene-cooccurrence.ipynb",
        "03-stat3-signalling.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean_public_and_asserts(path):
    book = json.loads(path.read_text("utf-8"))
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    source = "\n".join("".join(c["source"]) for c in code)
    imports = re.findall(r"^(?:from|import) (\S+)", source, re.M)
    assert all(not part.startswith("_") for name in imports for part in name.split("."))
    assert not re.search(r"\bkg(?:\.\w+)*\._\w", source)  # no private attributes of kg
    assert "assert " in source
    # Every figure has a title; every chart with axes has labelled axes.
    assert source.count("plt.subplots(") == source.count("set_title(") > 0
    charts = source.count("plt.subplots(") - source.count('ax.axis("off")')
    assert source.count("set_xlabel(") == source.count("set_ylabel(") == charts
    assert f"(notebooks/{path.name})" in README
