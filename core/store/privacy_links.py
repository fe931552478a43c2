"""One-time links to a customer's data export: unguessable, bound to the customer and the conversation
that asked, single-use and short-lived. Only the SHA-256 of a token is stored."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import sqlite_utils

from core import clock

TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"
"""What :meth:`PrivacyLinks.issue` returns: 32 random bytes, URL-safe base64 without padding."""
_TOKEN = re.compile(TOKEN_PATTERN)

Refusal = Literal["unknown", "used", "expired"]


class LinkRefused(Exception):
    """A link that gives nothing: ``reason`` is ``unknown``, ``used`` or ``expired``; ``language`` is the
    language of the conversation that asked for it (None when the link is unknown)."""

    def __init__(self, reason: Refusal, language: str | None = None) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason
        self.language = language


@dataclass(frozen=True)
class PrivacyLink:
    """A valid, unused link: whose data it opens and which conversation asked for it."""

    customer_id: int
    conversation_id: str
    language: str
    expires_at: datetime


class PrivacyLinks:
    """Issue, check and use export links (table ``privacy_links``)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def issue(self, customer_id: int, conversation_id: str, language: str, valid_for: timedelta) -> str:
        """A new token for ``customer_id``'s export, usable once within ``valid_for``."""
        token = secrets.token_urlsafe(32)
        now = clock.utc_now()
        self._db["privacy_links"].insert({
            "token_hash": _hash(token), "customer_id": customer_id, "conversation_id": conversation_id,
            "language": language, "created_at": _iso(now), "expires_at": _iso(now + valid_for), "used_at": None})
        return token

    def check(self, token: str) -> PrivacyLink:
        """The link behind ``token`` if it may still be used; :class:`LinkRefused` otherwise."""
        row = self._row(token)
        if row is None:
            raise LinkRefused("unknown")
        if row["used_at"]:
            raise LinkRefused("used", row["language"])
        expires_at = datetime.fromisoformat(row["expires_at"])
        if clock.utc_now() >= expires_at:
            raise LinkRefused("expired", row["language"])
        return PrivacyLink(row["customer_id"], row["conversation_id"], row["language"], expires_at)

    def use(self, token: str) -> PrivacyLink:
        """Check the link and mark it used, atomically: of two simultaneous uses only one succeeds."""
        link = self.check(token)
        with self._db.atomic():
            used = self._db.execute("update privacy_links set used_at = ? where token_hash = ? and used_at is null",
                                    [_iso(clock.utc_now()), _hash(token)]).rowcount
        if used != 1:
            raise LinkRefused("used", link.language)
        return link

    def _row(self, token: str) -> dict | None:
        if not _TOKEN.fullmatch(token):
            return None
        rows = list(self._db["privacy_links"].rows_where("token_hash = ?", [_hash(token)]))
        return rows[0] if rows else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
