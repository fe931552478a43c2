"""Hostile header values never get past authentication nor crash a route: every authenticated HTTP route
Kefu's web server mounts (data-export downloads, the shop's coupon API, the staff inbox, WeChat, Slack,
the Telegram webhook and the Medusa subscriber's events) gets non-ASCII, undecodable, very long and control-character values in its
secret header and in the headers every route reads (cookies, the forwarded headers of a trusted proxy,
content type, accept), sent as raw bytes over a socket (aiohttp's client refuses to send some of them).
Each answer is a 4xx and nothing is logged with a traceback."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_network

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.ext import Application

from adapters.forwarded import Forwarding
from adapters.http import HttpHost
from adapters.inbox import StaffInbox
from adapters.shop_api import CouponAPI
from adapters.shops.medusa.events import PATH as MEDUSA_EVENTS_PATH
from adapters.shops.medusa.events import MedusaEvents
from adapters.slack import SlackChannel, SlackConfig
from adapters.slack.config import EVENTS_PATH
from adapters.telegram.webhook import SECRET_HEADER, WebhookEndpoint
from adapters.web import WebChannel
from adapters.web.export_links import SESSION_HEADER
from adapters.wechat import WeChatChannel, WeChatConfig
from bot.channels import host_routes
from core.actions.data_rights import EXPORT_PATH
from core.assistant import Assistant
from core.messages import Identity
from core.promotions.coupons import Coupons
from core.shop.sync import ShopSync
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, STAFF_CHANNEL, FakeSlackAPI
from tests.fakes.wechat_api import FakeWeChatAPI

TELEGRAM_PATH = "/telegram/webhook"
WEB_SHOPPER = Identity("web", "fuzz-session-0001")


@dataclass(frozen=True)
class Route:
    """One authenticated route: how to call it, and the header that carries its secret."""

    method: str
    path: str
    secret_header: str
    body: bytes = b'{"code": "KF-X", "total": "1.00", "order_id": "#W1", "name": "Mei", "password": "wrong one"}'


def _routes(assistant: Assistant) -> list[Route]:
    customer = assistant.store.customers.by_external_id("C1")["id"]
    token = assistant.store.privacy_links.issue(customer, WEB_SHOPPER.conversation_id, "en", timedelta(minutes=5))
    export = EXPORT_PATH + token
    return [
        Route("POST", export, SESSION_HEADER), Route("GET", export, SESSION_HEADER),
        Route("POST", "/api/coupons/check", "X-Kefu-Key"), Route("POST", "/api/coupons/redeem", "X-Kefu-Key"),
        Route("POST", "/staff/api/login", "Cookie"), Route("GET", "/staff/api/conversations", "Cookie"),
        Route("POST", "/staff/api/logout", "X-CSRF-Token"),
        Route("POST", "/staff/api/conversations/web:x/claim", "X-CSRF-Token"),
        Route("GET", "/wechat?signature=0&timestamp=1&nonce=2&echostr=x", "X-Forwarded-For"),
        Route("POST", "/wechat?signature=0&timestamp=1&nonce=2", "X-Forwarded-For", b"<xml></xml>"),
        Route("POST", EVENTS_PATH, "X-Slack-Signature"), Route("POST", EVENTS_PATH, "X-Slack-Request-Timestamp"),
        Route("POST", TELEGRAM_PATH, SECRET_HEADER),
        Route("POST", MEDUSA_EVENTS_PATH, "X-Kefu-Signature"), Route("POST", MEDUSA_EVENTS_PATH, "X-Kefu-Timestamp"),
    ]


OTHER_HEADERS = ("Cookie", "X-Forwarded-For", "X-Forwarded-Proto", "Content-Type", "Accept")
"""Headers any route may read; the server trusts the loopback peer as a proxy, so the forwarded ones are parsed."""
HOSTILE = [
    "é".encode("latin-1"), "秘密".encode(), "v0=é".encode(), b"\xff\xfe\xfd", b"\xed\xa0\x80", b"\xc3", b"\x80abc",
    b"x" * 8000, b"\xff" * 8000, b"x" * 9000, b"\x01\x02\x1b[31m\x7f", b"\x00", b"a\x00b", b"\t", b"", b" , ,",
    b"a\x0bb\x0cc",
    b"kefu_staff=\xff; kefu_staff=\xe9", b"1.2.3.4, \xff, 127.0.0.1", b"::1%\xff", b"999.1.1.1, 127.0.0.1",
]
"""Non-ASCII (latin-1 and UTF-8), invalid UTF-8 (stray and truncated bytes, an encoded surrogate), very
long (over aiohttp's 8190-byte limit too), control characters and NUL, empty, and near-valid cookies and
address lists."""


@dataclass
class Server:
    """The web server on a free port and the routes to attack."""

    port: int
    routes: list[Route]

    async def send(self, route: Route, header: str, value: bytes) -> int:
        """One raw HTTP/1.1 request with ``header: value`` as bytes; the status of the answer."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            head = [f"{route.method} {route.path} HTTP/1.1".encode(), b"Host: 127.0.0.1", b"Connection: close",
                    b"Content-Length: " + str(len(route.body)).encode()]
            if header != "Content-Type":
                head.append(b"Content-Type: application/json")
            head.append(header.encode() + b": " + value)
            writer.write(b"\r\n".join(head) + b"\r\n\r\n" + route.body)
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 30)
            return int(status_line.split()[1])
        finally:
            writer.close()


