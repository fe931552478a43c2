"""The WeChat Official Account channel: a webhook on Kefu's HTTP host.

``GET /wechat`` answers WeChat's URL verification; ``POST /wechat`` receives messages and events
(plaintext, or encrypted in safe mode). A reply ready within the reply budget goes back passively
in the HTTP response; anything else — a slow answer, extra messages, menus — goes through the
customer-service message API. Every delivery is handled once, retries included. See docs/WECHAT.md."""
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import aiohttp
from aiohttp import web

from adapters.wechat.api import WeChatAPI, WeChatAPIError
from adapters.wechat.crypto import CryptoError, MessageCrypto
from adapters.wechat.followers import CONSENT_NO, CONSENT_YES, Followers
from adapters.wechat.guard import Refused, RequestGuard, request_digest
from adapters.wechat.inbound import MAX_BODY_BYTES, BadMessage, WeChatMessage, parse_fields
from adapters.wechat.ledger import DELIVERIES_KEPT, register
from adapters.wechat.push import push_reply
from adapters.wechat.replies import News, Outgoing, Text, api_body, encrypted_xml, menu, passive_xml
from adapters.wechat.replies import to_wechat as replies_to_wechat
from adapters.wechat.signature import is_valid, sign
from adapters.wechat.streaming import StreamedRest
from adapters.wechat.streaming import to_wechat as streamed_to_wechat
from adapters.wechat.strings import say
from core.assistant import Assistant
from core.channel import Channel
from core.messages import Button, Identity, InboundMessage, Language, Outbound, Reply

log = logging.getLogger(__name__)

_MEDIA_ANSWERS = ("image", "voice", "location")
"""Kinds of message answered with a string of their own (adapters/wechat/strings.py); others: "unsupported"."""
_STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class WeChatConfig:
    """What the channel needs to know about the Official Account."""

    token: str
    app_id: str
    app_secret: str
    api_base_url: str = "https://api.weixin.qq.com"
    encoding_aes_key: str = ""
    """Empty: plaintext mode only. Set: encrypted (safe / compatible) mode too."""
    reply_budget_s: float = 4.0
    """How long a push waits for the answer before replying ``success`` (WeChat gives up at 5 s)."""
    shop_name: dict[str, str] = field(default_factory=lambda: {"zh": "", "en": ""})
    path: str = "/wechat"


