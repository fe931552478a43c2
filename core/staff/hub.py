"""The handoff hub: opens handoffs, keeps who owns each conversation, and relays between the shopper
and staff (Slack, the local inbox) so that only one voice answers the shopper at a time.

Ownership is ``conversations.status``: ``bot`` (the assistant answers), ``waiting`` (a handoff is open
and unclaimed; the assistant still answers and everything is relayed to staff) and ``human`` (a colleague
claimed it; the assistant stays silent, the shopper's messages go to staff only)."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from core.channel import Channel
from core.clock import utc_now_iso
from core.csat import Csat
from core.handoff_port import Handoff, RecordedHandoff
from core.i18n import t
from core.language import pick_language
from core.messages import Button, Identity, InboundMessage, Language, Reply
from core.observe.handles import conversation_handle, visitor_label
from core.sentiment.mood import mood_label
from core.staff.summary import ExtractiveSummarizer, Summarizer, Summary
from core.store import Store
from core.store.rows import first_row

log = logging.getLogger(__name__)

STAFF_DELIVERIES = "staff"
"""The staff tools' part of the handled-once ledger (keys name the tool: ``slack:event:…``)."""


class HandoffError(Exception):
    """A staff action that cannot be done (no open handoff, already resolved, …); the message says why."""


@dataclass(frozen=True)
class HandoffCard:
    """What staff are shown about one handoff."""

    id: int
    conversation_id: str
    status: str
    reason: str
    priority: int
    customer: str
    channel: str
    language: str
    mood: str
    summary: str
    order_id: str | None
    claimed_by: str | None
    created_at: str
    thread_ts: str | None
    summary_note: str = ""
    """Shown with a machine-written summary ("AI summary — check the transcript"), else empty."""


class StaffSink(ABC):
    """Somewhere staff are notified (Slack). Every method is called from the hub's worker, in order."""

    name: str

    @abstractmethod
    async def opened(self, card: HandoffCard) -> None:
        """A new handoff: show its card."""

    @abstractmethod
    async def relayed(self, card: HandoffCard, author: str, text: str) -> None:
        """A message in the handed-off conversation: ``author`` is shopper, assistant or a colleague."""

    @abstractmethod
    async def changed(self, card: HandoffCard, note: str) -> None:
        """The handoff was claimed, resolved or handed back; ``note`` says by whom."""

    @abstractmethod
    async def remind(self, card: HandoffCard, waited_minutes: int) -> None:
        """Nobody claimed the handoff in time."""


