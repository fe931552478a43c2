"""Pushers: how a promotion reaches a customer on their channel, through that channel's adapter.

``push(key, identity, reply)`` sends one message and raises :class:`PushError` (with the reason,
and whether a retry may help). ``delivered(key)`` says, after a crash, whether a message whose
send was interrupted did reach the channel: True / False when the channel can tell (Telegram's
outbox is keyed by it), None when it cannot — then the dispatcher records the delivery as
failed ("interrupted") rather than risk sending it twice."""
from __future__ import annotations

from abc import ABC, abstractmethod

import aiohttp

from adapters.telegram import TelegramChannel
from adapters.telegram.rendering import Outgoing, split_text
from adapters.web import WebChannel
from adapters.wechat import WeChatChannel
from adapters.wechat.api import WeChatAPIError
from adapters.wechat.replies import api_body, to_wechat
from core.messages import Identity, Reply

WECHAT_RETRYABLE = {-1, 45009, 45047}
"""WeChat error codes worth a retry: system busy, daily limit reached, too many messages."""


class PushError(Exception):
    """A push failed: ``reason`` is recorded; ``retryable`` says whether to try again later."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Pusher(ABC):
    """Sends promotions on one channel."""

    channel: str

    @abstractmethod
    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Send one message; raises :class:`PushError` when it did not go out."""

    def delivered(self, key: str) -> bool | None:
        """Whether the message keyed ``key`` reached the channel (None: the channel cannot tell)."""
        return None


class TelegramPusher(Pusher):
    """Through the Telegram adapter's outbox: stored (keyed, so never twice) before it is sent,
    paced per chat and overall, retried by the outbox after network errors and RetryAfter."""

    channel = "telegram"

    def __init__(self, telegram: TelegramChannel) -> None:
        self._telegram = telegram

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Queue the message in the outbox under ``key`` and flush the chat."""
        chat_id = int(identity.user_id)
        await self._telegram.delivery.send(chat_id, [Outgoing("text", chunk) for chunk in split_text(reply.text)],
                                           source=key)
        failed = self._telegram.store.db.execute(
            "select status, error from telegram_outbox where source = ? and status in ('failed', 'blocked') "
            "limit 1", [key]).fetchone()
        if failed:
            raise PushError(f"telegram {failed[0]}: {failed[1]}", retryable=False)

    def delivered(self, key: str) -> bool:
        """The outbox holds the message (it sends what is pending itself)."""
        return self._telegram.store.db.execute("select 1 from telegram_outbox where source = ? limit 1",
                                               [key]).fetchone() is not None


class WeChatPusher(Pusher):
    """Through the WeChat customer-service message API (allowed within 48 hours of the follower's
    last message; WeChat refuses others with 45015, recorded as failed)."""

    channel = "wechat"

    def __init__(self, wechat: WeChatChannel) -> None:
        self._wechat = wechat

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Send each text piece of the message."""
        try:
            for message in to_wechat([reply], menu_id=str):
                await self._wechat.api.send(api_body(message, identity.user_id))
        except WeChatAPIError as exc:
            raise PushError(f"wechat {exc}", retryable=exc.errcode in WECHAT_RETRYABLE) from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise PushError(f"wechat network: {exc!r}", retryable=True) from None


class WebPusher(Pusher):
    """To the web chat widget, while the shopper's session has a page open."""

    channel = "web"

    def __init__(self, web: WebChannel) -> None:
        self._web = web

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Send to the open sockets of the session; none open is a failure a retry may fix."""
        if not self._web.is_connected(identity.user_id):
            raise PushError("web session not connected", retryable=True)
        await self._web.send(identity, reply)
