"""Telegram with several workers (docs/SCALING.md): in polling mode only the leader fetches updates
(``polling_by_leader``: the channel starts without polling, the leadership starts and stops it);
in webhook mode there is nothing leader-only, every worker serves the route."""
from __future__ import annotations

import asyncio

from core.cluster.leadership import SoleLeader
from tests.telegram.conftest import exchange

URL = "https://shop.example/telegram/webhook"


async def test_only_the_leader_polls(fake_api, start_channel):
    channel = await start_channel(polling_by_leader=True)
    await asyncio.sleep(0.5)
    assert fake_api.sent("getUpdates") == []  # started, sending works, not fetching
    leadership = SoleLeader()
    await leadership.start(channel.leader_work())
    replies = await exchange(fake_api, channel, fake_api.message_update(111, "你好"))
    assert replies and replies[0].chat_id == 111
    await leadership.stop()
    await asyncio.sleep(1.5)  # a long poll in flight (1 s) ends, and the offset is confirmed
    polls = len(fake_api.sent("getUpdates"))
    await asyncio.sleep(2.0)  # a running poller would have asked again, twice
    assert len(fake_api.sent("getUpdates")) == polls


async def test_without_polling_by_the_leader_start_polls_as_before(fake_api, start_channel):
    channel = await start_channel()
    assert channel.leader_work() == []
    assert await exchange(fake_api, channel, fake_api.message_update(111, "你好"))


async def test_webhook_mode_has_no_leader_only_work(start_channel):
    channel = await start_channel(started=False, webhook_url=URL, webhook_secret="s3cret-token",
                                  polling_by_leader=True)
    assert channel.leader_work() == [] and channel.routes()
