"""WeChat channel building blocks: signatures, the AES mode, hardened XML parsing, reply rendering."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from defusedxml.ElementTree import fromstring

from adapters.wechat.crypto import CryptoError, MessageCrypto, aes_key
from adapters.wechat.guard import Refused, RequestGuard, Stamp, request_digest
from adapters.wechat.inbound import BadMessage, WeChatMessage, parse_fields
from adapters.wechat.ledger import DELIVERIES_KEPT, register
from adapters.wechat.replies import Menu, News, Text, api_body, passive_xml, split_text, to_wechat
from adapters.wechat.signature import is_valid, sign
from core import clock
from core.messages import Button, ProductCard, Reply
from core.store import Store

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"
VECTOR_MESSAGE = "<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><Content><![CDATA[你好 Kefu]]></Content></xml>"
VECTOR_PREFIX = b"0123456789abcdef"
# Made independently of this code: the plaintext laid out by hand per WeChat's spec, then
# `openssl enc -aes-256-cbc -K <key hex> -iv <first 16 key bytes hex> -nopad | base64 -w0`.
VECTOR_CIPHERTEXT = (
    "Q3stYC6hdFzMh9T8HCvyDAnyMNo1sTE9LL/wwnGf4RtxscHXNsfz5LTpJSFDG8JNIJqrHpyntL+KHo/Z0OtZmykpPUtvQeFdINHT2zaD9kmp"
    "VYebHNAtWmrLpT0HkNb2XajFsqbHLnjtfHRjN/aqcLz66PGq5De/4B0xFEg7mAD/osxds9LBu+MRyK1zr+wcnjRddyaRhI/+kaBYQ4Avmw==")


def test_signature_matches_an_independent_sha1_and_rejects_tampering():
    # printf '%s' "13205621321409735669kefu-token" | sha1sum
    expected = "848265b4a8ed6d3ce3369e38dc1dce509e868fa4"
    assert sign("kefu-token", "1409735669", "1320562132") == expected
    assert is_valid(expected.upper(), "1320562132", "kefu-token", "1409735669")
    assert not is_valid(expected, "kefu-token", "1409735670", "1320562132")
    assert not is_valid("", "kefu-token", "1409735669", "1320562132")
    assert not is_valid("签名", "kefu-token", "1409735669", "1320562132")


def test_aes_known_vector_both_ways():
    crypto = MessageCrypto(AES_KEY, APP_ID)
    assert crypto.encrypt(VECTOR_MESSAGE, random_prefix=VECTOR_PREFIX) == VECTOR_CIPHERTEXT
    assert crypto.decrypt(VECTOR_CIPHERTEXT) == VECTOR_MESSAGE


def test_aes_round_trip_uses_a_random_prefix_and_checks_the_app_id():
    crypto = MessageCrypto(AES_KEY, APP_ID)
    message = "<xml><Content><![CDATA[" + "长消息 long message " * 50 + "]]></Content></xml>"
    first, second = crypto.encrypt(message), crypto.encrypt(message)
    assert first != second and crypto.decrypt(first) == crypto.decrypt(second) == message
    with pytest.raises(CryptoError, match="AppID"):
        MessageCrypto(AES_KEY, "wx-other-account").decrypt(first)
    other_key = MessageCrypto("B" * 43, APP_ID)
    with pytest.raises(CryptoError):
        other_key.decrypt(first)


@pytest.mark.parametrize("ciphertext", ["", "not base64!", "QUJD", VECTOR_CIPHERTEXT[:-8] + "AAAAAAA="])
def test_aes_bad_ciphertexts_raise_crypto_errors(ciphertext):
    with pytest.raises(CryptoError):
        MessageCrypto(AES_KEY, APP_ID).decrypt(ciphertext)


def test_aes_key_must_be_43_base64_characters():
    assert len(aes_key(AES_KEY)) == 32
    for bad in ("short", AES_KEY + "AAAA", "!" * 43):
        with pytest.raises(ValueError):
            aes_key(bad)


def test_parse_fields_of_a_text_push():
    fields = parse_fields(b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
                          b"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                          b"<Content><![CDATA[\xe4\xbd\xa0\xe5\xa5\xbd]]></Content><MsgId>42</MsgId></xml>")
    message = WeChatMessage.from_fields(fields)
    assert (message.msg_type, message.get("Content"), message.dedupe_key) == ("text", "你好", "msg:42")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><Content>&lol3;</Content></xml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><Content>&xxe;</Content></xml>"""


@pytest.mark.parametrize("body", [b"", b"<xml><Content>unclosed", b"not xml at all", BILLION_LAUGHS,
                                  EXTERNAL_ENTITY, b"<?xml version='1.0'?><!DOCTYPE xml><xml/>",
                                  b"<html><body/></html>", "<xml>\ud800</xml>".encode("utf-8", "surrogatepass")])
def test_hostile_or_malformed_xml_is_refused(body):
    with pytest.raises(BadMessage):
        parse_fields(body)


def test_missing_header_fields_are_refused():
    with pytest.raises(BadMessage, match="FromUserName"):
        WeChatMessage.from_fields({"ToUserName": "gh", "CreateTime": "1", "MsgType": "text"})
    with pytest.raises(BadMessage, match="CreateTime"):
        WeChatMessage.from_fields({"ToUserName": "gh", "FromUserName": "o", "CreateTime": "soon", "MsgType": "text"})


def test_events_dedupe_on_sender_and_time():
    base = {"ToUserName": "gh", "FromUserName": "o1", "CreateTime": "1700000000", "MsgType": "event"}
    click = WeChatMessage.from_fields({**base, "Event": "CLICK", "EventKey": "k"})
    assert click.event == "click" and click.dedupe_key == "event:o1:1700000000:click"


