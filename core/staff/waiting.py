"""Waiting for a colleague: after N unclaimed minutes the shopper is told the expected wait (and that
they may leave a message) and staff are reminded; outside working hours the handoff queues and the
shopper is told when someone will answer. :meth:`WaitingWatch.check` runs periodically in ``kefu run``,
and so does :meth:`WaitingWatch.ask_idle`: the CSAT question for conversations gone quiet after a finished flow."""
from __future__ import annotations

import asyncio
import logging
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.staff.hub import HandoffHub

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkingHours:
    """When staff answer: ``start``-``end`` local time on ISO ``days`` (1 = Monday) in ``timezone``."""

    start: time
    end: time
    days: frozenset[int]
    timezone: ZoneInfo

    @classmethod
    def parse(cls, hours: str, days: str, timezone: str) -> WorkingHours:
        """From settings: ``"09:00-18:00"``, ``"1-5"`` or ``"1,2,3"``, ``"Asia/Shanghai"``."""
        start, end = (time.fromisoformat(part) for part in hours.split("-"))
        chosen: set[int] = set()
        for part in days.split(","):
            low, _, high = part.strip().partition("-")
            chosen.update(range(int(low), int(high or low) + 1))
        return cls(start, end, frozenset(chosen), ZoneInfo(timezone))

    def is_open(self, now: datetime) -> bool:
        """Whether staff are at work at ``now`` (an aware datetime)."""
        local = now.astimezone(self.timezone)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, now: datetime) -> datetime:
        """When staff are next at work (``now`` itself if they are), in local time."""
        local = now.astimezone(self.timezone)
        for day in range(8):
            date = (local + timedelta(days=day)).date()
            opening = datetime.combine(date, self.start, self.timezone)
            if date.isoweekday() in self.days and (day > 0 or local.time() < self.end):
                return max(opening, local)
        raise ValueError("no working days configured")


class WaitingWatch:
    """Tells waiting shoppers how long it may take and reminds staff, once per handoff."""

    def __init__(self, hub: HandoffHub, wait_minutes: float, hours: WorkingHours | None = None,
                 csat_idle_minutes: float = 0) -> None:
        """``csat_idle_minutes``: quiet this long after a finished flow, a conversation is asked "How did we
        do?" (0: never on idle)."""
        self._hub = hub
        self._wait = timedelta(minutes=wait_minutes)
        self._hours = hours
        self._csat_idle = timedelta(minutes=csat_idle_minutes)
        self._task: asyncio.Task | None = None

    async def check(self, now: datetime | None = None) -> int:
        """Handle every open, unclaimed handoff due a notice; returns how many were handled."""
        now = now or datetime.now(UTC)
        db = self._hub.store.db
        handled = 0
        for row in list(db["handoffs"].rows_where("status = 'open' and notice_at is null", order_by="id")):
            created = datetime.fromisoformat(row["created_at"])
            if self._hours is not None and not self._hours.is_open(now):
                when = self._hours.next_open(now).strftime("%Y-%m-%d %H:%M %Z")
                await self._hub.tell_shopper(row["conversation_id"], "handoff_after_hours", when=when)
            elif now - created >= self._wait:
                await self._hub.tell_shopper(row["conversation_id"], "handoff_wait",
                                             minutes=self.expected_wait_minutes())
                await self._hub.remind(row["id"], int((now - created).total_seconds() // 60))
                db["handoffs"].update(row["id"], {"reminded_at": now.isoformat(timespec="seconds")})
            else:
                continue
            db["handoffs"].update(row["id"], {"notice_at": now.isoformat(timespec="seconds")})
            handled += 1
        return handled

    async def ask_idle(self) -> int:
        """Send the CSAT question to every conversation quiet for the idle time after a finished flow;
        returns how many were asked (the rules of :class:`core.csat.Csat` still apply)."""
        csat = self._hub.csat
        if csat is None or not self._csat_idle:
            return 0
        asked = 0
        for conversation_id in csat.idle_due(self._csat_idle):
            if await self._hub.ask_csat(conversation_id, "idle"):
                asked += 1
            else:  # not to be asked now (asked today, opted out): the conversation stops waiting for it
                self._hub.store.conversations.patch_state(conversation_id, csat_due=False)
        return asked

    def expected_wait_minutes(self) -> int:
        """The median time to claim of the last 20 claimed handoffs, else twice the notice delay."""
        rows = self._hub.store.db.execute(
            "select created_at, claimed_at from handoffs where claimed_at is not null order by id desc limit 20")
        waits = [(datetime.fromisoformat(c) - datetime.fromisoformat(a)).total_seconds() / 60 for a, c in rows]
        minutes = statistics.median(waits) if waits else 2 * self._wait.total_seconds() / 60
        return max(1, round(minutes))

    def start(self, every_s: float) -> None:
        """Check every ``every_s`` seconds in the background."""
        async def loop() -> None:
            while True:
                await asyncio.sleep(every_s)
                try:
                    await self.check()
                    await self.ask_idle()
                except Exception:
                    log.exception("handoff waiting check failed")
        self._task = asyncio.get_running_loop().create_task(loop())

    async def stop(self) -> None:
        """Stop the periodic check."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
