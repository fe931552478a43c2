"""The WeChat channel's own user-facing strings, in Chinese and English (the core's are in
``core/i18n.py``). ``say(key, lang, **facts)`` fills one in."""
from __future__ import annotations

from typing import Any

from core.i18n import fill

STRINGS: dict[str, dict[str, str]] = {
    "welcome": {
        "zh": "感谢关注{shop}！我是智能客服，可以帮您找商品、查订单、了解退换货和配送政策，直接发消息给我就好。",
        "en": "Thanks for following {shop}! I'm the shop assistant: send me a message to find products, "
              "track an order, or ask about returns and delivery.",
    },
    "consent_question": {
        "zh": "您愿意接收我们的优惠和新品消息吗？随时可以退订。",
        "en": "Would you like to receive our offers and new arrivals? You can stop them at any time.",
    },
    "consent_yes": {"zh": "愿意", "en": "Yes, please"},
    "consent_no": {"zh": "不用了", "en": "No, thanks"},
    "consent_given": {
        "zh": "好的，我们会给您发送优惠和新品消息。想退订时告诉客服即可。",
        "en": "Great, we'll send you offers and new arrivals. Just tell us whenever you want them to stop.",
    },
    "consent_declined": {
        "zh": "好的，我们不会给您发送营销消息。",
        "en": "No problem, we won't send you marketing messages.",
    },
    "menu_head": {"zh": "点击选择：", "en": "Tap an option:"},
    "image": {
        "zh": "收到您的图片，不过我还看不懂图片。请用文字告诉我商品名称、颜色或订单号（例如 #W1234567），我来帮您查。",
        "en": "Thanks for the picture, but I can't read images yet. Please type the product's name, colour "
              "or your order number (like #W1234567) and I'll look it up.",
    },
    "voice": {
        "zh": "收到您的语音，不过我还听不懂语音。请用文字把问题发给我。",
        "en": "Thanks for the voice message, but I can't listen to audio yet. Please type your question.",
    },
    "location": {
        "zh": "收到您的位置{label}。我暂时不能按位置查询门店或运费；如需查询配送，请发送订单号或“配送政策”。",
        "en": "Thanks for sharing your location{label}. I can't look up stores or shipping by location yet; "
              "send your order number or ask about \"delivery\" instead.",
    },
    "unsupported": {
        "zh": "这类消息我暂时无法处理。请用文字告诉我您想找的商品或要查的订单。",
        "en": "I can't handle this kind of message yet. Please type what you're looking for or your order number.",
    },
}


def say(key: str, lang: str, **facts: Any) -> str:
    """The WeChat string ``key`` in ``lang`` (falling back to English), with ``facts`` filled in."""
    return fill(STRINGS[key], lang, **facts)