def test_split_text_respects_utf8_bytes_and_prefers_line_breaks():
    text = "\n".join(f"第{i}行：" + "字" * 40 for i in range(100))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p.encode("utf-8")) <= 2000 for p in pieces)
    assert "\n".join(pieces) == text  # cut at line breaks, nothing lost
    unbroken = "字" * 1000  # 3000 bytes, no line break
    assert "".join(split_text(unbroken)) == unbroken and len(split_text(unbroken)) == 2
    assert split_text("  hi  ") == ["hi"] and split_text("") == []


def test_replies_become_text_news_and_a_menu():
    card = ProductCard("D1", "红色连衣裙", "¥199.00", "https://img.example/d1.jpg", "红色",
                       (Button("详情", "/product D1"),))
    reply = Reply("为您找到 1 件：", buttons=(Button("下一页", "/next"),), cards=(card,), language="zh")
    ids = {}
    messages = to_wechat([reply], lambda payload: ids.setdefault(payload, str(len(ids) + 1)))
    assert messages == [Text("为您找到 1 件："), News("红色连衣裙", "¥199.00 · 红色", "https://img.example/d1.jpg"),
                        Menu("点击选择：", (("1", "下一页"), ("2", "详情：红色连衣裙")))]
    assert ids == {"/next": "1", "/product D1": "2"}
    assert api_body(messages[2], "o1")["msgmenu"]["list"] == [{"id": "1", "content": "下一页"},
                                                             {"id": "2", "content": "详情：红色连衣裙"}]
    assert api_body(messages[1], "o1")["news"]["articles"][0]["picurl"] == "https://img.example/d1.jpg"


def test_passive_xml_is_well_formed_even_with_cdata_breakers():
    xml = passive_xml(Text("a ]]> b <c> \x01"), "o1", "gh_1", 1700000000)
    root = fromstring(xml)
    assert root.findtext("Content") == "a ]]> b <c> " and root.findtext("MsgType") == "text"
    news = fromstring(passive_xml(News("T", "D", "http://p"), "o1", "gh_1", 1))
    assert news.findtext("ArticleCount") == "1" and news.find("Articles/item/PicUrl").text == "http://p"


def test_ledger_claims_once_recovers_interrupted_deliveries_and_prunes_old_ones():
    store = Store(":memory:")
    deliveries, ledger = store.handled_once("wechat"), register(store)
    assert deliveries.claim("msg:1") and deliveries.status("msg:1") == "processing"
    assert deliveries.claim("msg:1")  # still processing (a crash interrupted it): handle again
    deliveries.finish("msg:1")
    assert not deliveries.claim("msg:1") and deliveries.status("msg:1") == "done"
    assert deliveries.claim("msg:2") and deliveries.prune(timedelta(hours=1)) == 0  # too recent / not done
    store.db.execute("update handled_once set received_at = '2000-01-01T00:00:00+00:00'")
    assert deliveries.prune(DELIVERIES_KEPT) == 1
    assert deliveries.status("msg:1") is None and deliveries.status("msg:2") == "processing"
    first = ledger.menu_id("o1", "/product D1")
    assert ledger.menu_id("o1", "/product D1") == first != ledger.menu_id("o2", "/product D1")
    assert ledger.menu_payload("o1", first) == "/product D1"
    assert ledger.menu_payload("o2", first) is None and ledger.menu_payload("o1", "x") is None
    store.close()


def test_ledger_admits_a_nonce_once_per_request_and_forgets_it_by_its_timestamp():
    store = Store(":memory:")
    ledger = register(store)
    assert ledger.use_nonce(1000, "n1", "body-a", forget_before=700)
    assert ledger.use_nonce(1000, "n1", "body-a", forget_before=700)  # the same request again
    assert not ledger.use_nonce(1000, "n1", "body-b", forget_before=700)  # another request, same pair
    assert ledger.use_nonce(1000, "n2", "body-b", forget_before=700) and ledger.use_nonce(1001, "n1", "b", 700)
    assert ledger.use_nonce(1400, "n9", "c", forget_before=1001)  # forgets the pairs stamped before 1001
    assert [(r["timestamp"], r["nonce"]) for r in store.db["wechat_nonces"].rows] == [(1001, "n1"), (1400, "n9")]
    store.close()


def signed(timestamp: str, nonce: str = "n") -> dict[str, str]:
    return {"signature": sign("kefu-token", timestamp, nonce), "timestamp": timestamp, "nonce": nonce}


def test_guard_wants_a_right_signature_a_fresh_timestamp_and_an_unused_pair(monkeypatch):
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "utc_now", lambda: now)
    store = Store(":memory:")
    guard, t0 = RequestGuard("kefu-token", register(store)), int(now.timestamp())
    assert guard.check(signed(str(t0 - 300))) == Stamp(t0 - 300, "n") and guard.check(signed(str(t0 + 300)))
    for query in (signed(str(t0 - 301)), signed(str(t0 + 301)), signed("1500000000"), signed(""), signed("+1"),
                  signed("²"), {**signed(str(t0)), "signature": "0" * 40}, {"timestamp": str(t0), "nonce": "n"}):
        with pytest.raises(Refused):
            guard.check(query)
    stamp = guard.check(signed(str(t0)))
    guard.first_use(stamp, request_digest("POST", b"<xml>a</xml>"))
    guard.first_use(stamp, request_digest("POST", b"<xml>a</xml>"))
    for other in (request_digest("POST", b"<xml>b</xml>"), request_digest("GET", b"<xml>a</xml>")):
        with pytest.raises(Refused, match="already used"):
            guard.first_use(stamp, other)
    store.close()
