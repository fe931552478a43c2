"""The WeChat Official Account channel: a webhook on Kefu's web server (docs/WECHAT.md).

``WeChatChannel(assistant, WeChatConfig(...))``; the HTTP host (:mod:`adapters.http`) mounts
:meth:`WeChatChannel.routes`."""
from adapters.wechat.channel import WeChatChannel, WeChatConfig

__all__ = ["WeChatChannel", "WeChatConfig"]
