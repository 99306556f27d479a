"""One table maps every expected failure to its exit status and one escaped line."""

from __future__ import annotations

import pytest

from kg.build import BuildInterrupted, InputError
from kg.cli.errors import EXIT_STATUS, UsageError, exit_status, report_failure
from kg.outputs.folder import BuildInProgress, OutputRefused
from kg.queries import ParameterError
from kg.store import QuerySyntaxError, StoreError, UpdateRefused


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (UsageError("x"), 2),
        (ParameterError("x"), 2),
        (QuerySyntaxError("x", 1, 2), 2),
        (UpdateRefused("x"), 2),
        (InputError("x"), 2),
        (OutputRefused("x"), 3),
        (BuildInProgress("x"), 3),
        (StoreError("x"), 4),
        (OSError(28, "No space left on device", "out/x"), 4),
        (BuildInterrupted(switched=False), 130),
    ],
)
def test_each_failure_has_its_documented_status(exc, status):
    assert exit_status(exc) == status


def test_a_programming_error_is_not_dressed_up_as_a_message():
    assert report_failure(KeyError("bug")) is None
    assert exit_status(ZeroDivisionError()) is None


def test_the_line_names_the_file_and_escapes_control_characters():
    assert report_failure(OSError(28, "No space left on device", "out/a\nb")) == (
        4,
        "out/a\\nb: No space left on device",
    )
    assert report_failure(BuildInterrupted(switched=True)) == (
        130,
        "interrupted; the new outputs were already in place",
    )


def test_subclasses_come_before_their_bases_in_the_table():
    kinds = [kind for kind, _ in EXIT_STATUS]
    for i, kind in enumerate(kinds):
        for later in kinds[i + 1 :]:
            assert not issubclass(later, kind) or later is kind, (kind, later)
