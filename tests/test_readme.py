"""The README's examples work on the bundled sample."""

from __future__ import annotations

import re

import pyoxigraph as ox

from tests.conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S).group(1)
    commands = block.strip().splitlines()
    assert len(commands) == 2
    assert "pfocr-kg build data/sample" in commands[0]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci.splitlines()


def test_sparql_example_finds_the_figures_with_stat3_and_other_stats(sample_build):
    _, out = sample_build
    store = ox.Store()
    store.bulk_load(path=str(out / "pfocr.ttl"), format=ox.RdfFormat.TURTLE)
    query = re.search(r"```sparql\n(.*?)```", README, re.S).group(1)
    rows = {row["figure"].value: set(row["stats"].value.split(", ")) for row in store.query(query)}
    base = "https://pfocr.wikipathways.org/figures/"
    assert rows == {
        base + "PMC10039534__12943_2023_1761_Fig2_HTML.html": {
            "STAT1",
            "STAT2",
            "STAT4",
            "STAT5A",
            "STAT5B",
            "STAT6",
        },
    }


def test_readme_sample_figures_match_the_build_report(sample_build):
    report, _ = sample_build
    assert f"{report.triples:,} triples" in README
    assert f"{report.entities['genes']:,} genes" in README
