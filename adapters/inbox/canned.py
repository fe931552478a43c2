"""Canned replies: texts the shop's owners write once (in zh and en) with variables — ``{{name}}``,
``{{email}}``, ``{{order_id}}``, ``{{tracking}}`` — that the inbox fills from the conversation's
customer and order. A variable without a value stays visibly ``{{…}}`` and a reply still holding one
is refused (never sent with a placeholder or an invented value). Stored in the adapter's own table
``console_canned``; staff-written, so no shopper's data is kept there."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import sqlite_utils
from aiohttp import web

from adapters.inbox.auth import OWNER, StaffSession
from core.staff.copilot import copilot_facts
from adapters.inbox.guard import Guard, json_body, json_error
from adapters.inbox.section import ConsoleSection
from core.store import Store
from core.store.tables import OwnTables, TableSet

VARIABLES = ("name", "email", "order_id", "tracking")
_VARIABLE = re.compile(r"\{\{\s*(" + "|".join(VARIABLES) + r")\s*\}\}")
MAX_TITLE, MAX_TEXT = 80, 2000


def _canned(db: sqlite_utils.Database) -> None:
    """One row per canned reply: a title and its text in each language."""
    db["console_canned"].create({"id": int, "title": str, "text_en": str, "text_zh": str, "updated_by": str,
                                 "updated_at": str}, pk="id", if_not_exists=True)


TABLES = TableSet("console-canned", ("console_canned",), (_canned,))


def register(store: Store) -> OwnTables:
    """Migrate the canned replies' table; the handle on it."""
    return store.register(TABLES)


def fill(text: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with each variable that has a value replaced, and the variables left unfilled."""
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        missing.append(name)
        return match.group(0)
    return _VARIABLE.sub(one, text), sorted(set(missing))


def unfilled(text: str) -> list[str]:
    """The variables still written as ``{{…}}`` in a reply about to be sent."""
    return sorted(set(_VARIABLE.findall(text)))


class CannedReplies:
    """The canned replies in the store."""

    def __init__(self, own: OwnTables) -> None:
        self._table = own.table("console_canned")

    def all(self) -> list[dict[str, Any]]:
        """Every canned reply, by title."""
        return list(self._table.rows_where(order_by="title"))

    def get(self, reply_id: int) -> dict[str, Any] | None:
        """One canned reply, or None."""
        return next(self._table.rows_where("id = ?", [reply_id]), None)

    def save(self, fields: dict[str, str], staff: str, reply_id: int | None = None) -> int:
        """Add a canned reply (or replace ``reply_id``'s); its id."""
        row = {**fields, "updated_by": staff, "updated_at": datetime.now(UTC).isoformat()}
        if reply_id is None:
            return int(self._table.insert(row).last_pk)
        self._table.update(reply_id, row)
        return reply_id

    def delete(self, reply_id: int) -> None:
        """Remove a canned reply."""
        self._table.delete(reply_id)


_TEXTS = ("title", "text_en", "text_zh")


def _fields(body: dict[str, Any]) -> dict[str, str]:
    """The title and both texts of a posted canned reply; 400 when one is missing or too long."""
    fields = {key: str(body.get(key, "")).strip() for key in _TEXTS}
    if not all(fields.values()):
        raise web.HTTPBadRequest(text='{"error": "title, text_en and text_zh are all needed"}',
                                 content_type="application/json")
    if len(fields["title"]) > MAX_TITLE or max(len(fields["text_en"]), len(fields["text_zh"])) > MAX_TEXT:
        raise web.HTTPBadRequest(text=f'{{"error": "at most {MAX_TITLE} characters of title, {MAX_TEXT} of text"}}',
                                 content_type="application/json")
    return fields


class CannedSection(ConsoleSection):
    """Owners add, edit and delete canned replies; agents list them and fill one for a conversation."""

    name = "canned"
    title = {"en": "Canned replies", "zh": "快捷回复"}
    role = OWNER

    def __init__(self, store: Store) -> None:
        self._store = store
        self._replies = CannedReplies(register(store))

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """List (agents too), fill for a conversation (agents too), and the owners' edits."""
        api = "/staff/api/canned"
        return [web.get(api, guard(self._list)),
                web.get(f"{api}/{{rid:\\d+}}/fill/{{cid}}", guard(self._fill)),
                web.post(api, guard(self._add, post=True, role=OWNER)),
                web.post(f"{api}/{{rid:\\d+}}/{{verb}}", guard(self._change, post=True, role=OWNER))]

    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        return web.json_response({"canned": self._replies.all(), "variables": list(VARIABLES)})

    async def _fill(self, request: web.Request, _session: StaffSession) -> web.Response:
        reply = self._replies.get(int(request.match_info["rid"]))
        facts = copilot_facts(self._store, request.match_info["cid"])
        if reply is None or facts is None:
            return json_error(404, "no such canned reply or conversation")
        language = "zh" if facts.language == "zh" else "en"
        text, missing = fill(reply[f"text_{language}"], facts.variables(request.query.get("order_id")))
        return web.json_response({"text": text, "missing": missing, "language": language})

    async def _add(self, request: web.Request, session: StaffSession) -> web.Response:
        fields = _fields(await json_body(request))
        reply_id = self._replies.save(fields, session.staff)
        self._store.audit.record(session.staff, "canned.add", f"canned:{reply_id}", fields)
        return web.json_response({"id": reply_id})

    async def _change(self, request: web.Request, session: StaffSession) -> web.Response:
        reply_id, verb = int(request.match_info["rid"]), request.match_info["verb"]
        if self._replies.get(reply_id) is None:
            return json_error(404, "no such canned reply")
        if verb == "edit":
            fields = _fields(await json_body(request))
            self._replies.save(fields, session.staff, reply_id)
        elif verb == "delete":
            fields = {key: value for key, value in self._replies.get(reply_id).items() if key in _TEXTS}
            self._replies.delete(reply_id)
        else:
            raise web.HTTPNotFound()
        self._store.audit.record(session.staff, f"canned.{verb}", f"canned:{reply_id}", fields)  # the text, kept
        return web.json_response({"ok": True})
