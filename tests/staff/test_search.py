"""Full-text search over transcripts: zh through jieba words and en, filters, the index catching up
lazily, highlight spans, 4xx for bad input, and erasure removing a shopper's words."""
from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.inbox import StaffInbox
from adapters.inbox.search import SearchSection
from adapters.inbox.transcript_search import OWNER, Filters, TranscriptSearch, register, snippet
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data
from core.staff import HandoffHub
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login

ZH = Identity("telegram", "zh-shopper")
EN = Identity("web", "en-shopper")


async def say(assistant: Assistant, who: Identity, text: str, mid: str) -> None:
    await assistant.handle(InboundMessage(who, text, message_id=mid))


@pytest.fixture
async def index(assistant: Assistant) -> TranscriptSearch:
    await say(assistant, ZH, "我想退货，运费谁出？", "z1")
    await say(assistant, EN, "Can I return the blue dress?", "e1")
    return register(assistant.store)


async def test_zh_and_en_words_are_found_with_filters(assistant, index):
    zh = index.search("退货 运费", Filters())
    assert [r["conversation_id"] for r in zh] == [ZH.conversation_id]
    assert "退货" in zh[0]["snippet"]["text"]
    assert [r["conversation_id"] for r in index.search("RETURN dress", Filters())] == [EN.conversation_id]
    assert index.search("退货", Filters(channel="web")) == []
    assert index.search("dress", Filters(language="zh")) == []
    assert index.search("dress", Filters(handed_off=True)) == []
    assert len(index.search("dress", Filters(handed_off=False, language="en"))) == 1
    assert index.search("dress", Filters(csat_at_least=4)) == []  # no CSAT recorded: nothing passes


async def test_the_index_catches_up_lazily_and_erasure_removes_the_words(assistant, index):
    assert index.search("parcel", Filters()) == []
    await say(assistant, EN, "where is my parcel", "e2")
    assert [r["conversation_id"] for r in index.search("parcel", Filters())] == [EN.conversation_id]
    store = assistant.store
    customer = store.customers.upsert({"external_id": "C-search", "name": "Bo"})
    store.customers.link_identity(EN.channel, EN.user_id, customer)
    assert store.channel_data[OWNER].export(EN.conversation_id)["console_search"]
    erase_customer_data(store, customer, "test")
    assert store.channel_data[OWNER].export(EN.conversation_id) == {}
    assert index.search("parcel", Filters()) == [] and index.search("退货", Filters())


def test_snippet_marks_every_query_word_as_spans():
    shown = snippet("Hello, I want to RETURN my dress; return it today", ["return", "dress"])
    assert [shown["text"][a:b].lower() for a, b in shown["marks"]] == ["return", "dress", "return"]


@pytest.fixture
async def console(assistant: Assistant, hub: HandoffHub, index: TranscriptSearch) -> AsyncIterator[str]:
    section = SearchSection(index)
    async with serving(store=assistant.store, routes=StaffInbox(hub, PASSWORD, sections=[section]).routes()) as host:
        yield host.url


async def test_the_search_api_answers_results_and_4xx(console):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(console + "staff/api/search?q=dress") as response:
            assert response.status == 401
        await login(session, console)
        async with session.get(console + "staff/api/search", params={"q": "退货", "language": "zh"}) as response:
            assert [r["channel"] for r in (await response.json())["results"]] == ["telegram"]
        for params in ({"q": ""}, {"q": "x" * 201}, {"q": "dress", "language": "fr"}, {"q": "dress", "mood": "x"},
                       {"q": "dress", "handed_off": "maybe"}, {"q": "dress", "csat_at_least": "4"}):
            async with session.get(console + "staff/api/search", params=params) as response:
                assert response.status == 400, params
