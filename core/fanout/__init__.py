"""Several workers, one shopper: whole messages sent outside a turn (staff replies, handoff notices,
CSAT questions, promotions) reach the shopper's sockets on whichever worker holds them.

* :class:`OutboundBus` (``bus.py``): what a worker sends to a session is published to the other
  workers, which deliver it to their own sockets of it; :class:`LocalBus` (one worker) publishes to
  nobody, :class:`core.fanout.postgres.PostgresBus` through PostgreSQL's LISTEN/NOTIFY.
* :class:`Presence` (``presence.py``): whether another live worker holds a socket of a session (a
  promotion is only pushed to a shopper with a page open); :class:`LocalPresence` (one worker: never),
  :class:`StorePresence` (a row per session and worker, a heartbeat per worker).

docs/SCALING.md says which runs where."""
from core.fanout.bus import Deliver, LocalBus, OutboundBus
from core.fanout.presence import LocalPresence, Presence, StorePresence
from core.fanout.worker import new_worker_id

__all__ = ["Deliver", "LocalBus", "LocalPresence", "OutboundBus", "Presence", "StorePresence", "new_worker_id"]
