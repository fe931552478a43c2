"""Kefu's flat CSV layout turned into the same records as the JSON format.

* ``option:<name>`` columns fill ``options`` and ``address:<field>`` columns fill ``address``.
* List columns (``tags``, ``aliases``) hold values separated by ``|``; ``identities`` holds
  ``channel:user_id`` pairs separated by ``|``.
* products: one row per variant, rows with the same ``id`` form one product; orders: one row
  per item, rows with the same ``id`` form one order. The record starts on its first row's line;
  variants and items remember their own line (``_line``) for error messages.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.importing.errors import FileError, RecordError
from core.importing.readers import SourceRow


@dataclass(frozen=True)
class _Children:
    """Which columns of a grouped CSV belong to the child rows (variants, items)."""

    name: str
    columns: dict[str, str]  # CSV column -> child field


_GROUPED = {
    "products": _Children("variants", {"variant_id": "id", "sku": "sku", "price": "price",
                                       "currency": "currency", "stock": "stock",
                                       "available": "available"}),
    "orders": _Children("items", {"product_id": "product_id", "variant_id": "variant_id",
                                  "name": "name", "quantity": "quantity", "price": "price"}),
}


def csv_records(kind: str, header: list[str], rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Records of ``kind`` from the CSV rows (see the module docstring)."""
    if "id" not in header:
        raise FileError("the CSV header has no 'id' column", 1)
    children = _GROUPED.get(kind)
    if children is None:
        for row in rows:
            yield row if isinstance(row.record, RecordError) else SourceRow(row.line, _flat(row.record))
        return
    yield from _grouped(children, rows)


def _flat(cells: dict[str, str]) -> dict[str, Any]:
    """One row as a record: prefixed columns nested, ``identities`` parsed."""
    record: dict[str, Any] = {}
    for column, value in cells.items():
        prefix, _, name = column.partition(":")
        if name and prefix in ("option", "address"):
            record.setdefault("options" if prefix == "option" else "address", {})[name] = value
        elif column == "identities":
            record["identities"] = [_identity(pair) for pair in value.split("|") if pair.strip()]
        else:
            record[column] = value
    return record


def _identity(pair: str) -> dict[str, str]:
    """``"wechat:o123"`` -> ``{"channel": "wechat", "user_id": "o123"}``."""
    channel, _, user_id = pair.strip().partition(":")
    return {"channel": channel, "user_id": user_id}


def _grouped(children: _Children, rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Rows with the same id merged into one record with a list of children."""
    records: dict[str, tuple[int | None, dict[str, Any]]] = {}
    for row in rows:
        if isinstance(row.record, RecordError):
            yield row
            continue
        flat = _flat(row.record)
        child = {field: flat.pop(column) for column, field in children.columns.items() if column in flat}
        if "options" in flat:
            child["options"] = flat.pop("options")
        child["_line"] = row.line
        record_id = flat.get("id")
        if record_id is None:
            yield SourceRow(row.line, RecordError("id is required"))
            continue
        if record_id not in records:
            records[record_id] = (row.line, {**flat, children.name: []})
        records[record_id][1][children.name].append(child)
    for line, record in records.values():
        yield SourceRow(line, record)
