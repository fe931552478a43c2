"""The review section of the console: a daily sample of bot-handled conversations, any conversation's
transcript read-only with its bot replies to judge (good / bad with a reason and a note), and for a
"wrong intent" the shopper's message added to the shop's NLU examples in one click."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.inbox.auth import StaffSession
from adapters.inbox.handoffs import message_author
from adapters.inbox.guard import Guard, json_body, json_error
from adapters.inbox.review_log import REASONS, VERDICTS, Review, ReviewLog
from adapters.inbox.review_sample import DEFAULT_PER_DAY, daily_sample
from adapters.inbox.section import ConsoleSection
from core.clock import utc_now_iso
from core.nlu.rasa import Example
from core.nlu.shopdata import merge_examples
from core.nlu.training import load_training_data
from core.store import Store

MAX_NOTE = 1000
RECENT_SCANNED = 2000
"""How many of the most recently active conversations the daily sample draws from."""


@cache
def intent_labels() -> tuple[str, ...]:
    """The intents the NLU is trained on (the shipped examples' labels)."""
    return tuple(sorted({e.intent for e in load_training_data()}))


class ReviewSection(ConsoleSection):
    """Human review of the bot's replies."""

    name = "review"
    title = {"en": "Review", "zh": "回复评审"}

    def __init__(self, store: Store, log: ReviewLog, nlu_dir: Path, per_day: int = DEFAULT_PER_DAY) -> None:
        self._store, self._log, self._nlu_dir, self._per_day = store, log, nlu_dir, per_day

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The queue, the label set, one transcript, a review, and a review turned into an example."""
        api = "/staff/api/review"
        return [web.get(f"{api}/queue", guard(self._queue)),
                web.get(f"{api}/intents", guard(self._intents)),
                web.get(f"{api}/conversations/{{cid}}", guard(self._transcript)),
                web.post(f"{api}/conversations/{{cid}}/replies/{{mid}}", guard(self._review, post=True)),
                web.post(f"{api}/reviews/{{rid}}/example", guard(self._example, post=True))]

    async def _queue(self, request: web.Request, _session: StaffSession) -> web.Response:
        try:
            day = date.fromisoformat(request.query.get("day") or (date.fromisoformat(utc_now_iso()[:10])
                                                                  - timedelta(days=1)).isoformat())
        except ValueError:
            return json_error(400, "day: YYYY-MM-DD")
        rows = daily_sample(self._store.conversations.recent(RECENT_SCANNED), day, self._per_day)
        return web.json_response({"day": day.isoformat(), "conversations": [
            {k: row[k] for k in ("id", "channel", "language", "updated_at")} for row in rows]})

    async def _intents(self, _request: web.Request, _session: StaffSession) -> web.Response:
        return web.json_response({"intents": list(intent_labels()), "reasons": list(REASONS)})

    async def _transcript(self, request: web.Request, _session: StaffSession) -> web.Response:
        cid = request.match_info["cid"]
        if self._store.conversations.get(cid) is None:
            return json_error(404, "no such conversation")
        return web.json_response({"messages": transcript_view(self._store.conversations.transcript(cid)),
                                  "reviews": self._log.of_conversation(cid)})

    async def _review(self, request: web.Request, session: StaffSession) -> web.Response:
        cid = request.match_info["cid"]
        body = await json_body(request)
        reply = _bot_reply(self._store.conversations.transcript(cid), request.match_info["mid"])
        if reply is None:
            return json_error(404, "no such bot reply in this conversation")
        problem = _invalid(body)
        if problem:
            return json_error(400, problem)
        inbound = reply["inbound"] or {}
        review = Review(reply["id"], cid, session.staff, body["verdict"], body.get("reason") or None,
                        (body.get("note") or "").strip() or None, body.get("right_intent") or None,
                        inbound.get("intent"))
        return web.json_response({"id": self._log.save(review)})

    async def _example(self, request: web.Request, _session: StaffSession) -> web.Response:
        rid = request.match_info["rid"]
        review = self._log.get(int(rid)) if rid.isdigit() else None
        if review is None:
            return json_error(404, "no such review")
        if review["reason"] != "wrong_intent" or not review["right_intent"]:
            return json_error(409, "only a wrong-intent review with the right intent becomes an example")
        reply = _bot_reply(self._store.conversations.transcript(review["conversation_id"]), str(review["message_id"]))
        text = ((reply or {}).get("inbound") or {}).get("text")
        if not text:
            return json_error(409, "the shopper's message is gone")
        self._nlu_dir.mkdir(parents=True, exist_ok=True)
        report = merge_examples([Example(text, review["right_intent"])], self._nlu_dir)
        self._log.mark_trained(review["id"])
        return web.json_response({"added": report.added, "duplicates": report.duplicates})


def transcript_view(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcript as the console shows it: id, author, text, time; a bot reply also names the
    intent the NLU read in the message it answers (shopper text stays text)."""
    intents = {m["id"]: m.get("intent") for m in messages if m["direction"] == "in"}
    view = []
    for m in messages:
        if not m["text"]:
            continue
        author = message_author(m)
        view.append({"id": m["id"], "author": author, "text": m["text"], "at": m["created_at"],
                     "reviewable": author == "assistant",
                     "read_intent": intents.get(m.get("in_reply_to")) if author == "assistant" else None})
    return view


def _bot_reply(messages: list[dict[str, Any]], mid: str) -> dict[str, Any] | None:
    """The bot's reply with id ``mid`` and the inbound message it answered (``inbound``), or None."""
    by_id = {str(m["id"]): m for m in messages}
    reply = by_id.get(mid)
    if reply is None or reply["direction"] != "out" or (reply.get("payload") or {}).get("type") == "staff":
        return None
    return {**reply, "inbound": by_id.get(str(reply.get("in_reply_to")))}


def _invalid(body: dict[str, Any]) -> str | None:
    """What is wrong with a review's body, or None."""
    if body.get("verdict") not in VERDICTS:
        return f"verdict: one of {', '.join(VERDICTS)}"
    reason, right = body.get("reason"), body.get("right_intent")
    if body["verdict"] == "bad" and reason not in REASONS:
        return f"reason: one of {', '.join(REASONS)}"
    if body["verdict"] == "good" and reason:
        return "a good reply has no failure reason"
    if right is not None and (reason != "wrong_intent" or right not in intent_labels()):
        return "right_intent: one of the NLU's intents, with the reason wrong_intent"
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        return f"note: text of at most {MAX_NOTE} characters"
    return None
