"""A rule-based NLU: intent from bilingual keyword patterns, entities from the catalogue.

It is the foundation's NLU and the fallback for learned models: small, transparent and fast."""
from __future__ import annotations

import re
from typing import Any

from core.language import detect_language
from core.messages import Language
from core.nlu.base import NLU, NLUResult
from core.nlu.buttons import parse_button
from core.nlu.entities import EntityExtractor

# Checked in order; the first intent whose pattern matches wins. Specific before general.
_INTENT_PATTERNS: list[tuple[str, str]] = [
    ("contact_human_agent", r"人工|真人|客服人员|转人工|human|real person|agent|representative|speak to (?:someone|a person)"),
    ("cancel_order", r"取消.*订单|取消订单|不要了.*订单|cancel (?:my |the )?order|cancel"),
    ("check_refund_policy", r"退货政策|退换货政策|退款政策|几天.*退|能退吗|可以退吗|return policy|refund policy|returns? window|can i return"),
    ("return_item", r"退货|退回|return (?:it|this|my|the|an)|send (?:it )?back|\breturn\b"),
    ("exchange_item", r"换货|换一个|换个|exchange|swap"),
    ("track_refund", r"退款.*(?:到|进度|状态|什么时候)|refund status|where is my refund"),
    ("get_refund", r"退款|refund|money back"),
    ("track_order", r"物流|快递|到哪|到了吗|发货了|什么时候到|订单.*状态|查.*订单|where is my (?:order|package|parcel)|track|order status|delivery status|shipped yet|#?W\d{6,}"),
    ("delivery_options", r"运费|包邮|配送方式|送货|快递公司|shipping|delivery options|deliver to|how long.*(?:ship|deliver)|多久.*到|几天.*到"),
    ("check_payment_methods", r"支付方式|怎么付|付款方式|支付宝|微信支付|信用卡|payment method|pay with|how (?:can|do) i pay|paypal|credit card"),
    ("get_invoice", r"发票|invoice|fapiao|receipt"),
    ("coupon", r"优惠券|优惠码|折扣码|coupon|promo code|discount code|voucher"),
    ("price_promotion", r"打折|促销|活动|优惠|sale|discount|promotion|deal"),
    ("check_privacy_policy", r"隐私|个人信息|删除.*(?:数据|账号)|导出.*数据|privacy|my data|delete my account|personal data"),
    ("recommend", r"推荐|有什么好|适合我|recommend|suggest|what should i (?:buy|get)|gift idea"),
    ("product_search", r"买|找|有没有|有.*吗|想要|看看|buy|looking for|search|find|show me|do you (?:have|sell)|i want|i need|any "),
    ("thank_you", r"谢谢|多谢|感谢|\bthx\b|\bthanks\b|thank you|\bty\b"),
    ("goodbye", r"再见|拜拜|bye|goodbye|see you"),
    ("greet", r"你好|您好|嗨|哈喽|在吗|亲|^hi\b|^hello|^hey|good (?:morning|afternoon|evening)"),
    ("affirm", r"^(?:是|是的|对|好|好的|可以|确认|嗯|yes|yeah|yep|sure|ok|okay|confirm)[!！。.]*$"),
    ("deny", r"^(?:不|不是|不要|不用|算了|no|nope|never mind|nah)[!！。.]*$"),
]
_COMPILED = [(intent, re.compile(pattern, re.IGNORECASE)) for intent, pattern in _INTENT_PATTERNS]


class KeywordNLU(NLU):
    """Intent by the first matching bilingual pattern; entities by :class:`EntityExtractor`."""

    def __init__(self, categories: list[dict[str, Any]], default_language: Language = "en") -> None:
        self._entities = EntityExtractor(categories)
        self._default_language = default_language

    async def parse(self, text: str, language_so_far: Language | None = None) -> NLUResult:
        """Understand one message (a button payload such as "/product P1001" included)."""
        guess = detect_language(text, fallback=language_so_far or self._default_language)
        button = parse_button(text, language_so_far or guess.language, guess.mixed)
        if button:
            return button
        entities = self._entities.extract(text)
        intent, confidence = self._intent(text, entities)
        return NLUResult(text, guess.language, guess.mixed, intent, confidence, entities)

    @staticmethod
    def _intent(text: str, entities: dict[str, Any]) -> tuple[str, float]:
        stripped = text.strip()
        for intent, pattern in _COMPILED:
            if pattern.search(stripped):
                return intent, 0.9
        if "order_id" in entities:
            return "track_order", 0.7
        if {"category", "color"} & entities.keys():
            return "product_search", 0.7
        return "out_of_scope", 0.3

