"""A real Medusa v2 server for tests: the project in ``project/``, PostgreSQL from ``tests/pg.py``.

``MedusaServer.start(pg, workdir)`` installs the project's packages when needed (``npm ci`` from the
committed lockfile), creates and migrates a database, creates the admin user, seeds a small shop
through the Admin API (never SQL), keeps the migrated and seeded database as a template
(``createdb -T`` copies it in about a second) and starts ``medusa start`` on a free 127.0.0.1 port.
It returns a :class:`Medusa` with the ids of what it seeded and helpers the backend tests use
(``admin_token``, ``create_customer``, ``place_order``, ``fulfil``, ``mark_delivered``, ``order``).

Every phase is timed (``Medusa.timings``, printed by the fixture; ``pytest -s`` shows them). The
helpers are synchronous (urllib); from async tests call them through ``asyncio.to_thread``.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.pg import PostgresServer, free_port

PROJECT = Path(__file__).resolve().parent / "project"
REPO = Path(__file__).resolve().parents[3]
SUBSCRIBER = REPO / "adapters" / "shops" / "medusa" / "subscriber" / "kefu.ts"
ADMIN_EMAIL = "admin@kefu.test"
ADMIN_PASSWORD = "kefu-admin-password"
TEMPLATE_DB = "medusa_template"
CURRENCY = "usd"
COUNTRY = "us"
PAYMENT_PROVIDER = "pp_system_default"
FULFILMENT_PROVIDER = "manual_manual"

# The catalogue the harness seeds: (handle, title, {option: values}, [(sku, {option: value}, price, stock)])
CATALOGUE = [
    ("linen-shirt", "Linen shirt", {"Size": ["S", "M", "L"], "Colour": ["White"]},
     [("SHIRT-S-WHT", {"Size": "S", "Colour": "White"}, 39.0, 10),
      ("SHIRT-M-WHT", {"Size": "M", "Colour": "White"}, 39.0, 10),
      ("SHIRT-L-WHT", {"Size": "L", "Colour": "White"}, 39.0, 0)]),
    ("floral-dress", "Floral dress", {"Size": ["S", "M"], "Colour": ["Red", "Blue"]},
     [("DRESS-S-RED", {"Size": "S", "Colour": "Red"}, 89.5, 5),
      ("DRESS-M-RED", {"Size": "M", "Colour": "Red"}, 89.5, 5),
      ("DRESS-S-BLU", {"Size": "S", "Colour": "Blue"}, 89.5, 3),
      ("DRESS-M-BLU", {"Size": "M", "Colour": "Blue"}, 89.5, 3)]),
    ("phone-case", "Clear phone case", {"Model": ["Standard"]},
     [("CASE-STD", {"Model": "Standard"}, 12.0, 100)]),
]
OUT_OF_STOCK_SKU = "SHIRT-L-WHT"


class MedusaError(RuntimeError):
    """A Medusa command or API call failed."""


def tools_missing() -> str | None:
    """Why the Medusa tests cannot run here (node/npm missing), or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Medusa 2.21 needs Node.js >= 20 with npm)"
    try:
        version = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        major = int(version.lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return "node --version did not answer"
    if major < 20:
        return f"Node.js {version} is too old (Medusa 2.21 needs >= 20)"
    return None


def medusa_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEFU_", "DATABASE_", "PG"))}
    env.update(MEDUSA_DISABLE_TELEMETRY="true", NODE_ENV="development", NO_UPDATE_NOTIFIER="1")
    env.update(extra)
    return env


def npm_ci_needed(project: Path = PROJECT) -> bool:
    """node_modules is missing or older than package-lock.json."""
    marker = project / "node_modules" / ".package-lock.json"
    return not marker.exists() or marker.stat().st_mtime < (project / "package-lock.json").stat().st_mtime


def npm_ci(project: Path = PROJECT) -> None:
    proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=project, capture_output=True, text=True,
                          timeout=1200, env=medusa_env())
    if proc.returncode != 0:
        raise MedusaError(f"npm ci failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")


