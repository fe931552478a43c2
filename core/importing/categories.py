"""Importing categories: ``{"id", "name_zh", "name_en", "aliases"}``."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.importing import fields as f
from core.importing.errors import RecordError
from core.importing.runner import ImportContext, KindSpec, State
from core.store.jsoncols import decode


def category_row(category_id: str, name_zh: str | None, name_en: str | None,
                 aliases: list[str] | None = None) -> dict[str, Any]:
    """A category row; a missing name falls back to the other (then the id), and the aliases
    always include the id and both names."""
    name_zh = name_zh or name_en or category_id
    name_en = name_en or name_zh
    return {"id": category_id, "name_zh": name_zh, "name_en": name_en,
            "aliases": f.unique([*(aliases or []), category_id, name_zh, name_en])}


def normalise(ctx: ImportContext, record: Mapping[str, Any]) -> State:
    """The desired category row."""
    category_id = f.text(record, "id", required=True)
    name_zh, name_en = f.text(record, "name_zh"), f.text(record, "name_en")
    if not (name_zh or name_en):
        raise RecordError("name_zh or name_en is required")
    return category_row(category_id, name_zh, name_en, f.string_list(record, "aliases"))


def current(ctx: ImportContext, desired: State) -> State | None:
    """The stored category row, or None."""
    rows = list(ctx.store.db["categories"].rows_where("id = ?", [desired["id"]]))
    return decode(rows[0], "aliases") if rows else None


def write(ctx: ImportContext, desired: State) -> None:
    """Create or update the category."""
    ctx.store.catalog.upsert_category(desired["id"], desired["name_zh"], desired["name_en"],
                                      desired["aliases"])


SPEC = KindSpec("categories", normalise, current, write, key=lambda state: state["id"])
