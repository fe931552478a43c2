"""The accounts section: an owner lists (no hashes), adds, resets and removes accounts, audited with
their account; bad input is 400; an agent gets 403."""
from __future__ import annotations

import aiohttp

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER
from adapters.inbox.team import AccountsSection
from tests.hosting import serving
from tests.staff.test_kb import AGENT_PASSWORD, OWNER_PASSWORD, logged_in


async def test_an_owner_manages_accounts_and_an_agent_cannot(hub, store):
    accounts = register_accounts(store)
    accounts.add("Li", OWNER, OWNER_PASSWORD)
    accounts.add("Wang", AGENT, AGENT_PASSWORD)
    inbox = StaffInbox(hub, None, [AccountsSection(store, accounts)], accounts=accounts)
    api = "staff/api/team/"
    async with serving(routes=inbox.routes(), store=store) as host:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            headers = await logged_in(session, host.url, "Wang", AGENT_PASSWORD)
            async with session.get(host.url + api + "accounts") as response:
                assert response.status == 403
            async with session.post(host.url + api + "add", json={"name": "Eve", "role": OWNER, "password": "x" * 9},
                                    headers=headers) as response:
                assert response.status == 403
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            headers = await logged_in(session, host.url, "Li", OWNER_PASSWORD)
            for verb, body, status in [("add", {"name": "Zhao", "role": AGENT, "password": "zhao's passphrase"}, 200),
                                       ("add", {"name": "Zhao", "role": AGENT, "password": "zhao's passphrase"}, 400),
                                       ("add", {"name": "Qian", "role": "boss", "password": "qian's passphrase"}, 400),
                                       ("reset", {"name": "Wang", "password": "short"}, 400),
                                       ("reset", {"name": "Wang", "password": "wang's new passphrase"}, 200),
                                       ("remove", {"name": "Li"}, 409), ("remove", {"name": "Zhao"}, 200),
                                       ("remove", {"name": "Zhao"}, 400), ("promote", {"name": "Wang"}, 404)]:
                async with session.post(host.url + api + verb, json=body, headers=headers) as response:
                    assert response.status == status, (verb, body)
            async with session.get(host.url + api + "accounts") as response:
                listed = (await response.json())["accounts"]
    assert [(a["name"], a["role"]) for a in listed] == [("Li", OWNER), ("Wang", AGENT)]
    assert all("hash" not in key for a in listed for key in a) and "argon2" not in str(listed)
    assert accounts.verify("Wang", "wang's new passphrase") is not None
    audit = [(e["actor"], e["action"]) for e in store.audit.entries() if e["action"].startswith("staff.")]
    assert audit == [("Li", "staff.add"), ("Li", "staff.reset"), ("Li", "staff.remove")]
