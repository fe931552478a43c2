"""Parsing JSON and YAML from files with a bound on how deeply values nest.

Python's parsers recurse once per level, so ``[`` repeated 200,000 times ends in a
``RecursionError`` (and a record nested just under the interpreter's limit breaks later code that
walks it). These loaders refuse anything nested deeper than :data:`MAX_DEPTH` with the parser's
own error type, so every caller's existing "not valid JSON/YAML" handling reports it with its
line: :class:`json.JSONDecodeError` for JSON, :class:`yaml.YAMLError` for YAML."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import MappingStartEvent, SequenceStartEvent
from yaml.nodes import Node

MAX_DEPTH = 32
"""Arrays/objects (sequences/mappings) inside each other; Kefu's own files need fewer than 8."""

TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"

_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
"""A JSON string, even an unterminated one (then the rest of the text)."""
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_JSON_TOKENS = re.compile(r"(?P<open>[\[{])|(?P<close>[\]}])|" + _JSON_STRINGS.pattern, re.DOTALL)


def _check_json_depth(text: str) -> None:
    """Raise :class:`json.JSONDecodeError` at the first bracket of ``text`` nested deeper than
    :data:`MAX_DEPTH`; other syntax errors are left for the parser to report.

    The common case runs at C speed: with strings and everything but brackets removed, each pass
    drops the innermost ``[]``/``{}`` pairs (one level), so a file nested at most
    :data:`MAX_DEPTH` deep is empty after that many passes. Only otherwise (too deep, or
    unbalanced) is it walked bracket by bracket to find where."""
    brackets = _NOT_BRACKETS.sub("", _JSON_STRINGS.sub("", text))
    for _ in range(MAX_DEPTH):
        brackets = _INNERMOST.sub("", brackets)
    if not brackets:
        return
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        if match.lastgroup == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise json.JSONDecodeError(TOO_DEEP, text, match.start())
        elif match.lastgroup == "close":
            depth = max(0, depth - 1)


def load_json(text: str) -> Any:
    """``json.loads`` for text from outside: :class:`json.JSONDecodeError` when it is not JSON
    or nests deeper than :data:`MAX_DEPTH`."""
    _check_json_depth(text)
    return json.loads(text)


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nodes nested deeper than :data:`MAX_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Compose one node, counting sequences and mappings inside each other (the composer
        recurses once per level)."""
        if not self.check_event(SequenceStartEvent, MappingStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, TOO_DEEP, self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` for text from outside: :class:`yaml.YAMLError` when it is not YAML or
    nests deeper than :data:`MAX_DEPTH`."""
    return yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - a SafeLoader subclass
