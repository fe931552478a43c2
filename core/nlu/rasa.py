"""Training examples in Rasa's YAML NLU format: read, write, and strip entity annotations.

Only the parts Kefu uses are read: ``nlu:`` items with ``intent`` and ``examples`` (a block of
"- text" lines). Entity annotations such as ``[#W2611340](order_id)`` or
``[红色]{"entity": "color", "value": "red"}`` are kept as labels and removed from the text."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.nesting import load_yaml
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)(?::([^)]+))?\)|(\{[^}]*\}))")


class RasaFormatError(ValueError):
    """The file is not Rasa NLU YAML Kefu can read; the message says where."""


@dataclass(frozen=True)
class Example:
    """One labelled message: text, intent and the entities annotated in it (name -> value)."""

    text: str
    intent: str
    entities: dict[str, str] = field(default_factory=dict)


def parse_annotated(line: str) -> tuple[str, dict[str, str]]:
    """Plain text and entities of one annotated example line."""
    entities: dict[str, str] = {}

    def plain(match: re.Match[str]) -> str:
        span, name, synonym, spec = match.groups()
        if spec:
            try:
                data = json.loads(spec)
            except json.JSONDecodeError as exc:
                raise RasaFormatError(f"bad entity annotation {match.group(0)!r}: {exc}") from None
            name, synonym = data.get("entity"), data.get("value")
        if name:
            entities[name] = str(synonym or span)
        return span

    return _ANNOTATION.sub(plain, line), entities


def read_examples(path: Path) -> list[Example]:
    """Every example of a Rasa NLU YAML file; :class:`RasaFormatError` when it cannot be read or is badly built."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RasaFormatError(f"{path}: not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise RasaFormatError(f"{path}: not UTF-8 text") from None
    except OSError as exc:  # missing, a folder, unreadable
        raise RasaFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise RasaFormatError(f"{path}: expected a mapping with an 'nlu:' list")
    examples = []
    for number, item in enumerate(document["nlu"], start=1):
        if not isinstance(item, dict):
            raise RasaFormatError(f"{path}: nlu item {number} is not a mapping")
        if "intent" not in item:
            continue  # synonyms, regexes and lookup tables are not intent examples
        block = item.get("examples")
        if not isinstance(block, str):
            raise RasaFormatError(f"{path}: intent {item['intent']!r} has no 'examples: |' block")
        for line in block.splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            text, entities = parse_annotated(line[2:].strip())
            if text:
                examples.append(Example(text, str(item["intent"]), entities))
    return examples


def write_examples(path: Path, examples: list[Example], header: str = "") -> None:
    """Write examples as Rasa NLU YAML, grouped by intent in first-seen order (annotations dropped)."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    lines = [f"# {line}" for line in header.splitlines()] + ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {text}" for text in texts]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
