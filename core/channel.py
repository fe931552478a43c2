"""The port everything that talks to a shopper implements: the web chat, Telegram, WeChat, the
terminal. The assistant's turns, staff replies (:class:`core.staff.HandoffHub`) and promotions (the
scheduler) all reach a shopper through it, so none of them knows any platform.

Like Rasa's ``OutputChannel``, what a channel does not implement degrades by default: :meth:`Channel.push`
sends a promotion as plain text through :meth:`Channel.send` (buttons and cards become lines of text),
and :meth:`Channel.delivered` cannot tell whether an interrupted push arrived."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace

from core.messages import Identity, Outbound, Reply


class PushError(Exception):
    """A push failed: ``reason`` is recorded; ``retryable`` says whether to try again later."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Channel(ABC):
    """A chat channel as the bot's start-up, the handoff hub and the scheduler see it."""

    name: str
    reaches_shoppers: bool = True
    """False for a staff-only channel (Slack): staff replies and promotions never go through it."""

    @abstractmethod
    async def start(self) -> None:
        """Begin receiving messages (start polling, open an API client, …)."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop receiving and release resources; pending sends finish first."""

    @abstractmethod
    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Deliver one reply or typing indicator to a shopper on this channel."""

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Send one promotion, keyed ``key`` (unique per campaign, customer and occasion); raises
        :class:`PushError` when it did not go out. By default: :meth:`send` with buttons and cards as text."""
        await self.send(identity, as_text(reply))

    def delivered(self, key: str) -> bool | None:
        """After a crash, whether the push keyed ``key`` reached the platform: True / False when the
        channel can tell, None when it cannot (then the push is recorded failed, never repeated)."""
        return None


def as_text(reply: Reply) -> Reply:
    """``reply`` with its buttons and product cards written into the text, one line each."""
    lines = [reply.text]
    for card in reply.cards:
        lines.append(f"• {card.title}  {card.price}" + (f"  ({card.subtitle})" if card.subtitle else ""))
    lines.extend(f"• {button.label}" for button in reply.buttons)
    return replace(reply, text="\n".join(lines), buttons=(), cards=())
