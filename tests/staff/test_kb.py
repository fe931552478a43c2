"""The knowledge-base section: owners list, add, edit and retire articles (audited with their account),
the bot answers with an edit at once, the test box runs the bot's own retrieval; agents get 403."""
from __future__ import annotations

import aiohttp
import pytest

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER
from adapters.inbox.kb import KnowledgeSection
from core.actions.knowledge import KnowledgeAction
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from tests.hosting import serving

OWNER_PASSWORD = "li's own passphrase"
AGENT_PASSWORD = "wang's own passphrase"
MARS = {"topic": "", "en": {"title": "Do you ship to Mars?", "body": "Yes: Mars parcels take 300 days by rocket."},
        "zh": {"title": "可以寄到火星吗？", "body": "可以：火星包裹坐火箭要300天。"}}


def kb_section(assistant: Assistant) -> KnowledgeSection:
    action = assistant.components.actions["knowledge"]
    assert isinstance(action, KnowledgeAction)
    return KnowledgeSection(assistant.store, action.retriever)


async def ask(assistant: Assistant, text: str) -> str:
    turn = await assistant.handle(InboundMessage(Identity("web", "kb-shopper"), text, language_hint="en"))
    return " ".join(reply.text for reply in turn.replies)


@pytest.fixture
async def console(assistant, hub):
    accounts = register_accounts(assistant.store)
    accounts.add("Li", OWNER, OWNER_PASSWORD)
    accounts.add("Wang", AGENT, AGENT_PASSWORD)
    inbox = StaffInbox(hub, None, [kb_section(assistant)], accounts=accounts)
    async with serving(store=assistant.store, routes=inbox.routes()) as host:
        yield host


async def logged_in(session: aiohttp.ClientSession, base: str, name: str, password: str) -> dict[str, str]:
    async with session.post(base + "staff/api/login", json={"name": name, "password": password}) as response:
        assert response.status == 200
        return {"X-CSRF-Token": (await response.json())["csrf"]}


async def test_an_owner_adds_edits_and_retires_an_article_and_the_bot_follows(assistant, console):
    base = console.url + "staff/api/kb/"
    assert "300 days" not in await ask(assistant, "do you ship to mars")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        headers = await logged_in(session, console.url, "Li", OWNER_PASSWORD)
        async with session.post(base + "articles", json=MARS, headers=headers) as response:
            assert response.status == 200
            article_id = (await response.json())["id"]
        assert "300 days" in await ask(assistant, "do you ship to mars")
        async with session.post(base + "test", json={"question": "do you ship to mars", "lang": "en"},
                                headers=headers) as response:
            tested = await response.json()
        assert tested["answer"]["id"] == article_id and tested["hits"][0]["score"] >= tested["min_score"]
        edited = {**MARS, "id": article_id, "en": {"title": "Do you ship to Mars?", "body": "No longer: rockets are full."}}
        async with session.post(base + "articles", json=edited, headers=headers) as response:
            assert response.status == 200
        assert "rockets are full" in await ask(assistant, "do you ship to mars")
        async with session.get(base + "articles") as response:
            [listed] = [a for a in (await response.json())["articles"] if a["id"] == article_id]
        assert listed["zh"]["title"] == "可以寄到火星吗？" and listed["en"]["body"] == "No longer: rockets are full."
        async with session.post(base + "retire", json={"id": article_id}, headers=headers) as response:
            assert response.status == 200
        async with session.post(base + "retire", json={"id": article_id}, headers=headers) as response:
            assert response.status == 404
    assert "rockets are full" not in await ask(assistant, "do you ship to mars")
    assert assistant.store.knowledge.article(article_id, "en") is None
    audit = assistant.store.audit.entries(f"kb:{article_id}")
    assert [(e["actor"], e["action"]) for e in audit] == [("Li", "kb.add"), ("Li", "kb.edit"), ("Li", "kb.retire")]


@pytest.mark.parametrize("body", [{**MARS, "zh": None}, {**MARS, "en": {"title": "", "body": "x"}},
                                  {**MARS, "id": "../etc"}, {**MARS, "topic": "Not A Topic!"},
                                  {**MARS, "tags": "not a list"}, {**MARS, "en": {"title": "t", "body": "x" * 5001}}])
async def test_bad_articles_get_400(console, body):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        headers = await logged_in(session, console.url, "Li", OWNER_PASSWORD)
        async with session.post(console.url + "staff/api/kb/articles", json=body, headers=headers) as response:
            assert response.status == 400


async def test_an_agent_cannot_open_the_knowledge_base(console):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        headers = await logged_in(session, console.url, "Wang", AGENT_PASSWORD)
        async with session.get(console.url + "staff/api/kb/articles") as response:
            assert response.status == 403
        async with session.post(console.url + "staff/api/kb/articles", json=MARS, headers=headers) as response:
            assert response.status == 403
        async with session.get(console.url + "staff/api/session") as response:
            assert [s["name"] for s in (await response.json())["sections"]] == ["inbox"]