def install_subscriber(project: Path = PROJECT) -> None:
    """The test project runs the subscriber Kefu ships: copied in before each start (git-ignored there)."""
    target = project / "src" / "subscribers" / "kefu.ts"
    if not target.exists() or target.read_bytes() != SUBSCRIBER.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SUBSCRIBER, target)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, even by SIGKILL (Linux prctl)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# -- HTTP -------------------------------------------------------------------------------------------------


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> Any:
    """A JSON request; raises MedusaError with the response body on a non-2xx answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise MedusaError(f"{method} {url} -> {error.code}: {error.read().decode(errors='replace')[:2000]}") from None
    return json.loads(raw) if raw else None


@dataclass
class Seeded:
    """Ids of what the harness seeded."""

    region_id: str = ""
    sales_channel_id: str = ""
    publishable_key: str = ""
    stock_location_id: str = ""
    shipping_profile_id: str = ""
    service_zone_id: str = ""
    shipping_option_id: str = ""
    return_shipping_option_id: str = ""
    products: dict[str, str] = field(default_factory=dict)  # handle -> product id
    variants: dict[str, str] = field(default_factory=dict)  # sku -> variant id
    inventory_items: dict[str, str] = field(default_factory=dict)  # sku -> inventory item id


class Medusa:
    """A running Medusa server and the helpers tests need (see the module docstring)."""

    def __init__(self, base_url: str, seeded: Seeded, timings: dict[str, float]) -> None:
        self.base_url = base_url
        self.seeded = seeded
        self.timings = timings
        self._token: str | None = None

    # -- raw API -----------------------------------------------------------------------------------------

    def admin_token(self) -> str:
        """A fresh admin JWT from ``POST /auth/user/emailpass``."""
        return http("POST", f"{self.base_url}/auth/user/emailpass",
                    {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})["token"]

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        if self._token is None:
            self._token = self.admin_token()
        return http(method, f"{self.base_url}{path}", body, {"Authorization": f"Bearer {self._token}"})

    def store(self, method: str, path: str, body: Any = None) -> Any:
        return http(method, f"{self.base_url}{path}", body, {"x-publishable-api-key": self.seeded.publishable_key})

    # -- helpers -----------------------------------------------------------------------------------------

    @staticmethod
    def address(first_name: str = "Alice", last_name: str = "Tester", **overrides: str) -> dict[str, str]:
        address = {"first_name": first_name, "last_name": last_name, "address_1": "1 Test Street",
                   "city": "Springfield", "province": "il", "postal_code": "62701", "country_code": COUNTRY,
                   "phone": "+15555550100"}
        address.update(overrides)
        return address

    def create_customer(self, email: str, first_name: str, last_name: str, phone: str | None = None) -> dict[str, Any]:
        """An admin-created customer with one (default shipping and billing) address; the customer JSON."""
        body: dict[str, Any] = {"email": email, "first_name": first_name, "last_name": last_name}
        if phone:
            body["phone"] = phone
        customer = self.admin("POST", "/admin/customers", body)["customer"]
        address = self.address(first_name, last_name, **({"phone": phone} if phone else {}))
        return self.admin("POST", f"/admin/customers/{customer['id']}/addresses",
                          {**address, "is_default_shipping": True, "is_default_billing": True})["customer"]

    def place_order(self, email: str, items: list[tuple[str, int]], address: dict[str, str] | None = None,
                    capture: bool = True) -> str:
        """An order through the store cart checkout with the system payment provider; its id.

        The system provider authorises at checkout (payment_status "authorized"); ``capture`` (default)
        then captures through ``POST /admin/payments/{id}/capture`` so the order is "captured" and can be
        refunded."""
        address = address or self.address()
        cart = self.store("POST", "/store/carts", {
            "region_id": self.seeded.region_id, "sales_channel_id": self.seeded.sales_channel_id, "email": email,
            "items": [{"variant_id": variant, "quantity": qty} for variant, qty in items],
            "shipping_address": address, "billing_address": address})["cart"]
        options = self.store("GET", f"/store/shipping-options?cart_id={cart['id']}")["shipping_options"]
        option = next(o for o in options if o["id"] == self.seeded.shipping_option_id)
        self.store("POST", f"/store/carts/{cart['id']}/shipping-methods", {"option_id": option["id"]})
        collection = self.store("POST", "/store/payment-collections", {"cart_id": cart["id"]})["payment_collection"]
        self.store("POST", f"/store/payment-collections/{collection['id']}/payment-sessions",
                   {"provider_id": PAYMENT_PROVIDER})
        done = self.store("POST", f"/store/carts/{cart['id']}/complete")
        if done.get("type") != "order":
            raise MedusaError(f"cart {cart['id']} did not complete: {done}")
        order_id = done["order"]["id"]
        if capture:
            for payment in self.payments(order_id):
                if not payment.get("captured_at"):
                    self.admin("POST", f"/admin/payments/{payment['id']}/capture", {})
        return order_id

    def payments(self, order_id: str) -> list[dict[str, Any]]:
        order = self.order(order_id)
        return [p for c in order.get("payment_collections") or [] for p in c.get("payments") or []]

    def fulfil(self, order_id: str, tracking_number: str, carrier: str,
               items: list[tuple[str, int]] | None = None) -> str:
        """Fulfil ``items`` (line item id, qty; default all) and mark it shipped with a label carrying the
        tracking number (the carrier goes in the fulfilment's metadata and the label's tracking URL);
        returns the fulfilment id."""
        order = self.order(order_id)
        if items is None:
            items = [(item["id"], item["quantity"]) for item in order["items"]]
        body_items = [{"id": item_id, "quantity": qty} for item_id, qty in items]
        before = {f["id"] for f in order.get("fulfillments") or []}
        self.admin("POST", f"/admin/orders/{order_id}/fulfillments", {
            "items": body_items, "location_id": self.seeded.stock_location_id,
            "metadata": {"carrier": carrier}})
        new = [f for f in self.order(order_id)["fulfillments"] if f["id"] not in before]
        fulfilment_id = new[0]["id"]
        self.admin("POST", f"/admin/orders/{order_id}/fulfillments/{fulfilment_id}/shipments", {
            "items": body_items,
            "labels": [{"tracking_number": tracking_number,
                        "tracking_url": f"https://tracking.example.invalid/{carrier}/{tracking_number}",
                        "label_url": f"https://labels.example.invalid/{tracking_number}.pdf"}]})
        return fulfilment_id

    def mark_delivered(self, order_id: str, fulfilment_id: str | None = None) -> None:
        """``POST /admin/orders/{id}/fulfillments/{fid}/mark-as-delivered`` (every fulfilment by default)."""
        ids = [fulfilment_id] if fulfilment_id else [f["id"] for f in self.order(order_id)["fulfillments"]
                                                     if not f.get("delivered_at")]
        for fid in ids:
            self.admin("POST", f"/admin/orders/{order_id}/fulfillments/{fid}/mark-as-delivered", {})

    # the admin order's default fields lack email, currency_code, customer_id, sales_channel_id, canceled_at
    ORDER_FIELDS = ("+email,+currency_code,+customer_id,+sales_channel_id,+canceled_at,"
                    "*items,*items.variant,*fulfillments,*fulfillments.labels,*fulfillments.items,"
                    "*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds,"
                    "*returns,*returns.items,*shipping_address,*customer,+summary")

    def order(self, order_id: str) -> dict[str, Any]:
        """The admin JSON of an order with items, fulfilments and labels, payments (and refunds), returns."""
        return self.admin("GET", f"/admin/orders/{order_id}?fields={self.ORDER_FIELDS}")["order"]

    @staticmethod
    def unique_email(prefix: str = "shopper") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


class MedusaServer:
    """Owns the ``medusa start`` process (and its process group)."""

    def __init__(self, pg: PostgresServer, workdir: Path, project: Path = PROJECT) -> None:
        self.pg = pg
        self.workdir = Path(workdir)
        self.project = project
        self.timings: dict[str, float] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self.dbname: str | None = None
        self.log_path = self.workdir / "medusa.log"
        self.events_env: dict[str, str] = {}

    def _timed(self, phase: str, started: float) -> None:
        self.timings[phase] = round(time.monotonic() - started, 2)

    def _medusa(self, *args: str, timeout: float = 300) -> str:
        proc = subprocess.run([str(self.project / "node_modules" / ".bin" / "medusa"), *args], cwd=self.project,
                              capture_output=True, text=True, timeout=timeout, env=medusa_env())
        if proc.returncode != 0:
            raise MedusaError(f"medusa {' '.join(args)} failed ({proc.returncode}):\n"
                              f"{proc.stdout[-4000:]}{proc.stderr[-4000:]}")
        return proc.stdout

    def _write_env(self, dbname: str) -> None:
        # medusa db:* reads DATABASE_URL from .env, not from the environment
        (self.project / ".env").write_text(f"DATABASE_URL={self.pg.url_for(dbname)}\nDB_NAME={dbname}\n")

    def prepare(self) -> None:
        """npm ci (when needed), migrate a fresh database, create the admin user."""
        started = time.monotonic()
        if npm_ci_needed(self.project):
            npm_ci(self.project)
            self._timed("npm ci", started)
        install_subscriber(self.project)
        started = time.monotonic()
        self.pg.createdb(TEMPLATE_DB)
        self._write_env(TEMPLATE_DB)
        self._medusa("db:migrate")
        self._timed("db:migrate", started)
        started = time.monotonic()
        self._medusa("user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD)
        self._timed("user", started)

    def start(self, dbname: str, events_url: str = "", events_secret: str = "") -> str:
        """``medusa start`` on ``dbname`` on a free loopback port; waits for /health; returns the base URL."""
        self.stop()
        self.dbname = dbname
        self._write_env(dbname)
        self.port = free_port()
        self.events_env = {"KEFU_EVENTS_URL": events_url, "KEFU_EVENTS_SECRET": events_secret}
        env = medusa_env(DATABASE_URL=self.pg.url_for(dbname), PORT=str(self.port), HOST="127.0.0.1",
                         **self.events_env)
        started = time.monotonic()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(self.project / "node_modules" / ".bin" / "medusa"), "start", "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=self.project, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent)
        log.close()
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MedusaError(f"medusa start exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.3)
        else:
            raise MedusaError(f"medusa did not answer /health in 120 s:\n{self.log_tail()}")
        self._timed("start" if "start" not in self.timings else "restart", started)
        return base

    def restart(self, dbname: str) -> str:
        """Stop and start again on ``dbname`` with the same event settings; the new base URL."""
        return self.start(dbname, self.events_env.get("KEFU_EVENTS_URL", ""),
                          self.events_env.get("KEFU_EVENTS_SECRET", ""))

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server's whole process group (SIGTERM, then SIGKILL after 15 s)."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        try:  # children left in the group
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def seed(medusa: Medusa) -> Seeded:
    """A region (USD, us, system payment), a sales channel and its publishable key, a stock location with
    a shipping fulfilment set, service zone and shipping options (manual provider), products with options,
    variants, USD prices and inventory levels (one variant with 0 stock). Admin API only."""
    s = medusa.seeded
    admin = medusa.admin
    s.region_id = admin("POST", "/admin/regions", {
        "name": "United States", "currency_code": CURRENCY, "countries": [COUNTRY],
        "payment_providers": [PAYMENT_PROVIDER], "automatic_taxes": True})["region"]["id"]
    admin("POST", "/admin/tax-regions", {"country_code": COUNTRY, "provider_id": "tp_system"})
    s.sales_channel_id = admin("POST", "/admin/sales-channels", {"name": "Kefu test shop"})["sales_channel"]["id"]
    key = admin("POST", "/admin/api-keys", {"title": "Kefu tests", "type": "publishable"})["api_key"]
    s.publishable_key = key["token"]
    admin("POST", f"/admin/api-keys/{key['id']}/sales-channels", {"add": [s.sales_channel_id]})
    location = admin("POST", "/admin/stock-locations", {
        "name": "Main warehouse", "address": {"address_1": "1 Warehouse Road", "city": "Springfield",
                                              "country_code": COUNTRY}})["stock_location"]
    s.stock_location_id = location["id"]
    admin("POST", f"/admin/stock-locations/{location['id']}/fulfillment-providers", {"add": [FULFILMENT_PROVIDER]})
    admin("POST", f"/admin/stock-locations/{location['id']}/sales-channels", {"add": [s.sales_channel_id]})
    location = admin("POST", f"/admin/stock-locations/{location['id']}/fulfillment-sets?fields=*fulfillment_sets",
                     {"name": "Main warehouse shipping", "type": "shipping"})["stock_location"]
    fulfillment_set = location["fulfillment_sets"][0]
    zone_set = admin("POST", f"/admin/fulfillment-sets/{fulfillment_set['id']}/service-zones?fields=*service_zones", {
        "name": "United States", "geo_zones": [{"type": "country", "country_code": COUNTRY}]})["fulfillment_set"]
    s.service_zone_id = zone_set["service_zones"][0]["id"]
    profiles = admin("GET", "/admin/shipping-profiles?type=default")["shipping_profiles"]
    s.shipping_profile_id = profiles[0]["id"] if profiles else admin(
        "POST", "/admin/shipping-profiles", {"name": "Default", "type": "default"})["shipping_profile"]["id"]
    for is_return in (False, True):
        option = admin("POST", "/admin/shipping-options", {
            "name": "Return shipping" if is_return else "Standard shipping", "price_type": "flat",
            "service_zone_id": s.service_zone_id, "shipping_profile_id": s.shipping_profile_id,
            "provider_id": FULFILMENT_PROVIDER, "data": {},
            "type": {"label": "Return" if is_return else "Standard", "description": "3-5 days",
                     "code": "return" if is_return else "standard"},
            "prices": [{"currency_code": CURRENCY, "amount": 0 if is_return else 5}],
            "rules": [{"attribute": "enabled_in_store", "value": "true", "operator": "eq"},
                      {"attribute": "is_return", "value": "true" if is_return else "false", "operator": "eq"}]})
        if is_return:
            s.return_shipping_option_id = option["shipping_option"]["id"]
        else:
            s.shipping_option_id = option["shipping_option"]["id"]
    for handle, title, options, variants in CATALOGUE:
        product = admin("POST", "/admin/products?fields=*variants", {
            "title": title, "handle": handle, "status": "published", "description": f"{title}, for tests.",
            "shipping_profile_id": s.shipping_profile_id, "sales_channels": [{"id": s.sales_channel_id}],
            "options": [{"title": name, "values": values} for name, values in options.items()],
            "variants": [{"title": " / ".join(opts.values()), "sku": sku, "options": opts, "manage_inventory": True,
                          "prices": [{"currency_code": CURRENCY, "amount": price}]}
                         for sku, opts, price, _stock in variants]})["product"]
        s.products[handle] = product["id"]
        for variant in product["variants"]:
            s.variants[variant["sku"]] = variant["id"]
    levels = []
    stock = {sku: qty for *_, variants in CATALOGUE for sku, _o, _p, qty in variants}
    for sku in stock:
        item = admin("GET", f"/admin/inventory-items?sku={sku}")["inventory_items"][0]
        s.inventory_items[sku] = item["id"]
        levels.append({"inventory_item_id": item["id"], "location_id": s.stock_location_id,
                       "stocked_quantity": stock[sku]})
    admin("POST", "/admin/inventory-items/location-levels/batch", {"create": levels})
    return s


def start_medusa(pg: PostgresServer, workdir: Path, events_url: str = "", events_secret: str = ""
                 ) -> tuple[MedusaServer, Medusa]:
    """Prepare, seed into the template database, copy it, start on the copy. The caller stops the server."""
    server = MedusaServer(pg, workdir)
    server.prepare()
    try:
        base = server.start(TEMPLATE_DB)
        medusa = Medusa(base, Seeded(), server.timings)
        started = time.monotonic()
        seed(medusa)
        server._timed("seed", started)
        server.stop()  # nobody may be connected to a template
        started = time.monotonic()
        pg.createdb("medusa_tests", template=TEMPLATE_DB)
        server._timed("createdb -T", started)
        medusa.base_url = server.start("medusa_tests", events_url, events_secret)
        medusa._token = None
        return server, medusa
    except BaseException:
        server.stop()
        raise
