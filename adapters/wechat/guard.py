"""Whether a request comes from WeChat, now: a right signature, a fresh timestamp, and a
(timestamp, nonce) pair not used before by another request.

The URL signature covers only the token, the timestamp and the nonce, not the body, so a signed URL
seen once (in a proxy's access log, say) would otherwise carry any body, any time later. A timestamp
more than :data:`FRESHNESS_S` off the clock is refused, and each pair is recorded (in the store, so a
restart does not forget it) with the digest of the request that used it: the same pair again is only
admitted for that very request, which is WeChat resending it (answered once by the delivery ledger)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from adapters.wechat.ledger import WeChatLedger
from adapters.wechat.signature import is_valid
from core import clock

FRESHNESS_S = 300
"""How far a request's timestamp may be from the clock, either way (WeChat signs as it sends)."""
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    """A request that does not prove it comes from WeChat just now (answered 403)."""


@dataclass(frozen=True)
class Stamp:
    """The checked timestamp and nonce of a signed request."""

    timestamp: int
    nonce: str


def request_digest(method: str, content: bytes) -> str:
    """What a (timestamp, nonce) pair is bound to: the method and the content (a push's body, a URL
    verification's ``echostr``)."""
    return hashlib.sha256(method.encode("ascii") + b"\n" + content).hexdigest()


class RequestGuard:
    """Checks WeChat's URL signature and its freshness, and admits each signed pair for one request."""

    def __init__(self, token: str, ledger: WeChatLedger, freshness_s: int = FRESHNESS_S) -> None:
        self._token = token
        self._ledger = ledger
        self._freshness_s = freshness_s

    def check(self, query: Mapping[str, str]) -> Stamp:
        """The stamp of a request whose ``signature`` is right and whose timestamp is fresh; :class:`Refused`
        otherwise."""
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if not is_valid(query.get("signature", ""), self._token, timestamp, nonce):
            raise Refused("bad signature")
        if not _TIMESTAMP.fullmatch(timestamp) or abs(_now() - int(timestamp)) > self._freshness_s:
            raise Refused(f"timestamp more than {self._freshness_s} s off")
        return Stamp(int(timestamp), nonce)

    def first_use(self, stamp: Stamp, digest: str) -> None:
        """Record the stamp for the request with ``digest``; :class:`Refused` when another request used it."""
        if not self._ledger.use_nonce(stamp.timestamp, stamp.nonce, digest, _now() - self._freshness_s):
            raise Refused("timestamp and nonce already used")


def _now() -> int:
    """The clock in Unix seconds (:mod:`core.clock`, so tests can move it)."""
    return int(clock.utc_now().timestamp())
