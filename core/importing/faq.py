"""Importing knowledge-base articles: ``{"id", "lang", "topic", "title", "body", "tags"}``,
keyed by (id, lang) so one article can have a zh and an en version."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.importing import fields as f
from core.importing.runner import ImportContext, KindSpec, State

LANGUAGES = ("zh", "en")


def normalise(ctx: ImportContext, record: Mapping[str, Any]) -> State:
    """The desired article row."""
    return {
        "id": f.text(record, "id", required=True),
        "lang": f.one_of(record, "lang", LANGUAGES, required=True),
        "topic": f.text(record, "topic"),
        "title": f.text(record, "title", required=True),
        "body": f.text(record, "body", required=True),
        "tags": f.string_list(record, "tags"),
    }


def current(ctx: ImportContext, desired: State) -> State | None:
    """The stored article, or None."""
    return ctx.store.knowledge.article(desired["id"], desired["lang"])


def write(ctx: ImportContext, desired: State) -> None:
    """Create or update the article."""
    ctx.store.knowledge.upsert(desired)


SPEC = KindSpec("faq", normalise, current, write, key=lambda state: (state["id"], state["lang"]))