class HandoffHub(Handoff):
    """Implements :class:`Handoff` for the assistant and the claim / reply / resolve loop for staff."""

    def __init__(self, store: Store, summarizer: Summarizer | None = None, default_language: Language = "en") -> None:
        """``default_language``: the shop's ``KEFU_DEFAULT_LANGUAGE``, for a conversation with none yet."""
        self.store = store
        self._default_language = default_language
        self.summarizer = summarizer or ExtractiveSummarizer(store)
        self.sinks: list[StaffSink] = []
        self.channels: dict[str, Channel] = {}
        """The started shopper channels by name: staff replies reach the shopper through their own."""
        self.csat: Csat | None = None
        """Asks "How did we do?" after a colleague resolved a handoff (None: never)."""
        self._recorded = RecordedHandoff(store)
        self._summaries: dict[int, Summary] = {}  # made once per handoff (an LLM summary takes seconds)
        self._queue: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue()
        self._worker: asyncio.Task | None = None

    # -- the assistant's side ----------------------------------------------------------------
    def request(self, conversation_id: str, reason: str, priority: int = 1) -> int:
        """Open a handoff (or raise the open one's priority); staff sinks are notified of a new one."""
        is_new = self.open_handoff(conversation_id) is None
        handoff_id = self._recorded.request(conversation_id, reason, priority)
        if is_new:
            self.store.conversations.set_status(conversation_id, "waiting")
            self._later(lambda: self._notify_opened(handoff_id))
        return handoff_id

    def silenced(self, conversation_id: str) -> bool:
        """True while a colleague owns the conversation: the assistant must not answer."""
        row = self.store.conversations.get(conversation_id)
        return bool(row and row["status"] == "human")

    def take_inbound(self, message: InboundMessage, conversation_id: str, inbound_id: int) -> bool:
        """If a colleague owns the conversation, record the message as handled, relay it to staff
        and return True (the assistant then returns no reply)."""
        if not self.silenced(conversation_id):
            return False
        self.store.conversations.mark_processed(inbound_id)
        self.observe(conversation_id, message, [])
        return True

    def observe(self, conversation_id: str, message: InboundMessage, replies: list[Reply]) -> None:
        """After a turn: relay the shopper's message and the assistant's replies while a handoff is open."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None:
            return
        lines = [("shopper", message.text or f"[{message.payload}]")] + [("assistant", r.text) for r in replies]
        self._later(lambda: self._relay(handoff["id"], lines))

    # -- the staff side ---------------------------------------------------------------------
    async def claim(self, handoff_id: int, staff: str, origin: str = "") -> HandoffCard:
        """A colleague takes the conversation over: the assistant goes quiet and the shopper is told."""
        handoff = self._open(handoff_id)
        if handoff["status"] == "claimed":
            if handoff["claimed_by"] == staff:
                return await self.card(handoff_id)
            raise HandoffError(f"already claimed by {handoff['claimed_by']}")
        self.store.db["handoffs"].update(handoff_id, {"status": "claimed", "claimed_by": staff,
                                                      "claimed_at": utc_now_iso()})
        self.store.conversations.set_status(handoff["conversation_id"], "human")
        self.store.audit.record(staff, "handoff.claim", handoff["conversation_id"], {"handoff": handoff_id})
        await self.tell_shopper(handoff["conversation_id"], "handoff_claimed", name=staff)
        self._later(lambda: self._notify_changed(handoff_id, f"claimed by {staff}"))
        return await self.card(handoff_id)

    async def reply(self, handoff_id: int, staff: str, text: str, origin: str = "",
                    source: dict[str, Any] | None = None) -> None:
        """Send a colleague's message in this handoff to the shopper on their channel (claiming it if
        unclaimed); refused once the handoff is resolved. Audited as ``handoff.reply`` by ``staff``, with
        the ``source`` the console gives (the suggested or canned reply it started from)."""
        text = text.strip()
        if not text:
            raise HandoffError("the reply is empty")
        handoff = self._open(handoff_id)
        if handoff["status"] == "open":
            await self.claim(handoff_id, staff, origin)
        conversation_id = handoff["conversation_id"]
        await self.deliver(conversation_id, staff, text)
        self.store.audit.record(staff, "handoff.reply", conversation_id, {"handoff": handoff_id, **(source or {})})
        self._later(lambda: self._relay(handoff_id, [(staff, text)], origin))

    async def resolve(self, handoff_id: int, staff: str, back_to_bot: bool = False, origin: str = "") -> None:
        """Close this handoff and give its conversation back to the assistant; the shopper is told.
        Refused when the handoff is already resolved (a later one of the conversation stays open)."""
        conversation_id = self._open(handoff_id)["conversation_id"]
        self.store.db["handoffs"].update(handoff_id, {"status": "resolved", "resolved_at": utc_now_iso()})
        self.store.conversations.set_status(conversation_id, "bot")
        self.store.conversations.patch_state(conversation_id, handoff=False, failures=0)
        action = "handoff.back_to_bot" if back_to_bot else "handoff.resolve"
        self.store.audit.record(staff, action, conversation_id, {"handoff": handoff_id})
        await self.tell_shopper(conversation_id, "handoff_back_to_bot" if back_to_bot else "handoff_resolved")
        if not back_to_bot:
            await self.ask_csat(conversation_id, "staff")
        note = f"{'handed back to the bot' if back_to_bot else 'resolved'} by {staff}"
        self._later(lambda: self._notify_changed(handoff_id, note))

    # -- shared helpers ---------------------------------------------------------------------
    def open_handoff(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation's open or claimed handoff, or None."""
        return first_row(self.store.db, "select * from handoffs where conversation_id = ? and status in "
                                        "('open', 'claimed') order by id desc limit 1", [conversation_id])

    def open_handoff_id(self, conversation_id: str) -> int:
        """The id of the conversation's open or claimed handoff; :class:`HandoffError` when there is none."""
        handoff = self.open_handoff(conversation_id)
        if handoff is None:
            raise HandoffError("no open handoff in this conversation")
        return int(handoff["id"])

    def handoff_in(self, conversation_id: str, handoff_id: int) -> int:
        """``handoff_id`` when it is one of the conversation's handoffs; :class:`HandoffError` otherwise."""
        if self._handoff(handoff_id)["conversation_id"] != conversation_id:
            raise HandoffError(f"no handoff #{handoff_id} in this conversation")
        return handoff_id

    def queue(self) -> list[dict[str, Any]]:
        """Open and claimed handoffs, most urgent first: priority, then the longest wait."""
        rows = self.store.db.execute(
            "select h.id, h.conversation_id, h.status, h.reason, h.priority, h.created_at, h.claimed_by, "
            "c.channel, c.language, c.mood, c.customer_id, c.user_id from handoffs h "
            "join conversations c on c.id = h.conversation_id where h.status in ('open', 'claimed') "
            "order by h.priority desc, h.created_at, h.id").fetchall()
        keys = ("id", "conversation_id", "status", "reason", "priority", "created_at", "claimed_by", "channel",
                "language", "mood", "customer_id", "user_id")
        return [dict(zip(keys, row)) | {"customer": self._customer(dict(zip(keys, row)))} for row in rows]

    def by_thread(self, thread_ts: str) -> dict[str, Any] | None:
        """The handoff whose staff thread (Slack message ts) this is."""
        return next(self.store.db["handoffs"].rows_where("thread_ts = ?", [thread_ts], limit=1), None)

    def set_thread(self, handoff_id: int, thread_ts: str) -> None:
        """Remember the staff thread (Slack message ts) the handoff's card was posted as."""
        self.store.db["handoffs"].update(handoff_id, {"thread_ts": thread_ts})

    def thread_of(self, handoff_id: int) -> str | None:
        """The handoff's staff thread, or None while its card is not posted."""
        return self._handoff(handoff_id).get("thread_ts") or None

    def first_delivery(self, key: str) -> bool:
        """Record a staff tool's delivery (e.g. a Slack event id) as handled; False when it was
        recorded before, so a retry is not acted on twice."""
        return self.store.handled_once(STAFF_DELIVERIES).first_time(key)

    async def card(self, handoff_id: int) -> HandoffCard:
        """The staff card of a handoff, with the summary made when it was first shown."""
        handoff = self._handoff(handoff_id)
        conversation = self.store.conversations.get(handoff["conversation_id"]) or {}
        summary = self._summaries.get(handoff_id) or await self.summarizer.summarize(handoff["conversation_id"])
        self._summaries[handoff_id] = summary
        language = self._language(conversation)
        return HandoffCard(
            id=handoff_id, conversation_id=handoff["conversation_id"], status=handoff["status"],
            reason=handoff["reason"], priority=handoff["priority"] or 1,
            customer=self._customer(conversation), channel=conversation.get("channel", "?"),
            language=conversation.get("language") or "?", mood=mood_label(conversation.get("mood")),
            summary=summary.text,
            order_id=summary.order_id, claimed_by=handoff["claimed_by"], created_at=handoff["created_at"],
            thread_ts=handoff.get("thread_ts"), summary_note=t("summary_machine", language) if summary.machine else "")

    async def tell_shopper(self, conversation_id: str, key: str, **facts: Any) -> None:
        """Send the shopper one of the handoff messages in their language, recorded as from ``system``."""
        conversation = self.store.conversations.get(conversation_id) or {}
        await self.deliver(conversation_id, "system", t(key, self._language(conversation), **facts))

    async def ask_csat(self, conversation_id: str, trigger: str) -> bool:
        """Send the CSAT question now (a colleague resolved the conversation, or it went idle) when it may
        be asked (:meth:`core.csat.Csat.ask_outside_turn`); True when it was sent."""
        question = self.csat.ask_outside_turn(conversation_id, trigger) if self.csat else None
        if question is not None:
            await self.deliver(conversation_id, "system", question.text, question.buttons)
        return question is not None

    async def deliver(self, conversation_id: str, author: str, text: str, buttons: tuple[Button, ...] = ()) -> None:
        """Record a message in the transcript and send it (with ``buttons``) to the shopper on their own channel."""
        conversation = self.store.conversations.get(conversation_id)
        if conversation is None:
            raise HandoffError(f"unknown conversation {conversation_handle(conversation_id)}")
        self.store.conversations.record_staff(conversation_id, author, text)
        channel = self.channels.get(conversation["channel"])
        if channel is None:
            log.warning("no running %s channel: message to %s kept in the transcript only",
                        conversation["channel"], conversation_handle(conversation_id))
            return
        await channel.send(Identity(conversation["channel"], conversation["user_id"]),
                           Reply(text, buttons=buttons, language=self._language(conversation)))

    async def remind(self, handoff_id: int, waited_minutes: int) -> None:
        """Remind every staff sink of an unclaimed handoff."""
        card = await self.card(handoff_id)
        for sink in self.sinks:
            await _safely(sink.name, sink.remind(card, waited_minutes))

    async def drain(self) -> None:
        """Wait until every queued staff notification went out (tests, shutdown)."""
        await self._queue.join()

    async def stop(self) -> None:
        """Send what is queued, then stop the worker."""
        if self._worker is not None:
            await asyncio.wait_for(self.drain(), 10)
            self._worker.cancel()
            self._worker = None

    def _language(self, conversation: dict[str, Any]) -> Language:
        """The language to tell the shopper (and show staff notes) in."""
        return pick_language(conversation.get("language"), default=self._default_language)

    def _later(self, job: Callable[[], Awaitable[None]]) -> None:
        """Queue a staff notification; one worker sends them in order, never blocking a turn."""
        if not self.sinks:
            return
        self._queue.put_nowait(job)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await job()
            except Exception:
                log.exception("staff notification failed")
            finally:
                self._queue.task_done()

    async def _notify_opened(self, handoff_id: int) -> None:
        card = await self.card(handoff_id)
        for sink in self.sinks:
            await _safely(sink.name, sink.opened(card))

    async def _notify_changed(self, handoff_id: int, note: str) -> None:
        card = await self.card(handoff_id)
        for sink in self.sinks:
            await _safely(sink.name, sink.changed(card, note))
        if card.status == "resolved":
            self._summaries.pop(handoff_id, None)

    async def _relay(self, handoff_id: int, lines: list[tuple[str, str]], origin: str = "") -> None:
        card = await self.card(handoff_id)
        for sink in self.sinks:
            if sink.name == origin:
                continue
            for author, text in lines:
                await _safely(sink.name, sink.relayed(card, author, text))

    def _handoff(self, handoff_id: int) -> dict[str, Any]:
        row = next(self.store.db["handoffs"].rows_where("id = ?", [handoff_id]), None)
        if row is None:
            raise HandoffError(f"no handoff #{handoff_id}")
        return row

    def _open(self, handoff_id: int) -> dict[str, Any]:
        """The handoff, if staff may still act on it (open or claimed)."""
        handoff = self._handoff(handoff_id)
        if handoff["status"] == "resolved":
            raise HandoffError(f"handoff #{handoff_id} is already resolved")
        return handoff

    def _customer(self, conversation: dict[str, Any]) -> str:
        """The customer's name and email when known, else ``web visitor #3f9a0c12d4`` (never the
        session id, which is the web chat's credential; :mod:`core.observe.handles`)."""
        customer_id = conversation.get("customer_id")
        row = next(self.store.db["customers"].rows_where("id = ?", [customer_id]), None) if customer_id else None
        if row and (row.get("name") or row.get("email")):
            return " ".join(part for part in (row.get("name"), f"<{row['email']}>" if row.get("email") else "") if part)
        return visitor_label(f"{conversation.get('channel', '?')}:{conversation.get('user_id', '?')}")


async def _safely(sink: str, call: Awaitable[None]) -> None:
    """One sink failing (Slack down) must not stop the others nor the loop."""
    try:
        await call
    except Exception:
        log.exception("staff sink %s failed", sink)
