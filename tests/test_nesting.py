"""Bounded JSON and YAML loading (core/nesting.py): deep nesting is the parser's own error, at its line."""
from __future__ import annotations

import json

import pytest
import yaml

from core.nesting import MAX_DEPTH, load_json, load_yaml

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


def nested_json(depth: int) -> str:
    """Arrays and objects alternating, ``depth`` levels deep."""
    text = "1"
    for level in range(depth):
        text = f'{{"k": {text}}}' if level % 2 else f"[{text}]"
    return text


def nested_block(depth: int) -> str:
    """Block mappings ``depth`` levels deep."""
    return "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "x\n"


def test_json_up_to_the_limit_loads_like_json_loads() -> None:
    text = nested_json(MAX_DEPTH)
    assert load_json(text) == json.loads(text)
    tricky = '["]]]] \\" [[[[", {"k": "}}}{{{", "e": "\\\\"}]'  # brackets and escapes inside strings
    assert load_json(tricky) == json.loads(tricky)


@pytest.mark.parametrize("text", [nested_json(MAX_DEPTH + 1), "[" * 200_000, "{\"a\":" * 200_000,
                                  "\n\n" + "[" * 200_000 + "]" * 200_000])
def test_json_nested_too_deep_is_a_decode_error_with_a_position(text: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=f"nested deeper than {MAX_DEPTH} levels") as caught:
        load_json(text)
    assert caught.value.lineno == (3 if text.startswith("\n") else 1)


@pytest.mark.parametrize("text", ["[1,2", "[}", '"open', '["open', ""])
def test_other_bad_json_keeps_the_parsers_own_message(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        load_json(text)
    assert "nested" not in caught.value.msg


def test_yaml_up_to_the_limit_loads_and_deeper_is_a_yaml_error() -> None:
    flow, block = nested_json(MAX_DEPTH), nested_block(MAX_DEPTH)
    assert load_yaml(flow) == json.loads(flow)  # JSON is YAML: the same limit
    assert load_yaml(block) == yaml.safe_load(block)
    for text in (nested_json(MAX_DEPTH + 1), nested_block(MAX_DEPTH + 1), "nlu: " + "[" * 200_000,
                 nested_block(2_000)):
        with pytest.raises(yaml.YAMLError, match=f"nested deeper than {MAX_DEPTH} levels"):
            load_yaml(text)
