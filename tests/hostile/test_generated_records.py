"""Generated records: any text in any string field builds or is rejected clearly, never crashes,
and whatever builds passes the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.build import NothingBuilt
from kg.validate import validate_file

TEXT_FIELDS = (
    "figtitle",
    "caption",
    "papertitle",
    "reftext",
    "year",
    "doi",
    "journal_title",
    "journal_nlm_ta",
    "publisher_name",
    "keywords",
    "number",
    "filename",
    "figlink",
    "figtype",
    "figid_alias",
    "automl_pathway",
    "seo",
)
text = st.text(st.characters(codec="utf-8"), max_size=60)
values = st.one_of(
    text,
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.lists(text, max_size=3),
    st.dictionaries(text, text, max_size=2),
)
records = st.fixed_dictionaries(
    {"figid": st.one_of(st.just("PMC7__gen"), text), "pmcid": st.one_of(st.just("PMC7"), text)},
    optional={
        **dict.fromkeys(TEXT_FIELDS, values),
        "organisms": st.one_of(values, st.lists(st.sampled_from(["Homo sapiens", "NA"]) | text)),
        "schema-jsonld": st.one_of(
            values,
            st.fixed_dictionaries(
                {"@context": st.just("https://schema.org/"), "@type": st.just("Dataset")},
                optional={"name": text, "keywords": st.lists(text, max_size=4), "@id": text},
            ),
        ),
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(fields=records)
def test_any_generated_record_builds_conformant_rdf_or_is_rejected_clearly(tmp_path, fields):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    path = folder / "record.md"
    path.write_text("---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n", "utf-8")
    out = tmp_path / "out"
    try:  # must not raise anything else, whatever the record holds
        report = kg.build([folder], out)
    except NothingBuilt as failed:
        report = failed.report

    assert report.records_found == 1
    assert report.records_built + report.records_rejected == 1
    for problem in report.problems:
        assert problem.file == str(path) and problem.field and problem.message
        assert "\n" not in problem.message and "Traceback" not in problem.message
    if report.records_rejected:
        rejections = [e for e in report.errors if e.message.endswith("record rejected")]
        assert len(rejections) == 1
    else:
        result = validate_file(Path(out / "pfocr.ttl"))
        assert result.conforms, [v.line() for v in result.violations]
        assert result.triples == report.triples
