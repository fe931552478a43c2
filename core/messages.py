"""Normalised message types that flow between channel adapters and the core.

Adapters turn platform events into :class:`InboundMessage` and turn :class:`Reply` /
:class:`Typing` into platform calls. The core never sees a platform object.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from core.observe.handles import conversation_handle
from core.stream import ReplyStream

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
"""The languages Kefu speaks, in the order it offers them."""


@dataclass(frozen=True)
class Identity:
    """Who is talking, as the channel knows them: ("telegram", "12345"), ("web", "session-id")."""

    channel: str
    user_id: str

    @property
    def conversation_id(self) -> str:
        """One conversation per channel identity."""
        return f"{self.channel}:{self.user_id}"

    @property
    def handle(self) -> str:
        """What logs and staff views show instead of the conversation id (``web#3f9a0c12d4``;
        :mod:`core.observe.handles`): the web session id is a credential, other ids personal data."""
        return conversation_handle(self.conversation_id)


@dataclass(frozen=True)
class InboundMessage:
    """One thing a shopper sent: text, or a button press (``payload``).

    ``message_id`` is the channel's own id for the delivery; a second delivery with the same
    id is recognised and handled once. ``source`` is an opaque key for where the message came from
    (the web chat: the client address), for limits that must hold across identities; None where the
    channel identity is the only source. It is never stored. ``streams``: the channel can show a reply
    as it is written (the reply generator may then return streamed replies, :class:`Reply`).
    """

    identity: Identity
    text: str = ""
    message_id: str | None = None
    payload: str | None = None
    language_hint: Language | None = None
    source: str | None = None
    streams: bool = False
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def content(self) -> str:
        """What the NLU reads: the button payload when a button was pressed, else the text."""
        return self.payload if self.payload is not None else self.text


@dataclass(frozen=True)
class Button:
    """A quick-reply button. Pressing it sends ``payload`` back as an inbound message."""

    label: str
    payload: str


@dataclass(frozen=True)
class ProductCard:
    """A product shown as a card with its image, price and buttons."""

    product_id: str
    title: str
    price: str
    image_url: str | None = None
    subtitle: str = ""
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Reply:
    """One message from the assistant: text with optional quick replies and product cards.

    ``private`` replies hold something meant for the shopper alone (a data-export link): a channel
    delivers them to the identity itself, never in the answer to a request that may not come from
    the shopper (WeChat's passive reply). A delivery instruction of its turn, not kept in the transcript.

    A streamed reply (only for an inbound message that ``streams``) carries its ``stream``: the text
    released sentence by sentence (:mod:`core.stream`), whose final text replaces ``text`` in the
    transcript once it is finished; until then ``text`` is the template reply."""

    text: str
    buttons: tuple[Button, ...] = ()
    cards: tuple[ProductCard, ...] = ()
    language: Language = "en"
    private: bool = False
    stream: ReplyStream | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready form, used by the script channel, the web widget and the transcript."""
        return {
            "type": "reply",
            "text": self.text,
            "language": self.language,
            "buttons": [{"label": b.label, "payload": b.payload} for b in self.buttons],
            "cards": [
                {
                    "product_id": c.product_id,
                    "title": c.title,
                    "price": c.price,
                    "image_url": c.image_url,
                    "subtitle": c.subtitle,
                    "buttons": [{"label": b.label, "payload": b.payload} for b in c.buttons],
                }
                for c in self.cards
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Reply:
        """Inverse of :meth:`to_dict` (used when replaying stored replies)."""
        return cls(
            text=data["text"],
            language=data.get("language", "en"),
            buttons=tuple(Button(b["label"], b["payload"]) for b in data.get("buttons", [])),
            cards=tuple(
                ProductCard(
                    product_id=c["product_id"],
                    title=c["title"],
                    price=c["price"],
                    image_url=c.get("image_url"),
                    subtitle=c.get("subtitle", ""),
                    buttons=tuple(Button(b["label"], b["payload"]) for b in c.get("buttons", [])),
                )
                for c in data.get("cards", [])
            ),
        )


@dataclass(frozen=True)
class Typing:
    """The assistant is composing a reply ("typing…")."""

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"type": "typing"}


Outbound = Reply | Typing
