"""Read YAML safely, keeping the line of every mapping so errors can point at it.

PyYAML silently keeps the last of two equal keys; an instrument author who
writes ``id:`` twice would never learn which one won, so duplicates are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlError(ValueError):
    """A file that is not valid YAML, with the line where reading stopped."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    def construct_yaml_map(self, node: yaml.MappingNode):
        data = Mapping()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in data:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = key_node.start_mark.line + 1


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)


def load(path: Path) -> Any:
    """Parse ``path``; raise YamlError (never a PyYAML traceback) when it is not valid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(1, f"not UTF-8 text ({error.reason})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, error.problem or str(error)) from None
    except yaml.YAMLError as error:
        raise YamlError(1, str(error)) from None
