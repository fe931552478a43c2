"""Promotions in the web chat: delivered to the pages the shopper's session has open, on this worker
or, through the outbound bus, on another one (docs/SCALING.md)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.channel import PushError
from core.messages import Identity, Reply

if TYPE_CHECKING:
    from adapters.web.channel import WebChannel


async def push_to_session(web: WebChannel, identity: Identity, reply: Reply) -> None:
    """Send to the open sockets of the session, every worker's; none open anywhere is a failure a
    retry may fix."""
    if not web.is_connected(identity.user_id):
        raise PushError("web session not connected", retryable=True)
    await web.send(identity, reply)
