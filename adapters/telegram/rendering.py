"""Turning the assistant's replies into Telegram messages: HTML with escaping, texts split at
Telegram's 4,096-character limit, product cards as photos with captions and inline keyboards."""
from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from adapters.telegram.payloads import CallbackPayloads, cart_data
from core.i18n import t
from core.messages import Button, ProductCard, Reply

MAX_TEXT = 4096
"""Telegram's limit for a message text, counted after entity parsing; we count the escaped HTML, safely above."""
MAX_CAPTION = 1024
_BUTTONS_PER_ROW = 2


@dataclass(frozen=True)
class Key:
    """One inline keyboard button: its label and the callback data Telegram sends back."""

    label: str
    data: str


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: a text, a photo with caption, or a document; HTML-formatted."""

    kind: Literal["text", "photo", "document"]
    html: str
    keyboard: list[list[Key]] = field(default_factory=list)
    photo: str | None = None
    filename: str | None = None
    content: str | None = None
    """A document's contents (UTF-8 text)."""
    edit_message_id: int | None = None
    """A text that replaces this message of the bot's (a streamed reply's last edit) instead of a new one."""

    def to_json(self) -> str:
        """The form the outbox stores."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Outgoing:
        """Inverse of :meth:`to_json`."""
        data = json.loads(raw)
        data["keyboard"] = [[Key(**key) for key in row] for row in data.get("keyboard", [])]
        return cls(**data)

    def as_text(self) -> Outgoing:
        """The same message without its photo (when Telegram cannot fetch the image)."""
        return Outgoing("text", self.html, self.keyboard)


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode (only <, > and & need escaping)."""
    return html.escape(text, quote=False)


def clip(text: str, limit: int) -> str:
    """Escaped ``text``, shortened with an ellipsis so that the escaped form fits in ``limit``."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    kept, size = [], 1
    for char in text:
        piece = escape(char)
        if size + len(piece) > limit:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Escape ``text`` and split it into chunks of at most ``limit`` characters, preferring line
    breaks, then spaces; an escape sequence such as ``&amp;`` is never cut."""
    chunks: list[str] = []
    rest = text
    while rest:
        cut, size = 0, 0
        while cut < len(rest) and size + len(escape(rest[cut])) <= limit:
            size += len(escape(rest[cut]))
            cut += 1
        if cut < len(rest):
            for boundary in ("\n", " "):
                at = rest.rfind(boundary, 0, cut)
                if at >= cut // 2:
                    cut = at + 1
                    break
        chunk, rest = rest[:cut], rest[cut:]
        if chunk.strip():
            chunks.append(escape(chunk.rstrip("\n")))
    return chunks


def keyboard(buttons: list[Button] | tuple[Button, ...], payloads: CallbackPayloads,
             per_row: int = _BUTTONS_PER_ROW) -> list[list[Key]]:
    """Quick-reply buttons as inline keyboard rows; each payload becomes callback data (≤ 64 bytes)."""
    keys = [Key(b.label, payloads.data_for(b.payload)) for b in buttons]
    return [keys[i:i + per_row] for i in range(0, len(keys), per_row)]


def render_card(card: ProductCard, language: str, payloads: CallbackPayloads) -> Outgoing:
    """A product card: its photo with title, price and subtitle as caption; its buttons plus "add to cart"."""
    lines = [f"<b>{clip(card.title, 300)}</b>", clip(card.price, 60)]
    if card.subtitle:
        lines.append(clip(card.subtitle, 400))
    keys = keyboard(card.buttons, payloads)
    keys.append([Key(t("btn_add_to_cart", language), cart_data(card.product_id))])
    caption = "\n".join(lines)
    if card.image_url:
        return Outgoing("photo", caption, keys, photo=card.image_url)
    return Outgoing("text", caption, keys)


def render_reply(reply: Reply, payloads: CallbackPayloads) -> list[Outgoing]:
    """One reply as Telegram messages: its text (split if long, buttons on the last part), then its cards."""
    messages = [Outgoing("text", chunk) for chunk in split_text(reply.text)]
    if reply.buttons:
        last = messages.pop() if messages else Outgoing("text", "…")
        messages.append(Outgoing("text", last.html, keyboard(reply.buttons, payloads)))
    return messages + [render_card(card, reply.language, payloads) for card in reply.cards]

