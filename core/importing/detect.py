"""Guessing a file's format from its extension and first bytes."""
from __future__ import annotations

import json
from pathlib import Path

from core.importing.errors import FileError
from core.importing.readers import parse_json, read_csv, read_text
from core.importing.shopify import is_shopify_header
from core.importing.tau import looks_like_tau
from core.nesting import load_json

_JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def detect_format(path: Path) -> str:
    """"jsonl", "csv", "shopify", "tau" or "json".

    ``.jsonl``/``.ndjson`` are JSON lines; ``.csv`` is Shopify when the header has Handle, Title
    and Variant Price, else Kefu CSV. Anything else is sniffed: ``[`` starts a JSON array; an
    object keyed by id whose members look like tau-retail records is tau; several objects one
    per line are JSON lines; a header-like first line is CSV."""
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".csv":
        return _csv_flavour(path)
    text = read_text(path).lstrip()
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        try:
            document = parse_json(text)
        except FileError:
            return "jsonl" if _first_line_is_json(text) else "json"
        return "tau" if looks_like_tau(document) else "json"
    return "json" if suffix == ".json" else _csv_flavour(path)


def _csv_flavour(path: Path) -> str:
    """"shopify" for a Shopify product export, else "csv"."""
    header, _ = read_csv(path)
    return "shopify" if is_shopify_header(header) else "csv"


def _first_line_is_json(text: str) -> bool:
    """True when the first line alone is a JSON object (so the file is JSON lines)."""
    try:
        return isinstance(load_json(text.split("\n", 1)[0]), dict)
    except json.JSONDecodeError:
        return False
