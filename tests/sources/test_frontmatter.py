"""Front matter: what is accepted, what is refused, and with which message."""

from __future__ import annotations

import pytest

from kg.sources.frontmatter import ReadLimits, RecordError, parse_front_matter


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
