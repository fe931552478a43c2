"""Staff notifications in Slack: the card in the staff channel, the conversation in its thread."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import _plain, card_blocks, card_text
from core.staff import HandoffCard, HandoffHub, StaffSink
from core.staff.copilot import copilot_facts

Suggest = Callable[[str], Awaitable[str | None]]
"""The copilot's suggested reply for a conversation id (:func:`core.suggestion.suggest_reply`)."""

_AUTHOR_ICONS = {"shopper": ":bust_in_silhouette:", "assistant": ":robot_face:", "system": ":information_source:"}


class SlackSink(StaffSink):
    """Posts each handoff card to the staff channel and keeps its thread as the conversation.

    A card that could not be posted (Slack down beyond the client's retries) is posted with the
    handoff's next notification (the shopper's next line, a change, the waiting reminder)."""

    name = "slack"

    def __init__(self, client: AsyncWebClient, channel: str, hub: HandoffHub, suggest: Suggest | None = None) -> None:
        self._client = client
        self._channel = channel
        self._hub = hub
        self._suggest = suggest

    async def opened(self, card: HandoffCard) -> None:
        """Post the card; its ts becomes the handoff's thread."""
        await self._post_card(card)

    async def relayed(self, card: HandoffCard, author: str, text: str) -> None:
        """One line of the conversation in the card's thread."""
        thread = await self._thread(card)
        icon = _AUTHOR_ICONS.get(author, ":speech_balloon:")
        await self._client.chat_postMessage(channel=self._channel, thread_ts=thread,
                                            text=f"{icon} *{_plain(author)}*: {_plain(text)}")
        suggestion = await self._suggest(card.conversation_id) if self._suggest and author == "shopper" else None
        if suggestion:  # posted by the bot, so not relayed: a colleague copies it into a reply of their own
            await self._client.chat_postMessage(channel=self._channel, thread_ts=thread,
                                                text=f":bulb: *Suggested reply* (copy, edit, send):\n```{_plain(suggestion)}```")

    async def changed(self, card: HandoffCard, note: str) -> None:
        """Update the card (buttons follow the status) and note the change in the thread."""
        thread = await self._thread(card)
        await self._client.chat_update(channel=self._channel, ts=thread, text=card_text(card),
                                       blocks=self._blocks(card, note))
        await self._client.chat_postMessage(channel=self._channel, thread_ts=thread, text=_plain(note))

    async def remind(self, card: HandoffCard, waited_minutes: int) -> None:
        """A reminder in the thread, also shown in the channel."""
        thread = await self._thread(card)
        await self._client.chat_postMessage(
            channel=self._channel, thread_ts=thread, reply_broadcast=True,
            text=f":alarm_clock: {_plain(card.customer)} has waited {waited_minutes} min; nobody claimed it yet.")

    async def _post_card(self, card: HandoffCard) -> str:
        response = await self._client.chat_postMessage(channel=self._channel, text=card_text(card),
                                                       blocks=self._blocks(card), unfurl_links=False)
        self._hub.set_thread(card.id, str(response["ts"]))
        return str(response["ts"])

    def _blocks(self, card: HandoffCard, note: str = "") -> list[dict[str, Any]]:
        """The card with the copilot's facts about its customer."""
        return card_blocks(card, note, copilot_facts(self._hub.store, card.conversation_id))

    async def _thread(self, card: HandoffCard) -> str:
        """The card's thread; the card is posted first when it is not in Slack yet."""
        if card.thread_ts:
            return card.thread_ts
        return self._hub.thread_of(card.id) or await self._post_card(card)
