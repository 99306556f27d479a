"""Which tests run: ``pytest`` runs the fast suite; ``pytest --all`` runs everything (CI).

Slow tests are marked ``slow``: the crash tests, the parallel and incremental builds, SHACL
over the whole sample, every property-based (hypothesis) test and every notebook (the last
two are marked here, by kind).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all", action="store_true", help="also run the tests marked slow (what CI runs)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "obj", None)
        if item.path.suffix == ".ipynb" or getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
    if config.getoption("--all"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