@pytest.fixture
async def server(assistant: Assistant) -> AsyncIterator[Server]:
    fake_slack, fake_wechat = await FakeSlackAPI().start(), await FakeWeChatAPI().start()
    hub = assistant.components.staff
    slack = SlackChannel(SlackConfig(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                                     staff_channel=STAFF_CHANNEL, api_url=fake_slack.base_url), hub)
    wechat = WeChatChannel(assistant, WeChatConfig(token="kefu-token", app_id="wx-fuzz", app_secret="secret",
                                                   api_base_url=fake_wechat.base_url, reply_budget_s=0.5))
    telegram = Application.builder().token("123456:fuzz").build()
    web = WebChannel(assistant)
    host = HttpHost("127.0.0.1", 0, Forwarding((ip_network("127.0.0.1"),), public_https=True))
    host.register([*host_routes(assistant.store), web, wechat, slack])
    host.mount([*CouponAPI(assistant.store, Coupons(assistant.store.db), "shop-key").routes(), *StaffInbox(hub, "staff password").routes(),
                WebhookEndpoint(telegram, "tg-secret").route(TELEGRAM_PATH),
                *MedusaEvents(ShopSync(assistant.store, assistant.components.shop),
                              "medusa-events-secret-0001").routes()])
    await host.start()
    for channel in (web, slack, wechat):
        await channel.start()
    try:
        yield Server(host.port, _routes(assistant))
    finally:
        for part in (wechat, slack, hub, web, host, fake_wechat, fake_slack):
            await part.stop()


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


async def test_every_authenticated_route_refuses_hostile_headers_with_a_4xx(server, caplog) -> None:
    caplog.set_level(logging.INFO)
    answers = {}
    for route in server.routes:
        for header in (route.secret_header, *OTHER_HEADERS):
            for value in HOSTILE:
                answers[route.method, route.path, header, value] = await server.send(route, header, value)
    wrong = {request: status for request, status in answers.items() if not 400 <= status < 500}
    assert not wrong
    assert not _tracebacks(caplog)


HEADER_BYTES = st.binary(max_size=300).filter(lambda value: b"\r" not in value and b"\n" not in value)


@given(st.data())
async def test_random_header_bytes_get_a_4xx(server, caplog, data) -> None:
    caplog.set_level(logging.INFO)
    route = data.draw(st.sampled_from(server.routes))
    header = data.draw(st.sampled_from((route.secret_header, *OTHER_HEADERS)))
    status = await server.send(route, header, data.draw(HEADER_BYTES))
    assert 400 <= status < 500
    assert not _tracebacks(caplog)
