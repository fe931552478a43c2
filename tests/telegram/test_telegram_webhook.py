"""The Telegram channel in webhook mode: updates posted to Kefu's own HTTP host, replies through
the fake Bot API. The secret token is checked; bad bodies get 400."""
from __future__ import annotations

import logging

import aiohttp
import pytest

from tests.hosting import serving
from tests.telegram.conftest import until_done

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

SECRET = "s3cret-Token_42"
URL = "https://shop.example.com/hooks/telegram"


@pytest.fixture
async def webhook(fake_api, start_channel):
    """The HTTP host on a free port serving the webhook route, and the Telegram channel behind it."""
    telegram = await start_channel(started=False, webhook_url=URL, webhook_secret=SECRET)
    async with serving(telegram) as host, aiohttp.ClientSession() as http:
        yield telegram, http, f"{host.url.rstrip('/')}/hooks/telegram"


async def post(http, url, body, secret=SECRET, raw=False):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    kwargs = {"data": body, "headers": {**headers, "Content-Type": "application/json"}} if raw else \
        {"json": body, "headers": headers}
    async with http.post(url, **kwargs) as response:
        return response.status


async def test_webhook_is_registered_with_its_secret_and_nothing_polls(fake_api, webhook):
    assert fake_api.webhook == {"url": URL, "secret_token": SECRET,
                                "allowed_updates": ["message", "edited_message", "callback_query"]}
    assert not fake_api.sent("getUpdates")


async def test_a_posted_update_is_answered_once_even_when_posted_twice(fake_api, webhook):
    telegram, http, url = webhook
    update = fake_api.message_update(222, "我想买一件红色的连衣裙")
    assert await post(http, url, update) == 200
    assert await post(http, url, update) == 200
    sentinel = fake_api.message_update(111, "/help", "en")
    assert await post(http, url, sentinel) == 200
    await until_done(telegram, sentinel["update_id"])
    replies = fake_api.messages(222)
    assert replies[0].method == "sendMessage" and "连衣裙" in replies[0].params["text"]
    assert [c.method for c in replies[1:]] == ["sendPhoto"] * (len(replies) - 1)
    assert len(fake_api.sent("sendChatAction", 222)) == 1
    press = fake_api.callback_update(222, replies[1].callback_data[0])
    assert await post(http, url, press) == 200
    await until_done(telegram, press["update_id"])
    assert fake_api.sent("answerCallbackQuery")[-1].params["callback_query_id"] == press["callback_query"]["id"]


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", "秘密"])
async def test_a_wrong_or_missing_secret_is_refused(fake_api, webhook, secret):
    _telegram, http, url = webhook
    assert await post(http, url, fake_api.message_update(222, "你好"), secret=secret) == 403
    assert not fake_api.messages()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"update_id": "7"}',
                                  b'{"update_id": 7, "message": {"message_id": 1}}', b"null"])
async def test_a_malformed_body_gets_400(fake_api, webhook, body):
    _telegram, http, url = webhook
    assert await post(http, url, body, raw=True) == 400
    assert not fake_api.messages()


async def test_a_malformed_update_is_logged_by_its_fields_not_its_content(fake_api, webhook, caplog):
    _telegram, http, url = webhook
    body = b'{"update_id": 8, "message": {"message_id": 1, "text": "my card is 4111 1111 1111 1111"}}'
    with caplog.at_level(logging.WARNING, logger="adapters.telegram.webhook"):
        assert await post(http, url, body, raw=True) == 400
    assert "fields: message, update_id" in caplog.text and "4111" not in caplog.text


async def test_posts_while_stopped_get_503_so_telegram_retries(fake_api, webhook):
    telegram, http, url = webhook
    await telegram.stop()
    assert await post(http, url, fake_api.message_update(222, "你好")) == 503


def test_kefu_run_starts_telegram_only_when_a_token_is_set(assistant):
    from bot.channels import build_channels
    from bot.settings import load_settings
    from tests.fakes.telegram_api import TOKEN

    plain = load_settings(env_file=None, kefu_db_path=":memory:")
    assert [c.name for c in build_channels(assistant, plain).channels] == ["web"]
    hooked = load_settings(env_file=None, kefu_db_path=":memory:", telegram_bot_token=TOKEN,
                           telegram_webhook_url=URL, telegram_webhook_secret=SECRET)
    kefu = build_channels(assistant, hooked)
    _web, telegram = kefu.channels
    assert telegram.name == "telegram" and telegram.config.webhook_path == "/hooks/telegram"
    assert any(r.resource.canonical == "/hooks/telegram" for r in kefu.host.build_app().router.routes()
               if r.method == "POST")
