"""kg.analysis loads its modules on first use: every name it offers resolves, to its home."""

from __future__ import annotations

import importlib

import pytest

import kg.analysis
from kg.analysis import _MODULE_OF


@pytest.mark.parametrize("name", kg.analysis.__all__)
def test_every_offered_name_resolves(name):
    assert getattr(kg.analysis, name) is not None
    assert name in dir(kg.analysis)


@pytest.mark.parametrize("name", sorted(_MODULE_OF))
def test_a_name_loaded_on_first_use_is_its_modules_own(name):
    module = importlib.import_module(f"kg.analysis.{_MODULE_OF[name]}")
    assert getattr(kg.analysis, name) is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'cooccurence_graph'"):
        kg.analysis.cooccurence_graph  # noqa: B018 (a misspelling)
