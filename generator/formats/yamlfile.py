"""Read YAML safely, keeping the line of every mapping so errors can point at it.

PyYAML silently keeps the last of two equal keys; an instrument author who
writes ``id:`` twice would never learn which one won, so duplicates are errors.
Aliases (``*name``) and merge keys (``<<: *name``) work, but a file may not expand
beyond ``MAX_VALUES`` values or ``MAX_CHARACTERS`` characters of text: aliases of
aliases would otherwise turn a few kilobytes into gigabytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_VALUES = 20_000  # the largest instrument has about 700
MAX_CHARACTERS = 2_000_000  # its text, with every alias expanded, is about 30 000


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
        own = {id(key_node) for key_node, _ in node.value}
        self.flatten_mapping(node)  # merged pairs first, in the order that lets the right one win, then our own
        written: set[str] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if id(key_node) in own:
                if key in written:
                    raise YamlError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
                written.add(key)
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
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, error.problem or str(error)) from None
    except (yaml.YAMLError, ValueError) as error:  # ValueError: e.g. an integer of more than 4300 digits
        raise YamlError(1, str(error)) from None
    _check_expansion(data)
    return data


def _check_expansion(data: Any) -> None:
    """Raise YamlError when ``data``, with every alias expanded, exceeds the size limits."""
    values = characters = 0
    pending = [(data, 1)]
    while pending:
        node, line = pending.pop()
        values += 1
        if isinstance(node, dict):
            line = getattr(node, "line", line)
            pending.extend((value, line) for value in node.values())
        elif isinstance(node, list):
            pending.extend((value, line) for value in node)
        elif isinstance(node, str):
            characters += len(node)
        if values > MAX_VALUES or characters > MAX_CHARACTERS:
            raise YamlError(
                line,
                f"with its aliases (*name) expanded the file holds more than {MAX_VALUES} values or "
                f"{MAX_CHARACTERS} characters; write the repeated part out where it is needed",
            )
