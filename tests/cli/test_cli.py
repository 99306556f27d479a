"""The pfocr-kg command: help with examples, build, validate, exit codes, quiet output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.cli import main
from kg.outputs.folder import STATE_NAME
from tests.conftest import FIGURES, SAMPLE, STAT3_FIGID

STAT3 = FIGURES / f"{STAT3_FIGID}.md"


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["export"], ["enrich"]])
def test_help_explains_every_option_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "usage: pfocr-kg" in text
    assert "examples:" in text
    examples = text.split("examples:")[1]
    assert f"pfocr-kg {command[0] if command else 'build'} " in examples


def test_starting_a_command_loads_no_numerical_or_rdf_library():
    # Every command parses its arguments, and a build runs, without networkx, numpy, scipy,
    # rdflib or pyld: they load where they are used (0.3 s of every command's start).
    code = (
        "import sys, kg.cli; kg.cli.parser().parse_args(['build', 'x']); "
        "print(' '.join(m for m in ('networkx', 'numpy', 'scipy', 'rdflib', 'pyld') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == ""


def test_build_prints_where_the_turtle_went_and_a_summary(tmp_path, capsys):
    assert main(["build", str(STAT3), "-o", str(tmp_path), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert f"ttl: {tmp_path / 'pfocr.ttl'}" in captured.out.splitlines()
    assert captured.err == ""  # quiet: no progress bar, no summary
    main(["build", str(STAT3), "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert "built 1 of 1 records (0 rejected, 0 errors, 0 warnings)" in err
    assert "131 triples" in err


def test_build_writes_extra_formats(tmp_path):
    assert (
        main(
            [
                "build",
                str(STAT3),
                "-o",
                str(tmp_path),
                "-q",
                "--format",
                "nt,nq",
                "--format",
                "jsonld",
            ]
        )
        == 0
    )
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != STATE_NAME)
    assert names == [
        "build-report.json",
        "pfocr.jsonld",
        "pfocr.nq",
        "pfocr.nt",
        "pfocr.ttl",
        "void.ttl",
    ]


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(STAT3), "-o", str(tmp_path), "--format", "xml"]) == 2
    assert "unknown format 'xml'" in capsys.readouterr().err


def test_errors_are_printed_one_line_each_and_strict_turns_them_into_failure(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.md").write_text("---\nfigid: [\n---\n")
    (folder / f"{STAT3_FIGID}.md").write_text(STAT3.read_text())
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: {folder / 'broken.md'}: front matter: invalid YAML")
    assert main(["build", str(folder), "-o", str(out), "-q", "--strict"]) == 1
    report = json.loads((out / "build-report.json").read_text())
    assert report["records"] == {"read": 2, "built": 1, "rejected": 1}


def test_no_records_is_a_usage_error_and_writes_nothing(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", str(empty), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert capsys.readouterr().err == f"error: no PFOCR record files (.md) found in {empty}\n"
    assert not (tmp_path / "out").exists()


def test_validate_exit_status_follows_conformance(tmp_path, capsys):
    main(["build", str(STAT3), "-o", str(tmp_path), "-q"])
    assert main(["validate", str(tmp_path / "pfocr.ttl")]) == 0
    assert "conforms" in capsys.readouterr().err
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "<https://pfocr.wikipathways.org/figures/X.html> a <http://purl.org/spar/fabio/Figure> .\n"
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "http://purl.org/dc/terms/isPartOf" in out


def test_validate_reports_unreadable_files(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    assert main(["validate", str(bad)]) == 2
    assert "cannot be read as RDF" in capsys.readouterr().err


def test_console_script_runs_as_a_module(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "build",
            str(SAMPLE / "_figures" / f"{STAT3_FIGID}.md"),
            "-o",
            str(tmp_path),
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pfocr.ttl").stat().st_size > 0
