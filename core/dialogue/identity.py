"""Who the shopper is: the customer linked to their channel identity, or the one they proved to be in
this chat with the email on the account plus its zip code or phone number.

Failed checks are counted per conversation, per source (the channel's own key for where a message came
from: the web chat's client address) and per email address, each with its own limit within one window;
an email without a zip code or phone number is not a check. Only conversations that are not yet a
customer's come here, so a customer's linked channels and verified sessions are never paused by
failures made elsewhere. The answer to a failed check never says whether the email exists.

The parts given so far are remembered for the conversation until it is verified, so that a correction
of one of them ("sorry, typo. zip is 43138", "邮箱打错了，是…") is checked together with the others
(each such check counts like any other)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core import clock
from core.store import Store

_ZIP = re.compile(r"(?<![\d+\-])(\d{5,6})(?![\d-])")
_ZIP_LABEL = r"(?:zip(?:\s*code)?|post(?:al)?\s*code|邮编|邮政编码)\s*(?:is\b|是|为|[:：=#])?\s*"
_LABELLED_ZIP = re.compile(_ZIP_LABEL + r"(\d{5,6})(?![\d-])", re.IGNORECASE)
_NEXT_ZIP = re.compile(r"[\s,，;；:：、]*(?:" + _ZIP_LABEL + r")?(\d{5,6})(?![\d-])", re.IGNORECASE)
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

    @property
    def empty(self) -> bool:
        """Nothing that identifies anyone."""
        return not (self.email or self.zip or self.phone)

    def over(self, earlier: dict[str, Any] | None) -> Credentials:
        """These details completed by the parts given earlier in the conversation (``earlier``, as
        :meth:`remembered` keeps them): a new email keeps the earlier zip code or phone, a new zip code or
        phone the earlier email."""
        earlier = earlier or {}
        second = (self.zip, self.phone) if self.zip or self.phone else (earlier.get("zip"), earlier.get("phone"))
        return Credentials(self.email or earlier.get("email"), *second)

    def remembered(self) -> dict[str, str]:
        """The parts to keep in the dialogue state until the shopper is verified."""
        return {key: value for key, value in (("email", self.email), ("zip", self.zip), ("phone", self.phone)) if value}


def credentials(text: str, entities: dict[str, Any]) -> Credentials:
    """The email, zip code and phone number in a message (NLU entities plus a zip-code pattern)."""
    email = entities.get("email")
    phone = entities.get("phone")
    rest = text
    for value in (email, phone):
        if value:
            rest = rest.replace(value, " " * len(value))  # the same offsets as the text
    return Credentials(email.lower() if email else None, _identity_zip(rest, text.find(email) if email else -1), phone)


def _identity_zip(text: str, email_at: int) -> str | None:
    """The zip code that proves who the shopper is: the one right after the email, else one labelled so
    ("邮编 76114", "zip code: 76114"), else the first after the email, else the first; a new address given
    beside them ("改成 …, TX 76107。邮箱 … 邮编 76114") keeps its own zip."""
    beside = _NEXT_ZIP.match(text, email_at) if email_at >= 0 else None  # the email is blanked out in ``text``
    if beside:
        return beside.group(1)
    labelled = _LABELLED_ZIP.search(text)
    if labelled:
        return labelled.group(1)
    after = _ZIP.search(text, email_at) if email_at >= 0 else None
    first = after or _ZIP.search(text)
    return first.group(1) if first else None


@dataclass(frozen=True)
class Claimant:
    """Who is trying to prove an identity: the conversation, and the channel's source key for where the
    message came from (None where the channel identity is the only source, as on Telegram)."""

    conversation_id: str
    source: str | None = None


@dataclass(frozen=True)
class AuthLimits:
    """Failed checks allowed within ``lock_minutes``: per conversation, per source, and per email from
    all unverified conversations together (above the per-source limit, so one source cannot pause an
    email on its own; at the limit, guessing an email's details is held back from everywhere)."""

    conversation: int = 3
    source: int = 10
    email: int = 20
    lock_minutes: int = 15


class Authenticator:
    """Checks credentials against the customers table, with a pause after repeated failures."""

    def __init__(self, store: Store, limits: AuthLimits = AuthLimits()) -> None:
        self._db = store.db
        self._limits = limits
        self._window = timedelta(minutes=limits.lock_minutes)

    def locked(self, claimant: Claimant, email: str | None = None) -> bool:
        """Whether this conversation or its source, or this email (from anywhere), failed too often lately."""
        since = (clock.utc_now() - self._window).isoformat(timespec="seconds")
        return any(self._db.execute("select count(*) from auth_failures where key = ? and at > ?",
                                    [key, since]).fetchone()[0] >= limit for key, limit in self._keys(claimant, email))

    def verify(self, claimant: Claimant, given: Credentials) -> dict[str, Any] | None:
        """The customer complete credentials prove, or None (the failure counted against the conversation,
        its source and the email). Never says which part was wrong; incomplete credentials count nothing."""
        if not given.complete or self.locked(claimant, given.email):
            return None
        customer = self._match(given)
        if customer is None:
            now = clock.utc_now()
            with self._db.atomic():
                self._db.execute("delete from auth_failures where at <= ?",
                                 [(now - self._window).isoformat(timespec="seconds")])
                self._db["auth_failures"].insert_all({"key": key, "at": now.isoformat(timespec="seconds")}
                                                     for key, _ in self._keys(claimant, given.email))
        return customer

    def _keys(self, claimant: Claimant, email: str | None) -> list[tuple[str, int]]:
        """The counters a check from ``claimant`` about ``email`` is held to, with their limits."""
        keys = [(_key("conversation", claimant.conversation_id), self._limits.conversation)]
        if claimant.source:
            keys.append((_key("source", claimant.source), self._limits.source))
        if email:
            keys.append((_key("email", email.lower()), self._limits.email))
        return keys

    def _match(self, given: Credentials) -> dict[str, Any] | None:
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
    """Rate-limit key, hashed so the table holds no personal data (emails, client addresses, session ids)."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:24]}"
