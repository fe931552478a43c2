"""Sending through the outbox: per-chat order and pacing, and what each Telegram error means.

python-telegram-bot's ``AIORateLimiter`` keeps the bot under Telegram's 30 messages/s overall
and 20/minute per group, and itself retries a 429 after its ``retry_after``. On top of that each
private chat is paced (bursts of 10, then one per second, as Telegram advises) and:

* ``RetryAfter`` still raised: the message stays pending and the chat is flushed again after it;
* ``Forbidden`` (the shopper blocked the bot): the chat's pending messages are dropped and the
  customer is marked unreachable;
* ``BadRequest`` for a photo (Telegram could not fetch the image): sent as text instead; other
  bad requests are recorded as failed and not retried;
* network errors (unreachable, timeouts, 5xx): the message stays pending and is retried with
  back-off (doubling from :data:`RETRY_BASE_S` up to :data:`RETRY_MAX_S`) until Telegram answers,
  however long the outage; an outage across a restart is picked up by :meth:`Delivery.flush_all`."""
from __future__ import annotations

import asyncio
import logging
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from adapters.telegram.outbox import Outbox, Queued
from adapters.telegram.rendering import Outgoing
from core.messages import Identity

log = logging.getLogger(__name__)

RETRY_BASE_S = 1.0
RETRY_MAX_S = 60.0
CHAT_BURST = 10
CHAT_PERIOD_S = 10.0


class Delivery:
    """Sends a chat's queued messages in order, once each."""

    def __init__(self, bot: Bot, outbox: Outbox, on_blocked: Callable[[int], None]) -> None:
        self._bot = bot
        self._outbox = outbox
        self._on_blocked = on_blocked
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._pace: defaultdict[int, AsyncLimiter] = defaultdict(lambda: AsyncLimiter(CHAT_BURST, CHAT_PERIOD_S))
        self._retries: dict[int, asyncio.Task] = {}

    async def send(self, chat_id: int, messages: list[Outgoing], source: str | None = None) -> None:
        """Queue messages (persisted first), then send everything pending for the chat."""
        if messages:
            self._outbox.enqueue(chat_id, messages, source)
        await self.flush(chat_id)

    async def flush(self, chat_id: int) -> None:
        """Send the chat's pending messages in order; stops at the first one that must wait."""
        async with self._locks[chat_id]:
            for queued in self._outbox.pending(chat_id):
                if not await self._deliver(queued):
                    return

    async def flush_all(self) -> None:
        """Send whatever earlier runs left pending (after a crash or a restart)."""
        for chat_id in self._outbox.chats_with_pending():
            await self.flush(chat_id)

    async def typing(self, chat_id: int) -> None:
        """Show "typing…" in the chat; a failure only costs the indicator."""
        try:
            await self._bot.send_chat_action(chat_id, ChatAction.TYPING)
        except Forbidden:
            self._blocked(chat_id, "blocked before typing")
        except TelegramError as exc:
            log.info("typing indicator for chat %s failed: %s", _handle(chat_id), exc)

    async def post(self, chat_id: int, html: str) -> int:
        """Send a text at once, paced like the outbox's, not stored (a streamed reply's first sentences:
        :mod:`adapters.telegram.streaming`); its message id. TelegramError when it cannot."""
        async with self._pace[chat_id]:
            return (await self._bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)).message_id

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Replace the text of a message :meth:`post` sent, paced the same way."""
        async with self._pace[chat_id]:
            await self._bot.edit_message_text(html, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML)

    async def close(self) -> None:
        """Cancel scheduled retries (their messages stay pending for the next start)."""
        tasks = list(self._retries.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._retries.clear()

    async def _deliver(self, queued: Queued) -> bool:
        """Send one message; True when the next one may follow."""
        try:
            async with self._pace[queued.chat_id]:
                await self._call(queued.chat_id, queued.message)
        except RetryAfter as exc:
            self._outbox.mark_retry(queued.id, str(exc))
            self._retry_later(queued.chat_id, _retry_after_s(exc))
            return False
        except Forbidden as exc:
            self._blocked(queued.chat_id, str(exc))
            return False
        except BadRequest as exc:
            return await self._bad_request(queued, exc)
        except NetworkError as exc:
            attempts = self._outbox.mark_retry(queued.id, str(exc))
            log.warning("telegram unreachable for chat %s (attempt %d): %s; kept for later", _handle(queued.chat_id),
                        attempts, exc)
            self._retry_later(queued.chat_id, min(RETRY_BASE_S * 2.0 ** min(attempts, 16), RETRY_MAX_S))
            return False
        self._outbox.mark_sent(queued.id)
        return True

    async def _bad_request(self, queued: Queued, exc: BadRequest) -> bool:
        """A photo Telegram could not use goes out as text; anything else bad is recorded as failed."""
        if queued.message.kind == "photo":
            log.warning("photo for chat %s refused (%s); sending the card as text", _handle(queued.chat_id), exc)
            try:
                await self._call(queued.chat_id, queued.message.as_text())
            except TelegramError as again:
                self._outbox.mark_failed(queued.id, str(again))
                return True
            self._outbox.mark_sent(queued.id)
            return True
        log.error("Telegram refused a message for chat %s: %s", _handle(queued.chat_id), exc)
        self._outbox.mark_failed(queued.id, str(exc))
        return True

    async def _call(self, chat_id: int, message: Outgoing) -> None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(k.label, callback_data=k.data) for k in row]
                                       for row in message.keyboard]) if message.keyboard else None
        if message.kind == "photo":
            await self._bot.send_photo(chat_id, message.photo, caption=message.html, parse_mode=ParseMode.HTML,
                                       reply_markup=markup)
        elif message.kind == "document":
            document = InputFile((message.content or "").encode(), filename=message.filename)
            await self._bot.send_document(chat_id, document, caption=message.html, parse_mode=ParseMode.HTML,
                                          reply_markup=markup)
        elif message.edit_message_id is not None:
            await self._bot.edit_message_text(message.html, chat_id=chat_id, message_id=message.edit_message_id,
                                              parse_mode=ParseMode.HTML, reply_markup=markup)
        else:
            await self._bot.send_message(chat_id, message.html, parse_mode=ParseMode.HTML, reply_markup=markup)

    def _blocked(self, chat_id: int, reason: str) -> None:
        log.info("chat %s blocked the bot; its pending messages are dropped", _handle(chat_id))
        self._outbox.block_chat(chat_id, reason)
        self._on_blocked(chat_id)

    def _retry_later(self, chat_id: int, delay_s: float) -> None:
        if chat_id in self._retries and not self._retries[chat_id].done():
            return
        self._retries[chat_id] = asyncio.create_task(self._flush_after(chat_id, delay_s))

    async def _flush_after(self, chat_id: int, delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        self._retries.pop(chat_id, None)
        await self.flush(chat_id)


def _retry_after_s(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (python-telegram-bot 22 gives an int, later a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _handle(chat_id: int) -> str:
    """The chat as logs show it (``telegram#…``, :mod:`core.observe.handles`): chat ids are personal data."""
    return Identity("telegram", str(chat_id)).handle
