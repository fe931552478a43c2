"""Bad input never gets past a webhook's authentication nor crashes it: hypothesis posts random and
near-valid requests to Kefu's real web server with the Slack route (the real slack-bolt app,
adapters/slack) and the WeChat route (adapters/wechat), and checks every answer.

* Slack: a request without a valid ``X-Slack-Signature`` for its body and a fresh
  ``X-Slack-Request-Timestamp`` gets 401; correctly signed random event, interaction and slash
  command bodies get an answer below 500.
* WeChat: URL verification and pushes with random query strings get 403 unless ``signature`` (and,
  encrypted, ``msg_signature``) is right and the timestamp fresh; right ones get 200 or 400; a
  plaintext push to the encrypted endpoint gets 403; never 5xx.

The server runs on its own event loop in a thread, so the (synchronous) hypothesis tests talk to it
with the standard library's HTTP client. Normal runs try 300 requests per test, ``HYPOTHESIS_PROFILE=ci``
10,000."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.client
import json
import string
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.http import HttpHost
from adapters.slack import SlackChannel, SlackConfig
from adapters.slack.blocks import BACK, CLAIM, RESOLVE
from adapters.slack.config import EVENTS_PATH
from adapters.web import WebChannel
from adapters.wechat import WeChatChannel, WeChatConfig
from adapters.wechat.crypto import MessageCrypto
from adapters.wechat.signature import sign
from bot.app import build_assistant
from bot.channels import host_routes
from bot.settings import load_settings
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, STAFF_CHANNEL, FakeSlackAPI
from tests.fakes.wechat_api import FakeWeChatAPI

WECHAT_TOKEN, APP_ID, APP_SECRET = "kefu-token", "wx-test-app", "test-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECHAT_PATH = "/wechat"


@dataclass
class LiveServer:
    """The web server with both webhooks, served from a background thread's event loop."""

    port: int
    loop: asyncio.AbstractEventLoop

    def request(self, method: str, target: str, body: bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """One HTTP request on a fresh connection; the status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


async def _start() -> tuple[list, Store]:
    """Fakes, store, assistant and channels, all created on the server's loop (SQLite stays on its thread)."""
    fake_slack, fake_wechat = await FakeSlackAPI().start(), await FakeWeChatAPI().start()
    store = Store(":memory:")
    seed_small_shop(store)
    settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                             kefu_llm_backend="templates", kefu_rate_limit_messages=0)
    assistant = build_assistant(store, settings)
    hub = assistant.components.staff
    slack = SlackChannel(SlackConfig(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                                     staff_channel=STAFF_CHANNEL, api_url=fake_slack.base_url), hub)
    wechat = WeChatChannel(assistant, WeChatConfig(token=WECHAT_TOKEN, app_id=APP_ID, app_secret=APP_SECRET,
                                                   api_base_url=fake_wechat.base_url, encoding_aes_key=AES_KEY,
                                                   reply_budget_s=0.5))
    web, host = WebChannel(assistant), HttpHost("127.0.0.1", 0)
    host.register([*host_routes(store), web, slack, wechat])
    await host.start()
    for channel in (web, slack, wechat):
        await channel.start()
    return [wechat, slack, hub, web, host, fake_wechat, fake_slack], store


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    started, store = asyncio.run_coroutine_threadsafe(_start(), loop).result(60)
    yield LiveServer(started[4].port, loop)

    async def stop() -> None:
        for part in started:
            await part.stop()
        store.close()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(60)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


# -- Slack: signature and timestamp, then event bodies -----------------------------------------------------
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
                      max_size=80)
"""What an HTTP header value can carry (latin-1)."""
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
SLACK_KEYS = st.sampled_from(["type", "event", "event_id", "team_id", "api_app_id", "token", "challenge", "user",
                              "id", "channel", "thread_ts", "ts", "text", "subtype", "bot_id", "actions",
                              "action_id", "value", "action_ts", "trigger_id", "container", "message", "view"])
SLACK_VALUES = SCALARS | st.sampled_from(["event_callback", "url_verification", "block_actions", "message",
                                          "view_submission", "shortcut", CLAIM, RESOLVE, BACK, STAFF_CHANNEL,
                                          "UMEI", "1800000000.000001", "1", "-1", "1e9"])
SLACK_JSON = st.recursive(SLACK_VALUES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    SLACK_KEYS, inner, max_size=6), max_leaves=16)
"""Nested values with Slack's field names, right and wrong types."""
ACTION = st.fixed_dictionaries({"action_id": st.sampled_from([CLAIM, RESOLVE, BACK]) | st.text(max_size=8),
                                "value": st.text(max_size=8) | st.integers(-2, 3).map(str) | SCALARS,
                                "action_ts": st.text(max_size=8)})
INTERACTION = st.fixed_dictionaries(
    {"type": st.just("block_actions"), "user": st.fixed_dictionaries({"id": st.sampled_from(["UMEI", "UOUT"])}),
     "channel": st.fixed_dictionaries({"id": st.sampled_from([STAFF_CHANNEL, "COTHER"])}),
     "actions": st.lists(ACTION, min_size=1, max_size=2)},
    optional={"trigger_id": st.text(max_size=8), "message": SLACK_JSON})
