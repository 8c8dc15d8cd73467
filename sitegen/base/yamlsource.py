"""YAML reading that remembers where every value came from.

PyYAML's default (YAML 1.1) schema surprises people who write data by hand:
`no` becomes False, `010` becomes 8, `12:30` becomes 750. sitegen reads YAML
with a core-schema-like resolver instead: only `true`/`false` are booleans,
integers never start with a zero, decimals become `Decimal` (prices stay
exact), dates and timestamps stay dates. Duplicate keys are errors, never a
silent overwrite. Mappings and lists come back as `YamlMap` / `YamlList`, plain
`dict`/`list` subclasses that also know the line of each key and item, so a
later stage can point at the exact line of a bad value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import yaml

from sitegen.base.errors import Problem, SiteError, did_you_mean
from sitegen.base.messages import _

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


MAX_DEPTH = 50
"""How deeply lists and mappings may nest in a YAML file."""


class YamlMap(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.key_columns: dict[Any, int] = {}
        """For a CSV row: the (first) column of each field."""
        self.key_offsets: dict[Any, int] = {}
        """For a CSV row: how many characters of its line come before each field's
        (first) cell, where a caret points at it (its column is the cell's number)."""

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def column_of(self, key: Any) -> int | None:
        return self.key_columns.get(key)

    def offset_of(self, key: Any) -> int | None:
        return self.key_offsets.get(key)


class YamlList(list[Any]):
    """A list that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(container: Any, key: Any, default: int | None = None) -> int | None:
    """The line of `key` inside `container`, when the container came from YAML."""
    if isinstance(container, YamlMap):
        return container.line_of(key)
    if isinstance(container, YamlList) and isinstance(key, int):
        return container.line_of(key)
    return default


class _Located(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$|^0x[0-9a-fA-F]+$|^0o[0-7]+$")
_FLOAT = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$"
    r"|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
)
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    line_offset = 0
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}
    yaml_constructors: ClassVar[dict[str | None, Any]] = dict(_BaseLoader.yaml_constructors)


def _resolver(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(_TAG + tag, re.compile(pattern), list(first))


_resolver("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("int", _INT.pattern, "-+0123456789")
_resolver("float", _FLOAT.pattern + "|" + _SPECIAL_FLOAT.pattern, "-+0123456789.")
_resolver("null", r"^(?:~|null|Null|NULL|)$", "~nN\0")
_Loader.yaml_implicit_resolvers.setdefault("", []).append((_TAG + "null", re.compile(r"^$")))
_TIMESTAMP = re.compile(
    r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)"
    r"[ \t]*(?P<zone>Z|z|[-+][0-9]{2}(?::?[0-9]{2})?)?)?$"
)
_resolver("timestamp", _TIMESTAMP.pattern, "0123456789")
_resolver("merge", r"^(?:<<)$", "<")


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.startswith(("0x", "0o")):
        return int(text, 0)
    return int(text)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Decimal | float:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if _SPECIAL_FLOAT.match(text):
        return float(text.lower().replace(".", ""))
    return Decimal(text)


def parse_timestamp(text: str) -> dt.date | dt.datetime | None:
    """An ISO 8601 date or date-time (seconds and offset optional), or None if `text`
    does not look like one. Raises ValueError for one that looks right but is not a
    real date, such as 2026-02-30."""
    match = _TIMESTAMP.match(text)
    if match is None:
        return None
    if match["time"] is None:
        return dt.date.fromisoformat(match["date"])
    zone = (match["zone"] or "").upper().replace("Z", "+00:00")
    return dt.datetime.fromisoformat(f"{match['date']}T{match['time']}{zone}")


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> dt.date | dt.datetime | None:
    text = str(loader.construct_scalar(node))
    try:
        return parse_timestamp(text)
    except ValueError as exc:
        raise _Located(f"'{text}' is not a valid date: {exc}", node.start_mark) from None


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = YamlMap()
    data.line = node.start_mark.line + 1 + loader.line_offset
    yield data
    own_keys: dict[Any, int] = {}
    for key_node, _value_node in node.value:
        if key_node.tag == _TAG + "merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        _require_hashable(key, key_node)
        if key in own_keys:
            raise _Located(
                f"duplicate key '{key}' (first written on line {own_keys[key]})",
                key_node.start_mark,
            )
        own_keys[key] = key_node.start_mark.line + 1 + loader.line_offset
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset


def _require_hashable(key: Any, node: yaml.Node) -> None:
    try:
        hash(key)
    except TypeError:
        raise _Located(
            _("a key must be a plain value, not a list or mapping"), node.start_mark
        ) from None


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Any:
    data = YamlList()
    data.line = node.start_mark.line + 1 + loader.line_offset
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.item_lines.append(item.start_mark.line + 1 + loader.line_offset)


def _construct_undefined(loader: _Loader, node: yaml.Node) -> Any:
    raise _Located(_("unsupported YAML tag '%(tag)s'") % {"tag": node.tag}, node.start_mark)


_Loader.add_constructor(_TAG + "int", _construct_int)
_Loader.add_constructor(_TAG + "float", _construct_float)
_Loader.add_constructor(_TAG + "timestamp", _construct_timestamp)
_Loader.add_constructor(_TAG + "map", _construct_map)
_Loader.add_constructor(_TAG + "seq", _construct_seq)
_Loader.add_constructor(None, _construct_undefined)


def load_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse one YAML document; `first_line` is where `text` starts inside `path`.

    Raises SiteError with the file and line of a syntax error.
    """
    loader = _Loader(text)
    offset = loader.line_offset = first_line - 1
    try:
        return _shallow_enough(loader.get_single_data(), path)
    except _Located as exc:
        line = exc.mark.line + 1 + offset if exc.mark else None
        column = exc.mark.column + 1 if exc.mark else None
        raise SiteError([Problem(path, line, exc.message, column)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        column = mark.column + 1 if mark else None
        message = _("invalid YAML: %(problem)s") % {
            "problem": exc.problem or exc.context or _("syntax error")
        }
        raise SiteError([Problem(path, line, message, column, _hint(text, exc))]) from None
    except yaml.YAMLError as exc:
        message = _("invalid YAML: %(problem)s") % {"problem": exc}
        raise SiteError([Problem(path, first_line, message)]) from None
    except RecursionError:
        message = _("the YAML is nested too deeply")
        raise SiteError([Problem(path, first_line, message)]) from None
    finally:
        loader.dispose()


def _shallow_enough(data: Any, path: Path) -> Any:
    """`data`, unless containers nest deeper than MAX_DEPTH: no feed or page needs that,
    and whatever walks it later would run out of stack."""
    stack = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(container, "line", None)
            message = _("lists and mappings nested more than %(depth)s levels deep") % {
                "depth": MAX_DEPTH
            }
            raise SiteError([Problem(path, line, message)])
        children = container.values() if isinstance(container, dict) else container
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return data


def _hint(text: str, exc: yaml.MarkedYAMLError) -> str | None:
    mark = exc.problem_mark
    lines = text.split("\n")
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return _("YAML indentation must use spaces, not tabs")
    if exc.problem and "mapping values are not allowed" in exc.problem:
        return _("a value that contains ': ' must be put in quotes")
    return None


def unknown_keys(
    path: Path, mapping: YamlMap, allowed: Collection[str], what: str
) -> list[Problem]:
    """A problem at the line of each key `mapping` may not hold, naming the closest known
    one (or listing them all): `unknown setting 'langauges'`, did you mean 'languages'?
    `what` is a noun marked with N_ (translated here)."""
    return [
        Problem(
            path,
            mapping.line_of(key),
            _("unknown %(what)s '%(key)s'") % {"what": _(what), "key": key},
            hint=did_you_mean(str(key), allowed)
            or _("known keys: %(keys)s") % {"keys": ", ".join(sorted(allowed))},
        )
        for key in mapping
        if key not in allowed
    ]
