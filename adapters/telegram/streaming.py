"""A turn's replies in Telegram, a streamed one written into one message as its sentences pass.

The first released sentences are sent as a message at once and that message is edited as more pass
(``editMessageText``, at most as often as the chat's pace allows: edits wait their turn, and one edit
carries everything released meanwhile). These progress messages are not stored: the reply's final
text — with its buttons, the rest of a long text and its cards — goes through the outbox like every
other message, as the last edit of that message, so it is delivered once and retried through an
outage. Other replies go through the outbox as before, in their order."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from telegram.error import TelegramError

from adapters.telegram.delivery import Delivery
from adapters.telegram.payloads import CallbackPayloads
from adapters.telegram.rendering import MAX_TEXT, Outgoing, escape, render_reply
from core.messages import Reply
from core.stream import ReplyStream

log = logging.getLogger(__name__)


async def deliver(delivery: Delivery, payloads: CallbackPayloads, chat_id: int, replies: list[Reply],
                  source: str) -> None:
    """Send ``replies`` in order: whole ones through the outbox, streamed ones as they are written and
    finished through the outbox. ``source`` names the update (each batch queued once per source)."""
    queued: list[Outgoing] = []
    batches = 0
    for reply in replies:
        if reply.stream is None:
            queued += render_reply(reply, payloads)
            continue
        if queued:  # what came before goes out first
            await delivery.send(chat_id, queued, source=_batch(source, batches))
            queued, batches = [], batches + 1
        message_id, shown = await _write(delivery, chat_id, reply.stream)
        final = render_reply(replace(reply, text=await reply.stream.text(), stream=None), payloads)
        if message_id is not None and final and final[0].kind == "text":
            first = final.pop(0)
            if first.html != shown or first.keyboard:
                final.insert(0, replace(first, edit_message_id=message_id))
        queued += final
    await delivery.send(chat_id, queued, source=_batch(source, batches))


def _batch(source: str, index: int) -> str:
    """The outbox source of the ``index``-th batch of an update's messages (the first: the update's own)."""
    return source if index == 0 else f"{source}:{index}"


async def _write(delivery: Delivery, chat_id: int, stream: ReplyStream) -> tuple[int | None, str]:
    """Show the stream's text as it grows in one message; its id (None if none was sent) and the HTML it
    shows. Stops showing (the outbox then finishes the reply) when Telegram refuses or the text would
    need a second message."""
    latest, ended = "", False
    changed = asyncio.Event()

    async def follow() -> None:
        nonlocal latest, ended
        async for text in stream.progress():
            latest = text
            changed.set()
        ended = True
        changed.set()

    follower = asyncio.create_task(follow())
    message_id, shown = None, ""
    try:
        while True:
            await changed.wait()
            changed.clear()
            html = escape(latest)
            if latest.strip() and html != shown:
                if len(html) > MAX_TEXT:
                    break
                try:
                    if message_id is None:
                        message_id = await delivery.post(chat_id, html)
                    else:
                        await delivery.edit(chat_id, message_id, html)
                except TelegramError as exc:
                    log.info("showing a streamed reply stopped (%s); the outbox sends the rest", exc)
                    break
                shown = html
            if ended and not changed.is_set():
                break
    finally:
        follower.cancel()
    return message_id, shown
