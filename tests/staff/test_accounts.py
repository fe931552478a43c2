"""Staff accounts: the table (argon2 hashes, a dummy verify for unknown names), the login (the bootstrap
password only while no account exists), roles from the account, the real name on audited actions, the CLI."""
from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from argon2 import PasswordHasher

from adapters.inbox import StaffInbox
from adapters.inbox import accounts as accounts_module
from adapters.inbox.accounts import AccountError, StaffAccounts
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER, StaffAuth
from adapters.web import WebChannel
from core import clock
from core.messages import InboundMessage
from core.store import Store
from tests.helpers import run_kefu
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.test_console_shell import OwnersOnly
from tests.staff.test_inbox import CID, SHOPPER

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

LI_PASSWORD = "li's own passphrase"
WANG_PASSWORD = "wang's own passphrase"


@pytest.fixture
def accounts(store: Store) -> StaffAccounts:
    return register_accounts(store)


def test_accounts_keep_argon2_hashes_and_verify_only_their_own_password(accounts, store):
    assert not accounts.exist()
    accounts.add("Li", OWNER, LI_PASSWORD)
    accounts.add("Wang", AGENT, WANG_PASSWORD)
    assert accounts.exist() and [(a.name, a.role) for a in accounts.list()] == [("Li", OWNER), ("Wang", AGENT)]
    stored = store.db.execute("select password_hash from staff_accounts where name = 'Li'").fetchone()[0]
    assert stored.startswith("$argon2id$") and LI_PASSWORD not in stored
    assert accounts.verify("Li", LI_PASSWORD).role == OWNER
    assert accounts.verify("Li", WANG_PASSWORD) is None and accounts.verify("Nobody", LI_PASSWORD) is None
    accounts.set_password("Wang", "a brand new one")
    assert accounts.verify("Wang", WANG_PASSWORD) is None and accounts.verify("Wang", "a brand new one").role == AGENT
    accounts.remove("Wang")
    assert [a.name for a in accounts.list()] == ["Li"]


@pytest.mark.parametrize("name, role, password", [("Li", OWNER, "another password"), ("", OWNER, LI_PASSWORD),
                                                  ("Zh\x07ao", OWNER, LI_PASSWORD), ("x" * 41, OWNER, LI_PASSWORD), ("Zhao", "boss", LI_PASSWORD),
                                                  ("Zhao", AGENT, "short")])
def test_bad_or_taken_accounts_are_refused(accounts, name, role, password):
    accounts.add("Li", OWNER, LI_PASSWORD)
    with pytest.raises(AccountError):
        accounts.add(name, role, password)
    with pytest.raises(AccountError):
        accounts.remove("Zhao")


