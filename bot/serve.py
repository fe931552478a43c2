"""``kefu run``: start the store, the assistant and every configured channel; stop cleanly."""
from __future__ import annotations

import asyncio
import logging
import signal

from pydantic import SecretStr

from adapters.base import Channel
from adapters.forwarded import Forwarding
from adapters.shop_api import CouponAPI
from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.webhooks import ShopifyWebhooks
from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.web import WebChannel
from adapters.web.limits import NewConversationLimit
from adapters.wechat import WeChatChannel, WeChatConfig
from bot.app import build_assistant, build_recommender, open_store, warm_up
from bot.handoff_wiring import staff_channels, start_handoff
from bot.promotions import build_promotions
from bot.settings import Settings
from bot.shops import reconcile_every, shop_routes, start_shop
from core.assistant import Assistant
from core.shop.local import LocalShop
from core.shop.sync import ShopSync

log = logging.getLogger(__name__)


def configured_channels(assistant: Assistant, settings: Settings) -> list[Channel]:
    """The web chat always; platform channels when their settings are present (later issues)."""
    limit = NewConversationLimit(settings.kefu_web_new_conversations_per_address,
                                 settings.kefu_web_new_conversations_per_minute)
    forwarding = Forwarding(settings.kefu_trusted_proxies, public_https=settings.public_https)
    web = WebChannel(assistant, settings.kefu_host, settings.kefu_port, forwarding, limit)
    channels: list[Channel] = [web]
    if assistant.components.shop is not None:
        web.add_routes(shop_routes(settings, assistant.store, assistant.components.shop))
    if settings.kefu_shop_api_key:
        web.add_routes(CouponAPI(assistant.store, settings.kefu_shop_api_key.get_secret_value()).routes())
    shop = assistant.components.shop
    if isinstance(shop, ShopifyShop) and settings.shopify_api_secret and settings.shopify_shop_domain:
        web.add_routes(ShopifyWebhooks(assistant.store, shop, settings.shopify_api_secret.get_secret_value(),
                                       settings.shopify_shop_domain,
                                       settings.kefu_db_path.parent / "privacy-requests").routes())
    if settings.wechat_token:
        wechat = _wechat_channel(assistant, settings)
        web.add_routes(wechat.routes())
        channels.append(wechat)
    if settings.telegram_bot_token:
        channels.append(TelegramChannel(assistant, TelegramConfig.from_settings(settings), web=web))
    if assistant.components.staff is not None:
        channels += staff_channels(assistant.components.staff, settings, web)
    return channels


def _wechat_channel(assistant: Assistant, settings: Settings) -> WeChatChannel:
    """The WeChat webhook channel (its routes live on the web server)."""
    def secret(value: SecretStr | None) -> str:
        return value.get_secret_value() if value else ""
    return WeChatChannel(assistant, WeChatConfig(
        token=secret(settings.wechat_token), app_id=settings.wechat_app_id,
        app_secret=secret(settings.wechat_app_secret), api_base_url=settings.wechat_api_base_url,
        encoding_aes_key=secret(settings.wechat_encoding_aes_key), reply_budget_s=settings.wechat_reply_budget_s,
        shop_name={"zh": settings.kefu_shop_name_zh, "en": settings.kefu_shop_name_en}))


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
    recommender = build_recommender(store, settings)
    assistant = build_assistant(store, settings, recommender)
    warming = asyncio.create_task(warm_up(assistant))
    channels = configured_channels(assistant, settings)
    promotions = build_promotions(store, recommender, channels, settings) if settings.kefu_scheduler_enabled else None
    started: list[Channel] = []
    staff, watch, reconciling = assistant.components.staff, None, None
    shop = assistant.components.shop or LocalShop(store)
    try:
        await start_shop(shop)
        if not shop.keeps_orders_in_store and settings.kefu_shop_reconcile_minutes:
            reconciling = asyncio.create_task(reconcile_every(ShopSync(store, shop),
                                                              settings.kefu_shop_reconcile_minutes))
        for channel in channels:
            await channel.start()
            started.append(channel)
        if promotions is not None:
            await promotions.start()
        watch = start_handoff(staff, settings, started) if staff is not None else None
        web = channels[0]
        print(f"Kefu is running: web chat at http://{settings.kefu_host}:{web.port}/  (Ctrl-C stops)", flush=True)
        await stop.wait()
    finally:
        warming.cancel()
        if reconciling is not None:
            reconciling.cancel()
        if promotions is not None:
            await promotions.stop()
        if watch is not None:
            await watch.stop()
        if staff is not None:
            await staff.stop()
        for channel in reversed(started):
            await channel.stop()
        await shop.close()
        store.close()
        log.info("stopped")
