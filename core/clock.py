"""Time helpers: every timestamp in the store is an ISO-8601 string in UTC."""
from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utc_now_iso() -> str:
    """The current time as the store writes it."""
    return utc_now().isoformat(timespec="seconds")
