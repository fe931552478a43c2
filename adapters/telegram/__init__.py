"""The Telegram channel, on python-telegram-bot: long polling or webhooks, rich replies, delivery
you can trust (update de-duplication, a persisted outbox, rate limits). See README "Telegram".

``TelegramChannel(assistant, TelegramConfig(token, ...))``; in webhook mode the HTTP host mounts
:meth:`TelegramChannel.routes` (``kefu run`` builds it from settings: :mod:`bot.channels`)."""
from adapters.telegram.channel import TelegramChannel
from adapters.telegram.config import TelegramConfig

__all__ = ["TelegramChannel", "TelegramConfig"]
