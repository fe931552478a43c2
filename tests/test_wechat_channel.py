"""The WeChat channel end to end: Kefu's real web server, the real API client, a fake WeChat API on
127.0.0.1 (tests/fakes/wechat_api.py), and pushes signed (and encrypted) as WeChat does."""
from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta

import aiohttp
import pytest
from defusedxml.ElementTree import fromstring

from adapters.http import HttpHost
from adapters.web import WebChannel
from adapters.wechat import WeChatChannel, WeChatConfig
from adapters.wechat.api import WeChatAPI
from adapters.wechat.crypto import MessageCrypto
from adapters.wechat.signature import sign
from bot.app import build_assistant, warm_up
from bot.channels import build_channels, host_routes
from bot.settings import SettingsError, load_settings
from core import clock
from core.nlu.base import NLU, NLUResult
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.wechat_api import FakeWeChatAPI

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

TOKEN, APP_ID, SECRET = "kefu-token", "wx-test-app", "test-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
GH = "gh_kefu_shop"


class SlowNLU(NLU):
    """The real NLU behind a delay: makes the core genuinely slower than the reply budget."""

    def __init__(self, inner: NLU, delay_s: float) -> None:
        self.inner, self.delay_s = inner, delay_s

    async def parse(self, text, language_so_far=None) -> NLUResult:
        await asyncio.sleep(self.delay_s)
        return await self.inner.parse(text, language_so_far)


class Shop:
    """A running HTTP host with the web chat's and WeChat's routes, its store, and an HTTP client speaking as WeChat."""

    def __init__(self, store: Store, fake: FakeWeChatAPI, reply_budget_s: float = 1.5, **config) -> None:
        settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:")
        self.store, self.fake = store, fake
        self.assistant = build_assistant(store, settings)
        self.config = WeChatConfig(token=TOKEN, app_id=APP_ID, app_secret=SECRET, api_base_url=fake.base_url,
                                   reply_budget_s=reply_budget_s, shop_name={"zh": "小店", "en": "Little Shop"}, **config)
        self.web = WebChannel(self.assistant)
        self.wechat = WeChatChannel(self.assistant, self.config)
        self.host = HttpHost("127.0.0.1", 0)
        self.host.register([*host_routes(store), self.web, self.wechat])
        self.http: aiohttp.ClientSession | None = None
        self._time = 1700000000
        self._nonces = itertools.count(1_000_000)

    async def __aenter__(self) -> Shop:
        await warm_up(self.assistant)  # as `kefu run` does at start: first answers fit the short budget
        await self.host.start()
        await self.web.start()
        await self.wechat.start()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.close()
        await self.wechat.stop()
        await self.web.stop()
        await self.host.stop()

    def signed_query(self, timestamp: str | None = None, nonce: str | None = None, **extra: str) -> dict[str, str]:
        """A URL signature as WeChat makes one for each request: the time now and a new nonce."""
        timestamp = timestamp or str(int(clock.utc_now().timestamp()))
        nonce = nonce or str(next(self._nonces))
        return {"signature": sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}

    def encrypted(self, xml: str, crypto: MessageCrypto) -> tuple[str, dict[str, str]]:
        """A push as WeChat sends it in safe mode: the envelope and its signed query."""
        ciphertext = crypto.encrypt(xml)
        query = self.signed_query(encrypt_type="aes")
        query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], ciphertext)
        return f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>", query

    async def push(self, xml: str | bytes, query: dict[str, str] | None = None) -> tuple[int, str]:
        async with self.http.post(f"{self.host.url}wechat", params=query or self.signed_query(),
                                  data=xml.encode() if isinstance(xml, str) else xml) as response:
            return response.status, await response.text()

    def message(self, msg_type: str, user: str = "o_alice", msg_id: int | None = None, **fields: str) -> str:
        self._time += 1
        body = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
        id_xml = f"<MsgId>{msg_id if msg_id is not None else self._time}</MsgId>" if msg_type != "event" else ""
        return (f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
                f"<CreateTime>{self._time}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}{id_xml}</xml>")


@pytest.fixture
async def fake():
    fake = await FakeWeChatAPI(APP_ID, SECRET).start()
    yield fake
    await fake.stop()


@pytest.fixture
def shop_store():
    store = Store(":memory:")
    seed_small_shop(store)
    yield store
    store.close()