class WeChatChannel(Channel):
    """Receives pushes on the HTTP host's routes (:meth:`routes`), answers through the core."""

    name = "wechat"

    def __init__(self, assistant: Assistant, config: WeChatConfig, api: WeChatAPI | None = None) -> None:
        self.assistant = assistant
        self.config = config
        self.api = api or WeChatAPI(config.api_base_url, config.app_id, config.app_secret)
        self._crypto = MessageCrypto(config.encoding_aes_key, config.app_id) if config.encoding_aes_key else None
        self._ledger = register(assistant.store)
        self._deliveries = assistant.store.handled_once(self.name)
        self._guard = RequestGuard(config.token, self._ledger)
        self._followers = Followers(assistant.store)
        self._in_flight: dict[str, asyncio.Task[list[Outgoing | StreamedRest]]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._running = False

    def routes(self) -> list[web.RouteDef]:
        """The webhook routes, for :meth:`adapters.http.HttpHost.mount`."""
        return [web.get(self.config.path, self._verify), web.post(self.config.path, self._receive)]

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Open the API client and forget finished deliveries older than two days."""
        await self.api.open()
        self._deliveries.prune(DELIVERIES_KEPT)
        self._running = True
        log.info("WeChat webhook ready at %s", self.config.path)

    async def stop(self) -> None:
        """Refuse new pushes (503, WeChat retries), finish running turns and sends, close the client."""
        self._running = False
        if self._background:
            await asyncio.wait(self._background, timeout=_STOP_TIMEOUT_S)
        await self.api.close()

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Deliver a reply through the customer-service API (typing indicators are not sent)."""
        if identity.channel != self.name:
            raise ValueError(f"the WeChat channel cannot send to {identity.channel!r} identities")
        if isinstance(outbound, Reply):
            for message in self._to_wechat(identity.user_id, [outbound]):
                await self._send(identity.user_id, message)

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """A promotion through the customer-service API (:mod:`adapters.wechat.push`)."""
        await push_reply(self.api, identity.user_id, reply)

    # -- HTTP ----------------------------------------------------------------------------
    async def _verify(self, request: web.Request) -> web.Response:
        """URL verification: echo ``echostr`` when the signature is right, fresh and not used before."""
        echostr = request.query.get("echostr", "")
        with _refusals():
            stamp = self._guard.check(request.query)
            self._guard.first_use(stamp, request_digest(request.method, echostr.encode("utf-8", "replace")))
        if not echostr:
            raise web.HTTPBadRequest(text="echostr is missing")
        return web.Response(text=echostr)

    async def _receive(self, request: web.Request) -> web.StreamResponse:
        """One push: authenticate, parse, answer passively within the budget or with ``success``.

        With an EncodingAESKey only encrypted pushes are taken: in plaintext nothing signs the body."""
        encrypted = request.query.get("encrypt_type", "").lower() == "aes"
        with _refusals():
            stamp = self._guard.check(request.query)
            if self._crypto is not None and not encrypted:
                raise Refused("plaintext push, but WECHAT_ENCODING_AES_KEY is set")
        try:
            body = await _read_body(request)
            fields = parse_fields(body)
            with _refusals():
                if encrypted:
                    fields = self._decrypt(request, fields)
                self._guard.first_use(stamp, request_digest(request.method, body))
            message = WeChatMessage.from_fields(fields)
        except BadMessage as exc:
            log.info("refused a WeChat push: %s", exc)
            raise web.HTTPBadRequest(text=str(exc)) from None
        if not self._running:
            raise web.HTTPServiceUnavailable(text="the WeChat channel is not running")
        task = self._begin(message)
        if task is None:
            return _success()
        passive_sent = False
        try:
            passive = await self._passive_within_budget(task)
            response = self._passive_response(passive, message, encrypted) if passive else _success()
            await response.prepare(request)
            await response.write_eof()  # the passive reply is out before the API sends the rest
            passive_sent = passive is not None
            return response
        finally:
            self._track(self._finish(message, task, skip_first=passive_sent))

    def _decrypt(self, request: web.Request, envelope: dict[str, str]) -> dict[str, str]:
        """The fields inside an encrypted push (:class:`Refused` without the right ``msg_signature``)."""
        if self._crypto is None:
            raise BadMessage("encrypted push, but WECHAT_ENCODING_AES_KEY is not set")
        ciphertext = envelope.get("Encrypt", "")
        query = request.query
        if not is_valid(query.get("msg_signature", ""), self.config.token, query.get("timestamp", ""),
                        query.get("nonce", ""), ciphertext):
            raise Refused("bad msg_signature")
        if not ciphertext:
            raise BadMessage("encrypted push without <Encrypt>")
        try:
            return parse_fields(self._crypto.decrypt(ciphertext))
        except CryptoError as exc:
            raise BadMessage(f"cannot decrypt: {exc}") from None

    def _passive_response(self, passive: Text | News, message: WeChatMessage, encrypted: bool) -> web.Response:
        now = int(time.time())
        xml = passive_xml(passive, message.from_user, message.to_user, now)
        if encrypted and self._crypto is not None:
            ciphertext, nonce = self._crypto.encrypt(xml), secrets.token_hex(8)
            xml = encrypted_xml(ciphertext, sign(self.config.token, str(now), nonce, ciphertext), str(now), nonce)
        return web.Response(text=xml, content_type="application/xml")

    # -- deliveries ----------------------------------------------------------------------
    def _begin(self, message: WeChatMessage) -> asyncio.Task[list[Outgoing | StreamedRest]] | None:
        """Start answering a push; None for a retry of one running or already handled."""
        key = message.dedupe_key
        if key in self._in_flight or not self._deliveries.claim(key):
            log.info("WeChat retry from %s ignored: answered by the first delivery",
                     Identity(self.name, message.from_user).handle)
            return None
        task = asyncio.create_task(self._answer(message))
        self._in_flight[key] = task
        return task

    async def _passive_within_budget(self, task: asyncio.Task[list[Outgoing | StreamedRest]]
                                     ) -> Text | News | None:
        """The first message of the answer when it is ready in time and fits a passive reply.

        A private one (a data-export link) goes only through the customer-service API, which WeChat
        delivers to the follower themself: whoever made this request gets ``success``."""
        await asyncio.wait({task}, timeout=self.config.reply_budget_s)
        if not task.done() or task.cancelled() or task.exception() is not None:
            return None
        messages = task.result()
        first = messages[0] if messages else None
        return first if isinstance(first, Text | News) and not first.private else None  # menus: API only

    async def _finish(self, message: WeChatMessage, task: asyncio.Task[list[Outgoing | StreamedRest]],
                      skip_first: bool) -> None:
        """Wait for the answer, send what the passive reply did not carry, mark the delivery done."""
        key = message.dedupe_key
        try:
            messages = await task
        except Exception:
            log.exception("answering WeChat push %s failed; a redelivery will retry it", key)
            self._in_flight.pop(key, None)
            return
        try:
            for outgoing in messages[1 if skip_first else 0:]:
                for part in await outgoing.messages() if isinstance(outgoing, StreamedRest) else [outgoing]:
                    await self._send(message.from_user, part)
        finally:
            self._deliveries.finish(key)
            self._in_flight.pop(key, None)

    async def _send(self, open_id: str, message: Outgoing) -> None:
        """One customer-service message; a failure is logged, not raised (the transcript keeps the reply)."""
        try:
            await self.api.send(api_body(message, open_id))
        except (TimeoutError, WeChatAPIError, aiohttp.ClientError) as exc:
            log.error("WeChat customer-service send to %s failed: %s", Identity(self.name, open_id).handle, exc)

    def _track(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- answers -------------------------------------------------------------------------
    async def _answer(self, message: WeChatMessage) -> list[Outgoing | StreamedRest]:
        """What to say to one push (possibly nothing)."""
        identity = Identity(self.name, message.from_user)
        if message.msg_type == "event":
            return await self._on_event(message, identity)
        if message.msg_type == "text":
            menu_id = message.get("bizmsgmenuid")
            payload = self._ledger.menu_payload(message.from_user, menu_id) if menu_id else None
            return await self._converse(message, identity, message.get("Content"), payload)
        if message.msg_type == "voice" and message.get("Recognition"):
            return await self._converse(message, identity, message.get("Recognition"), None)
        label = message.get("Label")
        key = message.msg_type if message.msg_type in _MEDIA_ANSWERS else "unsupported"
        return [Text(self._say(identity, key, label=f" ({label})" if label else ""))]

    async def _on_event(self, message: WeChatMessage, identity: Identity) -> list[Outgoing]:
        event = message.event
        if event == "subscribe":
            self._followers.subscribed(message.from_user)
            buttons = [Button(self._say(identity, "consent_yes", joiner=" / "), CONSENT_YES),
                       Button(self._say(identity, "consent_no", joiner=" / "), CONSENT_NO)]
            question = self._say(identity, "consent_question")
            return [Text(self._say(identity, "welcome")),
                    menu(question, buttons, partial(self._ledger.menu_id, message.from_user))]
        if event == "unsubscribe":
            self._followers.unsubscribed(message.from_user)
            return []
        if event == "click" and message.get("EventKey"):
            return await self._converse(message, identity, "", message.get("EventKey"))
        return []

    async def _converse(self, message: WeChatMessage, identity: Identity, text: str,
                        payload: str | None) -> list[Outgoing | StreamedRest]:
        """A text or button press through the core (consent answers are handled here)."""
        if payload in (CONSENT_YES, CONSENT_NO):
            self._followers.answer_consent(message.from_user, payload == CONSENT_YES)
            return [Text(self._say(identity, "consent_given" if payload == CONSENT_YES
                                   else "consent_declined"))]
        inbound = InboundMessage(identity, text=text, payload=payload, message_id=message.dedupe_key, streams=True)
        replies = (await self.assistant.handle(inbound)).replies
        return await streamed_to_wechat(replies, partial(self._ledger.menu_id, message.from_user))

    def _to_wechat(self, open_id: str, replies: list[Reply]) -> list[Outgoing]:
        return replies_to_wechat(replies, partial(self._ledger.menu_id, open_id))

    def _say(self, identity: Identity, key: str, joiner: str = "\n\n", **facts: str) -> str:
        """``key`` in the conversation's language, or in Chinese and English before it has one."""
        state = self.assistant.store.conversations.state(identity.conversation_id)
        languages: tuple[Language, ...] = (state["language"],) if state.get("language") else ("zh", "en")
        return joiner.join(say(key, lang, shop=self.config.shop_name.get(lang, ""), **facts) for lang in languages)


async def _read_body(request: web.Request) -> bytes:
    """The request body, refused (:class:`BadMessage`) above :data:`MAX_BODY_BYTES`."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise BadMessage(f"body over {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.content.iter_chunked(16 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise BadMessage(f"body over {MAX_BODY_BYTES} bytes")
    return bytes(body)


@contextmanager
def _refusals() -> Iterator[None]:
    """A :class:`Refused` request answered 403 (logged with the reason only: no signature, no nonce)."""
    try:
        yield
    except Refused as exc:
        log.info("refused a WeChat request: %s", exc)
        raise web.HTTPForbidden(text="refused") from None


def _success() -> web.Response:
    """WeChat's "received, nothing to say now" answer."""
    return web.Response(text="success")
