"""A streamed reply in WeChat: its first sentence in the passive reply (or the first customer-service
message), the rest through the customer-service API once the reply is finished.

WeChat cannot edit a message, so the reply is not shown sentence by sentence: the first released text
answers within the passive reply's few seconds, and :class:`StreamedRest` stands for what follows it
in the list of messages, turned into messages (text, then the reply's menu) when the reply is done."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from adapters.wechat.replies import Outgoing, Text
from adapters.wechat.replies import to_wechat as whole_to_wechat
from core.messages import Reply


@dataclass(frozen=True)
class StreamedRest:
    """The rest of a streamed reply after the text already given (``shown``)."""

    reply: Reply
    shown: str
    menu_id: Callable[[str], str]

    async def messages(self) -> list[Outgoing]:
        """The rest as WeChat messages, once the reply is finished (its menu last)."""
        assert self.reply.stream is not None
        final = await self.reply.stream.text()
        rest = final[len(self.shown):] if final.startswith(self.shown) else final
        return whole_to_wechat([replace(self.reply, text=rest.strip(), stream=None)], self.menu_id)


async def to_wechat(replies: list[Reply], menu_id: Callable[[str], str]) -> list[Outgoing | StreamedRest]:
    """The replies as WeChat messages (:func:`adapters.wechat.replies.to_wechat`); a streamed one as its
    first released text, then its :class:`StreamedRest`."""
    messages: list[Outgoing | StreamedRest] = []
    for reply in replies:
        if reply.stream is None or reply.private:
            text = await reply.stream.text() if reply.stream is not None else reply.text
            messages += whole_to_wechat([replace(reply, text=text, stream=None)], menu_id)
            continue
        async for first in reply.stream.progress():
            messages += [Text(first.strip()), StreamedRest(reply, first, menu_id)]
            break
        else:
            messages += whole_to_wechat([replace(reply, text=await reply.stream.text(), stream=None)], menu_id)
    return messages
