"""Reading slot values out of a message: reasons, refund methods, addresses, items and variants."""
from __future__ import annotations

import re
from typing import Any

from core.dialogue.answers import answer
from core.dialogue.flows.base import FlowContext, paid_kinds
from core.dialogue.identity import credentials
from core.dialogue.references import ordinal
from core.nlu.addresses import address_pieces, parse_address
from core.nlu.entities import ORDER_ID
from core.recommend.stock import sellable
from core.retrieval.product_types import product_types
from core.shop.aftersales import REFUND_METHODS
from core.turn import Turn
from core.vocabulary import MATERIALS_ZH, SIZE_WORDS, colour_words, options_label

_BECAUSE = re.compile(r"(?:\b(?:because|since|as|reason(?: is)?)\b|因为|原因是?|理由是?)\s*[:：]?\s*(.{2,})", re.IGNORECASE)
_ALL = re.compile(r"\b(?:all|everything|whole order|both)\b|全部|都退|全退|整单|所有", re.IGNORECASE)
# the whole order, whatever else is named: "all of them", "everything", "整单"
_WHOLE = re.compile(r"\ball\s+(?:of\s+)?(?:them|it|items|the\s+items|my\s+items)\b|everything|whole\s+order|"
                    r"全部|都退|全退|整单|所有", re.IGNORECASE)
_STORE_CREDIT = re.compile(r"store\s*credit|\bcredit\b(?!\s*card)|balance|余额|购物金", re.IGNORECASE)
_ORIGINAL = re.compile(r"original|same (?:card|way|method|account)|(?:way|how) i paid|原路|原来的?(?:付款|支付|账户|方式|渠道)|"
                       r"原(?:支付|付款)|原账户|怎么付的", re.IGNORECASE)
# the kinds of payment method a shopper may name ("back to my PayPal", "退到我的礼品卡"), by payment_kind
_GIFT_CARD = re.compile(r"gift\s*-?\s*card|礼品卡|购物卡", re.IGNORECASE)
_PAYMENT_KINDS = (("gift_card", _GIFT_CARD),
                  ("credit_card", re.compile(r"credit\s*card|debit\s*card|bank\s*card|信用卡|银行卡|借记卡", re.IGNORECASE)),
                  ("paypal", re.compile(r"pay\s*pal", re.IGNORECASE)),
                  ("alipay", re.compile(r"ali\s*pay|支付宝", re.IGNORECASE)),
                  ("wechat_pay", re.compile(r"we\s*chat|微信", re.IGNORECASE)),
                  ("unionpay", re.compile(r"union\s*pay|银联", re.IGNORECASE)))
# where the refund should not go: "instead of my credit card", "rather than PayPal", "不要退到信用卡", "而不是原路"
_NOT_THERE = re.compile(r"(?:instead\s+of|rather\s+than|\bnot\s+(?:on|to|into|back\s+to)\b|而不是|不要|不用|别)"
                        r"[^,，;；。!！?？]*", re.IGNORECASE)
_ANY_CARD = re.compile(r"\bcard\b|卡", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,，;；。!！]|\.(?:\s|$)|\s+(?:and|also)\s+|另外|还有")
# clauses that say nothing about why: a greeting, a question, contact details, only an order's number
_NOT_A_REASON = re.compile(r"^(?:hi|hello|hey|thanks|thank you|please|你好|您好|麻烦了?|谢谢|请|(?:my\s+|the\s+)?order|订单号?)?\W*$"
                           r"|[?？@]|\d{5,}", re.IGNORECASE)
MAX_REASON_CHARS = 200
_ANSWER_WORDS = {"yes", "no", "true", "false", "none", "是", "否", "有", "无"}
_COMMON = {"the", "and", "for", "with", "set", "one", "new", "pack", "pcs", "size", "item", "order"}


def free_text(turn: Turn) -> str | None:
    """The message as a free-text answer, unless it is a button or carries an order id (a correction)."""
    text = turn.message.text.strip()
    if text.startswith("/") or "order_id" in turn.nlu.entities or len(text) < 2:
        return None
    return text[:MAX_REASON_CHARS]


