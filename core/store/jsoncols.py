"""Rows keep lists and dicts as JSON text; these helpers turn them back into Python values."""
from __future__ import annotations

import json
from typing import Any


def loads(value: Any, default: Any = None) -> Any:
    """Decode a JSON column, tolerating NULL and values that are already decoded."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return json.loads(value)
    return value


def decode(row: dict | None, *columns: str) -> dict | None:
    """A copy of ``row`` with the named JSON columns decoded."""
    if row is None:
        return None
    out = dict(row)
    for column in columns:
        if column in out:
            out[column] = loads(out[column], default=None)
    return out
