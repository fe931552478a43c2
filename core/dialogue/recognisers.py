"""What a message asks for, read before (or beside) the NLU's intent: which flow or knowledge topic an
intent means, whether a message switches the task under way, unsubscribes, or asks something of the
shopper's data, or which language to answer in. The policy routes by these; the actions act on them."""
from __future__ import annotations

import re
from typing import Literal

from core.dialogue.engine import FLOWS
from core.dialogue.flows.slots import names_awaited_value
from core.messages import LANGUAGES, Language
from core.nlu.entities import ORDER_ID
from core.turn import Turn

# Which intent starts which flow.
FLOW_OF_INTENT = {
    "track_order": "track_order", "track_refund": "refund_status", "cancel_order": "cancel_order",
    "change_shipping_address": "change_address", "change_order": "change_items", "return_item": "return_items",
    "exchange_item": "exchange", "get_invoice": "invoice", "coupon": "coupons",
}
# Which knowledge-base topic answers which intent.
TOPIC_OF_INTENT = {
    "check_refund_policy": "returns", "return_item": "returns", "exchange_item": "exchanges",
    "get_refund": "refunds", "track_refund": "refunds", "delivery_options": "shipping",
    "delivery_period": "shipping", "check_payment_methods": "payment", "payment_issue": "payment",
    "get_invoice": "invoices", "check_invoice": "invoices", "coupon": "coupons",
    "price_promotion": "coupons", "check_privacy_policy": "privacy", "cancel_order": "orders",
    "change_order": "orders", "change_shipping_address": "orders", "check_cancellation_fee": "orders",
    "place_order": "orders", "set_up_shipping_address": "account", "contact_customer_service": "contact",
    "create_account": "account", "delete_account": "privacy", "edit_account": "account",
    "switch_account": "account", "recover_password": "account", "registration_problems": "account",
    "newsletter_subscription": "newsletter", "review": "reviews",
}
QUESTION = re.compile(r"[?？]|吗|呢|什么|怎么|多久|几天|哪些|^(?:what|how|when|where|why|which|can|do|does|is|are)\b",
                      re.IGNORECASE)
# "how long do refunds usually take?", "退款一般多久能到账？": about the shop's rules, not one of the shopper's orders
_GENERAL = re.compile(r"一般|通常|平时|正常(?:情况)?|\b(?:usually|normally|generally|typically|in general)\b", re.IGNORECASE)
# "我有个订单取消了，退款退了吗", "did my refund come through?": about the shopper's own order, not the rules;
# so is asking when one thing happens ("退款什么时候到账", "when will the refund arrive"): Chinese drops the
# "my" that English says, and how long things take ("退款要多久", "how long do refunds take") stays general
_PERSONAL = re.compile(r"\b(?:my|mine|i|i've|i'd)\b.*\b(?:orders?|refunds?|cancell?ed|returned|money|coupons?"
                       r"|vouchers?|(?:promo |discount )?codes?|invoice)\b"
                       r"|我.{0,8}(?:订单|退款|取消|退货|退了|钱|优惠券|优惠码|券|发票)"
                       r"|(?:取消|退|买|下|订)了(?:一|两|几)?(?:个|笔|单)?(?:订单|单)"  # "之前取消了一个订单": the 我 unsaid
                       r"|(?:什么时候|啥时候|何时|哪天)|\bwhen\s+(?:will|did|is|was)\b|\bwhen's\b", re.IGNORECASE)
# whether money already came back: "did I get my money back?", "has the refund come through?", "钱退回来了吗"
_REFUND_ARRIVED = re.compile(
    r"\b(?:money|refund)\b.{0,40}\b(?:back|through|arrived|received|paid|issued|processed)\b"
    r"|\b(?:did|have|has)\b.{0,25}\b(?:got|get|gotten|received?)\b.{0,15}\b(?:money|refund)\b"
    r"|\bwhere(?:'s|\s+is)\s+(?:my|the)\s+(?:money|refund)\b"
    r"|(?:退款|钱|款).{0,6}(?:到账|到了|退了|退回来|回来|收到|退给我)|(?:退款|钱).{0,4}(?:到哪|在哪)",
    re.IGNORECASE)