def read_reason(ctx: FlowContext, asked_by: re.Pattern[str]) -> None:
    """The reason: any answer to the question, "… because …" in an earlier message, or, in the message
    that asked for the task, a clause of its own beside the request ("cancel W123, I ordered it by
    mistake", "订单W123帮我取消一下，不想要了"; ``asked_by``: the words that ask for the task)."""
    if ctx.slots.get("reason"):
        return
    turn = ctx.turn
    if turn.state.awaiting == "reason":
        text = free_text(turn)
        if text and answer(turn) != "yes":  # "yes" / "对，取消吧" answers no "why?" ("不想要了" does)
            ctx.slots["reason"] = text
        return
    because = _BECAUSE.search(turn.message.text)
    if because:
        ctx.slots["reason"] = because.group(1).strip()[:MAX_REASON_CHARS]
    elif ctx.request:
        reason = reason_beside_request(turn.message.text, asked_by)
        if reason:
            ctx.slots["reason"] = reason[:MAX_REASON_CHARS]
    elif turn.state.awaiting == "order_id":
        reason = reason_beside_order(turn.message.text)
        if reason:
            ctx.slots["reason"] = reason[:MAX_REASON_CHARS]


def reason_beside_order(text: str) -> str | None:
    """The answer to "which order?" with why in a clause of its own ("W123, don't need it anymore",
    "是W123，买重复了"): the clauses that name no order and are no greeting or contact details."""
    clauses = [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
    if len(clauses) < 2 or not any(ORDER_ID.search(c) for c in clauses):
        return None
    rest = [c for c in clauses if not ORDER_ID.search(c) and not _NOT_A_REASON.search(c) and len(c) >= 2]
    return "，".join(rest) if rest else None


def reason_beside_request(text: str, asked_by: re.Pattern[str]) -> str | None:
    """The clauses of a request message that are not the request itself, a greeting, a question or
    contact details: what the shopper said about why. None when there are none."""
    clauses = [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
    if len(clauses) < 2 or not any(asked_by.search(c) for c in clauses):
        return None
    rest = [c for c in (ORDER_ID.sub("", c).strip() for c in clauses if not asked_by.search(c))
            if not _NOT_A_REASON.search(c) and len(c) >= 2]
    return "，".join(rest) if rest else None


def read_refund_method(ctx: FlowContext, order: dict[str, Any] | None) -> None:
    """Original payment method or store credit, from a button ("/refund store_credit") or words; a payment
    method named by its kind ("back to my PayPal") is the original one only when the order was paid with it."""
    methods = ctx.policy.refund_methods
    if len(methods) == 1:
        ctx.slots["refund_method"] = methods[0]
        return
    text = ctx.turn.message.text
    named = refund_method_named(text, methods, paid_kinds(order) if order else None)
    if named:
        ctx.slots["refund_method"] = named
        # store credit asked for as "my gift card": the confirmation says the shopper's card, not only the shop's word
        ctx.slots["refund_gift_card"] = named == "store_credit" and bool(_GIFT_CARD.search(_NOT_THERE.sub(" ", text)))


def names_awaited_value(turn: Turn) -> bool:
    """Whether the message gives what the open question asks for by its shape, whatever intent the
    model reads in it: an email or phone for "who are you?", an order id for "which order?", a refund method for "refund to?" ("原路退回就行"
    is the answer, not a new refund request), a part of the new address ("60201" for "what's the zip?")."""
    awaiting = turn.state.awaiting
    if awaiting == "identity":  # "邮箱…，邮编…" is not a request to change the address; "zip is 43138" a correction
        return not credentials(turn.message.text, turn.nlu.entities).empty
    if awaiting == "order_id":
        return "order_id" in turn.nlu.entities
    if awaiting == "refund_method":
        return refund_method_named(turn.message.text, REFUND_METHODS) is not None
    return _asks_address(turn) and bool(given_parts(turn))


def refund_method_named(text: str, methods: tuple[str, ...] | list[str], paid: set[str] | None = None) -> str | None:
    """The refund method (of ``methods``) a message names: a button, "store credit", "原路退回", "back to
    my original payment"; None when it names none. A payment method named by its kind ("refund it to my gift
    card", "退到支付宝") is the original method when it is one the order was paid with (``paid``: the kinds,
    see :func:`paid_kinds`); a gift card it was not paid with is store credit (the balance such a card
    holds); any other kind names nothing (never a method the order did not use); with
    ``paid`` None any kind counts (the message's shape only). Whatever else the intent model reads in such
    a message, it answers "refund to?"."""
    text = text.strip()
    if text.startswith("/refund ") and text.split()[1] in methods:
        return text.split()[1]
    original = "original" if "original" in methods else None
    text = _NOT_THERE.sub(" ", text)  # "on my gift card instead of my credit card": the card not wanted names nothing
    kinds = {kind for kind, words in _PAYMENT_KINDS if words.search(text)}
    if kinds:
        if paid is None or kinds & paid:
            return original
        # a gift card the order was not paid with is the shop's store credit (tau: "or a gift card")
        return "store_credit" if kinds == {"gift_card"} and "store_credit" in methods else None
    if _STORE_CREDIT.search(text) and "store_credit" in methods:
        return "store_credit"
    if _ANY_CARD.search(text):  # "back to my card": the order's card, if it was paid by one
        return original if paid is None or any(kind.endswith("card") or kind == "unionpay" for kind in paid) else None
    return original if _ORIGINAL.search(text) else None


_HOW_LONG = re.compile(r"how\s+(?:long|soon|many\s+days)|when\s+will|多久|多长时间|几天|什么时候", re.IGNORECASE)


def chooses_refund_method(turn: Turn, slots: tuple[str, ...]) -> bool:
    """Whether a message in a task that asks where the refund goes chooses it, asked or not ("can the
    refund go on my gift card instead?", "退款能退到我的礼品卡吗？"); a question of how long a refund
    there takes chooses nothing."""
    text = turn.message.text
    return "refund_method" in slots and not _HOW_LONG.search(text) \
        and refund_method_named(text, REFUND_METHODS) is not None


def _asks_address(turn: Turn) -> bool:
    """Whether the open question is the new address, or the confirmation of one."""
    state = turn.state
    return state.awaiting == "address" or state.awaiting == "confirm" and state.active_task == "change_address"


def given_parts(turn: Turn) -> dict[str, str]:
    """The parts of a new address this message gives: the NLU's one-line address, or, while the flow
    asks for the address or confirms it, the pieces the message holds ("58 Lakeview Road", "Evanston IL",
    "zip is 60201"); never from the message that proves who the shopper is."""
    entity = turn.nlu.entities.get("address")
    pieces = {} if not _asks_address(turn) or "email" in turn.nlu.entities or free_text(turn) is None \
        else address_pieces(turn.message.text)
    whole = parse_address(entity).fields() if entity else {}
    return {**pieces, **whole} if {"line1", "city"} <= whole.keys() else pieces or whole  # "… 200120": the zip too


def read_item(ctx: FlowContext, order: dict[str, Any], allow_all: bool) -> None:
    """Which of the order's items: the only one, "all", a position ("the second one"), a product
    named in the message (by its name or category first, else by an option only it has), or a button
    ("/item 12")."""
    items = order["items"]
    if len(items) == 1:
        ctx.slots["item"] = items[0]["id"]
        return
    text = ctx.turn.message.text.strip()
    if text.startswith("/item "):
        chosen = text.split()[1]
        if chosen == "all" and allow_all or any(str(i["id"]) == chosen for i in items):
            ctx.slots["item"] = chosen if chosen == "all" else int(chosen)
        return
    product_id = ctx.turn.nlu.entities.get("product_id")
    # an item named by its name wins over one an option names ("the red tee … a black one": the tee,
    # not the earbuds that also come in black), and over a loose "all" ("the speaker, it sounds all crackly")
    by_name = [i for i in items if i["product_id"] == product_id or _names(ctx, i, text, by_options=False)]
    if allow_all and (_WHOLE.search(text) or _ALL.search(text) and len(by_name) != 1):
        ctx.slots["item"] = "all"
        return
    picked = "item" in ctx.slots  # then only an item named by its name is another one, not by an option ("750ml")
    named = by_name if len(by_name) == 1 or picked else \
        [i for i in items if i["product_id"] == product_id or _names(ctx, i, text)]
    if len(named) == 1:
        ctx.slots["item"] = named[0]["id"]
        return
    position = ordinal(text) if ctx.turn.state.awaiting == "item" else None
    if position is not None and -len(items) <= position < len(items):
        ctx.slots["item"] = items[position]["id"]


def _names(ctx: FlowContext, item: dict[str, Any], text: str, by_options: bool = True) -> bool:
    """Whether the message names the item: a word of its English name (3+ letters), three characters
    in a row of its Chinese title, its category ("裤子", "dress"), its kind of product in either language
    ("宠物床" for an English shop's Pet Bed), or (``by_options``) an option value only another variant of it
    has ("250ml")."""
    lowered = text.lower()
    product = ctx.store.catalog.product(item["product_id"]) or {}
    words = set(re.findall(r"[a-z]{3,}", f"{item['name']} {product.get('title_en') or ''}".lower())) - _COMMON
    if words & set(re.findall(r"[a-z]{3,}", lowered)):
        return True
    title = product.get("title_zh") or ""
    if any(not title[i:i + 3].isascii() and title[i:i + 3] in text for i in range(max(len(title) - 2, 0))):
        return True  # Chinese characters only: "off" of an English "Coffee Maker" is not in "office"
    if product.get("category") and ctx.turn.nlu.entities.get("category") == product["category"]:
        return True  # the NLU's word for the category ("tee" for T-Shirt)
    category = next((c for c in ctx.store.catalog.categories() if c["id"] == product.get("category")), None)
    if category and any(word and len(word) >= 2 and word.lower() in lowered
                        for word in (category["name_zh"], category["name_en"], *(category["aliases"] or []))):
        return True
    kind = product_types(ctx.store).find(text)
    if kind is not None and kind.fits(product):
        return True
    return by_options and bool(_options_named(ctx, item, text))


def names_an_item(ctx: FlowContext, order: dict[str, Any]) -> bool:
    """Whether the message (or the request the task began with) names one of the order's items by its
    name or kind ("wheres my security camera order at")."""
    request = ctx.slots.get("_request") or {}
    texts = [ctx.turn.message.text, *([request["text"]] if request.get("text") else [])]
    return any(_names(ctx, item, text, by_options=False) for item in order["items"] for text in texts)


def chosen_items(order: dict[str, Any], item: Any) -> list[dict[str, Any]]:
    """The order items the ``item`` slot names ("all" or one item id)."""
    return list(order["items"]) if item == "all" else [i for i in order["items"] if i["id"] == item]


def read_variant(ctx: FlowContext, order: dict[str, Any]) -> None:
    """The variant of the same product the shopper wants instead: the in-stock variant with the size or
    colour the message names that keeps most of the item's other options (the only one keeping them
    all, or else the only closest one: the confirmation shows every option that changes). A wish no
    variant matches is kept in ``variant_missing``; one that several equally close variants fit ("fabric")
    in ``variant_wish``, with those variants in ``variant_among``, and the next answer ("the black one")
    narrows it."""
    item = next((i for i in order["items"] if i["id"] == ctx.slots.get("item")), None)
    if item is None:
        return
    entities = ctx.turn.nlu.entities
    wanted = wanted_options(ctx, item, ctx.turn.message.text) or {k: entities[k] for k in ("color", "size") if k in entities}
    if not wanted:
        return
    wanted = {**ctx.slots.pop("variant_wish", {}), **wanted}
    ctx.slots.pop("variant_missing", None)
    current = {k: str(v).lower() for k, v in (item["options"] or {}).items()}
    scored = []
    for variant in ctx.store.catalog.variants(item["product_id"]):
        options = {k: str(v).lower() for k, v in (variant["options"] or {}).items()}
        if variant["id"] == item["variant_id"] or not sellable(variant) or \
                any(options.get(k) != str(v).lower() for k, v in wanted.items()):
            continue
        scored.append((sum(options.get(k) == v for k, v in current.items() if k not in wanted), variant["id"]))
    best = max((score for score, _ in scored), default=None)
    closest = [variant_id for score, variant_id in scored if score == best]
    if len(closest) == 1:
        ctx.slots["variant"] = closest[0]
        return
    ctx.slots.pop("variant", None)
    if closest:
        ctx.slots["variant_wish"], ctx.slots["variant_among"] = wanted, closest
    else:
        ctx.slots["variant_missing"] = wanted


# what comes right before an option the shopper does not want: "size 8 instead of 7", "不要M码"
_NOT_THIS = re.compile(r"(?:\b(?:instead\s+of|rather\s+than|not|from|other\s+than)(?:\s+(?:a|an|the|size|my))?"
                       r"|不是|不要|而不是|别)$", re.IGNORECASE)


def wanted_options(ctx: FlowContext, item: dict[str, Any], said: str) -> dict[str, str]:
    """The options of the item's product the message describes ("the blue ones, 8 hours, IPX4"), by
    option name: for each, the last value said that the item does not have already, so a correction
    wins ("换成M码…啊不对，要L码"), and not one said after "instead of" / "not" ("size 8 instead of 7");
    an option said only with the item's own value keeps it ("same 8 hour battery"). Empty when the
    message asks for no other value."""
    text = said.lower()
    current = {k: str(v).lower() for k, v in (item["options"] or {}).items()}
    values = {(k, str(v)) for variant in ctx.store.catalog.variants(item["product_id"])
              for k, v in (variant["options"] or {}).items() if str(v).lower() not in _ANSWER_WORDS}  # "yes" answers
    hits = [(match.start(), match.end(), key, value, form in _described_forms(key, value))
            for key, value in values for form in _value_forms(key, value)
            for match in re.finditer(_whole(form), text) if not _NOT_THIS.search(text[:match.start()].rstrip())]
    said_at: dict[str, list[tuple[int, str]]] = {}
    for start, end, key, value, described in hits:
        if not _outworded(start, end, key, described, hits, text):
            said_at.setdefault(key, []).append((start, value))
    wanted = {}
    for key, hits in said_at.items():
        other = [value for _, value in sorted(hits) if value.lower() != current.get(key)]
        wanted[key] = other[-1] if other else hits[0][1]
    return wanted if any(value.lower() != current.get(key) for key, value in wanted.items()) else {}


def _outworded(start: int, end: int, key: str, described: bool, hits: list[tuple[int, int, str, str, bool]],
               text: str) -> bool:
    """Whether another reading of the same words wins over this one: a longer value holding them ("extra
    large" over "large"), or, for one option's own value that is also the word for another option's
    value ("medium" ventilation, "a medium" size M), the word's meaning unless the option is named
    ("medium ventilation")."""
    for other_start, other_end, other_key, _, other_described in hits:
        if other_start <= start and end <= other_end and other_end - other_start > end - start:
            return True
        if (other_start, other_end) == (start, end) and other_key != key and other_described and not described:
            return key.lower() not in text
    return False


def _described_forms(key: str, value: str) -> set[str]:
    """Words for a value that are not the value itself: a size by its name ("medium" for M, "中号")."""
    return set(SIZE_WORDS.get(value.upper(), ())) if key.lower() == "size" else set()


def _whole(form: str) -> str:
    """``form`` as a whole word: an English edge not run into a letter or digit ("红色XL" holds 红色 and XL)."""
    left = r"(?<![a-z0-9'])" if form[0].isascii() and form[0].isalnum() else ""
    right = r"(?![a-z0-9])" if form[-1].isascii() and form[-1].isalnum() else ""
    return f"{left}{re.escape(form)}{right}"


def _value_forms(key: str, value: str) -> set[str]:
    """How a shopper may write an option value: as the shop does, without its plural "s" or spaces
    ("8 hour", "8hours"), a colour by its words in either language ("红色", "蓝"; any colour option's: "frame
    color"), a material by its Chinese word ("金属"), a size by its name ("medium", "中号" for M)."""
    lowered = value.lower()
    forms = {lowered, lowered.replace(" ", "")}
    if lowered.endswith("s") and len(lowered) > 3:
        forms.add(lowered[:-1])
    if "colo" in key.lower():  # "color", "frame color"
        forms |= {word for word, colour in colour_words() if colour == lowered and len(word) >= 2}
    if len(MATERIALS_ZH.get(lowered, "")) >= 2:  # "金属" for metal
        forms.add(MATERIALS_ZH[lowered])
    return {form for form in forms | _described_forms(key, value) if form}


def _options_named(ctx: FlowContext, item: dict[str, Any], said: str) -> dict[str, str]:
    """Other option values of the product named in the message ("250ml", "the polyester one"), each as a
    whole word ("yes" is not in "polyester", "XL" not in "XXL"); a yes/no value names nothing."""
    text = said.lower()
    current = item["options"] or {}
    return {key: str(value) for variant in ctx.store.catalog.variants(item["product_id"])
            for key, value in (variant["options"] or {}).items()
            if str(value) != str(current.get(key)) and len(str(value)) >= 2
            and str(value).lower() not in _ANSWER_WORDS and _says(text, str(value).lower())}


def _says(text: str, value: str) -> bool:
    """Whether the lower-cased text holds the option value as a whole word, spaces inside it optional."""
    spaced = r"\s*".join(re.escape(ch) for ch in value.replace(" ", ""))
    return re.search(rf"(?<![a-z0-9]){spaced}(?![a-z0-9])", text) is not None


def variant_choices(ctx: FlowContext, item: dict[str, Any], among: list[str] | None = None) -> dict[str, str]:
    """The other in-stock options of an item's product (or only the variants ``among``), listed for the shopper."""
    out = {}
    variants = [v for v in ctx.store.catalog.variants(item["product_id"])
                if v["id"] != item["variant_id"] and sellable(v) and (among is None or v["id"] in among)]
    for lang in ("zh", "en"):
        names = [options_label(v["options"], lang) for v in variants]
        out[lang] = ("、" if lang == "zh" else ", ").join(names[:12]) or "-"
    return out
