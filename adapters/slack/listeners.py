"""The slack-bolt app: buttons, thread replies and ``/kefu``, from staff in the staff channel only;
deliveries Slack retries (``X-Slack-Retry-Num``, or the same event id) are handled once."""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import BACK, CLAIM, RESOLVE
from adapters.slack.config import SlackConfig
from core.staff import HandoffError, HandoffHub
from core.staff.commands import StaffCommands

log = logging.getLogger(__name__)

API_RETRIES = 7
"""Extra attempts of a Web API call when Slack is unreachable, answers 500 / 503 or rate-limits."""
API_BACKOFF_S = 0.5
"""The first retry's delay, doubling (plus up to 1 s of jitter): seven retries cover about a minute."""
_WORDS = (None, "thread_broadcast")
"""Message subtypes that are a person's words: a plain reply, and one also sent to the channel."""


def build_app(config: SlackConfig, hub: HandoffHub) -> AsyncApp:
    """The bolt app with every listener; its client talks to ``config.api_url`` and retries outages."""
    client = AsyncWebClient(token=config.bot_token, base_url=config.api_url, retry_handlers=_retry_handlers())
    app = AsyncApp(client=client, signing_secret=config.signing_secret or None,
                   request_verification_enabled=bool(config.signing_secret))
    _Listeners(config, hub).register(app)
    return app


class _Listeners:
    def __init__(self, config: SlackConfig, hub: HandoffHub) -> None:
        self.config = config
        self.hub = hub
        self.commands = StaffCommands(hub)
        self._names: dict[str, str] = {}
        self.errors: list[BaseException] = []

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.once)
        for action in (CLAIM, RESOLVE, BACK):
            app.action(action)(self.on_button)
        app.event("message")(self.on_message)
        app.command("/kefu")(self.on_command)
        app.error(self.on_error)

    async def once(self, body: dict[str, Any], next: Any) -> BoltResponse | None:  # noqa: A002 (bolt's name)
        """Skip a delivery already handled (Slack retries after 3 s or on errors)."""
        key = _delivery_key(body)
        if key is not None and not self.hub.first_delivery(key):
            log.info("slack delivery %s already handled; acknowledging the retry", key)
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient) -> None:
        """Claim, Resolve or Back to bot on a card, for that card's handoff only (an old card of a closed
        handoff is refused in its thread; a button whose value is not a handoff id is ignored)."""
        await ack()
        try:
            handoff_id = int(action["value"])
        except (KeyError, TypeError, ValueError):
            log.warning("slack button %r with a malformed value ignored", action.get("action_id"))
            return
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        card = (body.get("container") or {}).get("message_ts")  # the card pressed: the answer goes in its thread
        if not self.config.may_act(user, channel):
            await self._refuse(client, channel, user, card)
            return
        staff = await self._name(client, user)
        try:
            if action["action_id"] == CLAIM:
                await self.hub.claim(handoff_id, staff, origin="slack")
            else:
                await self.hub.resolve(handoff_id, staff, back_to_bot=action["action_id"] == BACK, origin="slack")
        except HandoffError as exc:
            await self._tell(client, channel, user, f"Cannot do that: {exc}.", card)

    async def on_message(self, event: dict[str, Any], client: AsyncWebClient) -> None:
        """A staff reply in a card's thread (also one sent to the channel) goes to that card's shopper;
        anyone else replying there is refused. Edits, deletions, joins and bots are ignored."""
        thread, user, channel = event.get("thread_ts"), event.get("user"), event.get("channel")
        if not thread or event.get("subtype") not in _WORDS or event.get("bot_id") or thread == event.get("ts"):
            return
        handoff = self.hub.by_thread(thread)
        if handoff is None:
            return
        if not self.config.may_act(user, channel):
            await self._refuse(client, channel, user, thread)
            return
        try:
            await self.hub.reply(handoff["id"], await self._name(client, user), event.get("text", ""), origin="slack")
        except HandoffError as exc:
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=f"Not sent to the shopper: {exc}.")

    async def on_command(self, ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        """``/kefu orders|coupon|resolve …``, answered to the colleague only."""
        user, channel = command.get("user_id"), command.get("channel_id")
        if not self.config.may_act(user, channel):
            await ack(text="Only Kefu staff can use /kefu, in the staff channel.")
            return
        answer = await self.commands.run(command.get("text", ""), await self._name(client, user), origin="slack")
        await ack(text=answer)

    async def on_error(self, error: BaseException, body: dict[str, Any]) -> None:
        """A listener failed: log it (Slack has been answered; the next delivery is handled normally)."""
        self.errors.append(error)
        log.error("slack listener failed on %s: %r", body.get("type"), error)

    async def _refuse(self, client: AsyncWebClient, channel: str | None, user: str | None, thread: str | None) -> None:
        log.warning("slack user %s in %s may not act on handoffs", user, channel)
        await self._tell(client, channel, user, "Only Kefu staff can do that.", thread)

    @staticmethod
    async def _tell(client: AsyncWebClient, channel: str | None, user: str | None, text: str,
                    thread: str | None) -> None:
        """An ephemeral answer to one person, in the card's thread when there is one."""
        if channel and user:
            await client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread)

    async def _name(self, client: AsyncWebClient, user: str) -> str:
        """The colleague's display name (what the shopper reads), cached; the user id if unknown."""
        if user not in self._names:
            try:
                profile = (await client.users_info(user=user))["user"]
                self._names[user] = (profile.get("profile") or {}).get("display_name") or \
                    profile.get("real_name") or profile.get("name") or user
            except Exception:
                log.warning("could not look up slack user %s", user)
                return user
        return self._names[user]


def _retry_handlers() -> list[AsyncRetryHandler]:
    """slack-sdk's own retry handlers for connection errors, 500 / 503 and 429 (Retry-After honoured)."""
    interval = BackoffRetryIntervalCalculator(backoff_factor=API_BACKOFF_S)
    return [AsyncConnectionErrorRetryHandler(max_retry_count=API_RETRIES, interval_calculator=interval),
            AsyncServerErrorRetryHandler(max_retry_count=API_RETRIES, interval_calculator=interval),
            AsyncRateLimitErrorRetryHandler(max_retry_count=API_RETRIES, interval_calculator=interval)]


def _delivery_key(body: dict[str, Any]) -> str | None:
    """What identifies one delivery across Slack's retries."""
    if body.get("event_id"):
        return f"slack:event:{body['event_id']}"
    if body.get("type") == "block_actions" and body.get("actions"):
        action = body["actions"][0]
        return f"slack:action:{body.get('user', {}).get('id')}:{action.get('action_ts')}"
    if body.get("command") and body.get("trigger_id"):
        return f"slack:command:{body['trigger_id']}"
    return None

