"""Fixtures and helpers for the Telegram tests: the fake Bot API, a shop in a file, channels over both."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram import TelegramChannel, TelegramConfig
from bot.app import build_assistant
from bot.settings import Settings
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.telegram_api import TOKEN, Call, FakeTelegramAPI

StartChannel = Callable[..., Awaitable[TelegramChannel]]


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeTelegramAPI]:
    """The fake Bot API server on 127.0.0.1."""
    fake = await FakeTelegramAPI().start()
    yield fake
    await fake.stop()


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    """The small shop in a database file, so that a restarted channel finds what the last one left."""
    path = tmp_path / "kefu.db"
    store = Store(path)
    seed_small_shop(store)
    store.close()
    return path


@pytest.fixture
async def start_channel(fake_api: FakeTelegramAPI, shop_db: Path, settings: Settings) -> AsyncIterator[StartChannel]:
    """Starts a polling channel (config overrides as keywords, ``web=`` for webhooks) over the shop
    file; everything started is stopped at the end."""
    running: list[tuple[TelegramChannel, Store]] = []

    async def start(web: Any = None, started: bool = True, **overrides: Any) -> TelegramChannel:
        store = Store(shop_db)
        config = TelegramConfig(**{"token": TOKEN, "api_base_url": fake_api.base_url, "poll_timeout": 1,
                                   **overrides})
        channel = TelegramChannel(build_assistant(store, settings), config, web=web)
        running.append((channel, store))
        if started:
            await channel.start()
        return channel

    yield start
    for channel, store in reversed(running):
        await channel.stop()
        store.close()


async def until_done(channel: TelegramChannel, update_id: int, timeout: float = 10.0) -> None:
    """Wait until the channel finished handling an update."""
    async def done() -> None:
        while channel.updates.status(str(update_id)) != "done":
            await asyncio.sleep(0.02)
    await asyncio.wait_for(done(), timeout)


async def exchange(fake: FakeTelegramAPI, channel: TelegramChannel, update: dict[str, Any]) -> list[Call]:
    """Deliver an update by polling and return the messages the bot sent to that chat for it."""
    chat_id = _chat_of(update)
    before = len(fake.messages(chat_id))
    await fake.push(update)
    await until_done(channel, update["update_id"])
    return fake.messages(chat_id)[before:]


def _chat_of(update: dict[str, Any]) -> int:
    for key in ("message", "edited_message"):
        if key in update:
            return update[key]["chat"]["id"]
    return update["callback_query"]["from"]["id"]
