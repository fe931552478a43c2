"""The web chat channel: a chat widget a shop embeds on its site, served with aiohttp.

``WebChannel(assistant)`` has the demo page, the widget files and the chat websocket as routes for the
HTTP host (:mod:`adapters.http`); see docs/WEB_CHAT.md for the protocol and how to embed the widget."""
from adapters.web.channel import WebChannel

__all__ = ["WebChannel"]
