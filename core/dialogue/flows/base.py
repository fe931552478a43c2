"""What every flow is made of: the context it runs in, the slots it fills, the policy rule that must
allow it, the question it asks, the confirmation it shows and the change it makes."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import clock
from core.handoff_port import Handoff
from core.i18n import MESSAGES, t
from core.money import format_price
from core.reply.templates import localise
from core.shop.aftersales import ShopPolicy
from core.shop.requests import Capability
from core.store import Store
from core.shop.changes import ChangePlan
from core.turn import ActionResult, Turn
from core.vocabulary import options_label

YES_NO = [("btn_yes", "/yes"), ("btn_no", "/no")]


@dataclass
class FlowContext:
    """One turn of a flow: the store, the shop's policy, the verified customer and the turn."""

    store: Store
    policy: ShopPolicy
    changes: ChangePlan
    handoff: Handoff
    turn: Turn
    customer: dict[str, Any]
    order_currency: str | None = None
    """The currency of the order the flow is about, once it is known (prices are said in it)."""
    request: bool = False
    """Whether the message is the one that asked for the task (its other clauses may hold a reason)."""

    @property
    def today(self) -> date:
        """Today's date (UTC), for the policy's windows."""
        return clock.utc_now().date()

    @property
    def actor(self) -> str:
        """Who the audit log says acted: the verified customer, through the chat."""
        return f"customer:{self.customer['id']}"

    @property
    def slots(self) -> dict[str, Any]:
        """The active task's slots."""
        return self.turn.state.slots

    def price(self, cents: int) -> str:
        """An amount in the order's currency (the shop policy's before an order is known)."""
        return format_price(cents, self.order_currency or self.policy.currency)

    def shop_id(self, order: dict[str, Any]) -> str:
        """The shop's own id of an order (the local id for orders that only exist here)."""
        return order.get("external_id") or order["id"]

    def confirmation_audit(self, **details: Any) -> dict[str, Any]:
        """Audit details of a confirmed change: what the shopper's "yes" was and when."""
        return {"confirmed_by": self.turn.message.text, "confirmed_turn": self.turn.state.turn,
                "conversation_id": self.turn.conversation_id, **details}


def both(key: str, **facts: Any) -> dict[str, str]:
    """One string in both languages, each with its facts localised."""
    return {lang: t(key, lang, **{k: localise(v, lang) for k, v in facts.items()}) for lang in ("zh", "en")}


def status_name(status: str) -> dict[str, str]:
    """An order status in both languages."""
    return {lang: t(f"status_{status}", lang) for lang in ("zh", "en")}


