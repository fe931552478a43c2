"""The Telegram channel's configuration (built from Kefu's settings in :mod:`bot.channels`)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from core.messages import Language

DEFAULT_WEBHOOK_PATH = "/telegram/webhook"


@dataclass(frozen=True)
class TelegramConfig:
    """Token, Bot API server and the update mode (webhook when ``webhook_url`` is set, else polling)."""

    token: str
    api_base_url: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    poll_timeout: int = 30
    default_language: Language = "en"
    """Language before a shopper chose one or wrote, when Telegram's app language is neither zh nor en."""
    rate_limit_retries: int = 2
    """How often the rate limiter itself retries a request Telegram answered with 429 (RetryAfter)."""
    polling_by_leader: bool = False
    """Polling mode: the cluster's leader starts the polling (``TelegramChannel.leader_work``), not ``start``."""

    @property
    def webhook_path(self) -> str:
        """Where Kefu's web server receives webhook posts: the path of ``webhook_url``."""
        path = urlsplit(self.webhook_url or "").path.rstrip("/")
        return path or DEFAULT_WEBHOOK_PATH

    @property
    def bot_base_url(self) -> str:
        """python-telegram-bot's ``base_url`` (the token is appended)."""
        return f"{self.api_base_url}/bot"

    @property
    def file_base_url(self) -> str:
        """python-telegram-bot's ``base_file_url`` (the token is appended)."""
        return f"{self.api_base_url}/file/bot"
