"""Promotions on Telegram: through the outbox, stored under the delivery's key (so never sent twice)
before they are sent, paced per chat and overall, retried by the outbox after network errors and
RetryAfter. Telegram shows them as plain text (buttons and cards written out)."""
from __future__ import annotations

from adapters.telegram.delivery import Delivery
from adapters.telegram.outbox import Outbox
from adapters.telegram.rendering import Outgoing, split_text
from core.channel import PushError, as_text
from core.messages import Identity, Reply


class TelegramPush:
    """Pushes of one Telegram channel."""

    def __init__(self, delivery: Delivery, outbox: Outbox) -> None:
        self._delivery = delivery
        self._outbox = outbox

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Queue the message in the outbox under ``key`` and flush the chat; a message Telegram refused
        or a chat that blocked the bot is a :class:`PushError` not worth a retry."""
        chunks = split_text(as_text(reply).text)
        await self._delivery.send(int(identity.user_id), [Outgoing("text", chunk) for chunk in chunks], source=key)
        refused = self._outbox.failure(key)
        if refused:
            status, error = refused
            raise PushError(f"telegram {status}: {error}", retryable=False)

    def delivered(self, key: str) -> bool:
        """The outbox holds the message (it sends what is pending itself)."""
        return self._outbox.holds(key)
