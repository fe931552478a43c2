"""The WeChat Official Account channel: a webhook on Kefu's web server (docs/WECHAT.md).

``WeChatChannel(assistant, WeChatConfig(...))``; register :meth:`WeChatChannel.routes` on the
web channel with :meth:`adapters.web.WebChannel.add_routes`."""
from adapters.wechat.channel import WeChatChannel, WeChatConfig

__all__ = ["WeChatChannel", "WeChatConfig"]
