"""Adapter for Shopify's product CSV export: rows of one ``Handle`` become one Kefu product.

The first row of a handle carries the product columns; later rows often carry only variant
columns (Option values, Variant SKU/Price/Inventory Qty) or only an extra ``Image Src``."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from core.importing.errors import FileError, RecordError
from core.importing.fields import slug
from core.importing.htmltext import html_to_text
from core.importing.readers import SourceRow

HEADER_MARKERS = ("Handle", "Title", "Variant Price")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_VARIANT_COLUMNS = ("Variant Price", "Variant SKU", "Option1 Value")


def is_shopify_header(header: list[str]) -> bool:
    """True for the header row of a Shopify product export."""
    return all(column in header for column in HEADER_MARKERS)


def shopify_records(header: list[str], rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Kefu product records, one per handle, starting at the handle's first line."""
    if not is_shopify_header(header):
        raise FileError(f"not a Shopify product export: the header needs {', '.join(HEADER_MARKERS)}", 1)
    groups: dict[str, tuple[int | None, list[SourceRow]]] = {}
    for row in rows:
        if isinstance(row.record, RecordError):
            yield row
        elif not row.record.get("Handle"):
            yield SourceRow(row.line, RecordError("Handle is empty"))
        else:
            groups.setdefault(row.record["Handle"], (row.line, []))[1].append(row)
    for handle, (line, handle_rows) in groups.items():
        yield SourceRow(line, _product(handle, handle_rows), handle)


def _product(handle: str, rows: list[SourceRow]) -> dict[str, Any]:
    """One Kefu product record from the rows of one handle."""
    def first(column: str) -> str | None:
        return next((r.record[column] for r in rows if r.record.get(column)), None)

    title, body = first("Title"), html_to_text(first("Body (HTML)"))
    category_name = first("Type") or (first("Product Category") or "").split(">")[-1].strip()
    status = (first("Status") or "active").lower()
    option_names = [first(f"Option{n} Name") for n in (1, 2, 3)]
    variants = [_variant(handle, number, row, option_names, active=status == "active")
                for number, row in enumerate(
                    (r for r in rows if any(r.record.get(c) for c in _VARIANT_COLUMNS)), start=1)]
    title_lang = "zh" if title and _CJK.search(title) else "en"
    body_lang = "zh" if body and _CJK.search(body) else "en"
    return {
        "id": handle, f"title_{title_lang}": title, f"description_{body_lang}": body,
        "brand": first("Vendor"),
        "category": slug(category_name) if category_name else "uncategorized",
        "category_en": category_name or "Uncategorized",
        "tags": [t.strip() for t in (first("Tags") or "").split(",") if t.strip()],
        "image_url": first("Image Src") or first("Variant Image"),
        "variants": variants, "source": "shopify",
    }


def _variant(handle: str, number: int, row: SourceRow, option_names: list[str | None],
             active: bool) -> dict[str, Any]:
    """One variant; the ``Title: Default Title`` pseudo-option of single-variant products is dropped."""
    cells = row.record
    options = {}
    for n, name in enumerate(option_names, start=1):
        value = cells.get(f"Option{n} Value")
        if name and value and not (name == "Title" and value == "Default Title"):
            options[name.lower()] = value
    variant: dict[str, Any] = {
        "id": cells.get("Variant SKU") or f"{handle}-{number}", "sku": cells.get("Variant SKU"),
        "options": options, "price": cells.get("Variant Price"),
        "stock": _stock(cells.get("Variant Inventory Qty")), "_line": row.line,
    }
    if not active:
        variant["available"] = False
    return variant


def _stock(quantity: str | None) -> str:
    """Shopify allows overselling, so a negative quantity means none in stock."""
    return "0" if not quantity or quantity.lstrip().startswith("-") else quantity
