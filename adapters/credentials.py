"""Secrets that come over the network (API keys, webhook secrets, session ids, CSRF tokens in headers)
compared with the expected one: as bytes, in constant time, never raising.

aiohttp keeps header bytes that are not UTF-8 as surrogate escapes, and ``hmac.compare_digest`` raises
on a non-ASCII ``str``; both are simply a wrong secret here (the route answers 401 or 403)."""
from __future__ import annotations

import hmac


def same_secret(offered: str | None, expected: str | bytes) -> bool:
    """Whether ``offered`` (None when absent) is exactly ``expected``; False for an empty expected secret."""
    want = expected.encode() if isinstance(expected, str) else expected
    if offered is None or not want:
        return False
    try:
        given = offered.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes (surrogate escapes): not any secret of ours
        return False
    return hmac.compare_digest(given, want)
