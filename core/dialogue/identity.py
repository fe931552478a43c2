"""Who the shopper is: the customer linked to their channel identity, or the one they proved to be in
this chat with the email on the account plus its zip code or phone number.

Failed checks are rate-limited per conversation and per email address; the answer to a failed check
never says whether the email exists."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core import clock
from core.store import Store

_ZIP = re.compile(r"(?<![\d+\-])(\d{5,6})(?![\d-])")
_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Credentials:
    """What the shopper typed to prove who they are."""

    email: str | None
    zip: str | None
    phone: str | None

    @property
    def complete(self) -> bool:
        """An email plus a zip code or phone number."""
        return bool(self.email and (self.zip or self.phone))


def credentials(text: str, entities: dict[str, Any]) -> Credentials:
    """The email, zip code and phone number in a message (NLU entities plus a zip-code pattern)."""
    email = entities.get("email")
    phone = entities.get("phone")
    rest = text
    for value in (email, phone):
        if value:
            rest = rest.replace(value, " ")
    match = _ZIP.search(rest)
    return Credentials(email.lower() if email else None, match.group(1) if match else None, phone)


class Authenticator:
    """Checks credentials against the customers table, with a pause after repeated failures."""

    def __init__(self, store: Store, max_failures: int = 3, lock_minutes: int = 15) -> None:
        self._db = store.db
        self._max_failures = max_failures
        self._lock = timedelta(minutes=lock_minutes)

    def locked(self, conversation_id: str, email: str | None = None) -> bool:
        """Whether this conversation (or this email, from any conversation) failed too often lately."""
        since = (clock.utc_now() - self._lock).isoformat(timespec="seconds")
        keys = [_key("conversation", conversation_id)] + ([_key("email", email)] if email else [])
        return any(self._db.execute("select count(*) from auth_failures where key = ? and at > ?",
                                    [key, since]).fetchone()[0] >= self._max_failures for key in keys)

    def verify(self, conversation_id: str, given: Credentials) -> dict[str, Any] | None:
        """The customer the credentials prove, or None (the failure counted against the conversation
        and the email). Never says which part was wrong."""
        if self.locked(conversation_id, given.email):
            return None
        customer = self._match(given)
        if customer is None:
            now = clock.utc_now().isoformat(timespec="seconds")
            keys = [_key("conversation", conversation_id)] + ([_key("email", given.email)] if given.email else [])
            self._db["auth_failures"].insert_all({"key": key, "at": now} for key in keys)
        return customer

    def _match(self, given: Credentials) -> dict[str, Any] | None:
        if not given.complete:
            return None
        for row in self._db["customers"].rows_where("lower(email) = ?", [given.email]):
            if given.zip and (row["zip"] or "").strip() == given.zip:
                return row
            if given.phone and _same_phone(row["phone"] or "", given.phone):
                return row
        return None


def _same_phone(stored: str, typed: str) -> bool:
    """Equal ignoring spaces, dashes and a missing country code (the last eight digits or more)."""
    a, b = _DIGITS.sub("", stored), _DIGITS.sub("", typed)
    return len(b) >= 8 and (a == b or a.endswith(b) or b.endswith(a)) and len(min(a, b, key=len)) >= 8


def _key(kind: str, value: str) -> str:
    """Rate-limit key: the email is hashed so the table holds no personal data."""
    return f"{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:24]}" if kind == "email" \
        else f"{kind}:{value}"
