"""Record real Medusa Admin API answers into tests/fixtures/medusa/*.json for the mapping's unit tests:

    PYTHONPATH=$PWD .venv/bin/python -m tests.shops.medusa.record

starts PostgreSQL and Medusa (harness.py), makes one order in each state Kefu maps and saves each as
``GET /admin/orders/{id}`` answers it with the fields the backend asks for, and one product."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adapters.shops.medusa.mapping import ORDER_FIELDS, PRODUCT_FIELDS
from tests.pg import PostgresServer
from tests.shops.medusa.harness import Medusa, start_medusa

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "medusa"


def _order(medusa: Medusa, order_id: str) -> dict[str, Any]:
    return medusa.admin("GET", f"/admin/orders/{order_id}?fields={quote(ORDER_FIELDS)}")


def _states(medusa: Medusa) -> dict[str, str]:
    """One order per state: name -> order id."""
    email = "recorded@example.com"
    medusa.create_customer(email, "Rita", "Recorder", "+15555550199")
    shirt, case = medusa.seeded.variants["SHIRT-M-WHT"], medusa.seeded.variants["CASE-STD"]
    orders = {name: medusa.place_order(email, [(shirt, 1), (case, 2)]) for name in (
        "pending", "processed", "shipped", "delivered", "canceled", "return_requested", "refunded",
        "partially_refunded")}
    orders["authorized"] = medusa.place_order(email, [(shirt, 1)], capture=False)
    medusa.admin("POST", f"/admin/orders/{orders['processed']}/fulfillments", {
        "items": [{"id": i["id"], "quantity": i["quantity"]} for i in medusa.order(orders["processed"])["items"]],
        "location_id": medusa.seeded.stock_location_id})
    for name in ("shipped", "delivered", "return_requested"):
        medusa.fulfil(orders[name], f"1Z-{name.upper()}", "UPS")
    for name in ("delivered", "return_requested"):
        medusa.mark_delivered(orders[name])
    medusa.admin("POST", f"/admin/orders/{orders['canceled']}/cancel", {})
    item = medusa.order(orders["return_requested"])["items"][0]
    made = medusa.admin("POST", "/admin/returns", {"order_id": orders["return_requested"],
                                                   "location_id": medusa.seeded.stock_location_id})["return"]
    medusa.admin("POST", f"/admin/returns/{made['id']}/request-items", {"items": [{"id": item["id"], "quantity": 1}]})
    medusa.admin("POST", f"/admin/returns/{made['id']}/request", {})
    for name, part in (("refunded", 1.0), ("partially_refunded", 0.25)):
        [payment] = medusa.payments(orders[name])
        medusa.admin("POST", f"/admin/payments/{payment['id']}/refund",
                     {"amount": round(payment["amount"] * part, 2), "note": "recorded"})
    return orders


def main() -> None:
    folder = tempfile.mkdtemp(prefix="kefu-record-")
    postgres = PostgresServer()
    postgres.start(folder)
    server = None
    try:
        server, medusa = start_medusa(postgres, folder)
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for name, order_id in _states(medusa).items():
            (FIXTURES / f"order_{name}.json").write_text(json.dumps(_order(medusa, order_id), indent=1) + "\n")
        product = medusa.seeded.products["floral-dress"]
        answer = medusa.admin("GET", f"/admin/products/{product}?fields={quote(PRODUCT_FIELDS)}")
        (FIXTURES / "product.json").write_text(json.dumps(answer, indent=1) + "\n")
        print(f"recorded {len(list(FIXTURES.glob('*.json')))} answers into {FIXTURES}")
    finally:
        if server is not None:
            server.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
