"""The console search's CSAT filter, with the source ``bot/channels.py`` gives it: conversations whose newest
CSAT score is at least the one asked for."""
from __future__ import annotations

import aiohttp

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.search import SearchSection
from bot.channels import console_sections
from core.messages import Identity, InboundMessage
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login

HAPPY, GRUMPY, SILENT = Identity("web", "happy"), Identity("web", "grumpy"), Identity("web", "silent")


async def test_csat_at_least_filters_by_the_recorded_score(assistant, hub, settings):
    store = assistant.store
    for who, score in ((HAPPY, 5), (GRUMPY, 2), (SILENT, None)):
        await assistant.handle(InboundMessage(who, "Can I return the blue dress?"))
        rating = store.csat.record_ask(who.conversation_id, who.channel, who.user_id, None, "en", "bot")
        if score is not None:
            store.csat.answer(rating, score)
    [section] = [s for s in console_sections(assistant, settings, register_accounts(store))
                 if isinstance(s, SearchSection)]
    async with serving(store=store, routes=StaffInbox(hub, PASSWORD, sections=[section]).routes()) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        await login(session, host.url)

        async def found(**params: str) -> dict[str, int | None]:
            async with session.get(host.url + "staff/api/search", params={"q": "dress", **params}) as response:
                assert response.status == 200, await response.text()
                return {r["conversation_id"]: r["csat"] for r in (await response.json())["results"]}

        assert await found() == {HAPPY.conversation_id: 5, GRUMPY.conversation_id: 2, SILENT.conversation_id: None}
        assert await found(csat_at_least="4") == {HAPPY.conversation_id: 5}
        assert await found(csat_at_least="2") == {HAPPY.conversation_id: 5, GRUMPY.conversation_id: 2}
        for bad in ("0", "6", "x", "45"):
            async with session.get(host.url + "staff/api/search", params={"q": "dress", "csat_at_least": bad}) as response:
                assert response.status == 400
