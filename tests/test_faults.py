"""Faults as tests: SQLite busy (another writer holds the lock) is waited out, and a full disk
(SQLite's ``max_page_count`` forces SQLITE_FULL) gives the shopper a clear apology, leaves no
half-written turn, and the redelivered message is handled exactly once when space is back."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.app import build_assistant
from core.messages import Identity, InboundMessage
from core.store import Store
from tests.conftest import seed_small_shop

pytestmark = pytest.mark.sqlite_only("SQLite busy (another sqlite3 writer holds the lock) and SQLITE_FULL (max_page_count): SQLite's own faults")


@pytest.fixture
def file_store(tmp_path: Path):
    store = Store(tmp_path / "kefu.db")
    seed_small_shop(store)
    yield store, tmp_path / "kefu.db"
    store.close()


def _hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another process' writer: takes the write lock, keeps it ``seconds``, then commits."""
    other = sqlite3.connect(str(path))
    other.execute("begin immediate")
    other.execute("create table other_writer (note text)")
    other.execute("insert into other_writer values ('kept')")
    locked.set()
    time.sleep(seconds)
    other.commit()
    other.close()


async def test_a_locked_database_is_waited_for_not_failed(file_store, settings):
    store, path = file_store
    assistant = build_assistant(store, settings)
    locked = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.5, locked))
    holder.start()
    assert locked.wait(5)
    started = time.perf_counter()
    replies = (await assistant.handle(InboundMessage(Identity("telegram", "111"), text="where is my order #W1000001",
                                                    message_id="busy-1"))).replies
    waited = time.perf_counter() - started
    holder.join()
    assert "SF123456789" in replies[0].text  # answered normally, after the other writer let go
    assert waited >= 0.3
    rows = list(store.db["messages"].rows_where("channel_message_id = 'busy-1'"))
    assert len(rows) == 1 and rows[0]["processed"] == 1
    assert store.db["other_writer"].count == 1  # the other writer's commit is kept too


def _fill_up(store: Store) -> int:
    """Cap the file at its size and fill every free page, so the next write hits SQLITE_FULL; returns the cap."""
    store.db.execute("create table filler (data blob)")
    pages = store.db.execute("pragma page_count").fetchone()[0]
    store.db.execute(f"pragma max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for _ in range(100_000):
            store.db.execute("insert into filler values (randomblob(200))")
            store.db.conn.commit()
    store.db.conn.rollback()
    return pages


def _half_turns(store: Store) -> list[dict]:
    """Inbound messages marked processed without any outbound reply after them (a torn turn)."""
    return list(store.db.query(
        "select i.id from messages i where i.direction = 'in' and i.processed = 1 and not exists "
        "(select 1 from messages o where o.direction = 'out' and o.conversation_id = i.conversation_id "
        "and o.id > i.id)"))


async def test_a_full_disk_gets_an_apology_no_torn_turn_and_exactly_once_later(file_store, settings, caplog):
    store, _path = file_store
    assistant = build_assistant(store, settings)
    # a long message (4 KB of emoji) needs a new page wherever it is stored
    message = InboundMessage(Identity("telegram", "111"), text="where is my order #W1000001 " + "🙂" * 1000,
                             message_id="full-1")
    pages = _fill_up(store)
    replies = (await assistant.handle(message)).replies
    assert len(replies) == 1 and "try again" in replies[0].text  # the clear apology, not a crash
    assert "database or disk is full" in caplog.text  # really SQLITE_FULL, logged with its traceback
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert _half_turns(store) == []
    store.db.execute(f"pragma max_page_count = {pages * 100}")  # space is back; the channel redelivers
    replies = (await assistant.handle(message)).replies
    assert "SF123456789" in replies[0].text
    rows = list(store.db["messages"].rows_where("channel_message_id = 'full-1'"))
    assert len(rows) == 1 and rows[0]["processed"] == 1
    assert (await assistant.handle(message)).replies == []  # a third delivery: handled once only
    assert _half_turns(store) == []
