"""The outbound bus on PostgreSQL's LISTEN/NOTIFY (docs/SCALING.md).

A publish is a ``NOTIFY kefu_outbound`` with ``{"worker", "channel", "user", "frame"}``; a payload
over :data:`INLINE_BYTES` (NOTIFY takes at most 8000 bytes) is stored in ``fanout_outbound`` and its
id notified instead (in the same transaction, so the row is there when the others read it). Every
worker listens on its own async connection, reconnecting after an error, and ignores its own
notifications. NOTIFY is not durable: a frame published while a worker is reconnecting does not
reach that worker's sockets (it is in the transcript; the widget shows it when the history loads)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import timedelta
from typing import Any

import psycopg

from core.clock import utc_now, utc_now_iso
from core.fanout.bus import Deliver, OutboundBus

log = logging.getLogger(__name__)

CHANNEL = "kefu_outbound"
INLINE_BYTES = 7900
"""The largest payload sent in the notification itself (PostgreSQL's limit is 8000 bytes)."""
KEEP_STORED = timedelta(minutes=5)
"""How long a stored outbound is kept for the workers to read (they read it within milliseconds); every
worker deletes older ones once a minute (they hold a message's text and its session)."""
_PRUNE_EVERY_S = 60.0
_READY_TIMEOUT_S = 5.0


class PostgresBus(OutboundBus):
    """Publishes through the store's connection ``db`` (a :class:`core.store.engine.postgres.PostgresDatabase`),
    listens on a connection of its own to the same database."""

    def __init__(self, db: Any, worker: str, reconnect_s: float = 1.0) -> None:
        self._db = db
        self.worker = worker
        self._reconnect_s = reconnect_s
        self._subscribers: dict[str, Deliver] = {}
        self._listening = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def subscribe(self, channel: str, deliver: Deliver) -> None:
        """Hand the other workers' frames for ``channel`` to ``deliver``."""
        self._subscribers[channel] = deliver

    async def start(self) -> None:
        """Start the listener and wait (a few seconds at most) until it listens."""
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._prune_every())]
        if not await self.ready(_READY_TIMEOUT_S):
            log.warning("the outbound bus is not listening yet; it keeps trying")

    async def ready(self, timeout: float) -> bool:
        """Wait until the listener's ``LISTEN`` is in effect; False after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._listening.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def publish(self, channel: str, user_id: str, frame: dict[str, Any]) -> None:
        """NOTIFY the other workers of ``frame`` (stored and notified by id when it is too big)."""
        payload = _encode({"worker": self.worker, "channel": channel, "user": user_id, "frame": frame})
        if len(payload) <= INLINE_BYTES:
            self._db.execute("select pg_notify(?, ?)", [CHANNEL, payload])
            return
        with self._db.atomic():
            stored = self._db["fanout_outbound"].insert({"payload": payload, "created_at": utc_now_iso()}).last_pk
            self._db.execute("select pg_notify(?, ?)", [CHANNEL, _encode({"worker": self.worker, "stored": stored})])

    def prune(self) -> None:
        """Delete the stored outbounds older than :data:`KEEP_STORED`."""
        cutoff = (utc_now() - KEEP_STORED).isoformat(timespec="seconds")
        self._db.execute("delete from fanout_outbound where created_at < ?", [cutoff])

    async def stop(self) -> None:
        """Stop listening (closes the listener's connection)."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._listening.clear()

    async def _prune_every(self) -> None:
        while True:
            try:
                self.prune()
            except Exception as exc:  # the database away for a moment: the next round tries again
                log.warning("outbound bus: pruning stored outbounds failed (%s)", type(exc).__name__)
            await asyncio.sleep(_PRUNE_EVERY_S)

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._db.url, autocommit=True) as conn:
                    await conn.execute(f"listen {CHANNEL}")
                    self._listening.set()
                    async for notify in conn.notifies():
                        await self._receive(notify.payload)
            except Exception as exc:  # the server restarted, the connection was cut: listen again
                log.warning("outbound bus: listener lost its connection (%s); reconnecting", type(exc).__name__)
            self._listening.clear()
            await asyncio.sleep(self._reconnect_s)

    async def _receive(self, payload: str) -> None:
        """Deliver one notification's frame to this worker's sockets, unless this worker sent it."""
        try:
            note = json.loads(payload)
            if note.get("worker") == self.worker:
                return
            if "stored" in note:
                row = self._db.execute("select payload from fanout_outbound where id = ?", [int(note["stored"])]).fetchone()
                if row is None:
                    log.warning("outbound bus: stored outbound %s is gone", note["stored"])
                    return
                note = json.loads(row[0])
            deliver = self._subscribers.get(note["channel"])
            if deliver is not None:
                await deliver(str(note["user"]), dict(note["frame"]))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("outbound bus: unreadable notification skipped (%s)", type(exc).__name__)
        except Exception:
            log.exception("outbound bus: delivering a notification failed")


def _encode(value: dict[str, Any]) -> str:
    """Compact ASCII JSON: its length is its size in bytes, and a lone surrogate is escaped, not an error."""
    return json.dumps(value, separators=(",", ":"))