class Flow(ABC):
    """A task the shopper can ask for. ``rule`` names the policy action whose allowed statuses (and
    window) the order must satisfy; ``changes_order`` flows need an explicit yes before :meth:`execute`;
    ``capability`` is what the shop's system must be able to do for it (else a colleague does it)."""

    name: str
    rule: str | None = None
    changes_order: bool = True
    needs_order: bool = True
    slots: tuple[str, ...] = ()
    capability: Capability | None = None
    sibling: str | None = None
    """The flow that does the same for an order in another status (changing a pending order's size is
    read as an exchange as often as the other way round): taken when this one's status rule refuses."""

    def relevant(self, ctx: FlowContext, order: dict[str, Any]) -> bool:
        """Whether an order is one this flow could act on (used to pick or list orders)."""
        return self.rule is None or (ctx.policy.allows(self.rule, order["status"])
                                     and self._within_window(ctx, order) is not False)

    def _within_window(self, ctx: FlowContext, order: dict[str, Any]) -> bool | None:
        assert self.rule is not None
        return ctx.policy.within_window(self.rule, order.get("expected_delivery"), ctx.today, order.get("created_at"))

    def refusal(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult | None:
        """Why the policy does not allow this flow for ``order`` (None: it does)."""
        if self.rule is None:
            return None
        label = task_label(self.name)
        if not ctx.policy.allows(self.rule, order["status"]):
            allowed = {lang: ("、" if lang == "zh" else ", ").join(
                t(f"status_{s}", lang) for s in ctx.policy.allowed_statuses.get(self.rule, ())) or "-"
                for lang in ("zh", "en")}
            return ActionResult("refuse_status", {"order_id": order["id"], "status": status_name(order["status"]),
                                                  "task": label, "allowed": allowed})
        within = self._within_window(ctx, order)
        if within is None:  # the shop's data has no delivery date: a colleague checks, nothing is refused or assumed
            ctx.handoff.request(ctx.turn.conversation_id, f"window_unknown:{self.name} {order['id']}", 2)
            return ActionResult("window_unknown", {"order_id": order["id"], "task": label,
                                                   "days": ctx.policy.window_days(self.rule)})
        if not within:
            return ActionResult("refuse_window", {"order_id": order["id"], "task": label,
                                                  "delivered": order.get("expected_delivery") or "-",
                                                  "days": ctx.policy.window_days(self.rule)})
        return None

    def fill(self, ctx: FlowContext, order: dict[str, Any] | None) -> None:  # noqa: B027 - optional hook
        """Read slot values from the message into ``ctx.slots`` (flows with slots override this)."""

    @abstractmethod
    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """The question for a missing slot."""

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """The summary the shopper says yes or no to (``changes_order`` flows)."""
        raise NotImplementedError

    @abstractmethod
    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Do it (after the yes, for ``changes_order`` flows) and say what was done."""


def task_label(name: str) -> dict[str, str]:
    """A task's name for shoppers, in both languages."""
    return {lang: t(f"task_{name}", lang) for lang in ("zh", "en")}


def items_text(order: dict[str, Any], item_ids: list[int] | None = None) -> dict[str, str]:
    """"Name (options) ×2" for the order's items (or the chosen ones), in both languages."""
    items = [i for i in order["items"] if item_ids is None or i["id"] in item_ids]
    out = {}
    for lang in ("zh", "en"):
        lines = []
        for item in items:
            options = options_label(item["options"], lang)
            lines.append(f"{item['name']}{f' ({options})' if options else ''} ×{item['quantity']}")
        out[lang] = ("；" if lang == "zh" else "; ").join(lines)
    return out


def item_shop_id(item: dict[str, Any]) -> str:
    """The shop's own id of an order line (the local id for orders that only exist here)."""
    return item.get("external_id") or str(item["id"])


def net_paid(order: dict[str, Any]) -> dict[str, int]:
    """What was paid and not yet refunded, per payment method."""
    paid: dict[str, int] = {}
    for row in order["payments"]:
        sign = 1 if row["kind"] == "payment" else -1 if row["kind"] == "refund" else 0
        paid[row["method"]] = paid.get(row["method"], 0) + sign * (row["amount_cents"] or 0)
    return {method: cents for method, cents in paid.items() if cents > 0}


def payment_kind(method: str | None) -> str | None:
    """The kind of a payment method ("alipay"; a shop's own id such as "paypal_2720658" -> "paypal"), or None
    when it is not a kind Kefu can name."""
    method = method or ""
    return next((key for key in (method, method.rsplit("_", 1)[0]) if key and f"pay_{key}" in MESSAGES), None)


def paid_kinds(order: dict[str, Any]) -> set[str]:
    """The kinds of the payment methods the order was paid with (those Kefu can name)."""
    return {kind for kind in (payment_kind(p["method"]) for p in order["payments"] if p["kind"] == "payment") if kind}


def refund_method_text(method: str, order: dict[str, Any], gift_card: bool = False) -> dict[str, str]:
    """Where a refund goes, in both languages: the original payment method with its kinds ("your original
    payment method (PayPal)"), only as far as the order's payments name them; or store credit ("your gift
    card (store credit)" when the shopper asked for it on their gift card)."""
    if method == "store_credit" and gift_card:
        return {lang: t("refund_to_gift_card", lang) for lang in ("zh", "en")}
    if method != "original":
        return {lang: t(f"refund_method_{method}", lang) for lang in ("zh", "en")}
    kinds = sorted(paid_kinds(order))
    if not kinds:
        return {lang: t("refund_to_original", lang) for lang in ("zh", "en")}
    return {lang: t("refund_to_original_kinds", lang, kinds=("、" if lang == "zh" else ", ").join(
        t(f"pay_{kind}", lang) for kind in kinds)) for lang in ("zh", "en")}


def numbered_items(order: dict[str, Any]) -> dict[str, str]:
    """"1. Name (options) ×1" per item, in both languages."""
    texts = {lang: [] for lang in ("zh", "en")}
    for number, item in enumerate(order["items"], start=1):
        for lang, text in items_text(order, [item["id"]]).items():
            texts[lang].append(f"{number}. {text}")
    return {lang: "\n".join(lines) for lang, lines in texts.items()}
