"""Keys made once per install and kept in the store: random, never configured, never logged.

The web chat signs the session ids it issues with one (``web_session``), so it can tell an id it
gave out from one a client made up, across restarts and without a table of ids."""
from __future__ import annotations

import secrets

import sqlite_utils

from core import clock

KEY_BYTES = 32


class InstallSecrets:
    """Named random keys (table ``install_secrets``), each made the first time it is asked for."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def get(self, name: str) -> bytes:
        """The key called ``name``; two processes asking at once for a new one get the same key."""
        with self._db.atomic():
            self._db.execute("insert or ignore into install_secrets (name, value, created_at) values (?, ?, ?)",
                             [name, secrets.token_hex(KEY_BYTES), clock.utc_now().isoformat(timespec="seconds")])
        return bytes.fromhex(self._db["install_secrets"].get(name)["value"])
