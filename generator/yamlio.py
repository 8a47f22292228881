"""YAML loading that keeps line numbers, so validation errors can name the line.

Parsing uses libyaml (``CSafeLoader``) where PyYAML was built with it, about twenty times
faster than the pure-Python parser on a day of papers; both keep the marks lines come from.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.errors import InputError


class LineDict(dict):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


_Scalar, _Mapping, _Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_KINDS = (_Scalar, _Mapping, _Sequence)


def _convert(node: yaml.Node, name: str, seen: set[int], loader: yaml.SafeLoader) -> Any:
    """Python values for ``node``. A collection met twice came through an alias: refused,
    since nested aliases expand exponentially (a 'billion laughs' file). Called once per
    node (some 20 a paper): the common cases, text scalars and text keys, come first."""
    kind = type(node)
    if kind not in _KINDS:  # a subclass: never made by PyYAML's composers
        kind = next(k for k in _KINDS if isinstance(node, k))
    if kind is _Scalar:
        if node.tag == _STR_TAG:
            return node.value  # the common case, without the constructor's bookkeeping
        # Other scalars: resolve with the safe loader's rules (dates, ints, bools, null).
        try:
            return loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise InputError(
                name, node.start_mark.line + 1, f"invalid YAML value: {exc.problem}"
            ) from None
    if id(node) in seen:
        raise InputError(name, node.start_mark.line + 1, "YAML aliases (*name) are not supported")
    seen.add(id(node))
    if kind is _Mapping:
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = lines = {}
        for key_node, value_node in node.value:
            if type(key_node) is _Scalar and key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                key = _convert(key_node, name, seen, loader)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    raise InputError(
                        name, key_node.start_mark.line + 1, "mapping keys must be text"
                    )
                key = str(key)
            if key in out:
                raise InputError(name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            out[key] = _convert(value_node, name, seen, loader)
            lines[key] = key_node.start_mark.line + 1
        return out
    items = LineList([_convert(item, name, seen, loader) for item in node.value])
    items.line = node.start_mark.line + 1
    items.item_lines = [item.start_mark.line + 1 for item in node.value]
    return items


def load_yaml(text: str, name: str) -> Any:
    """Parse one YAML document; syntax errors become ``InputError`` with the line."""
    return load_yaml_with_nodes(text, name)[0]


def load_yaml_with_nodes(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    """:func:`load_yaml`'s value and the document's node tree, whose scalars keep the text
    as written (``2305.18290``, which the value holds as the number 2305.1829)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(name, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(name, None, f"invalid YAML: {exc}") from None
    if node is None:
        return None, None
    loader = yaml.SafeLoader("")
    try:
        return _convert(node, name, set(), loader), node
    finally:
        loader.dispose()