_WHERE_MINE = re.compile(
    r"\bwhere(?:'?s|\s+is|\s+are)?\s+(?:my|our)\b[^?.!,;]{0,40}?\b(?:orders?|package|parcel|delivery|shipment)\b"
    r"|我(?:的|买的|订的|下的)[^？?。，,]{0,12}?(?:订单|快递|包裹)[^？?。，,]{0,3}?(?:到哪|在哪)"
    # when one's own purchase ships or arrives: "when will my kettle ship?", "我买的水壶什么时候发货"
    r"|\bwhen\s+(?:will|does|do|is|are|did)\s+(?:my|our)\b[^?.!,;]{0,40}?\b(?:ship|be\s+shipped|arrive|be\s+delivered|"
    r"get\s+here|be\s+sent|go\s+out)\b"
    r"|我(?:买的|订的|下的|的订单)[^？?。，,]{0,16}?(?:什么时候|啥时候|几时|何时|多久)(?:能|会|可以)?(?:发货|发出|寄出|到|送到)",
    re.IGNORECASE)
_CHECK = re.compile(r"\b(?:check(?:\s+on)?|look\s+(?:up|at|into)|pull\s+up)\b|查一下|查查|帮我查|看一下|看看", re.IGNORECASE)
# the same question about one's own order: "what about mine then", "and my own?", "那我自己的呢"
_AND_MINE = re.compile(r"\b(?:what|how)\s+about\s+(?:mine|my\s+own|my\s+orders?)\b|\band\s+(?:mine|my\s+own)\b|"
                       r"^\W*(?:ok\w*|fine|alright)?\W*mine\b|我自己的|那我的|我的呢", re.IGNORECASE)
_WANTS = re.compile(r"\b(?:want|need|would like|i'd like|give me|demand)\b|我要|想要|要求|申请", re.IGNORECASE)
# another option instead of the one received or ordered: "想换成红色", "the size 9 instead", "swap it for blue"
_SWAP = re.compile(r"换成|换个|换一[个件双款下]|换货|改成|改为|换为|调换"
                   r"|\b(?:instead|rather\s+than|swap|switch|change|exchange)\b", re.IGNORECASE)
# intents that ask about refunds in general, which a question about one's own money coming back is not
_REFUND_QUESTION_INTENTS = ("get_refund", "check_refund_policy")
SWITCH_CONFIDENCE = 0.8
SECOND_READING_CONFIDENCE = 0.3
FREE_TEXT_SLOTS = ("reason", "address")


def flow_for(turn: Turn) -> str | None:
    """The flow this message asks for, if any: its intent's; with an order id, also the flow of the
    second reading when the first is none ("exchange the boots in W123 for size 9" read as exchange /
    place_order); a new address the model cannot place (out_of_scope) asks to change the delivery address;
    another option of a named order's item asks to change the item, unless the model is sure of another
    order flow; another size or colour asked for an order's item is an exchange (or, for a pending order, a
    change of its items) whatever look-up the model reads; a question whether one's own money came back is
    the refund's status; asking where one's own order is, tracking."""
    nlu = turn.nlu
    flow = FLOW_OF_INTENT.get(nlu.intent)
    if flow is None and "order_id" in nlu.entities:
        flow = next((FLOW_OF_INTENT[r.intent] for r in nlu.readings[1:2] if r.intent in FLOW_OF_INTENT
                     and r.confidence >= SECOND_READING_CONFIDENCE), None)
    if flow is None and nlu.intent == "out_of_scope" and "address" in nlu.entities:
        flow = "change_address"
    if flow not in OPTION_FLOWS and (flow is None or not FLOWS[flow].changes_order or nlu.confidence < SWITCH_CONFIDENCE) \
            and asks_other_option(turn, wish_counts=flow is None):
        flow = "exchange"  # "想换成红色，订单号W…" read as tracking; for a pending order its sibling, the item change
    if flow is None and asks_where_own_order(nlu.text):
        flow = "track_order"  # "wheres my security camera order at" read as placing an order
    if flow is None and nlu.intent in _REFUND_QUESTION_INTENTS and asks_own_refund(nlu.text):
        flow = "refund_status"  # "I cancelled my jigsaw puzzle order, did I get my money back?"
    return retried_after_refusal(turn, flow) or flow


