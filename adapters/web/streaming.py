"""The web chat's frames for a turn's replies: a streamed reply as ``partial`` frames into one bubble,
then its ``reply`` frame; other replies as one ``reply`` frame each (docs/WEB_CHAT.md).

A ``partial`` frame carries the reply's ``stream`` id and all the text shown so far (each one a longer
prefix of the last, so a widget only replaces the bubble's text); the final ``reply`` frame carries
the same ``stream`` id with the whole text, buttons and cards, and replaces the bubble."""
from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from core.messages import Reply


async def reply_frames(replies: list[Reply]) -> AsyncIterator[dict[str, Any]]:
    """The frames of ``replies``, each as soon as it can be shown."""
    for reply in replies:
        if reply.stream is None:
            yield reply.to_dict()
            continue
        stream_id = secrets.token_hex(6)
        async for shown in reply.stream.progress():
            yield {"type": "partial", "stream": stream_id, "text": shown, "language": reply.language}
        final = replace(reply, text=await reply.stream.text(), stream=None)
        yield {**final.to_dict(), "stream": stream_id}
