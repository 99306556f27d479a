"""Front matter: what is accepted, what is refused, and with which message."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.sources.frontmatter import (
    ReadLimits,
    RecordError,
    _FastLoader,
    _PythonLoader,
    parse_front_matter,
)
from tests.conftest import FIGURES


def test_bom_and_crlf_are_accepted():
    text = "\ufeff---\r\nfigid: PMC1__f1\r\nyear: '2001'\r\n---\r\nbody\r\n"
    assert parse_front_matter(text) == {"figid": "PMC1__f1", "year": "2001"}


def test_dots_close_the_block_too():
    assert parse_front_matter("---\nfigid: a\n...\n") == {"figid": "a"}


def test_billion_laughs_is_refused_without_expanding():
    lines = ["---", 'a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    with pytest.raises(RecordError, match="anchors and aliases are not allowed"):
        parse_front_matter("\n".join([*lines, "---", ""]))


def test_node_cap_is_enforced():
    text = "---\nx: [" + ", ".join(["1"] * 50) + "]\n---\n"
    with pytest.raises(RecordError, match="more than 10 YAML nodes"):
        parse_front_matter(text, limits=ReadLimits(max_nodes=10))


def test_error_names_the_line_of_the_file():
    with pytest.raises(RecordError) as info:
        parse_front_matter("---\nfigid: a\ncaption: [\n---\n")
    assert info.value.field == "front matter"
    assert "(line " in info.value.message


def test_non_string_keys_are_refused():
    with pytest.raises(RecordError, match="field names must be text"):
        parse_front_matter("---\n1: a\n---\n")


# The reader's loaders resolve and construct text scalars their own, cheaper way: what they
# make must be what PyYAML's own safe loader makes, for every kind of scalar.
_YAML_KINDS = """\
text: plain words
quoted: "1"
single: '2026-01-01'
tagged: !!str 3
number: 12
negative: -4
octal: 0o17
float: 1.5e3
infinity: .inf
yes_word: yes
true_word: true
nothing: null
tilde: ~
empty:
date: 2021-11-05
stamp: 2001-12-14t21:59:43.10-05:00
anchor: &shared STAT3
alias: *shared
list: [a, 1, 'b', null, 2.0]
nested: {word: Etk, symbol: ETK, entrez: '660', count: 2}
merge:
  <<: {base: 1}
  own: 2
block: |
  two
  lines
folded: >
  one
  line
"""


def test_text_and_every_other_scalar_read_as_pyyaml_reads_them():
    ours = parse_front_matter(f"---\n{_YAML_KINDS}---\n")
    assert ours == yaml.load(_YAML_KINDS, Loader=yaml.SafeLoader)
    assert (ours["quoted"], ours["tagged"], ours["number"], ours["yes_word"]) == (
        "1",
        "3",
        12,
        True,
    )
    assert ours["alias"] == "STAT3" and ours["merge"] == {"base": 1, "own": 2}


def test_every_sample_record_reads_as_pyyaml_reads_it():
    for path in sorted(FIGURES.glob("*.md")):
        text = path.read_text("utf-8")
        block = text.split("\n---", 1)[0].removeprefix("---\n")
        assert parse_front_matter(text) == yaml.load(block, Loader=yaml.SafeLoader), path.name


def test_the_loaders_resolve_nothing_by_path_or_wildcard():
    # What lets a plain scalar whose first character no implicit resolver claims be text
    # without the resolver's lookups (kg.sources.frontmatter._PlainDataMixin.resolve).
    for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        assert loader.yaml_path_resolvers == {}
        assert None not in loader.yaml_implicit_resolvers


_SCALAR_TEXT = st.text(
    alphabet=st.sampled_from("aNnoOTtyYFf~019.-+_:<=e xZ@!#&*'\"\u00e9"), max_size=12
)


@given(values=st.lists(_SCALAR_TEXT, min_size=1, max_size=6))
@example(values=["!", "no", "'x'", "N", ""])
@settings(max_examples=300, deadline=None)
def test_any_scalar_gets_the_type_and_value_its_base_loader_gives(values):
    # Against the loader each of ours extends: libyaml's and PyYAML's own differ on a few
    # inputs (an empty scalar tagged '!': '' in libyaml, None in PyYAML), and a record is
    # read by libyaml unless it is too deeply nested for it.
    document = "".join(f"k{i}: {value}\n" for i, value in enumerate(values))
    for ours, base in (
        (_FastLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
        (_PythonLoader, yaml.SafeLoader),
    ):
        try:
            expected = yaml.load(document, Loader=base)
        except yaml.YAMLError:
            with pytest.raises(yaml.YAMLError):
                yaml.load(document, Loader=ours)
            continue
        got = yaml.load(document, Loader=ours)
        assert [(type(v), v) for v in got.values()] == [(type(v), v) for v in expected.values()]
