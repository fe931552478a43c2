"""Keys stored hashed: rate-limit and presence rows name a client address or a web session (the
shopper's credential) only by a digest, so those tables hold no personal data."""
from __future__ import annotations

import hashlib


def hashed_key(value: str) -> str:
    """A stable 32-hex-digit digest of ``value`` (lone surrogates included)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
