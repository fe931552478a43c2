"""Telegram's long polling as work that can be started and stopped on its own: Telegram allows one
``getUpdates`` caller per bot, so with several workers only the leader polls (webhook mode needs
no poller: every worker serves the webhook route)."""
from __future__ import annotations

from telegram.ext import Application

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class Polling:
    """Fetch updates by long polling while started (the application must be running)."""

    def __init__(self, application: Application, timeout: int) -> None:
        self._application = application
        self._timeout = timeout

    async def start(self) -> None:
        """Start fetching updates."""
        updater = self._application.updater
        assert updater is not None
        await updater.start_polling(timeout=self._timeout, allowed_updates=ALLOWED_UPDATES)

    async def stop(self) -> None:
        """Stop fetching (updates already fetched are still handled)."""
        updater = self._application.updater
        if updater is not None and updater.running:
            await updater.stop()
