"""Staff commands (``/kefu …`` in Slack): look up a customer's orders, give a goodwill coupon, resolve
a handoff. Every command is audited with the colleague who ran it."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from core.clock import utc_now
from core.money import format_price
from core.observe.handles import conversation_handle
from core.promotions.coupons import Coupons, CouponTerms
from core.staff.hub import HandoffError, HandoffHub

USAGE = ("Usage: /kefu orders <customer> | /kefu coupon <customer> <10% or 20> [days] | /kefu resolve <customer>\n"
         "<customer>: email, phone, external id, customer number or conversation id (telegram:123)")
MAX_PERCENT = 50
"""The largest goodwill discount a colleague may give from chat, percent."""
MAX_AMOUNT_CENTS = 100_00
"""The largest goodwill discount a colleague may give from chat, in cents of the shop's currency."""
_COUPON = re.compile(r"^(\d{1,3})(%?)$")


class StaffCommands:
    """Parses and runs one staff command; answers are plain text for the colleague only."""

    def __init__(self, hub: HandoffHub, currency: str = "CNY") -> None:
        self._hub = hub
        self._store = hub.store
        self._currency = currency

    async def run(self, text: str, staff: str, origin: str = "") -> str:
        """Run ``orders``, ``coupon`` or ``resolve`` for the colleague ``staff`` (their name, as on every
        other staff action) from ``origin`` (``slack``); a usage line for anything else."""
        verb, *args = text.split() or [""]
        if verb == "orders" and len(args) == 1:
            return self._audited(staff, origin, "staff.orders", args[0], self._orders(args[0]))
        if verb == "coupon" and len(args) in (2, 3):
            return self._audited(staff, origin, "staff.coupon", args[0], self._coupon(*args))
        if verb == "resolve" and len(args) == 1:
            return self._audited(staff, origin, "staff.resolve", args[0], await self._resolve(args[0], staff, origin))
        return USAGE

    def find_customer(self, query: str) -> dict[str, Any] | None:
        """A customer by email, phone, external id, number, or a conversation id of theirs."""
        db = self._store.db
        if ":" in query:
            conversation = self._store.conversations.get(query)
            return self._store.customers.get(conversation["customer_id"]) if conversation and \
                conversation["customer_id"] else None
        where = "email = ? collate nocase or phone = ? or external_id = ?" + (" or id = ?" if query.isdigit() else "")
        args: list[Any] = [query, query, query] + ([int(query)] if query.isdigit() else [])
        return next(db["customers"].rows_where(where, args, limit=1), None)

    def _orders(self, query: str) -> str:
        customer = self.find_customer(query)
        if customer is None:
            return f"No customer matches {query!r}."
        orders = self._store.orders.for_customer(customer["id"], limit=10)
        if not orders:
            return f"{_who(customer)} has no orders."
        lines = [f"• {o['id']}  {o['status']}  {format_price(o['total_cents'] or 0, o.get('currency') or 'CNY')}  "
                 f"{(o.get('created_at') or '')[:10]}" for o in orders]
        return f"Orders of {_who(customer)}:\n" + "\n".join(lines)

    def _coupon(self, query: str, value: str, days: str = "30") -> str:
        customer = self.find_customer(query)
        if customer is None:
            return f"No customer matches {query!r}."
        match = _COUPON.match(value)
        if match is None or not days.isdigit() or not 1 <= int(days) <= 365:
            return "Give a discount like 10% or 20 (an amount) and, optionally, 1-365 days."
        number, percent = int(match.group(1)), bool(match.group(2))
        if percent and not 1 <= number <= MAX_PERCENT:
            return f"A percent discount must be 1-{MAX_PERCENT}%."
        if not percent and not 1 <= number * 100 <= MAX_AMOUNT_CENTS:
            return f"An amount must be 1-{MAX_AMOUNT_CENTS // 100}."
        terms = CouponTerms("percent" if percent else "amount", number if percent else number * 100, 0,
                            utc_now() + timedelta(days=int(days)), self._currency)
        [row] = Coupons(self._store.db).issue_rows(terms, None, [customer["id"]])  # type: ignore[arg-type]
        self._store.db["coupons"].insert(row)
        return (f"Coupon {row['code']} for {_who(customer)}: {terms.discount_text('en')} off, "
                f"valid until {row['expires_at'][:10]}.")

    async def _resolve(self, query: str, staff: str, origin: str) -> str:
        if ":" in query:
            handoff = self._hub.open_handoff(query)
            found = (handoff["id"], handoff["conversation_id"]) if handoff else None
        else:
            customer = self.find_customer(query)
            found = self._store.db.execute(
                "select h.id, h.conversation_id from handoffs h join conversations c on c.id = h.conversation_id "
                "where c.customer_id = ? and h.status in ('open', 'claimed') order by h.id desc limit 1",
                [customer["id"] if customer else -1]).fetchone()
        if found is None:
            return f"No open handoff for {query!r}."
        handoff_id, conversation_id = found
        try:
            await self._hub.resolve(handoff_id, staff, origin=origin)
        except HandoffError as exc:
            return f"Cannot resolve {conversation_handle(conversation_id)}: {exc}."
        return f"Resolved the handoff of {conversation_handle(conversation_id)}."  # never a session id in Slack

    def _audited(self, staff: str, origin: str, action: str, target: str, answer: str) -> str:
        self._store.audit.record(staff, action, target, {"answer": answer[:500], "origin": origin})
        return answer


def _who(customer: dict[str, Any]) -> str:
    return f"{customer.get('name') or 'customer'} (#{customer['id']}{', ' + customer['email'] if customer.get('email') else ''})"
