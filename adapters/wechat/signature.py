"""WeChat's request signatures: SHA-1 over the sorted, concatenated parts."""
from __future__ import annotations

import hashlib

from adapters.credentials import same_secret


def sign(*parts: str) -> str:
    """``sha1(''.join(sorted(parts)))`` in hex: the URL signature (token, timestamp, nonce) and,
    with the ciphertext as a fourth part, the ``msg_signature`` of the encrypted mode."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def is_valid(signature: str, *parts: str) -> bool:
    """True when ``signature`` matches :func:`sign` over ``parts`` (compared in constant time)."""
    return same_secret(signature.lower(), sign(*parts))
