"""The flow engine: carries the active task forward one turn at a time.

Each turn it makes sure the shopper is a verified customer (channel identity, or email plus zip code
or phone typed in chat), finds the order among that customer's own orders only, checks the shop's
policy, fills the flow's slots, asks for an explicit yes before any change, and only then lets the
flow write (one transaction with its audit entry and the result the shopper is told). Everything it
knows lives in the dialogue state, which the pipeline commits with the turn; a turn cut off after its
change but before that commit is answered from the recorded result, never changed twice."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from core.dialogue.answers import answer, corrects
from core.dialogue.flows.address import ChangeAddressFlow
from core.dialogue.flows.base import Flow, FlowContext, both, task_label
from core.dialogue.flows.cancel import CancelOrderFlow
from core.dialogue.flows.coupons import CouponsFlow
from core.dialogue.flows.invoice import InvoiceFlow
from core.dialogue.flows.slots import names_an_item, names_awaited_value
from core.dialogue.flows.lookup import RefundStatusFlow, TrackOrderFlow
from core.dialogue.flows.returns import ReturnFlow
from core.dialogue.flows.variants import ChangeItemsFlow, ExchangeFlow
from core.dialogue.identity import Authenticator, AuthLimits, Claimant, credentials
from core.dialogue.orders import normalise_order_id
from core.handoff_port import Handoff
from core.i18n import t
from core.money import format_price
from core.reply.templates import localise
from core.shop.aftersales import ShopPolicy
from core.shop.live import LiveOrders
from core.shop.local import LocalShop
from core.shop.port import ShopBackend
from core.shop.sender import UNCERTAIN, ChangeSender, Sent, change_key
from core.store import Store
from core.shop.changes import ChangePlan, OrderChanges
from core.turn import ActionResult, Turn

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (
    TrackOrderFlow(), RefundStatusFlow(), CancelOrderFlow(), ChangeAddressFlow(), ChangeItemsFlow(),
    ReturnFlow(), ExchangeFlow(), InvoiceFlow(), CouponsFlow())}
MAX_ORDERS_LISTED = 5
# Slots about the task rather than one order's lines: kept when the shopper corrects which order it is
# ("sorry, I meant the other order"); the item and variant chosen belong to the order and start over.
TASK_SLOTS = ("reason", "refund_method", "address", "_request")

log = logging.getLogger(__name__)


class TaskEngine:
    """Runs the flows over the store under the shop's policy."""

    def __init__(self, store: Store, policy: ShopPolicy, handoff: Handoff, shop: ShopBackend | None = None) -> None:
        """``shop``: the shop's own system, where orders are read and changes are made (default: the
        store itself, :class:`LocalShop`)."""
        self._store = store
        self._policy = policy
        self._handoff = handoff
        self._shop = shop or LocalShop(store)
        self._changes = OrderChanges(store)
        self._sender = ChangeSender(store, self._shop)
        self._live = LiveOrders(store, self._shop)
        self._auth = Authenticator(store, AuthLimits(policy.auth_attempts, policy.auth_source_attempts,
                                                     policy.auth_email_attempts, policy.auth_lock_minutes))

    def start(self, turn: Turn, name: str) -> None:
        """Begin ``name`` (dropping any other task); the order named before carries over, and when it asks
        again for the task refused in the turn before, what was said of that task (its reason) too."""
        state = turn.state
        carried = {"order_id": state.slots["order_id"]} if "order_id" in state.slots else {}
        if name == state.refused_task and state.refused_at == state.turn - 1:  # "sorry, I meant W…" after a refusal
            carried = {**state.refused_slots, **carried}
        state.active_task, state.pending, state.awaiting, state.task_turns = name, None, None, 0
        state.slots = carried
        turn.flows.append(("started", name))

    def stop(self, turn: Turn) -> None:
        """Leave the task (done or abandoned); what the conversation showed stays."""
        state = turn.state
        state.last_order = state.slots.get("order_id") or state.last_order
        state.active_task, state.pending, state.awaiting, state.slots = None, None, None, {}

    def abandon(self, turn: Turn) -> ActionResult:
        """Drop the task, nothing changed; a no to a change waiting for its yes, or to one whose order the
        verified shopper's flow has found, names the order that stays as it is ("OK, I won't go ahead:
        order #W… stays as it is")."""
        state = turn.state
        label = task_label(state.active_task or "")
        flow = FLOWS.get(state.active_task or "")
        found = turn.customer is not None and flow is not None and flow.changes_order
        order_id = state.slots.get("order_id") if state.pending or found else None
        self.stop(turn)
        if order_id:
            return ActionResult("change_declined", {"task": label, "order_id": order_id})
        return ActionResult("task_abandoned", {"task": label})

    async def advance(self, turn: Turn) -> ActionResult:
        """Take this message as the next step of the active task."""
        state = turn.state
        flow = FLOWS[state.active_task or ""]
        state.task_turns += 1
        self._read_order_id(turn)
        customer, lead = self._identify(turn)
        if customer is None:
            if state.task_turns == 1:  # details in the request itself are read once the shopper is verified
                state.slots["_request"] = {"text": turn.message.text, "entities": turn.nlu.entities}
            return lead
        ctx = self._context(turn, customer)
        if state.pending:
            reply = answer(turn)
            detail = corrects(turn, flow.slots) or names_awaited_value(turn)  # "make it blue", "no wait, zip is 60201"
            if reply == "yes" and not detail:
                return _with_lead(await self._execute(flow, ctx), lead)
            if reply == "no" and not detail:
                return self.abandon(turn)
            state.pending = None
            if not detail:  # neither yes, no nor a new detail: ask again
                return await self._step(flow, ctx, lead="confirm_again")
        return await self._step(flow, ctx, lead=lead)

    def verify(self, turn: Turn) -> ActionResult:
        """Identity details sent before any request ("let me verify first: …"): checked now, with the same
        limits as in a flow, and kept for the conversation, so the request that follows is not asked again."""
        customer, lead = self._identify(turn)
        if turn.state.active_task is None:
            turn.state.awaiting = None
        return lead if customer is None else ActionResult("verified_ready")

    def interrupted(self, turn: Turn) -> ActionResult | None:
        """The result of the pending change if it was already made: the turn that confirmed it was cut off
        (a crash, a kill) after the change's commit and before its own, so the committed state still waits
        for the yes. Answers with that turn's result and ends the task as it did; None otherwise."""
        state = turn.state
        if state.pending is None or state.pending_asked_at is None:
            return None
        outcome = self._changes.outcome_after(turn.conversation_id, state.pending, state.pending_asked_at)
        if outcome is None:
            return None
        log.warning("%s was confirmed in a turn cut off before its commit: answered from its record", state.pending)
        turn.flows.append(("completed", state.active_task or state.pending))  # the cut-off turn never committed it
        self.stop(turn)
        return ActionResult(outcome["template"], outcome["facts"], buttons=[tuple(b) for b in outcome["buttons"]])

    async def remind(self, turn: Turn) -> ActionResult:
        """After a digression: back to the task, with its current question asked again."""
        customer, _ = self._identify(turn, consume=False)
        if customer is None:
            return _with_lead(ActionResult("need_identity_chat"), "back_to_task", task=task_label(turn.state.active_task or ""))
        return await self._step(FLOWS[turn.state.active_task or ""], self._context(turn, customer),
                                lead="back_to_task", consume=False)

    def _context(self, turn: Turn, customer: dict[str, Any]) -> FlowContext:
        return FlowContext(self._store, self._policy, ChangePlan(self._changes), self._handoff, turn, customer,
                           request=turn.state.task_turns == 1)

    async def _step(self, flow: Flow, ctx: FlowContext, lead: Any = None, consume: bool = True) -> ActionResult:
        """Find the order, check the policy, fill slots, then confirm (or, read-only flows, answer)."""
        state = ctx.turn.state
        order = None
        if flow.needs_order or "order_id" in ctx.slots:
            order, problem = await self._order(flow, ctx)
            if problem is not None:
                return _with_lead(problem, lead, task=task_label(flow.name))
        flow = self._sibling_for(flow, ctx, order)
        refused = flow.refusal(ctx, order) if order else None
        if refused:
            kept = {k: v for k, v in ctx.slots.items() if k in TASK_SLOTS}
            self.stop(ctx.turn)
            state.refused_task, state.refused_at, state.refused_slots = flow.name, state.turn, kept
            return _with_lead(refused, lead, task=task_label(flow.name))
        if order is not None:
            ctx.order_currency = order.get("currency")
        if order is not None and flow.capability is not None and not self._shop.can(flow.capability):
            return _with_lead(self._colleague_does_it(flow, ctx, order), lead, task=task_label(flow.name))
        if consume:
            request = ctx.slots.pop("_request", None)
            if request:  # the message that started the task, before the shopper was verified
                earlier = replace(ctx.turn, message=replace(ctx.turn.message, text=request["text"]),
                                  nlu=replace(ctx.turn.nlu, entities=request["entities"]))
                flow.fill(replace(ctx, turn=earlier, request=True), order)
            flow.fill(ctx, order)
            refused = flow.refusal(ctx, order) if order else None  # rules that need a slot (exchange limit)
            if refused:
                self.stop(ctx.turn)
                return _with_lead(refused, lead, task=task_label(flow.name))
        missing = next((slot for slot in flow.slots if slot not in ctx.slots), None)
        if missing:
            state.awaiting = missing
            return _with_lead(flow.ask(ctx, missing, order), lead, task=task_label(flow.name))
        if flow.changes_order:
            state.pending, state.awaiting, state.pending_asked_at = flow.name, "confirm", state.turn
            return _with_lead(flow.confirmation(ctx, order), lead, task=task_label(flow.name))
        return _with_lead(await self._execute(flow, ctx, order), lead, task=task_label(flow.name))

    def _sibling_for(self, flow: Flow, ctx: FlowContext, order: dict[str, Any] | None) -> Flow:
        """``flow``, or its sibling when only the sibling's status rule allows the order ("换成10码" on a
        pending order is a change of its items, on a delivered one an exchange); the task follows."""
        sibling = FLOWS.get(flow.sibling or "")
        if order is None or sibling is None or sibling.rule is None or flow.rule is None or \
                self._policy.allows(flow.rule, order["status"]) or not self._policy.allows(sibling.rule, order["status"]):
            return flow
        ctx.turn.state.active_task = sibling.name
        return sibling

    async def _execute(self, flow: Flow, ctx: FlowContext, order: dict[str, Any] | None = None) -> ActionResult:
        """Run the flow's change (re-reading and re-checking the order first) and end the task. What the
        shop's system must do is sent there first (:class:`ChangeSender`); only its success is written
        to the store, with the result the shopper is told, in one transaction (see :meth:`interrupted`).
        With the local backend the store is the shop and everything is that one transaction."""
        key = change_key(ctx.turn.conversation_id, ctx.turn.state.pending_asked_at or ctx.turn.state.turn, flow.name)
        if order is None and "order_id" in ctx.slots:
            if self._sender.unresolved(key):  # sent before, answer never heard: the shop may show it done already
                order = self._store.orders.get_for_customer(ctx.slots["order_id"], ctx.customer["id"])
                refused = None if order else ActionResult("order_not_found", {"order_id": ctx.slots["order_id"]})
            else:
                order = await self._owned(ctx.slots["order_id"], ctx.customer["id"])
                refused = flow.refusal(ctx, order) if order else ActionResult("order_not_found", {"order_id": ctx.slots["order_id"]})
            if refused:
                self.stop(ctx.turn)
                return refused
            ctx.order_currency = order.get("currency")
        plan = ctx.changes
        with self._store.db.atomic():
            result = flow.execute(ctx, order)
            request = None if self._shop.keeps_orders_in_store else plan.shop_request()
            if request is None:
                plan.write()
                self._record(flow, ctx, result)
        if request is not None:
            sent = await self._sender.send(key, ctx.turn.conversation_id, flow.name, request)
            if sent.outcome is None:
                return self._not_done(flow, ctx, order, sent)
            with self._store.db.atomic():
                if sent.outcome.order is not None:
                    self._live.cache(sent.outcome.order)
                plan.write(order_state=sent.outcome.order is None)
                self._sender.done(key, sent.outcome)
                self._record(flow, ctx, result)
        self.stop(ctx.turn)
        ctx.turn.flows.append(("completed", flow.name))
        return result

    def _record(self, flow: Flow, ctx: FlowContext, result: ActionResult) -> None:
        """Keep what a change told the shopper under the turn that confirmed it (in its transaction)."""
        if flow.changes_order:
            self._changes.record_outcome(ctx.turn.conversation_id, ctx.turn.state.turn, flow.name,
                                         {"template": result.template, "facts": result.facts,
                                          "buttons": result.buttons})

    def _not_done(self, flow: Flow, ctx: FlowContext, order: dict[str, Any] | None, sent: Sent) -> ActionResult:
        """The shop did not make the change (or cannot say whether it did): nothing is recorded as done;
        the shopper is told so and a colleague gets the request, with the shop's reason."""
        self.stop(ctx.turn)
        order_id = order["id"] if order else ctx.slots.get("order_id", "")
        self._store.audit.record(ctx.actor, f"{flow.name}.not_done", order_id,
                                 {"conversation_id": ctx.turn.conversation_id, "failure": sent.failure,
                                  "shop_reason": sent.reason[:300]})
        self._handoff.request(ctx.turn.conversation_id, f"shop_{sent.failure}:{flow.name} {order_id}", 2)
        template = "shop_change_uncertain" if sent.failure == UNCERTAIN else "shop_change_failed"
        return ActionResult(template, {"order_id": order_id, "task": task_label(flow.name)})

    def _colleague_does_it(self, flow: Flow, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """The shop's system cannot make this kind of change through Kefu: a colleague takes the request."""
        self.stop(ctx.turn)
        self._handoff.request(ctx.turn.conversation_id, f"shop_cannot:{flow.name} {order['id']}", 2)
        return ActionResult("shop_cannot", {"order_id": order["id"], "task": task_label(flow.name)})

    async def _owned(self, order_id: str, customer_id: int) -> dict[str, Any] | None:
        """The customer's own order, as the shop has it now (the cached copy when it does not answer)."""
        order = self._store.orders.get_for_customer(order_id, customer_id)
        if order is None:
            return None
        fresh = await self._live.fresh(order)
        return fresh if fresh["customer_id"] == customer_id else None

    def _read_order_id(self, turn: Turn) -> None:
        """An order id in this message (typed, or an "/order W123" button) replaces the one before."""
        raw = turn.nlu.entities.get("order_id")
        text = turn.message.text.strip()
        if text.startswith("/order "):
            raw = text.split(maxsplit=1)[1]
        if raw:
            slots = turn.state.slots
            if slots.get("order_id") not in normalise_order_id(raw):  # another order: its items start over, what
                turn.state.slots = {"order_id": raw.strip(),  # the shopper said of the task (why, refund to) stays
                                    **{k: v for k, v in slots.items() if k in TASK_SLOTS}}
            turn.state.pending = None

    def _identify(self, turn: Turn, consume: bool = True) -> tuple[dict[str, Any] | None, Any]:
        """The verified customer (and a lead line when just verified), or None and the reply asking
        for (or refusing) the details."""
        if turn.customer is not None:
            return turn.customer, None
        state = turn.state
        typed = credentials(turn.message.text, turn.nlu.entities) if consume else None
        if typed is not None and not typed.empty:  # a correction of one part is checked with the others
            given = typed.over(state.identity_given)
            state.identity_given = given.remembered()
        else:
            given = None
        if given is None or not given.email:
            state.awaiting = "identity"
            return None, ActionResult("need_identity_chat", buttons=[("btn_human", "/human")])
        claimant = Claimant(turn.conversation_id, turn.message.source)
        if self._auth.locked(claimant, given.email):
            return None, ActionResult("auth_locked", {"minutes": self._policy.auth_lock_minutes},
                                      buttons=[("btn_human", "/human")])
        if not given.complete:  # an email alone asks for its second factor; it is not a failed check
            state.awaiting = "identity"
            return None, ActionResult("need_second_factor", buttons=[("btn_human", "/human")])
        customer = self._auth.verify(claimant, given)
        if customer is None:
            state.awaiting = "identity"
            return None, ActionResult("auth_failed", buttons=[("btn_human", "/human")])
        customer = self._store.customers.get(customer["id"])
        state.customer_id, state.identity_given = customer["id"], {}
        turn.customer = customer
        state.awaiting = None
        return customer, "auth_ok"

    async def _order(self, flow: Flow, ctx: FlowContext) -> tuple[dict[str, Any] | None, ActionResult | None]:
        """The order the task is about, among the customer's own orders only: the one named, or the only
        one the flow could act on; otherwise a question listing those (or saying there are none)."""
        raw = ctx.slots.get("order_id")
        if raw:
            for candidate in normalise_order_id(str(raw)):
                order = await self._owned(candidate, ctx.customer["id"])
                if order:
                    ctx.slots["order_id"] = order["id"]
                    return order, None
            ctx.slots.pop("order_id", None)
            ctx.turn.state.awaiting = "order_id"
            if not flow.changes_order:  # a lookup ends here ("and mine?" asks it again); a change waits for
                self.stop(ctx.turn)  # the right number
                state = ctx.turn.state
                state.refused_task, state.refused_at, state.refused_slots = flow.name, state.turn, {}
            return None, ActionResult("order_not_found", {"order_id": raw})  # the same whether it exists or not
        orders = [self._store.orders.get(o["id"]) for o in self._store.orders.for_customer(ctx.customer["id"], limit=50)]
        candidates = [o for o in orders if o and flow.relevant(ctx, o)]
        sibling = FLOWS.get(flow.sibling or "")
        if sibling is not None and not any(names_an_item(ctx, o) for o in candidates):
            # "change the pending speaker to red" read as an exchange: the one order its sibling may act on
            # that holds the named item (``_sibling_for`` then follows it)
            held = [o for o in orders if o and sibling.relevant(ctx, o) and names_an_item(ctx, o)]
            candidates = held if len(held) == 1 else candidates
        named = [o for o in candidates if names_an_item(ctx, o)] if len(candidates) > 1 else []
        candidates = named if len(named) == 1 else candidates  # "wheres my security camera order": that one
        recent = [o for o in candidates if o["id"] == ctx.turn.state.last_order]
        if recent or flow.name == "track_order" and candidates or len(candidates) == 1:
            chosen = await self._owned((recent or candidates)[0]["id"], ctx.customer["id"])
            if chosen is not None:
                ctx.slots["order_id"] = chosen["id"]
                return chosen, None
        if not candidates:
            self.stop(ctx.turn)
            return None, ActionResult("no_eligible_orders", {"task": task_label(flow.name)})
        ctx.turn.state.awaiting = "order_id"
        listing = {lang: "\n".join(f"{o['id']} · {(o['created_at'] or '')[:10]} · "
                                   f"{format_price(o['total_cents'] or 0, o['currency'] or self._policy.currency)}"
                                   for o in candidates[:MAX_ORDERS_LISTED]) for lang in ("zh", "en")}
        return None, ActionResult("ask_order", {"task": task_label(flow.name), "orders": listing})


def _with_lead(result: ActionResult, lead: Any, **facts: Any) -> ActionResult:
    """``result`` with a line before it ("Thanks, verified.", "Back to your return: …"): the lead may be
    a template key or an earlier ActionResult; the facts stay bilingual."""
    if lead is None:
        return result
    if isinstance(lead, ActionResult):
        first = both(lead.template, **lead.facts)
    else:
        first = both(lead, **facts)
    rest = {lang: _text(result, lang) for lang in ("zh", "en")}
    return ActionResult("with_lead", {"lead": first, "rest": rest}, result.products, result.recommendations,
                        result.buttons, result.understood)


def _text(result: ActionResult, lang: str) -> str:
    return t(result.template, lang, **{k: localise(v, lang) for k, v in result.facts.items()})
