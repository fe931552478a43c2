"""The console's staff accounts: one per colleague, a name, a role (``owner`` or ``agent``) and an
argon2 hash of their password, in the adapter table ``staff_accounts`` (owner ``console-accounts``).
Accounts name colleagues, never shoppers, so they carry no data-rights hook."""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from adapters.inbox.auth import AGENT, OWNER
from core.clock import utc_now_iso
from core.store import Store
from core.store.tables import OwnTables, TableSet

ROLES = (OWNER, AGENT)
MIN_PASSWORD = 8
MAX_NAME = 40
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("no such account: verified so timing does not tell names apart")


def _accounts(db: sqlite_utils.Database) -> None:
    """One row per colleague: name (the login and the audit name), role, password hash."""
    db["staff_accounts"].create({"name": str, "role": str, "password_hash": str, "created_at": str,
                                 "updated_at": str}, pk="name", if_not_exists=True)


TABLES = TableSet("console-accounts", ("staff_accounts",), (_accounts,))


class AccountError(ValueError):
    """A name, role or password that cannot be used, or an account that does not exist."""


@dataclass(frozen=True)
class Account:
    """A colleague's account as listed (never the hash)."""

    name: str
    role: str
    created_at: str
    updated_at: str
    """When its password or role last changed (a session from before then has ended)."""


def _secret(password: str) -> bytes:
    # surrogatepass: a JSON body may carry lone surrogates; they hash (and are wrong) like any other text
    return password.encode("utf-8", "surrogatepass")


class StaffAccounts:
    """The ``staff_accounts`` table."""

    def __init__(self, own: OwnTables) -> None:
        self._tables = own

    def exist(self) -> bool:
        """Whether any account exists (then the shared bootstrap password no longer logs in)."""
        return self._tables.execute("select 1 from staff_accounts limit 1").fetchone() is not None

    def list(self) -> list[Account]:
        """Every account by name."""
        rows = self._tables.execute("select name, role, created_at, updated_at from staff_accounts order by name")
        return [Account(*row) for row in rows.fetchall()]

    def add(self, name: str, role: str, password: str) -> Account:
        """A new account; AccountError for a bad or taken name, an unknown role or a short password."""
        name = _checked_name(name)
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if self.account(name) is not None:
            raise AccountError(f"an account named {name} exists")
        now = utc_now_iso()
        self._tables.table("staff_accounts").insert(
            {"name": name, "role": role, "password_hash": _hashed(password), "created_at": now, "updated_at": now})
        return Account(name, role, now, now)

    def set_password(self, name: str, password: str) -> None:
        """Replace an account's password; AccountError when there is no such account or it is short."""
        if self.account(name) is None:
            raise AccountError(f"no account named {name}")
        self._tables.execute("update staff_accounts set password_hash = ?, updated_at = ? where name = ?",
                             [_hashed(password), utc_now_iso(), name])

    def remove(self, name: str) -> None:
        """Delete an account; AccountError when there is none."""
        if self.account(name) is None:
            raise AccountError(f"no account named {name}")
        self._tables.execute("delete from staff_accounts where name = ?", [name])

    def verify(self, name: str, password: str) -> Account | None:
        """The account when the password is its own, else None. An unknown name verifies a dummy hash,
        so the time taken does not tell which names exist."""
        row = self._tables.execute("select name, role, created_at, updated_at, password_hash from staff_accounts "
                                   "where name = ?", [name]).fetchone()
        try:
            _HASHER.verify(row[4] if row else _DUMMY, _secret(password))
        except (VerificationError, InvalidHashError):
            return None
        return Account(*row[:4]) if row else None

    def account(self, name: str) -> Account | None:
        """The account named ``name``, or None."""
        row = self._tables.execute("select name, role, created_at, updated_at from staff_accounts where name = ?",
                                   [name]).fetchone()
        return Account(*row) if row else None


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise AccountError(f"a name is 1 to {MAX_NAME} printable characters")
    return name


def _hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    return _HASHER.hash(_secret(password))


def register(store: Store) -> StaffAccounts:
    """Migrate the accounts table; the accounts on it."""
    return StaffAccounts(store.register(TABLES))
