"""Faults as tests: a turn killed after its order change was committed and before the turn's own commit
(the process dies while the reply is phrased). A fresh assistant on the same database file answers the
resent confirmation (the same message id, or a new one: the shopper types "yes" again) with the success
reply the first run made and ends the task as that run did; the order is changed once, with one audit
entry. Every story with a money-moving change (cancel, approval, address, items, return, exchange), in
both languages."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import DEFAULT_NOW, frozen_clock, load_stories
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data, export_customer_data
from core.store import Store

pytestmark = pytest.mark.sqlite_only('each story runs on a copy of a SQLite demo file (shutil.copyfile) that a fresh assistant reopens')

CHANGE_STORIES = [s for s in load_stories() if (s.get("expect") or {}).get("audit")]
"""Stories whose shopper confirms a change (their expected audit entries)."""


class Killed(BaseException):
    """The process dying: nothing of the turn runs after it (not even the assistant's apology)."""


class KillBeforeCommit:
    """Stands in for ``complete_turn``: a turn that changed an order (a new audit entry since
    :meth:`arm`) dies just before its commit."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._commit = store.conversations.complete_turn
        self._seen = 0

    def arm(self) -> None:
        """Start watching a new turn."""
        self._seen = _audit_count(self._store)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if _audit_count(self._store) > self._seen:
            raise Killed
        self._commit(*args, **kwargs)


def _audit_count(store: Store) -> int:
    return store.db.execute("select count(*) from audit_log where actor like 'customer:%'").fetchone()[0]


def _snapshot(store: Store) -> tuple[Any, ...]:
    """Orders, items, payments, requests, handoffs and the customers' audit entries."""
    return tuple(store.db.execute(sql).fetchall() for sql in (
        "select id, status, address, total_cents from orders order by id", "select * from order_items order by id",
        "select * from payments order by id", "select * from order_requests order by id",
        "select id, reason, priority from handoffs order by id",
        "select action, target, details from audit_log where actor like 'customer:%' order by id"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop in a database file, made once for the module (each test works on copies)."""
    path = tmp_path_factory.mktemp("demo") / "kefu.db"
    shop = demo_template()
    with contextlib.closing(sqlite3.connect(path)) as target:
        shop.db.conn.backup(target)
    shop.close()
    return path


@pytest.fixture
def db_file(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo shop for the test."""
    return Path(shutil.copyfile(demo_db, tmp_path / "kefu.db"))


def _identity(story: dict[str, Any]) -> Identity:
    channel, user = story["shopper"].split(":", 1)
    return Identity(channel, user)


async def _say(assistant: Assistant, identity: Identity, text: str, message_id: str) -> str:
    payload = text if text.startswith("/") else None
    replies = (await assistant.handle(InboundMessage(identity, text, payload=payload, message_id=message_id))).replies
    return "\n".join(r.text for r in replies)


async def _kill_the_change(db_file: Path, story: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> int:
    """Play the story in one assistant until the turn that changes an order, which is killed just before
    its commit; that turn's number (its message id is ``m<number>``)."""
    store = Store(db_file)
    try:
        assistant = build_assistant(store, story_settings())
        killer = KillBeforeCommit(store)
        monkeypatch.setattr(store.conversations, "complete_turn", killer)
        for number, step in enumerate(story["turns"], start=1):
            killer.arm()
            try:
                await _say(assistant, _identity(story), step["user"], f"m{number}")
            except Killed:
                return number
        raise AssertionError("no turn of the story changed an order")
    finally:
        store.close()


async def _uninterrupted_reply(shop: Path, copy: Path, story: dict[str, Any], number: int) -> str:
    """What turn ``number`` of the story says when nothing is killed (played on ``copy`` of ``shop``)."""
    store = Store(shutil.copyfile(shop, copy))
    try:
        assistant = build_assistant(store, story_settings())
        for n, step in enumerate(story["turns"][:number], start=1):
            reply = await _say(assistant, _identity(story), step["user"], f"m{n}")
        return reply
    finally:
        store.close()


def _lacking(reply: str, facts: list[Any]) -> list[Any]:
    return [fact for fact in facts if str(fact).lower() not in reply.lower()]


@pytest.mark.parametrize("resend", ["same id", "new id"])
@pytest.mark.parametrize("story", CHANGE_STORIES, ids=[f"{s['language']}-{s['story']}" for s in CHANGE_STORIES])
async def test_a_confirmation_resent_after_a_kill_gets_the_success_reply_and_changes_nothing_again(
        story, resend, demo_db, db_file, tmp_path, monkeypatch):
    identity, conversation = _identity(story), story["shopper"]
    with frozen_clock(DEFAULT_NOW):
        number = await _kill_the_change(db_file, story, monkeypatch)
        step = story["turns"][number - 1]
        success = await _uninterrupted_reply(demo_db, tmp_path / "uninterrupted.db", story, number)
        assert not _lacking(success, step.get("reply", [])), success
        store = Store(db_file)  # a new process on the same file
        try:
            changed = _snapshot(store)
            assert [e["action"] for e in store.audit.entries() if e["actor"].startswith("customer:")] == \
                story["expect"]["audit"]  # the change was committed; the turn was not
            assert store.conversations.state(conversation)["pending"]
            message_id = f"m{number}" if resend == "same id" else f"m{number}-again"
            reply = await _say(build_assistant(store, story_settings()), identity, step["user"], message_id)
            assert reply == success  # what the killed turn would have said
            assert _snapshot(store) == changed  # changed once: no second change, refund, request or approval
            state = store.conversations.state(conversation)
            assert state["active_task"] is None and state["pending"] is None and state["turn"] == number
            inbound = [m for m in store.conversations.transcript(conversation)
                       if m["direction"] == "in" and m["channel_message_id"] == message_id]
            assert len(inbound) == 1 and inbound[0]["processed"] == 1
        finally:
            store.close()


CANCEL = next(s for s in CHANGE_STORIES if s["language"] == "en" and s["task"] == "cancel_order")
CANCEL_ZH = next(s for s in CHANGE_STORIES if s["language"] == "zh" and s["task"] == "cancel_order")


@pytest.mark.parametrize("story, text, told", [
    (CANCEL, "never mind", ["cancelled", "¥329.00"]), (CANCEL, "no", ["cancelled", "¥329.00"]),
    (CANCEL, "which carriers do you ship with?", ["SF Express", "cancelled", "¥329.00"]),
    (CANCEL_ZH, "算了", ["已取消", "¥259.00"]),
], ids=["never-mind", "no", "digression", "zh-never-mind"])
async def test_whatever_the_shopper_says_next_they_learn_the_change_was_made(story, text, told, db_file, monkeypatch):
    """After the kill the change is done: "never mind", "no" or a question must not hear "nothing was
    changed" or the confirmation again."""
    with frozen_clock(DEFAULT_NOW):
        await _kill_the_change(db_file, story, monkeypatch)
        store = Store(db_file)
        try:
            changed = _snapshot(store)
            reply = await _say(build_assistant(store, story_settings()), _identity(story), text, "next")
            assert not _lacking(reply, told), reply
            assert "Nothing was changed" not in reply and "没有任何改动" not in reply and "yes or no" not in reply
            assert _snapshot(store) == changed
            assert store.conversations.state(story["shopper"])["active_task"] is None
        finally:
            store.close()


async def test_a_second_change_of_the_same_kind_is_made_not_answered_from_the_first(db_file):
    """The record of a change answers only the confirmation it belongs to: a later address change of the
    same order in the same conversation is made (and audited) again."""
    shopper = Identity("telegram", "10008")
    store = Store(db_file)
    try:
        assistant = build_assistant(store, story_settings())
        with frozen_clock(DEFAULT_NOW):
            for n, address in enumerate(("88 Nanjing Road, Shanghai", "100 Caoxi North Road, Shanghai")):
                asked = await _say(assistant, shopper, f"change the address of W6697500 to {address}", f"a{n}")
                assert "yes or no" in asked
                assert address in await _say(assistant, shopper, "yes", f"y{n}")
        stored = store.orders.get("#W6697500")["address"]  # the typed line, stored as its parts
        assert (stored["line1"], stored["city"]) == ("100 Caoxi North Road", "Shanghai")
        assert [e["action"] for e in store.audit.entries() if e["actor"].startswith("customer:")] == \
            ["change_address", "change_address"]
    finally:
        store.close()


async def test_the_record_of_a_change_is_exported_and_erased_with_the_conversation(db_file, monkeypatch):
    with frozen_clock(DEFAULT_NOW):
        await _kill_the_change(db_file, CANCEL, monkeypatch)
    store = Store(db_file)
    try:
        customer = store.customers.for_identity("telegram", "10008")
        [conversation] = [c for c in export_customer_data(store, customer["id"], "test")["conversations"]
                          if c["id"] == "telegram:10008"]
        assert [(r["flow"], r["turn"]) for r in conversation["confirmed_changes"]] == [("cancel_order", 3)]
        erase_customer_data(store, customer["id"], "test")
        assert store.db["confirmed_changes"].count == 0
    finally:
        store.close()
