"""``TelegramChannel``: python-telegram-bot's ``Application`` wired to Kefu's assistant.

Updates arrive by long polling (development) or by webhook posts to Kefu's HTTP host (production,
when ``webhook_url`` is set: :meth:`TelegramChannel.routes`). Each is claimed in the update log (a
redelivery is skipped), handled by one handler module (commands, callbacks, messages, media), and
marked done. Replies and promotions go through the outbox."""
from __future__ import annotations

import logging

from aiohttp import web
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from adapters.telegram import callbacks, commands, media, messages
from adapters.telegram.config import TelegramConfig
from adapters.telegram.delivery import Delivery
from adapters.telegram.outbox import Outbox
from adapters.telegram.payloads import CallbackPayloads
from adapters.telegram.polling import ALLOWED_UPDATES, Polling
from adapters.telegram.push import TelegramPush
from adapters.telegram.rendering import render_reply
from adapters.telegram.shopper import CHANNEL, SERVICES, Services, Shopper
from adapters.telegram.storage import UPDATES_KEPT, register
from adapters.telegram.updates import TolerantUpdatesRequest
from adapters.telegram.webhook import WebhookEndpoint
from core.assistant import Assistant
from core.channel import Channel
from core.messages import Identity, Outbound, Reply
from core.profile import Profiles
from core.store import Store

log = logging.getLogger(__name__)


class TelegramChannel(Channel):
    """Telegram for shoppers; in webhook mode the HTTP host serves its route."""

    name = CHANNEL

    def __init__(self, assistant: Assistant, config: TelegramConfig) -> None:
        if config.webhook_url and not config.webhook_secret:
            raise ValueError("webhook mode needs a secret token")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the bot token in URLs
        store = assistant.store
        self.config = config
        self.application = _build_application(config)
        self.polling = Polling(self.application, config.poll_timeout)
        """Long polling (polling mode); started by :meth:`start` unless ``config.polling_by_leader``."""
        own = register(store)
        self.updates = store.handled_once(CHANNEL)
        self.outbox = Outbox(own)
        self._profiles = Profiles(store)
        self.delivery = Delivery(self.application.bot, self.outbox, self._mark_unreachable)
        self._push = TelegramPush(self.delivery, self.outbox)
        self._services = Services(assistant, self._profiles, self.delivery, CallbackPayloads(own))
        self.application.bot_data[SERVICES] = self._services
        self._register_handlers()

    def routes(self) -> list[web.AbstractRouteDef]:
        """The webhook route in webhook mode (none when polling), for the HTTP host."""
        if not self.config.webhook_url:
            return []
        return [WebhookEndpoint(self.application, self.config.webhook_secret or "").route(self.config.webhook_path)]

    @property
    def store(self) -> Store:
        """The shop's store the channel reads and writes."""
        return self._services.store

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Connect (getMe), register the command menus, send what is left in the outbox, then
        start polling or register the webhook."""
        app, bot = self.application, self.application.bot
        pruned = self.updates.prune(UPDATES_KEPT, done_only=False)
        await app.initialize()
        try:
            await bot.set_my_commands(commands.menu("en"))
            await bot.set_my_commands(commands.menu("zh"), language_code="zh")
            await app.start()
            await self.delivery.flush_all()
            if self.config.webhook_url:
                await bot.set_webhook(self.config.webhook_url, secret_token=self.config.webhook_secret,
                                      allowed_updates=ALLOWED_UPDATES)
            elif not self.config.polling_by_leader:
                await self.polling.start()
        except BaseException:
            await self.stop()
            raise
        mode = f"webhook {self.config.webhook_path}" if self.config.webhook_url else \
            "long polling by the leader" if self.config.polling_by_leader else "long polling"
        log.info("telegram bot @%s started (%s; %d old update ids pruned)", bot.username, mode, pruned)

    async def stop(self) -> None:
        """Stop fetching, finish the updates already fetched, cancel scheduled retries (pending
        messages stay in the outbox for the next start)."""
        app = self.application
        await self.polling.stop()
        if app.running:
            await app.stop()
        await self.delivery.close()
        await app.shutdown()

    def leader_work(self) -> list[Polling]:
        """What only the cluster's leader runs: the long polling, in polling mode with ``polling_by_leader``."""
        return [self.polling] if self.config.polling_by_leader and not self.config.webhook_url else []

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Deliver a reply (through the outbox) or a typing indicator to a shopper's private chat."""
        if identity.channel != self.name:
            raise ValueError(f"the telegram channel cannot send to {identity.channel!r} identities")
        chat_id = int(identity.user_id)
        if isinstance(outbound, Reply):
            await self.delivery.send(chat_id, render_reply(outbound, self._services.payloads))
        else:
            await self.delivery.typing(chat_id)

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """A promotion through the outbox, keyed (:mod:`adapters.telegram.push`)."""
        await self._push.push(key, identity, reply)

    def delivered(self, key: str) -> bool:
        """Whether the outbox holds the push keyed ``key``."""
        return self._push.delivered(key)

    # -- handlers ------------------------------------------------------------------------
    def _register_handlers(self) -> None:
        app = self.application
        app.add_handler(TypeHandler(Update, self._claim), group=-1)
        app.add_handlers([*commands.handlers(), callbacks.handler(), messages.handler(), media.handler()])
        app.add_handler(TypeHandler(Update, self._finish), group=1)
        app.add_error_handler(self._on_error)

    async def _claim(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """First of every update: skip a redelivery; a shopper who writes again is reachable again."""
        if not self.updates.claim(str(update.update_id)):
            log.info("update %s already handled; skipped", update.update_id)
            raise ApplicationHandlerStop
        user = update.effective_user
        customer = self._services.store.customers.for_identity(CHANNEL, str(user.id)) if user else None
        if customer and customer.get("unreachable"):
            self._profiles.set_unreachable(customer["id"], False)

    async def _finish(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Last of every update (also after a handler failed): mark it done."""
        self.updates.finish(str(update.update_id))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a handler's failure and apologise to the shopper."""
        log.error("telegram handler failed", exc_info=context.error)
        if isinstance(update, Update) and (shopper := Shopper.of(update, context)):
            await self.delivery.send(shopper.chat_id, shopper.text("error"), source=f"update:{update.update_id}:error")

    def _mark_unreachable(self, chat_id: int) -> None:
        """The shopper blocked the bot (Telegram answered Forbidden)."""
        customer = self._services.store.customers.for_identity(CHANNEL, str(chat_id))
        if customer is not None:
            self._profiles.set_unreachable(customer["id"], True)


def _build_application(config: TelegramConfig) -> Application:
    """The python-telegram-bot application for the configured Bot API server, rate-limited."""
    return (ApplicationBuilder()
            .token(config.token)
            .base_url(config.bot_base_url)
            .base_file_url(config.file_base_url)
            .rate_limiter(AIORateLimiter(max_retries=config.rate_limit_retries))
            .get_updates_request(TolerantUpdatesRequest(connection_pool_size=1))
            .build())
