"""The simulated shopper's words: zh/en phrase banks with several variants per move, and typos."""
from __future__ import annotations

import random
import re

BANK: dict[str, dict[str, tuple[str, ...]]] = {
    "track": {"zh": ("我的订单{order}到哪了", "帮我查一下订单{order}", "订单{order}发货了吗？"),
              "en": ("where is my order {order}?", "can you check order {order} for me", "has {order} shipped yet?")},
    "track_open": {"zh": ("我的订单到哪了", "帮我查下订单"), "en": ("where is my order?", "I want to track my order")},
    "cancel": {"zh": ("我要取消订单{order}", "帮我把订单{order}取消掉"),
               "en": ("I want to cancel my order {order}", "please cancel order {order}")},
    "cancel_open": {"zh": ("我想取消订单", "我要取消一个订单"), "en": ("I want to cancel an order", "cancel my order please")},
    "address": {"zh": ("订单{order}的收货地址要改一下", "我搬家了，订单{order}要改地址"),
                "en": ("I need to change the delivery address of order {order}", "please ship order {order} to a new address")},
    "address_open": {"zh": ("我想改收货地址",), "en": ("I want to change my shipping address",)},
    "return": {"zh": ("我想退货，订单{order}", "订单{order}的东西我要退"),
               "en": ("I want to return order {order}", "I'd like to return the items from {order}")},
    "return_open": {"zh": ("我想退货",), "en": ("I want to return something",)},
    "refund": {"zh": ("订单{order}的退款到哪了？", "{order}退款什么时候到"),
               "en": ("where is my refund for order {order}?", "has the refund for {order} been paid?")},
    "refund_open": {"zh": ("我的退款呢？",), "en": ("where is my refund?",)},
    "identity": {"zh": ("查一下订单{order}",), "en": ("what's the status of order {order}?",)},
    "identity_open": {"zh": ("查一下我的订单",), "en": ("check my order please",)},
    "price": {"zh": ("{product}多少钱？", "{product}什么价格"), "en": ("How much is the {product}?", "what does the {product} cost?")},
    "option": {"zh": ("{product}有{option}的吗？", "{product}有没有{option}"),
               "en": ("is the {product} available in {option}?", "does the {product} come in {option}?")},
    "policy": {"zh": ("退货政策是什么？", "多少天内可以退货？"),
               "en": ("what is your return policy?", "how many days do I have to return something?")},
    "credentials": {"zh": ("{email} {zip}", "邮箱{email}，邮编{zip}"), "en": ("{email} {zip}", "{email}, zip {zip}")},
    "verify_first": {"zh": ("你好，先验证身份：邮箱{email}，邮编{zip}",), "en": ("Hi! Let me verify first: {email} {zip}",)},
    "which": {"zh": ("{order}", "是{order}这个"), "en": ("{order}", "it's {order}")},
    "correct": {"zh": ("不好意思说错了，是{order}", "不对，我说的是{order}"),
                "en": ("sorry, I meant {order}", "no wait, it's {order}")},
    "cancel_reason": {"zh": ("不想要了", "买错了"), "en": ("I ordered it by mistake", "I don't need it anymore")},
    "new_address": {"zh": ("上海市浦东新区世纪大道100号 200120",), "en": ("4127 Maple Avenue, Apt 12, Portland, OR 97205",)},
    "return_items": {"zh": ("全部",), "en": ("all of them", "all")},
    "return_reason": {"zh": ("质量有问题", "尺码不合适"), "en": ("it arrived damaged", "it doesn't fit")},
    "refund_method": {"zh": ("退回原支付方式",), "en": ("back to my original payment method",)},
    "yes": {"zh": ("是的", "好的，确认", "是"), "en": ("yes", "yes please", "sure, go ahead")},
    "no": {"zh": ("算了", "还是不要了"), "en": ("never mind", "nah, I'll keep it")},
    "digress": {"zh": ("你们用哪家快递？", "退货政策是什么？"), "en": ("which carriers do you ship with?", "what is your return policy?")},
}
_PROTECTED = re.compile(r"#?W\d+|\S+@\S+|\d+")


def phrase(move: str, lang: str, rng: random.Random, **facts: str) -> str:
    """One variant of ``move`` in ``lang``, filled with ``facts``."""
    return rng.choice(BANK[move][lang]).format(**facts)


def typo(text: str, rate: float, rng: random.Random) -> str:
    """``text`` with, at ``rate``, one slip: two neighbouring letters swapped (en) or a character doubled
    (zh); order numbers, emails and numbers are never touched."""
    if rng.random() >= rate:
        return text
    spans = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    spots = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()
             and not any(a <= i < b or a <= i + 1 < b for a, b in spans)]
    if not spots:
        return text
    i = rng.choice(spots)
    if text[i].isascii():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i + 1] + text[i] + text[i + 1:]
