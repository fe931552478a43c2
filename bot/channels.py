"""Every channel of ``kefu run`` built from settings, and the one HTTP host that serves their routes:
the web chat always, WeChat, Telegram and Slack when their settings are present, the staff inbox,
the shop's endpoints, health and metrics, the data-export links (docs/ARCHITECTURE.md)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from pydantic import SecretStr

from adapters.forwarded import Forwarding
from adapters.http import HttpHost, Routed, ServiceRoutes
from adapters.inbox import StaffInbox
from adapters.inbox.accounts import StaffAccounts
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.canned import CannedSection
from adapters.inbox.copilot import CopilotSection
from adapters.inbox.kb import KnowledgeSection
from adapters.inbox.reports import ReportsSection
from adapters.inbox.review import ReviewSection
from adapters.inbox.review_log import register as register_reviews
from adapters.inbox.search import SearchSection
from adapters.inbox.section import ConsoleSection
from adapters.inbox.settings_view import SettingRow, SettingsSection
from adapters.inbox.team import AccountsSection
from adapters.inbox.transcript_search import register as register_search
from adapters.shop_api import CouponAPI
from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.webhooks import ShopifyWebhooks
from adapters.slack import SlackChannel, SlackConfig
from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.web import WebChannel
from adapters.web.export_links import ExportDownloads
from adapters.web.limits import NewConversationLimit
from adapters.wechat import WeChatChannel, WeChatConfig
from bot.scaling import fanout_for, limits_for, staff_sessions_for
from bot.settings import Settings
from bot.shops import shop_routes
from core.actions.knowledge import KnowledgeAction
from core.assistant import Assistant
from core.channel import Channel
from core.cluster.readiness import WorkerStatus
from core.promotions.coupons import Coupons
from core.staff import HandoffHub
from core.store import Store
from core.suggestion import suggest_reply


@dataclass(frozen=True)
class Channels:
    """The channels to start (the web chat first) and the host with all their routes mounted."""

    host: HttpHost
    channels: list[Channel]


def build_channels(assistant: Assistant, settings: Settings, status: WorkerStatus | None = None) -> Channels:
    """Every configured channel, and the HTTP host serving every route (call its ``start`` first);
    ``status``: this worker's readiness and leadership for ``/healthz`` (default: one process)."""
    store = assistant.store
    host = HttpHost(settings.kefu_host, settings.kefu_port,
                    Forwarding(settings.kefu_trusted_proxies, public_https=settings.public_https))
    host.register(host_routes(store, status))
    fanout = fanout_for(store, settings.worker_id)
    channels: list[Channel] = [WebChannel(assistant, NewConversationLimit(
        settings.kefu_web_new_conversations_per_address, settings.kefu_web_new_conversations_per_minute,
        limits=limits_for(store)), bus=fanout.bus, presence=fanout.presence)]
    shop = assistant.components.shop
    if shop is not None:
        host.mount(shop_routes(settings, store, shop))
    if settings.kefu_shop_api_key:
        host.mount(CouponAPI(store, Coupons(store.db), settings.kefu_shop_api_key.get_secret_value()).routes())
    if isinstance(shop, ShopifyShop) and settings.shopify_api_secret and settings.shopify_shop_domain:
        host.mount(ShopifyWebhooks(store, shop, settings.shopify_api_secret.get_secret_value(),
                                   settings.shopify_shop_domain,
                                   settings.kefu_db_path.parent / "privacy-requests").routes())
    if settings.wechat_token:
        channels.append(WeChatChannel(assistant, wechat_config(settings)))
    if settings.telegram_bot_token:
        channels.append(TelegramChannel(assistant, telegram_config(settings)))
    if assistant.components.staff is not None:
        accounts = register_accounts(store)
        channels += staff_channels(assistant, settings, host, accounts,
                                   console_sections(assistant, settings, accounts))
    host.register(channels)
    return Channels(host, channels)


def host_routes(store: Store, status: WorkerStatus | None = None) -> list[Routed]:
    """What the host serves for the whole install: health, metrics and the data-export links of every channel."""
    return [ServiceRoutes(store, status), ExportDownloads(store)]


def console_sections(assistant: Assistant, settings: Settings, accounts: StaffAccounts) -> list[ConsoleSection]:
    """The console's sections beside the inbox (one line each)."""
    store = assistant.store
    sections: list[ConsoleSection] = [
        ReportsSection(store),
        ReviewSection(store, register_reviews(store), settings.kefu_nlu_dir, settings.kefu_review_per_day),
        SearchSection(register_search(store, store.csat.score_of)),  # CSAT filter: the newest score
        AccountsSection(store, accounts),
        CopilotSection(assistant),
        CannedSection(store),
        SettingsSection([SettingRow(*row) for row in settings.shown()])]
    knowledge = assistant.components.actions.get("knowledge")
    if isinstance(knowledge, KnowledgeAction):
        sections.append(KnowledgeSection(assistant.store, knowledge.retriever))
    return sections


def staff_channels(assistant: Assistant, settings: Settings, host: HttpHost, accounts: StaffAccounts,
                   sections: Sequence[ConsoleSection] = ()) -> list[Channel]:
    """Mount the staff inbox (always; it explains itself while there is no account and no bootstrap password); with a bot token,
    the Slack channel (its endpoint is mounted with the other channels' routes)."""
    hub = assistant.components.staff
    assert isinstance(hub, HandoffHub)
    password = settings.kefu_staff_password.get_secret_value() if settings.kefu_staff_password else None
    host.mount(StaffInbox(hub, password, sections, accounts=accounts, limits=limits_for(assistant.store),
                          sessions=staff_sessions_for(assistant.store)).routes())
    suggest = partial(suggest_reply, assistant)
    return [SlackChannel(slack_config(settings), hub, suggest)] if settings.slack_bot_token else []


def telegram_config(settings: Settings) -> TelegramConfig:
    """The Telegram channel's part of the settings; requires ``TELEGRAM_BOT_TOKEN``."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return TelegramConfig(token=settings.telegram_bot_token.get_secret_value(),
                          api_base_url=settings.telegram_api_base_url,
                          webhook_url=settings.telegram_webhook_url,
                          webhook_secret=_secret(settings.telegram_webhook_secret) or None,
                          poll_timeout=settings.telegram_poll_timeout,
                          polling_by_leader=settings.kefu_database_url is not None,  # one poller among workers
                          default_language=settings.kefu_default_language)


def wechat_config(settings: Settings) -> WeChatConfig:
    """The WeChat Official Account's part of the settings."""
    return WeChatConfig(token=_secret(settings.wechat_token), app_id=settings.wechat_app_id,
                        app_secret=_secret(settings.wechat_app_secret), api_base_url=settings.wechat_api_base_url,
                        encoding_aes_key=_secret(settings.wechat_encoding_aes_key),
                        reply_budget_s=settings.wechat_reply_budget_s,
                        shop_name={"zh": settings.kefu_shop_name_zh, "en": settings.kefu_shop_name_en})


def slack_config(settings: Settings) -> SlackConfig:
    """Slack's part of the settings (``SLACK_STAFF_USERS``: comma-separated user ids)."""
    return SlackConfig(bot_token=_secret(settings.slack_bot_token),
                       signing_secret=_secret(settings.slack_signing_secret),
                       staff_channel=settings.slack_staff_channel, app_token=_secret(settings.slack_app_token),
                       api_url=settings.slack_api_url,
                       staff_users=frozenset(u.strip() for u in settings.slack_staff_users.split(",") if u.strip()))


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""
