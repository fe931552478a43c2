"""Reaching the PostgreSQL server: the connection options every Kefu connection uses (a connect
timeout, TCP keepalives, so that a vanished peer is noticed in seconds, not hours) and the one-line
error for a server that cannot be reached, its URL shown without the password."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

__all__ = ["CONNECT_OPTIONS", "DatabaseUnreachable", "shown_url"]

CONNECT_OPTIONS: dict[str, int] = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5,
                                   "keepalives_interval": 1, "keepalives_count": 3, "tcp_user_timeout": 8000}
"""libpq options: give up connecting after 5 s; a silent peer is found dead after about 8 s."""


def shown_url(url: str) -> str:
    """``url`` as it may be logged or printed: the password (in the address or a ``password=``
    parameter) removed and " (password hidden)" said instead."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in query if key != "password"]
    hidden = parts.password is not None or len(kept) != len(query)
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    shown = urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept), parts.fragment))
    return f"{shown} (password hidden)" if hidden else shown


class DatabaseUnreachable(Exception):
    """The PostgreSQL server could not be reached (refused, timed out, unknown database, refused login)."""

    def __init__(self, url: str, error: Exception) -> None:
        self.url = shown_url(url)
        self.reason = _reason(error)
        super().__init__(f"cannot reach the database {self.url}: {self.reason}")


def _reason(error: Exception) -> str:
    """libpq's last word on a failed connection, e.g. "connection refused" or 'database "x" does not exist'."""
    if not isinstance(error, psycopg.Error):
        return str(error) or type(error).__name__
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    last = first.rsplit(": ", 1)[-1].strip()
    return last[:1].lower() + last[1:]
