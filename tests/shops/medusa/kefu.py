"""Kefu in front of the test Medusa: the assistant built from settings (``KEFU_SHOP_BACKEND=medusa``),
the real web channel on the port the Medusa subscriber posts to, and a shopper on its websocket."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.http import HttpHost
from adapters.web import WebChannel
from bot.app import build_assistant
from bot.channels import build_channels
from bot.settings import Settings, load_settings
from bot.shops import start_shop
from core.assistant import Assistant
from core.shop.sync import ShopSync
from core.store import Store
from tests.shops.medusa.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Medusa


def medusa_settings(medusa: Medusa, events: dict[str, str], db: Path, **extra: Any) -> Settings:
    """Settings of a Kefu using the test Medusa, listening where the subscriber posts."""
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=str(db),
                         kefu_llm_backend="templates", kefu_rate_limit_messages=0, kefu_host="127.0.0.1",
                         kefu_port=urlsplit(events["url"]).port, kefu_shop_backend="medusa",
                         medusa_url=medusa.base_url, medusa_admin_email=ADMIN_EMAIL,
                         medusa_admin_password=ADMIN_PASSWORD, medusa_events_secret=events["secret"],
                         kefu_web_new_conversations_per_address=0, kefu_web_new_conversations_per_minute=0,
                         **extra)


@dataclass
class Kefu:
    """A running Kefu: its store, assistant and web channel."""

    store: Store
    assistant: Assistant
    web: WebChannel
    host: HttpHost

    def audit(self) -> list[str]:
        """What shoppers' turns recorded, in order."""
        return [e["action"] for e in self.store.audit.entries() if e["actor"].startswith("customer:")]

    def handoffs(self) -> list[str]:
        return [row[0] for row in self.store.db.execute("select reason from handoffs order by id")]


async def start_kefu(settings: Settings) -> Kefu:
    """Open the store, start the Medusa backend, sync, and serve the web channel (with the events route)."""
    store = Store(settings.kefu_db_path)
    assistant = build_assistant(store, settings)
    await start_shop(assistant.components.shop)
    await ShopSync(store, assistant.components.shop).full()
    built = build_channels(assistant, settings)
    web = built.channels[0]
    await built.host.start()
    await web.start()
    return Kefu(store, assistant, web, built.host)


async def stop_kefu(kefu: Kefu) -> None:
    await kefu.web.stop()
    await kefu.host.stop()
    await kefu.assistant.components.shop.close()
    kefu.store.close()


class Shopper:
    """One widget on the websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._count = 0

    @classmethod
    async def connect(cls, http: aiohttp.ClientSession, kefu: Kefu) -> Shopper:
        ws = await http.ws_connect(f"{kefu.host.url}ws")
        await ws.send_json({"type": "hello", "session": "", "lang": "en"})
        welcome = await ws.receive_json(timeout=10)
        assert welcome["type"] == "welcome"
        return cls(ws)

    async def say(self, text: str) -> str:
        """Send a message; the reply's text (typing first)."""
        self._count += 1
        await self.ws.send_json({"type": "message", "text": text, "id": f"m{self._count}"})
        while True:
            frame = await self.ws.receive_json(timeout=30)
            if frame["type"] == "reply":
                return frame["text"]


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 10.0) -> Any:
    """``check()``'s first truthy answer within ``seconds``; fails with its last answer."""
    deadline, answer = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        answer = await check()
        if answer:
            return answer
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {answer!r}")
