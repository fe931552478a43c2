"""The Telegram channel's configuration, from Kefu's settings."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings
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

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        """The channel's part of the settings; requires ``TELEGRAM_BOT_TOKEN``."""
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        secret = settings.telegram_webhook_secret
        return cls(token=settings.telegram_bot_token.get_secret_value(),
                   api_base_url=settings.telegram_api_base_url,
                   webhook_url=settings.telegram_webhook_url,
                   webhook_secret=secret.get_secret_value() if secret else None,
                   poll_timeout=settings.telegram_poll_timeout,
                   default_language=settings.kefu_default_language)

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