OPTION_FLOWS = ("change_items", "exchange")
_WISH = re.compile(r"\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|(?:can|could)\s+i\s+(?:get|have)|make\s+it|prefer)\b|想要|我要",
                   re.IGNORECASE)


def asks_other_option(turn: Turn, wish_counts: bool = True) -> bool:
    """Whether the message asks for another size or colour of an item of an order, whatever look-up the
    intent model reads in it: swap words beside a size or colour and an order (named, or the flow the
    intent reads is an order's: "想换成红色，订单号W…", "can i get size 8 instead of 7?"), or — only with
    ``wish_counts``, when the model reads no order flow at all — a plain wish with a named order ("W…:
    I'd like it in black"; "I want to return the M shirt" is a return)."""
    entities = turn.nlu.entities
    if "size" not in entities and "color" not in entities:
        return False
    if _SWAP.search(turn.message.text):
        return "order_id" in entities or turn.nlu.intent in FLOW_OF_INTENT
    return wish_counts and "order_id" in entities and bool(_WISH.search(turn.message.text))


def asks_where_own_order(text: str) -> bool:
    """Whether the message asks where one's own order is ("wheres my security camera order at", "我买的
    耳机订单到哪了") or to check an order it names ("can you check W123 for me", "帮我查一下W123"),
    whatever the intent model reads in its product words."""
    return bool(_WHERE_MINE.search(text) or _CHECK.search(text) and ORDER_ID.search(text))


def about_own_orders(text: str) -> bool:
    """A message about the shopper's own order ("我有个订单取消了，退款退了吗"): verify and look, not the FAQ."""
    return bool(_PERSONAL.search(text))


def general_question(text: str) -> bool:
    """A question about how things usually go, naming no order ("退款一般多久能到账？")."""
    return bool(_GENERAL.search(text)) and bool(QUESTION.search(text))


def asks_own_refund(text: str) -> bool:
    """Whether the shopper asks if the money of one of their own orders came back (a refund's status; not
    the refund policy, nor asking for a refund): "I cancelled my order, did I get my money back?",
    "我退货的钱退回来了吗？"."""
    return bool(_REFUND_ARRIVED.search(text) and QUESTION.search(text)) and not _WANTS.search(text) \
        and about_own_orders(text) and not general_question(text)


def retried_after_refusal(turn: Turn, flow: str | None) -> str | None:
    """The task refused in the turn just before, when this message names an order or asks it of the
    shopper's own ("what about mine then", "那我自己的呢" after "W… is not in your account"), and asks for
    no other flow with confidence ("sorry, I meant W…" after "W… is delivered, it can't be cancelled")."""
    state, nlu = turn.state, turn.nlu
    if state.refused_task is None or state.refused_at != state.turn - 1 or \
            "order_id" not in nlu.entities and not _AND_MINE.search(nlu.text):
        return None
    return state.refused_task if flow is None or nlu.confidence < SWITCH_CONFIDENCE else None


def switches_task(turn: Turn) -> bool:
    """Whether the message clearly asks for a different flow than the one under way ("actually, I'd
    rather return it"), rather than answering its question. A look-up while a change waits for its yes
    ("what's the status of that order right now?") is a digression: the yes/no stays open."""
    state = turn.state
    wanted = flow_for(turn)
    looks_up_meanwhile = bool(state.pending and wanted and not FLOWS[wanted].changes_order)  # a digression
    return bool(state.active_task and wanted and wanted != state.active_task
                and turn.nlu.confidence >= SWITCH_CONFIDENCE and not turn.message.text.startswith("/")
                and state.awaiting not in FREE_TEXT_SLOTS and not names_awaited_value(turn) and not looks_up_meanwhile)


