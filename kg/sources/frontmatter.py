"""Read the YAML front matter of a PFOCR figure record, defensively.

A record is a Markdown file whose first line is ``---`` and whose YAML block ends at the
next ``---`` (or ``...``) line. Only plain data is accepted: YAML tags that construct
objects, aliases, duplicate keys and oversized or overly deep documents are refused with a
:class:`RecordError` naming the field (``front matter`` for the block as a whole).

Example
-------
>>> parse_front_matter("---\\nfigid: PMC1__f1\\nyear: '2001'\\n---\\n", "x.md")
{'figid': 'PMC1__f1', 'year': '2001'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.files import FileRefused, read_bounded
from kg.sources.values import describe_decode_error

__all__ = ["ReadLimits", "RecordError", "parse_front_matter", "read_front_matter"]

FRONT_MATTER = "front matter"


class RecordError(Exception):
    """A record (or one field of it) that cannot be read; carries the field's name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds that keep one hostile record from taking the whole build down.

    The largest real PFOCR record is well under 100 KiB with a few thousand YAML nodes.
    """

    max_bytes: int = 8 * 1024 * 1024
    max_nodes: int = 200_000
    # libyaml recurses in C per nesting level and crashes the interpreter on very deep
    # documents, so deep ones go to PyYAML's pure-Python parser, which fails cleanly.
    c_parser_max_depth: int = 100


_STR_TAG = "tag:yaml.org,2002:str"


class _PlainDataMixin:
    """Refuse duplicate mapping keys instead of silently keeping the last one.

    Also the safe loader's work, made cheaper for what records are mostly made of: a text
    scalar is its own value (what ``construct_yaml_str`` returns, without the bookkeeping
    that anchors and recursion need of collections); a quoted scalar, or a plain one whose
    first character starts no implicit type (int, float, bool, null, timestamp, merge), is
    text without the resolver's lookups, as the safe loader, which resolves by path and
    wildcard nothing, would find; and a plain scalar that recurs in a record (its field
    names, a source, a taxon) has its tag resolved once per record.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._resolved: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[misc, no-any-return]
        typed_first = self.yaml_implicit_resolvers  # type: ignore[attr-defined]
        if not implicit[0] or (value and value[0] not in typed_first):
            return _STR_TAG
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return tag

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.__class__ is yaml.ScalarNode and node.tag == _STR_TAG:
            return node.value
        return super().construct_object(node, deep=deep)  # type: ignore[misc]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _PythonLoader(_PlainDataMixin, yaml.SafeLoader):
    pass


_CBase = getattr(yaml, "CSafeLoader", None)
_FastLoader: type = (
    type("_FastLoader", (_PlainDataMixin, _CBase), {}) if _CBase is not None else _PythonLoader
)

_DELIMITER = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def _split(text: str) -> str:
    if not text.startswith("---"):
        raise RecordError(FRONT_MATTER, "missing: the file does not start with a '---' line")
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].rstrip() != "---":
        raise RecordError(FRONT_MATTER, "missing: the first line is not exactly '---'")
    closing = _DELIMITER.search(text, first_newline + 1)
    if closing is None:
        raise RecordError(FRONT_MATTER, "unterminated: no closing '---' line")
    return text[first_newline + 1 : closing.start()]


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INDENT = re.compile(r"^ +", re.MULTILINE)


def _nesting_depth(block: str) -> int:
    """An upper bound on flow-collection nesting plus block indentation, in one pass."""
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", block):  # the brackets alone, found in C
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    indent = max(map(len, _INDENT.findall(block)), default=0)
    return max(deepest, indent // 2)


def _walk_plain(data: Any, limits: ReadLimits) -> None:
    """Count nodes and refuse shared containers (YAML aliases), iteratively."""
    seen: set[int] = set()
    stack = [data]
    nodes = 0
    while stack:
        item = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise RecordError(FRONT_MATTER, f"too large: more than {limits.max_nodes} YAML nodes")
        if isinstance(item, dict | list):
            if id(item) in seen:
                raise RecordError(FRONT_MATTER, "YAML anchors and aliases are not allowed")
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)


def parse_front_matter(
    text: str, source: str = "<string>", limits: ReadLimits | None = None
) -> dict[str, Any]:
    """Parse the front matter of record ``text``; ``source`` only names it in errors."""
    limits = limits or ReadLimits()
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block = _split(text)
    loader = _FastLoader if _nesting_depth(block) <= limits.c_parser_max_depth else _PythonLoader
    try:
        data = yaml.load(block, Loader=loader)
    except yaml.constructor.ConstructorError as exc:
        problem = exc.problem or "cannot construct a value"
        if "could not determine a constructor" in problem:
            problem = "YAML tags that construct objects are not allowed (" + problem + ")"
        raise RecordError(FRONT_MATTER, f"{problem}{_where(exc)}") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordError(FRONT_MATTER, f"invalid YAML: {problem}{_where(exc)}") from None
    except RecursionError:
        raise RecordError(FRONT_MATTER, "invalid YAML: nesting too deep") from None
    if data is None:
        raise RecordError(FRONT_MATTER, "empty: the front matter holds no fields")
    if not isinstance(data, dict):
        raise RecordError(
            FRONT_MATTER, f"wrong type: expected a mapping of fields, got {type(data).__name__}"
        )
    _walk_plain(data, limits)
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        raise RecordError(FRONT_MATTER, f"field names must be text, got {bad_keys[0]!r}")
    return data


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    # +2: the block starts on the file's second line, and marks count from zero.
    return f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""


def read_front_matter(path: Path, limits: ReadLimits | None = None) -> dict[str, Any]:
    """Read and parse the front matter of the record file at ``path``."""
    limits = limits or ReadLimits()
    try:
        raw = read_bounded(path, limits.max_bytes)
    except FileRefused as exc:
        raise RecordError(FRONT_MATTER, exc.reason) from None
    if not raw.strip():
        raise RecordError(FRONT_MATTER, "empty file")
    if b"\x00" in raw:
        raise RecordError(FRONT_MATTER, "binary file: contains NUL bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(FRONT_MATTER, describe_decode_error(raw, exc)) from None
    return parse_front_matter(text, str(path), limits)
