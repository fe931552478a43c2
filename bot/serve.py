"""``kefu run``: start the store, the assistant and every configured channel; stop cleanly."""
from __future__ import annotations

import asyncio
import logging
import signal

from adapters.base import Channel
from adapters.web import WebChannel
from bot.app import build_assistant, open_store
from bot.settings import Settings
from core.assistant import Assistant

log = logging.getLogger(__name__)


def configured_channels(assistant: Assistant, settings: Settings) -> list[Channel]:
    """The web chat always; platform channels when their settings are present (later issues)."""
    return [WebChannel(assistant, settings.kefu_host, settings.kefu_port)]


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set), then shut every channel down in reverse order."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not supported
            pass
    store = open_store(settings)
    assistant = build_assistant(store, settings)
    channels = configured_channels(assistant, settings)
    started: list[Channel] = []
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        web = channels[0]
        print(f"Kefu is running: web chat at http://{settings.kefu_host}:{web.port}/  (Ctrl-C stops)", flush=True)
        await stop.wait()
    finally:
        for channel in reversed(started):
            await channel.stop()
        store.close()
        log.info("stopped")
