"""``/orders``: the linked customer's own orders, a page at a time, with a button per order."""
from __future__ import annotations

from adapters.telegram.shopper import Shopper
from core.i18n import t
from core.messages import Button
from core.money import format_price

PAGE_SIZE = 5


async def show_orders(shopper: Shopper, page: int = 1) -> None:
    """One page of the shopper's orders, newest first; tapping an order asks the core for its status."""
    customer = shopper.customer()
    if customer is None:
        await shopper.send(shopper.text("need_identity", (("btn_human", "/human"),)))
        return
    orders = shopper.services.store.orders.for_customer(customer["id"], limit=-1)
    if not orders:
        await shopper.send(shopper.text("no_orders"))
        return
    language = shopper.language
    pages = (len(orders) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 1), pages)
    shown = orders[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    lines = [t("orders_list", language, page=page, pages=pages)] + [
        t("order_line", language, order_id=o["id"], date=(o.get("created_at") or "")[:10],
          total=format_price(o.get("total_cents") or 0, o.get("currency") or "CNY"),
          status=t(f"status_{o['status']}", language))
        for o in shown]
    buttons = [Button(o["id"], o["id"]) for o in shown]
    if page > 1:
        buttons.append(Button(t("btn_prev_page", language), f"tg:orders:{page - 1}"))
    if page < pages:
        buttons.append(Button(t("btn_next_page", language), f"tg:orders:{page + 1}"))
    await shopper.send(shopper.compose("\n".join(lines), buttons))
