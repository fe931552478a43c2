"""The inbox section of the console: the queue of handoffs, one conversation, claim / reply / resolve."""
from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from adapters.inbox.auth import StaffSession
from adapters.inbox.canned import unfilled
from adapters.inbox.guard import Guard, json_body, json_error
from adapters.inbox.section import ConsoleSection
from core.sentiment.mood import mood_label
from core.staff import HandoffError, HandoffHub

MAX_REPLY = 4000
VIA = re.compile(r"suggestion|canned:\d{1,12}")


class HandoffSection(ConsoleSection):
    """Shoppers waiting for a colleague, and the conversation a colleague works on."""

    name = "inbox"
    title = {"en": "Inbox", "zh": "待接待"}

    def __init__(self, hub: HandoffHub) -> None:
        self._hub = hub

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The queue, one conversation, and the actions on it."""
        api = "/staff/api"
        return [web.get(f"{api}/conversations", guard(self._list)),
                web.get(f"{api}/conversations/{{cid}}", guard(self._conversation)),
                web.post(f"{api}/conversations/{{cid}}/{{verb}}", guard(self._act, post=True))]

    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        now = datetime.now(UTC)
        items = [{"conversation_id": row["conversation_id"], "handoff": row["id"], "status": row["status"],
                  "reason": row["reason"], "priority": row["priority"], "customer": row["customer"],
                  "channel": row["channel"], "language": row["language"], "mood": mood_label(row["mood"]),
                  "claimed_by": row["claimed_by"],
                  "waiting_s": int((now - datetime.fromisoformat(row["created_at"])).total_seconds())}
                 for row in self._hub.queue()]
        return web.json_response({"conversations": items})

    async def _conversation(self, request: web.Request, _session: StaffSession) -> web.Response:
        cid = request.match_info["cid"]
        handoff = self._hub.open_handoff(cid)
        if handoff is None:
            return json_error(404, "no open handoff in this conversation")
        card = await self._hub.card(handoff["id"])
        transcript = [{"author": message_author(m), "text": m["text"], "at": m["created_at"]}
                      for m in self._hub.store.conversations.transcript(cid) if m["text"]]
        return web.json_response({"card": asdict(card), "transcript": transcript})

    def _shown_handoff(self, cid: str, body: dict[str, Any]) -> int:
        """The handoff whose card the colleague acted on (``handoff_id``; a page that was open while a
        newer handoff began still acts on its own), else the conversation's open one."""
        shown = body.get("handoff_id")
        if shown is None:
            return self._hub.open_handoff_id(cid)
        if not isinstance(shown, int) or isinstance(shown, bool):
            raise web.HTTPBadRequest(text=json.dumps({"error": "handoff_id: a number"}), content_type="application/json")
        return self._hub.handoff_in(cid, shown)

    async def _act(self, request: web.Request, session: StaffSession) -> web.Response:
        cid, verb = request.match_info["cid"], request.match_info["verb"]
        body = await json_body(request)
        try:
            handoff_id = self._shown_handoff(cid, body)
            if verb == "claim":
                await self._hub.claim(handoff_id, session.staff, origin="inbox")
            elif verb == "reply":
                text = str(body.get("text", ""))
                if len(text) > MAX_REPLY:
                    return json_error(400, f"at most {MAX_REPLY} characters")
                if unfilled(text):
                    return json_error(400, "fill in " + ", ".join(f"{{{{{v}}}}}" for v in unfilled(text)))
                await self._hub.reply(handoff_id, session.staff, text, origin="inbox", source=reply_source(body))
            elif verb == "resolve":
                await self._hub.resolve(handoff_id, session.staff,
                                        back_to_bot=bool(body.get("back_to_bot")), origin="inbox")
            else:
                raise web.HTTPNotFound()
        except HandoffError as exc:
            return json_error(409, str(exc))
        return web.json_response({"ok": True})


def reply_source(body: dict[str, Any]) -> dict[str, Any]:
    """What the page says the reply started from, for its audit entry: ``via`` the suggested reply
    ("suggestion") or a canned reply ("canned:ID"), and whether the colleague ``edited`` it before
    sending; {} for a reply typed from scratch; HTTP 400 for anything else."""
    via, edited = body.get("via"), body.get("edited", False)
    if via is None:
        return {}
    if not isinstance(via, str) or not VIA.fullmatch(via) or not isinstance(edited, bool):
        raise web.HTTPBadRequest(text=json.dumps({"error": "via: suggestion or canned:ID; edited: true or false"}),
                                 content_type="application/json")
    return {"via": via, "edited": edited}


def message_author(message: dict[str, Any]) -> str:
    """Who wrote a transcript message: the shopper, the assistant, or the colleague by name."""
    if message["direction"] == "in":
        return "shopper"
    payload = message.get("payload") or {}
    return payload.get("staff", "assistant") if payload.get("type") == "staff" else "assistant"