def passive(text: str) -> dict[str, str]:
    root = fromstring(text)
    return {child.tag: (child.text or "") for child in root}


def count_inbound(store: Store, user: str) -> int:
    return store.db.execute("select count(*) from messages where conversation_id = ? and direction = 'in'",
                            [f"wechat:{user}"]).fetchone()[0]


async def test_url_verification(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        url = f"{shop.host.url}wechat"
        async with shop.http.get(url, params=shop.signed_query(echostr="5837397520")) as response:
            assert response.status == 200 and await response.text() == "5837397520"
        bad = {**shop.signed_query(echostr="x"), "signature": "0" * 40}
        async with shop.http.get(url, params=bad) as response:
            assert response.status == 403
        async with shop.http.get(url, params=shop.signed_query()) as response:
            assert response.status == 400


async def test_passive_reply_then_cards_and_menu_through_the_api_then_a_tap(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        status, body = await shop.push(shop.message("text", Content="红色连衣裙"))
        reply = passive(body)
        assert status == 200 and reply["MsgType"] == "text" and "2 件红色连衣裙" in reply["Content"]
        assert (reply["ToUserName"], reply["FromUserName"]) == ("o_alice", GH)
        news1, news2, menu = await fake.wait_for(3)
        assert [news1["msgtype"], news2["msgtype"], menu["msgtype"]] == ["news", "news", "msgmenu"]
        assert news1["news"]["articles"][0]["title"] == "法式红色碎花连衣裙"
        assert news1["news"]["articles"][0]["description"].startswith("¥199.00") and news1["_raw_utf8"]
        options = {item["content"]: item["id"] for item in menu["msgmenu"]["list"]}
        assert menu["touser"] == "o_alice" and "详情：法式红色碎花连衣裙" in options
        # tapping the menu option sends its id back as bizmsgmenuid: routed as the button payload
        tap = shop.message("text", Content="详情：法式红色碎花连衣裙", bizmsgmenuid=options["详情：法式红色碎花连衣裙"])
        status, body = await shop.push(tap)
        assert status == 200 and "价格：¥199.00" in passive(body)["Content"]
        # another follower cannot use Alice's option ids: their tap is plain text
        status, body = await shop.push(shop.message("text", user="o_bob", Content="详情",
                                                    bizmsgmenuid=options["详情：法式红色碎花连衣裙"]))
        assert status == 200 and "价格" not in passive(body)["Content"]


async def test_slow_answer_goes_through_the_api_and_a_retry_meanwhile_is_handled_once(fake, shop_store):
    async with Shop(shop_store, fake, reply_budget_s=0.3) as shop:
        shop.assistant.components.nlu = SlowNLU(shop.assistant.components.nlu, 1.2)
        push = shop.message("text", msg_id=9001, Content="退货政策")
        started = time.monotonic()
        assert await shop.push(push) == (200, "success")
        assert time.monotonic() - started < 1.0  # answered within the budget, not after the slow core
        await asyncio.sleep(0.2)
        assert await shop.push(push) == (200, "success")  # WeChat's retry while the first still runs
        (sent,) = await fake.wait_for(1)
        assert sent["msgtype"] == "text" and "30 天内退货" in sent["text"]["content"]
        assert await shop.push(push) == (200, "success")  # a late retry after everything was sent
        await asyncio.sleep(1.5)  # time enough for a wrongly repeated turn to reach the fake API
        assert len(fake.sent) == 1 and count_inbound(shop_store, "o_alice") == 1


async def test_duplicates_are_recognised_across_a_restart(fake, tmp_path):
    path = tmp_path / "kefu.db"
    store = Store(path)
    seed_small_shop(store)
    push = None
    async with Shop(store, fake) as shop:
        push = shop.message("text", user="o_carol", msg_id=777, Content="你好")
        status, body = await shop.push(push)
        assert status == 200 and "您好" in passive(body)["Content"]
        await fake.wait_for(1)  # the greeting's menu
    store.close()
    store = Store(path)  # a new process: nothing in memory, only the store
    try:
        async with Shop(store, fake) as shop:
            assert await shop.push(push) == (200, "success")
            await asyncio.sleep(0.3)
            assert len(fake.sent) == 1 and count_inbound(store, "o_carol") == 1
    finally:
        store.close()


async def test_token_is_cached_refreshed_before_expiry_and_after_invalid_token_errors(fake):
    now = [1000.0]
    api = WeChatAPI(fake.base_url, APP_ID, SECRET, clock=lambda: now[0])
    await api.open()
    try:
        body = {"touser": "o1", "msgtype": "text", "text": {"content": "你好"}}
        await asyncio.gather(*(api.send(body) for _ in range(5)))
        assert fake.tokens_issued == 1 and len(fake.sent) == 5  # one token for concurrent sends
        now[0] += 7200 - 301
        await api.send(body)
        assert fake.tokens_issued == 1  # still well before expiry
        now[0] += 2
        await api.send(body)
        assert fake.tokens_issued == 2 and not fake.rejected  # replaced 5 minutes before it expires
        for code in (40001, 42001):
            fake.invalidate(code)
            await api.send(body)
        assert fake.rejected == [40001, 42001] and fake.tokens_issued == 4 and len(fake.sent) == 9
    finally:
        await api.close()


async def test_bad_signatures_are_refused_with_403(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        push = shop.message("text", Content="你好")
        assert (await shop.push(push, {**shop.signed_query(), "signature": "f" * 40}))[0] == 403
        assert (await shop.push(push, {"timestamp": "1", "nonce": "2"}))[0] == 403
        now = int(clock.utc_now().timestamp())
        assert (await shop.push(push, shop.signed_query(timestamp=str(now)) | {"timestamp": str(now + 1)}))[0] == 403
        assert count_inbound(shop_store, "o_alice") == 0


async def test_timestamps_more_than_five_minutes_off_are_refused(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        url, now = f"{shop.host.url}wechat", int(clock.utc_now().timestamp())
        for skew, expected in ((-301, 403), (301, 403), (-299, 200), (299, 200)):
            query = shop.signed_query(timestamp=str(now + skew), echostr="e1")
            async with shop.http.get(url, params=query) as response:
                assert response.status == expected, skew
            status, _ = await shop.push(shop.message("text", Content="你好"), shop.signed_query(str(now + skew)))
            assert status == expected, skew
        for odd in ("1500000000", "", "-5", "1e9", "١٧٠٠٠٠٠٠٠٠", "9" * 30):  # "١٧…": Arabic-Indic digits
            assert (await shop.push(shop.message("text", Content="hi"), shop.signed_query(odd or "x")))[0] == 403
        assert count_inbound(shop_store, "o_alice") == 2


async def test_a_signed_url_is_good_for_one_request_across_a_restart_and_is_forgotten_after_the_window(
        fake, tmp_path, monkeypatch):
    path = tmp_path / "kefu.db"
    store = Store(path)
    seed_small_shop(store)
    async with Shop(store, fake) as shop:
        url, query = f"{shop.host.url}wechat", shop.signed_query()
        push = shop.message("text", Content="你好")
        status, body = await shop.push(push, query)
        assert status == 200 and "您好" in passive(body)["Content"]
        await fake.wait_for(1)  # the greeting's menu
        forged = shop.message("text", user="o_mallory", Content="/privacy")
        assert (await shop.push(forged, query))[0] == 403  # the same signed URL, another body
        assert await shop.push(push, query) == (200, "success")  # WeChat resending that very push: once
        async with shop.http.get(url, params=query | {"echostr": "e"}) as response:
            assert response.status == 403
        verification = shop.signed_query(echostr="e2")
        for _ in range(2):  # the same verification request again is the same request
            async with shop.http.get(url, params=verification) as response:
                assert (response.status, await response.text()) == (200, "e2")
        async with shop.http.get(url, params=verification | {"echostr": "other"}) as response:
            assert response.status == 403
    store.close()
    store = Store(path)  # a new process: the pairs are in the store
    try:
        async with Shop(store, fake) as shop:
            assert (await shop.push(forged, query))[0] == 403
            assert store.db["wechat_nonces"].count == 2
            now = clock.utc_now()
            monkeypatch.setattr(clock, "utc_now", lambda: now + timedelta(minutes=6))
            assert (await shop.push(forged, query))[0] == 403  # stale now
            status, body = await shop.push(shop.message("text", user="o_bob", msg_id=4242, Content="你好"))
            assert status == 200 and "您好" in passive(body)["Content"]
            assert store.db["wechat_nonces"].count == 1  # older pairs pruned on the way
            await fake.wait_for(2)
            assert count_inbound(store, "o_mallory") == 0 and count_inbound(store, "o_alice") == 1
    finally:
        store.close()


HOSTILE = {
    "malformed": b"<xml><ToUserName>gh</ToUserName><Content>unclosed",
    "not xml": b"hello",
    "empty": b"",
    "billion laughs": b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">
        <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
        <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
        <xml><ToUserName>gh</ToUserName><FromUserName>o_eve</FromUserName><CreateTime>1</CreateTime>
        <MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>""",
    "external entity": b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <xml><ToUserName>gh</ToUserName><FromUserName>o_eve</FromUserName><CreateTime>1</CreateTime>
        <MsgType>text</MsgType><Content>&x;</Content><MsgId>2</MsgId></xml>""",
    "missing fields": b"<xml><Content>hi</Content></xml>",
    "oversized": b"<xml><Content>" + b"A" * (70 * 1024) + b"</Content></xml>",
    "encrypted without a key": b"<xml><ToUserName>gh</ToUserName><Encrypt>QUJD</Encrypt></xml>",
}


async def test_malformed_hostile_and_oversized_pushes_get_400_and_nothing_breaks(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        for name, body in HOSTILE.items():
            query = shop.signed_query(encrypt_type="aes") if "encrypted" in name else None
            status, text = await shop.push(body, query)
            assert status == 400, (name, status, text)
        assert shop_store.db["handled_once"].count_where("channel = 'wechat'") == 0 and count_inbound(shop_store, "o_eve") == 0
        status, body = await shop.push(shop.message("text", Content="hello"))  # still serving
        assert status == 200 and passive(body)["MsgType"] == "text"


async def test_subscribe_consent_click_and_unsubscribe(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        subscribe = shop.message("event", user="o_dan", Event="subscribe")
        status, body = await shop.push(subscribe)
        welcome = passive(body)["Content"]
        assert "感谢关注小店" in welcome and "Thanks for following Little Shop" in welcome
        (question,) = await fake.wait_for(1)
        assert question["msgtype"] == "msgmenu" and "优惠" in question["msgmenu"]["head_content"]
        options = {item["content"]: item["id"] for item in question["msgmenu"]["list"]}
        customer = shop_store.customers.for_identity("wechat", "o_dan")
        assert customer and customer["external_id"] == "wechat:o_dan" and not customer["marketing_consent"]
        assert await shop.push(subscribe) == (200, "success")  # retried event: once
        await asyncio.sleep(0.2)
        assert len(fake.sent) == 1
        status, body = await shop.push(shop.message("text", user="o_dan", Content="愿意 / Yes, please",
                                                    bizmsgmenuid=options["愿意 / Yes, please"]))
        assert "我们会给您发送优惠" in passive(body)["Content"]
        customer = shop_store.customers.get(customer["id"])
        assert customer["marketing_consent"] == 1 and customer["consent_source"] == "wechat" and customer["consent_at"]
        status, body = await shop.push(shop.message("event", user="o_dan", Event="CLICK", EventKey="/product D1"))
        assert "French red floral dress" in passive(body)["Content"]  # the menu key ran as a button press
        assert await shop.push(shop.message("event", user="o_dan", Event="unsubscribe")) == (200, "success")
        assert shop_store.customers.get(customer["id"])["unreachable"] == 1
        assert [e["action"] for e in shop_store.audit.entries(f"customer:{customer['id']}")] == \
            ["marketing_consent", "unsubscribed"]


async def test_images_voice_and_location_get_helpful_answers(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        _, body = await shop.push(shop.message("image", user="o_new", PicUrl="http://img", MediaId="m1"))
        answer = passive(body)["Content"]
        assert "图片" in answer and "picture" in answer  # no language known yet: both
        await shop.push(shop.message("text", user="o_new", Content="hello"))
        _, body = await shop.push(shop.message("location", user="o_new", Location_X="31.2", Location_Y="121.5",
                                               Label="Shanghai"))
        assert passive(body)["Content"].startswith("Thanks for sharing your location (Shanghai)")
        _, body = await shop.push(shop.message("voice", user="o_new", MediaId="m2", Format="amr"))
        assert "voice message" in passive(body)["Content"] and "语音" not in passive(body)["Content"]
        _, body = await shop.push(shop.message("voice", user="o_new", MediaId="m3", Recognition="退货政策"))
        assert "30 天内退货" in passive(body)["Content"]  # WeChat's speech recognition: read as text


async def test_encrypted_mode_round_trip(fake, shop_store):
    crypto = MessageCrypto(AES_KEY, APP_ID)
    async with Shop(shop_store, fake, encoding_aes_key=AES_KEY) as shop:
        envelope, query = shop.encrypted(shop.message("text", Content="退货政策"), crypto)
        status, body = await shop.push(envelope, query)
        outer = passive(body)
        assert status == 200 and outer["MsgSignature"] == sign(TOKEN, outer["TimeStamp"], outer["Nonce"],
                                                               outer["Encrypt"])
        inner = passive(crypto.decrypt(outer["Encrypt"]))
        assert inner["ToUserName"] == "o_alice" and "30 天内退货" in inner["Content"]
        fresh, query = shop.encrypted(shop.message("text", Content="你好"), crypto)
        assert (await shop.push(fresh, query | {"msg_signature": "0" * 40}))[0] == 403
        forged, query = shop.encrypted(shop.message("text", Content="hi"), MessageCrypto(AES_KEY, "wx-someone-else"))
        status, _ = await shop.push(forged, query)
        assert status == 400


async def test_with_an_aes_key_only_encrypted_pushes_with_a_right_msg_signature_are_taken(fake, shop_store):
    crypto = MessageCrypto(AES_KEY, APP_ID)
    async with Shop(shop_store, fake, encoding_aes_key=AES_KEY) as shop:
        assert (await shop.push(shop.message("text", Content="/privacy")))[0] == 403  # plaintext, rightly signed
        envelope, query = shop.encrypted(shop.message("text", Content="hi"), crypto)
        assert (await shop.push(envelope, {k: v for k, v in query.items() if k != "msg_signature"}))[0] == 403
        assert count_inbound(shop_store, "o_alice") == 0
        # compatible mode: plaintext fields beside <Encrypt> are not read, only what was encrypted
        envelope, query = shop.encrypted(shop.message("text", Content="退货政策"), crypto)
        envelope = envelope.replace("</xml>", "<FromUserName>o_victim</FromUserName><Content>/privacy</Content></xml>")
        status, body = await shop.push(envelope, query)
        inner = passive(crypto.decrypt(passive(body)["Encrypt"]))
        assert status == 200 and inner["ToUserName"] == "o_alice" and "30 天内退货" in inner["Content"]
        assert count_inbound(shop_store, "o_victim") == 0


async def test_a_stopped_channel_answers_503_so_wechat_retries(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        await shop.wechat.stop()
        push, query = shop.message("text", Content="你好"), shop.signed_query()
        assert (await shop.push(push, query))[0] == 503
        await shop.wechat.start()
        status, body = await shop.push(push, query)  # the retry (the very same request) is answered normally
        assert status == 200 and "您好" in passive(body)["Content"]


def test_kefu_run_adds_the_channel_when_the_token_is_set(shop_store):
    base = dict(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:")
    assistant = build_assistant(shop_store, load_settings(**base))
    assert [c.name for c in build_channels(assistant, load_settings(**base)).channels] == ["web"]
    settings = load_settings(**base, wechat_token=TOKEN, wechat_app_id=APP_ID, wechat_app_secret=SECRET)
    kefu = build_channels(assistant, settings)
    _web, wechat = kefu.channels
    assert wechat.name == "wechat" and wechat.config.token == TOKEN
    paths = {route.resource.canonical for route in kefu.host.build_app().router.routes()}
    assert "/wechat" in paths


def test_wechat_settings_are_validated_without_echoing_secrets():
    base = dict(env_file=None, wechat_token=TOKEN)
    with pytest.raises(SettingsError, match="WECHAT_APP_ID and WECHAT_APP_SECRET"):
        load_settings(**base, wechat_app_id=APP_ID)
    with pytest.raises(SettingsError, match="WECHAT_ENCODING_AES_KEY") as error:
        load_settings(**base, wechat_app_id=APP_ID, wechat_app_secret=SECRET, wechat_encoding_aes_key="tooshort!")
    assert "tooshort" not in str(error.value) and SECRET not in str(error.value)
    with pytest.raises(SettingsError, match="WECHAT_REPLY_BUDGET_S"):
        load_settings(env_file=None, wechat_reply_budget_s=5)
    assert load_settings(env_file=None, wechat_token="", wechat_encoding_aes_key="").wechat_token is None
