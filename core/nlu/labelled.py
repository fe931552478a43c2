"""Labelled messages for evaluation: Rasa YAML, TSV (text<TAB>intent) or JSON lines
({"text", "intent", optional "entities"})."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from core.nesting import load_json
from core.nlu.rasa import Example, RasaFormatError, read_examples
from core.nlu.training import DATA_DIR, HELD_OUT_FILES

ENTITY_TEST_FILE = DATA_DIR / "entities_test.jsonl"


def read_labelled(path: Path) -> list[Example]:
    """Examples of a labelled file, by its extension; raises ValueError naming a bad line."""
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return read_examples(path)
    if suffix == ".tsv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
        bad = next((i for i, row in enumerate(rows, 1) if len(row) < 2), None)
        if bad:
            raise ValueError(f"{path}: row {bad} needs text<TAB>intent")
        start = 1 if rows and [c.lower() for c in rows[0][:2]] == ["text", "intent"] else 0
        return [Example(row[0], row[1]) for row in rows[start:]]
    if suffix in (".jsonl", ".json"):
        examples = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = load_json(line)
                examples.append(Example(record["text"], record["intent"], record.get("entities") or {}))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: line {number}: {exc}") from None
        return examples
    raise RasaFormatError(f"{path}: expected .yml/.yaml, .tsv or .jsonl")


def held_out() -> list[Example]:
    """The shipped held-out intent examples (never trained on)."""
    return [e for path in HELD_OUT_FILES for e in read_examples(path)]