EVENT = st.builds(lambda inner, event_id: {"type": "event_callback", "event_id": event_id, "team_id": "T0KEFU",
                                           "event": inner},
                  st.dictionaries(SLACK_KEYS, SLACK_VALUES, max_size=6).map(lambda e: {"type": "message", **e}),
                  st.text(max_size=10))
COMMAND = st.builds(lambda text, user, trigger: urlencode({"command": "/kefu", "text": text, "user_id": user,
                                                           "channel_id": STAFF_CHANNEL, "trigger_id": trigger}),
                    st.text(max_size=30) | st.sampled_from(["orders alice@example.com", "coupon", "resolve x"]),
                    st.sampled_from(["UMEI", "UOUT", ""]), st.text(max_size=8))
FORM_CT, JSON_CT = "application/x-www-form-urlencoded", "application/json"
RANDOM_BODIES = st.tuples(st.binary(max_size=200), st.sampled_from([FORM_CT, JSON_CT, "text/plain", ""]))
SLACK_SHAPED = st.one_of(
    st.tuples(EVENT.map(json.dumps).map(str.encode), st.just(JSON_CT)),
    st.tuples(INTERACTION.map(lambda p: urlencode({"payload": json.dumps(p)}).encode()), st.just(FORM_CT)),
    st.tuples(COMMAND.map(str.encode), st.just(FORM_CT)),
    st.tuples(st.recursive(SCALARS, st.lists, max_leaves=5).map(json.dumps).map(str.encode), st.just(JSON_CT)),
)
"""(body, content type) as Slack sends them: events, interactions and slash commands with random values,
and JSON that is not an object at all."""
SLACK_BODIES = RANDOM_BODIES | SLACK_SHAPED | st.tuples(
    (SLACK_JSON.map(json.dumps) | SLACK_JSON.map(lambda p: urlencode({"payload": json.dumps(p)}))).map(str.encode),
    st.sampled_from([JSON_CT, FORM_CT]))
"""Also random bytes, and JSON with Slack's field names nested in any shape."""


def _slack_post(server: LiveServer, body: bytes, content_type: str, timestamp: str, signature: str) -> int:
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}
    if content_type:
        headers["Content-Type"] = content_type
    return server.request("POST", EVENTS_PATH, body, headers)[0]


def _refusal(body: bytes) -> int:
    """The status of a request that is not correctly signed: 401, or 400 for a body that is not UTF-8 text."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return 400
    return 401


def _sign(timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: HMAC-SHA256 of ``v0:{timestamp}:{raw body}`` with the signing secret."""
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


SIGNATURES = st.sampled_from(["", "v0=", "v1=abc", "v0=" + "0" * 64]) | HEADER_TEXT
TIMESTAMPS = st.sampled_from(["", "0", "-1", "1e10", "abc", "99999999999999999999", " 1"]) | HEADER_TEXT | \
    st.integers(-10 ** 12, 10 ** 12).map(str)


@given(SLACK_BODIES, TIMESTAMPS, SIGNATURES)
@example((b'{"type": "url_verification", "challenge": "x"}', JSON_CT), "", "")
@example((b"{}", JSON_CT), "1700000000", "v0=\xe9")  # non-ASCII: hmac.compare_digest would raise
@example((b"\xff{}", JSON_CT), "1700000000", "v0=")
def test_slack_requests_without_a_valid_signature_get_401(server, body_and_type, timestamp, signature) -> None:
    body, content_type = body_and_type
    assert _slack_post(server, body, content_type, timestamp, signature) == _refusal(body)


@given(SLACK_BODIES, st.sampled_from([-3600, -301, 330, 3600]), st.booleans())  # +330: a slow request still lands > 300 s
def test_slack_signatures_for_stale_timestamps_or_other_bodies_get_401(server, body_and_type, skew,
                                                                      tamper) -> None:
    """A valid signature is refused when the timestamp is more than five minutes off, or the body changed."""
    body, content_type = body_and_type
    if tamper:
        timestamp = str(int(time.time()))
        signature = _sign(timestamp, body)
        body += b" "
    else:
        timestamp = str(int(time.time()) + skew)
        signature = _sign(timestamp, body)
    assert _slack_post(server, body, content_type, timestamp, signature) == _refusal(body)


@given(RANDOM_BODIES | SLACK_SHAPED)
@example((urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "UMEI"},
                                            "channel": {"id": STAFF_CHANNEL},
                                            "actions": [{"action_id": CLAIM, "value": "not-a-number",
                                                         "action_ts": "1"}]})}).encode(), FORM_CT))
@example((b"\xff\xfe not utf-8", JSON_CT))
@example((b"null", JSON_CT))  # bolt's parser raises on JSON that is not an object: 400
@example((b"{not json", JSON_CT))
def test_signed_slack_bodies_are_answered_without_a_server_error(server, body_and_type) -> None:
    """Only Slack can sign: these are the shapes it sends, with any values in them (bolt itself trusts
    a signed envelope's shape, e.g. that ``event`` is an object)."""
    body, content_type = body_and_type
    timestamp = str(int(time.time()))
    status = _slack_post(server, body, content_type, timestamp, _sign(timestamp, body))
    assert status < 500, (status, body)