class RecordingHasher(PasswordHasher):
    """A hasher that keeps the hashes it verified against."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checked.append(str(hash))
        return super().verify(hash, password)


def test_an_unknown_name_verifies_a_dummy_hash(accounts, monkeypatch):
    monkeypatch.setattr(accounts_module, "_HASHER", hasher := RecordingHasher())
    assert accounts.verify("Nobody", "whatever it is") is None
    assert hasher.checked == [accounts_module._DUMMY]


def test_the_bootstrap_password_logs_in_only_while_no_account_exists(accounts):
    auth = StaffAuth(PASSWORD, accounts)
    _, session = auth.login("Mei", PASSWORD, "10.0.0.1")
    assert session.role == OWNER and session.bootstrap and session.staff == "Mei"
    accounts.add("Wang", AGENT, WANG_PASSWORD)
    assert auth.login("Mei", PASSWORD, "10.0.0.1") is None
    _, session = auth.login("Wang", WANG_PASSWORD, "10.0.0.1")
    assert session.role == AGENT and not session.bootstrap and session.staff == "Wang"


async def _login(session: aiohttp.ClientSession, base: str, name: str, password: str) -> tuple[int, dict]:
    async with session.post(base + "staff/api/login", json={"name": name, "password": password}) as response:
        return response.status, await response.json()


async def test_the_console_turns_on_with_the_first_account_and_roles_come_from_it(hub, store, accounts):
    inbox = StaffInbox(hub, None, [OwnersOnly()], accounts=accounts)
    async with serving(routes=inbox.routes(), store=store) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        assert (await _login(session, host.url, "Wang", WANG_PASSWORD))[0] == 503
        async with session.get(host.url + "staff") as response:
            assert response.status == 503 and "kefu staff add" in await response.text()
        accounts.add("Wang", AGENT, WANG_PASSWORD)
        assert (await _login(session, host.url, "Wang", "not it at all"))[0] == 401
        status, body = await _login(session, host.url, "Wang", WANG_PASSWORD)
        assert status == 200 and body["role"] == AGENT and body["staff"] == "Wang" and body["notice"] is None
        assert [s["name"] for s in body["sections"]] == ["inbox"]
        async with session.get(host.url + "staff/api/owners/secret") as response:
            assert response.status == 403


async def test_a_bootstrap_login_carries_the_notice_to_create_accounts(hub, store, accounts):
    async with serving(routes=StaffInbox(hub, PASSWORD, accounts=accounts).routes(), store=store) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        status, body = await _login(session, host.url, "Mei", PASSWORD)
        assert status == 200 and body["role"] == OWNER
        assert "kefu staff add" in body["notice"]["en"] and "kefu staff add" in body["notice"]["zh"]


async def test_claims_replies_and_resolutions_are_audited_with_the_account(assistant, hub, accounts):
    accounts.add("Wang", AGENT, WANG_PASSWORD)
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    web = WebChannel(assistant)
    hub.channels["web"] = web
    inbox = StaffInbox(hub, PASSWORD, accounts=accounts)
    async with serving(web, store=assistant.store, routes=inbox.routes()) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        _, body = await _login(session, host.url, "Wang", WANG_PASSWORD)
        headers = {"X-CSRF-Token": body["csrf"]}
        url = f"{host.url}staff/api/conversations/{CID}"
        for verb, extra in (("claim", {}), ("reply", {"text": "Looking now."}), ("resolve", {"back_to_bot": True})):
            async with session.post(f"{url}/{verb}", json=extra, headers=headers) as response:
                assert response.status == 200, verb
    await hub.stop()
    staff_entries = [e for e in hub.store.audit.entries(CID) if e["action"].startswith("handoff.")
                     and e["action"] != "handoff.opened"]
    assert staff_entries and {e["actor"] for e in staff_entries} == {"Wang"}


def test_the_staff_command_adds_lists_changes_and_removes_accounts(tmp_path):
    added = run_kefu(tmp_path, "staff", "add", "Li", "--role", "owner", "--password-stdin", stdin=LI_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert run_kefu(tmp_path, "staff", "add", "Li", "--role", "agent", "--password-stdin",
                    stdin=WANG_PASSWORD + "\n").returncode == 1
    assert run_kefu(tmp_path, "staff", "passwd", "Li", "--password-stdin", stdin="new passphrase\n").returncode == 0
    listed = run_kefu(tmp_path, "staff", "list")
    assert listed.stdout.split("\t")[:2] == ["Li", "owner"] and LI_PASSWORD not in listed.stdout
    store = Store(tmp_path / "kefu.db")
    try:
        accounts = register_accounts(store)
        assert accounts.verify("Li", "new passphrase") is not None and accounts.verify("Li", LI_PASSWORD) is None
        assert [e["action"] for e in store.audit.entries("staff:Li")] == ["staff.add", "staff.passwd"]
    finally:
        store.close()
    assert run_kefu(tmp_path, "staff", "remove", "Li").returncode == 0
    assert run_kefu(tmp_path, "staff", "remove", "Li").returncode == 1
    assert run_kefu(tmp_path, "staff", "list").stdout == ""


def test_sessions_end_with_their_account_its_password_and_bootstrap_sessions_with_the_first_account(accounts, monkeypatch):
    auth = StaffAuth(PASSWORD, accounts)
    bootstrap, _ = auth.login("Mei", PASSWORD, "10.0.0.1")
    accounts.add("Wang", AGENT, WANG_PASSWORD)
    assert auth.session(bootstrap) is None
    wang, _ = auth.login("Wang", WANG_PASSWORD, "10.0.0.1")
    accounts.add("Li", OWNER, LI_PASSWORD)
    assert auth.session(wang).staff == "Wang"
    accounts.remove("Wang")
    assert auth.session(wang) is None
    li, _ = auth.login("Li", LI_PASSWORD, "10.0.0.1")
    later = clock.utc_now() + timedelta(seconds=1)  # updated_at has one-second precision
    monkeypatch.setattr(clock, "utc_now", lambda: later)
    accounts.set_password("Li", "a changed passphrase")
    assert auth.session(li) is None
