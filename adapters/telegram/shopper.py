"""What every handler needs: who is talking, in which chat and language, and how to answer.

The channel puts one :class:`Services` into ``application.bot_data``; handlers build a
:class:`Shopper` from the update and answer through it. Everything a handler sends for one update
goes out in one :meth:`Shopper.send` call, so that handling the update again queues nothing twice."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update, User
from telegram.ext import ContextTypes

from adapters.telegram.delivery import Delivery
from adapters.telegram.payloads import CallbackPayloads
from adapters.telegram.rendering import Outgoing, render_reply, split_text
from adapters.telegram.streaming import deliver
from core.assistant import Assistant
from core.i18n import t
from core.messages import Button, Identity, InboundMessage, Language, Reply
from core.profile import Profiles
from core.store import Store
from core.turn import TurnResult

CHANNEL = "telegram"
SERVICES = "kefu"
MENU = (("btn_track", "/orders"), ("btn_recommend", "/more"), ("btn_human", "/human"))
"""The core's own quick replies, offered after settings changes and unreadable messages."""


@dataclass
class Services:
    """The channel's shared parts, reachable from every handler."""

    assistant: Assistant
    profiles: Profiles
    delivery: Delivery
    payloads: CallbackPayloads

    @property
    def store(self) -> Store:
        """The shop's store."""
        return self.assistant.store


def identity_of(user: User) -> Identity:
    """The core's identity for a Telegram user."""
    return Identity(CHANNEL, str(user.id))


@dataclass
class Shopper:
    """One shopper in their private chat with the bot, while one update is handled."""

    services: Services
    user: User
    chat_id: int
    update_id: int

    @classmethod
    def of(cls, update: Update, context: ContextTypes.DEFAULT_TYPE) -> Shopper | None:
        """The shopper behind an update from a private chat; None for anything else."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != chat.PRIVATE:
            return None
        return cls(context.bot_data[SERVICES], user, chat.id, update.update_id)

    @property
    def identity(self) -> Identity:
        """Who this is to the core."""
        return identity_of(self.user)

    @property
    def language(self) -> Language:
        """The language to talk in: the conversation's, else the customer's, else Telegram's app language
        (:meth:`core.assistant.Assistant.language_of`)."""
        return self.services.assistant.language_of(self.identity, self.app_language)

    @property
    def app_language(self) -> Language | None:
        """The language of the shopper's Telegram app, when it is one Kefu speaks."""
        code = (self.user.language_code or "").lower()
        return "zh" if code.startswith("zh") else "en" if code.startswith("en") else None

    def ensure_customer(self) -> dict[str, Any]:
        """The linked customer; one is created on first need."""
        return self.services.profiles.ensure_customer(self.identity, self.user.full_name, self.language)

    def text(self, key: str, buttons: tuple[tuple[str, str], ...] | list[Button] = (), *,
             lang: Language | None = None, **facts: Any) -> list[Outgoing]:
        """An i18n message in the shopper's language (or ``lang``) with buttons: (label key, payload)
        pairs or Buttons."""
        language = lang or self.language
        made = [b if isinstance(b, Button) else Button(t(b[0], language), b[1]) for b in buttons]
        return self.compose(t(key, language, **facts), made)

    def compose(self, text: str, buttons: list[Button]) -> list[Outgoing]:
        """Messages for an already localised text with buttons (split when long)."""
        if not buttons:
            return [Outgoing("text", chunk) for chunk in split_text(text)]
        return render_reply(Reply(text, buttons=tuple(buttons)), self.services.payloads)

    async def send(self, messages: list[Outgoing]) -> None:
        """Queue and send this update's messages."""
        await self.services.delivery.send(self.chat_id, messages, source=f"update:{self.update_id}")

    async def converse(self, text: str, payload: str | None = None) -> None:
        """Pass a message or button press to the assistant: "typing…", then its replies (a streamed one
        written into its message as it passes the checks: :mod:`adapters.telegram.streaming`)."""
        result = await self.turn(text, payload, streams=True)
        await deliver(self.services.delivery, self.services.payloads, self.chat_id, result.replies,
                      source=f"update:{self.update_id}")

    async def turn(self, text: str, payload: str | None = None, streams: bool = False) -> TurnResult:
        """"Typing…", then the assistant's turn for a message or button press (nothing sent yet);
        ``streams``: its replies may be streamed (for :func:`adapters.telegram.streaming.deliver`)."""
        await self.services.delivery.typing(self.chat_id)
        return await self.services.assistant.handle(InboundMessage(
            self.identity, text=text, payload=payload, message_id=str(self.update_id),
            language_hint=self.app_language, streams=streams))

    def render(self, result: TurnResult) -> list[Outgoing]:
        """The turn's replies as Telegram messages (none for an update handled before: the outbox
        already holds what it sent)."""
        return [m for reply in result.replies for m in render_reply(reply, self.services.payloads)]