UNSUBSCRIBE_WORDS = frozenset({"退订", "取消订阅", "td", "stop", "unsubscribe", "/unsubscribe"})


def is_unsubscribe(text: str) -> bool:
    """Whether a whole message is one of the unsubscribe words."""
    return re.sub(r"[\s。.!！]+", "", text).lower() in UNSUBSCRIBE_WORDS


Step = Literal["menu", "export", "delete", "erase", "keep"]

MENU, EXPORT, DELETE, ERASE, KEEP = "/privacy", "/privacy export", "/privacy delete", "/privacy erase", "/privacy keep"

_PRIVACY_COMMAND = re.compile(r"/privacy(?:\s+(export|delete|erase|keep))?", re.IGNORECASE)
_COMMAND_STEPS: dict[str, Step] = {"": "menu", "export": "export", "delete": "delete", "erase": "erase", "keep": "keep"}
_MY_DATA_ZH = r"(?:我的|我)?(?:全部|所有)?(?:个人)?(?:数据|信息|资料|聊天记录)"
_MY_DATA_EN = r"\b(?:my|all my|all of my)\s+(?:personal\s+)?(?:data|information|info|chat history)\b"
_EXPORT_REQUEST = re.compile(rf"(?:导出|下载){_MY_DATA_ZH}|\b(?:export|download|get|send me|give me|copy of)\b"
                             rf".{{0,12}}{_MY_DATA_EN}", re.IGNORECASE)
_DELETE_REQUEST = re.compile(rf"(?:删除|删掉|清除){_MY_DATA_ZH}|\b(?:delete|erase|remove|wipe)\b.{{0,12}}"
                             rf"{_MY_DATA_EN}|right to be forgotten", re.IGNORECASE)
_CONFIRM_WORDS = frozenset({"确认删除", "确定删除", "是删除", "confirmdelete", "confirmdeletion", "yesdelete"})
_CANCEL_WORDS = frozenset({"否", "不", "不用", "不要", "取消", "不删", "不删除", "不要删除", "算了", "保留", "no", "nope",
                           "cancel", "keep", "keepmydata", "dontdelete", "donotdelete"})


def privacy_step(turn: Turn) -> Step | None:
    """What the shopper asks of their data in this message, or None when it is not about that.

    ``erase`` only when the previous turn asked for the confirmation; otherwise the question is
    asked (again)."""
    payload = turn.message.payload
    text = (payload if payload is not None else turn.nlu.text).strip()
    pending = turn.state.erase_asked_at is not None and turn.state.erase_asked_at == turn.state.turn - 1
    command = _PRIVACY_COMMAND.fullmatch(text)
    if command:
        step = _COMMAND_STEPS[(command.group(1) or "").lower()]
        return "delete" if step == "erase" and not pending else step
    if pending and payload is None:
        words = re.sub(r"[\s\W_]+", "", text).lower()
        if words in _CONFIRM_WORDS:
            return "erase"
        if words in _CANCEL_WORDS or turn.nlu.intent == "deny":
            return "keep"
        if turn.nlu.intent == "affirm":
            return "delete"  # a plain "yes" is not explicit enough: ask again, saying how to confirm
    if payload is None and _EXPORT_REQUEST.search(text):
        return "export"
    if payload is None and _DELETE_REQUEST.search(text):
        return "delete"
    return None


_LANGUAGE_COMMAND = re.compile(r"/lang(?:\s+(\S+))?", re.IGNORECASE)


def language_step(turn: Turn) -> Language | Literal["menu"] | None:
    """The language asked for ("/lang zh"), "menu" for "/lang" alone (or a language Kefu does not
    speak), None when the message is not about the language."""
    payload = turn.message.payload
    command = _LANGUAGE_COMMAND.fullmatch((payload if payload is not None else turn.message.text).strip())
    if command is None:
        return None
    chosen = (command.group(1) or "").lower()
    return chosen if chosen in LANGUAGES else "menu"  # type: ignore[return-value]