# -- WeChat: signature query strings -----------------------------------------------------------------------
QUERY_KEYS = st.sampled_from(["signature", "timestamp", "nonce", "echostr", "encrypt_type", "msg_signature",
                              "openid", "x"])
QUERY_TEXT = st.text(max_size=30) | st.sampled_from(["aes", "AES", "raw", "", "%", "%zz", "%ff%fe", "+", "&&"])
RAW_QUERIES = st.lists(st.tuples(QUERY_KEYS | st.text(max_size=8), QUERY_TEXT), max_size=7).map(
    lambda pairs: "&".join(f"{quote(k, safe='%+')}={quote(v, safe='%+=&')}" for k, v in pairs))
"""Query strings with WeChat's keys, repeated keys, stray separators and broken percent-escapes."""
CRYPTO = MessageCrypto(AES_KEY, APP_ID)
PUSH = ("<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[o_fuzz]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[VIEW]]></Event></xml>")
"""A push that needs no answer (a menu link opened), so valid requests stay cheap."""


def _signed(timestamp: str, nonce: str, *extra: str) -> str:
    return sign(WECHAT_TOKEN, timestamp, nonce, *extra)


def _fresh(nonce: str) -> tuple[str, str]:
    """A timestamp of now and ``nonce`` made unique, as WeChat signs each request."""
    return str(int(time.time())), f"{uuid.uuid4().hex}{nonce}"


@given(RAW_QUERIES)
@example("signature=&timestamp=&nonce=&echostr=x")
@example("signature=%ff%fe&timestamp=1&nonce=2&echostr=x")
@example("signature=%ED%A0%80&echostr=x")  # a UTF-8-encoded lone surrogate
def test_wechat_verification_with_random_query_strings_is_refused(server, query: str) -> None:
    status, _ = server.request("GET", f"{WECHAT_PATH}?{query}")
    assert status == 403


@given(st.text(max_size=12), st.text(max_size=20))
def test_wechat_verification_with_a_right_signature_echoes_echostr(server, nonce, echostr) -> None:
    timestamp, nonce = _fresh(nonce)
    query = urlencode({"signature": _signed(timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                       "echostr": echostr})
    status, body = server.request("GET", f"{WECHAT_PATH}?{query}")
    if echostr:
        assert (status, body.decode()) == (200, echostr)
    else:
        assert status == 400


@given(st.integers(301, 10**12) | st.integers(-(10**12), -301) | st.text(alphabet=string.printable, max_size=12),
       st.text(max_size=12), st.sampled_from(["GET", "POST"]))
def test_wechat_right_signatures_with_stale_or_odd_timestamps_are_refused(server, skew, nonce, method) -> None:
    """A signature of the token is not enough: its timestamp must be within five minutes of now."""
    timestamp = str(int(time.time()) + skew) if isinstance(skew, int) else skew
    if timestamp.isascii() and timestamp.isdigit() and abs(int(timestamp) - time.time()) < 310:
        timestamp = "1500000000"  # the text happened to be a fresh timestamp
    query = urlencode({"signature": _signed(timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                       "echostr": "x"})
    status, _ = server.request(method, f"{WECHAT_PATH}?{query}", PUSH.encode() if method == "POST" else b"")
    assert status == 403


@given(RAW_QUERIES, st.binary(max_size=100) | st.just(PUSH.encode()))
def test_wechat_pushes_with_random_query_strings_are_refused(server, query: str, body: bytes) -> None:
    status, _ = server.request("POST", f"{WECHAT_PATH}?{query}", body, {"Content-Type": "text/xml"})
    assert status == 403


@given(st.text(max_size=10), RAW_QUERIES, st.sampled_from(["right", "wrong", "missing", "plaintext"]))
def test_encrypted_pushes_need_the_right_msg_signature(server, nonce, extra: str, msg_sig: str) -> None:
    """With an EncodingAESKey set, only encrypted pushes with the right ``msg_signature`` are taken."""
    timestamp, nonce = _fresh(nonce)
    ciphertext = CRYPTO.encrypt(PUSH)
    query = {"signature": _signed(timestamp, nonce), "timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes"}
    if msg_sig == "right":
        query["msg_signature"] = _signed(timestamp, nonce, ciphertext)
    elif msg_sig == "wrong":
        query["msg_signature"] = _signed(timestamp, nonce, ciphertext + "x")
    envelope = f"<xml><ToUserName>gh_kefu</ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    if msg_sig == "plaintext":  # rightly signed, but nothing signs a plaintext body
        del query["encrypt_type"]
        envelope = PUSH
    status, _ = server.request("POST", f"{WECHAT_PATH}?{urlencode(query)}&{extra}", envelope.encode(),
                               {"Content-Type": "text/xml"})
    assert status == (200 if msg_sig == "right" else 403), status
