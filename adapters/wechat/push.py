"""Promotions on WeChat: through the customer-service message API, which WeChat allows within 48 hours
of the follower's last message (others are refused with 45015, recorded as failed)."""
from __future__ import annotations

import aiohttp

from adapters.wechat.api import WeChatAPI, WeChatAPIError
from adapters.wechat.replies import api_body, to_wechat
from core.channel import PushError
from core.messages import Reply

RETRYABLE = {-1, 45009, 45047}
"""WeChat error codes worth a retry: system busy, daily limit reached, too many messages."""


async def push_reply(api: WeChatAPI, open_id: str, reply: Reply) -> None:
    """Send each piece of the message; a failure is a :class:`PushError` saying whether a retry may help."""
    try:
        for message in to_wechat([reply], menu_id=str):
            await api.send(api_body(message, open_id))
    except WeChatAPIError as exc:
        raise PushError(f"wechat {exc}", retryable=exc.errcode in RETRYABLE) from None
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise PushError(f"wechat network: {exc!r}", retryable=True) from None
