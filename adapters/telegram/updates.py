"""Reading updates defensively: one malformed update must not stop the bot.

python-telegram-bot parses a whole ``getUpdates`` batch at once; a single update it cannot parse
fails the batch, which is then fetched again forever. :class:`TolerantUpdatesRequest` (the
``get_updates_request`` of the bot) replaces such an update by its bare ``update_id``, so the rest
of the batch is handled and the offset moves on. Webhook posts use :func:`parse_update` directly."""
from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def parse_update(data: Any, bot: Bot | None) -> Update | None:
    """The update in ``data`` (decoded JSON), or None when it is not a well-formed update."""
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # python-telegram-bot raises many kinds of errors for bad shapes
        return None


def _sanitise(batch: list[Any]) -> list[Any]:
    kept = []
    for item in batch:
        if parse_update(item, None) is not None:
            kept.append(item)
        elif isinstance(item, dict) and type(item.get("update_id")) is int:
            log.warning("malformed update %s skipped (fields: %s)", item["update_id"], update_fields(item))
            kept.append({"update_id": item["update_id"]})
        else:
            log.warning("malformed update without an id dropped (fields: %s)", update_fields(item))
    return kept


def update_fields(item: Any) -> str:
    """What a malformed update looked like, without its content (it may hold a shopper's messages)."""
    if not isinstance(item, dict):
        return type(item).__name__
    return ", ".join(sorted(str(key)[:32] for key in item)[:20]) or "none"


class TolerantUpdatesRequest(HTTPXRequest):
    """The ``getUpdates`` transport: passes well-formed updates, reduces malformed ones to their id."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Fetch as usual; rewrite the result list of a successful ``getUpdates``."""
        code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        if code != 200 or not url.endswith("/getUpdates"):
            return code, payload
        try:
            body = json.loads(payload)
        except ValueError:
            return code, payload
        if isinstance(body, dict) and isinstance(body.get("result"), list):
            body["result"] = _sanitise(body["result"])
            payload = json.dumps(body).encode()
        return code, payload
