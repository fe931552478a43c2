"""The rows of a file in a given format, as Kefu records of one kind."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from core.importing.errors import FileError
from core.importing.flatcsv import csv_records
from core.importing.readers import SourceRow, read_csv, read_json, read_json_object, read_jsonl
from core.importing.shopify import shopify_records
from core.importing.tau import tau_records


def source_rows(kind: str, path: Path, fmt: str) -> Iterator[SourceRow]:
    """Records of ``kind`` read from ``path`` in format ``fmt`` (not "auto")."""
    if fmt == "json":
        return read_json(path, wrapper_key=kind)
    if fmt == "jsonl":
        return read_jsonl(path)
    if fmt == "csv":
        return csv_records(kind, *read_csv(path))
    if fmt == "shopify":
        if kind != "products":
            raise FileError(f"a Shopify product export holds products, not {kind}")
        return shopify_records(*read_csv(path))
    if fmt == "tau":
        return tau_records(kind, read_json_object(path))
    raise ValueError(f"unknown format {fmt!r}")
