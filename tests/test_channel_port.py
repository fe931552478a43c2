"""The one ``Channel`` port and the one HTTP host: pushes degrade to text by default and each channel
renders its own; the host mounts whatever has routes; staff-only channels get neither staff replies
nor promotions; the web chat refuses sockets while it is stopped."""
from __future__ import annotations

import aiohttp
import pytest

from adapters.http import HttpHost
from adapters.slack import SlackChannel
from adapters.web import WebChannel
from adapters.wechat import WeChatChannel, WeChatConfig
from bot.channels import build_channels
from bot.handoff_wiring import connect_handoff
from bot.settings import load_settings
from core.channel import PushError, as_text
from core.messages import Button, Identity, ProductCard, Reply
from scheduler.service import shopper_channels
from tests.fakes.channel import RecordingChannel
from tests.fakes.wechat_api import FakeWeChatAPI
from tests.hosting import serving

SHOPPER = Identity("recording", "s1")


async def test_a_channel_without_its_own_push_sends_the_promotion_as_plain_text() -> None:
    channel = RecordingChannel()
    card = ProductCard("P1", "Red dress 红色连衣裙", "¥199", subtitle="new")
    await channel.push("campaign:1:2", SHOPPER, Reply("Spring sale", buttons=(Button("Shop now", "/shop"),),
                                                      cards=(card,), language="en"))
    [(identity, sent)] = channel.sent
    assert identity == SHOPPER and sent.language == "en" and sent.buttons == () and sent.cards == ()
    assert sent.text.splitlines() == ["Spring sale", "• Red dress 红色连衣裙  ¥199  (new)", "• Shop now"]
    assert channel.delivered("campaign:1:2") is None  # it cannot tell after a crash: never sent twice


def test_a_plain_reply_stays_as_it_is() -> None:
    reply = Reply("新品上架", language="zh")
    assert as_text(reply) == reply


def test_the_host_mounts_every_route_of_whatever_has_routes() -> None:
    async def hooked(_request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response()

    class Hook:
        def routes(self) -> list[aiohttp.web.RouteDef]:
            return [aiohttp.web.post("/hook", hooked)]

    host = HttpHost("127.0.0.1", 0)
    host.register([Hook(), RecordingChannel()])  # a channel without routes is skipped
    paths = {route.resource.canonical for route in host.build_app().router.routes()}
    assert paths == {"/hook"}


async def test_staff_only_channels_get_neither_staff_replies_nor_promotions(assistant) -> None:
    settings = load_settings(env_file=None, kefu_db_path=":memory:", slack_bot_token="xoxb-1",
                             slack_staff_channel="C1", slack_signing_secret="s")
    kefu = build_channels(assistant, settings)
    assert [c.name for c in kefu.channels] == ["web", "slack"] and isinstance(kefu.channels[1], SlackChannel)
    assert list(shopper_channels(kefu.channels)) == ["web"]
    hub = assistant.components.staff
    connect_handoff(hub, kefu.channels)
    assert list(hub.channels) == ["web"]


async def test_the_web_chat_refuses_sockets_while_it_is_stopped(assistant) -> None:
    web, host = WebChannel(assistant), HttpHost("127.0.0.1", 0)
    host.register([web])
    await host.start()
    try:
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"{host.url}ws")
            assert refused.value.status == 503
    finally:
        await host.stop()


async def test_a_web_push_needs_an_open_page(assistant) -> None:
    web = WebChannel(assistant)
    async with serving(web):
        with pytest.raises(PushError) as closed:
            await web.push("campaign:1:2", Identity("web", "no-page-open"), Reply("Spring sale"))
    assert closed.value.retryable and "not connected" in closed.value.reason


async def test_wechat_pushes_go_through_the_customer_service_api_and_say_whether_to_retry(assistant) -> None:
    fake = await FakeWeChatAPI().start()
    wechat = WeChatChannel(assistant, WeChatConfig(token="t", app_id=fake.app_id, app_secret=fake.app_secret,
                                                   api_base_url=fake.base_url))
    await wechat.start()
    follower = Identity("wechat", "o_follower")
    try:
        await wechat.push("campaign:1:2", follower, Reply("新品上架", language="zh"))
        [sent] = await fake.wait_for(1)
        assert sent["touser"] == "o_follower" and sent["text"]["content"] == "新品上架"
        fake.invalidate(45009)  # the daily limit: worth trying again later
        with pytest.raises(PushError) as limited:
            await wechat.push("campaign:1:3", follower, Reply("新品上架", language="zh"))
        assert limited.value.retryable
        fake.invalidate(45015)  # outside the 48-hour window: a retry cannot help
        with pytest.raises(PushError) as refused:
            await wechat.push("campaign:1:4", follower, Reply("新品上架", language="zh"))
        assert not refused.value.retryable and "45015" in refused.value.reason
        assert wechat.delivered("campaign:1:2") is None
    finally:
        await wechat.stop()
        await fake.stop()
