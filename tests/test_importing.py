"""Importers: Kefu JSON/JSONL/CSV, Shopify CSV and tau-retail; idempotency; line-numbered errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.importing import FORMATS, KINDS, ImportReport, RowError, import_file
from core.importing.detect import detect_format
from core.importing.errors import FileError
from core.importing.htmltext import html_to_text
from core.importing.readers import read_json, read_text
from core.store import Store

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TAU_DATA = Path(__file__).resolve().parents[1] / "data" / "tau-retail"


@pytest.fixture
def store() -> Store:
    """An empty store (deliberately overrides conftest's seeded one)."""
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture
def shop(store: Store) -> Store:
    """A store with the fixture categories, products and customers imported."""
    for kind, name in [("categories", "categories.json"), ("products", "products.json"),
                       ("customers", "customers.json")]:
        assert import_file(store, kind, FIXTURES / name).ok
    return store


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.inserted, report.updated, report.unchanged, len(report.errors)


def errors_by_line(report: ImportReport) -> dict[int | None, str]:
    return {e.line: e.reason for e in report.errors}


def catalogue(store: Store) -> dict:
    """Products and variants without timestamps, for comparing two stores."""
    out = {}
    for row in store.db["products"].rows_where(order_by="id"):
        product = store.catalog.product(row["id"])
        product.pop("created_at")
        out[row["id"]] = (product, store.catalog.variants(row["id"]))
    return out


# -- readers -------------------------------------------------------------------------------
def test_json_array_elements_carry_their_starting_line() -> None:
    lines = [row.line for row in read_json(FIXTURES / "products_bad.json")]
    assert lines == [2, 4, 6, 8, 9, 10, 12, 14, 15]


def test_json_wrapped_in_an_object_is_accepted(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "faq.json"
    path.write_text('{"faq": [\n {"id": "a", "lang": "en", "title": "T", "body": "B"},\n'
                    ' {"id": "b", "lang": "xx", "title": "T", "body": "B"}\n]}', encoding="utf-8")
    report = import_file(store, "faq", path)
    assert counts(report) == (1, 0, 0, 1)
    assert report.errors[0].line == 3


def test_invalid_json_is_one_clear_error(store: Store) -> None:
    report = import_file(store, "products", FIXTURES / "not_json.json")
    assert counts(report) == (0, 0, 0, 1)
    assert report.errors[0].line == 3
    assert "not valid JSON" in report.errors[0].reason


def test_detect_format() -> None:
    assert detect_format(FIXTURES / "products.json") == "json"
    assert detect_format(FIXTURES / "products.jsonl") == "jsonl"
    assert detect_format(FIXTURES / "products.csv") == "csv"
    assert detect_format(FIXTURES / "shopify_products.csv") == "shopify"
    for name in ("products.json", "users.json", "orders.json"):
        assert detect_format(FIXTURES / "tau" / name) == "tau"


def test_unknown_kind_format_or_file_raise(store: Store) -> None:
    with pytest.raises(ValueError):
        import_file(store, "coupons", FIXTURES / "products.json")
    with pytest.raises(ValueError):
        import_file(store, "products", FIXTURES / "products.json", fmt="xml")
    with pytest.raises(FileNotFoundError):
        import_file(store, "products", FIXTURES / "missing.json")
    assert set(KINDS) == {"categories", "products", "customers", "orders", "faq"}
    assert "tau" in FORMATS


# -- Kefu formats --------------------------------------------------------------------------
def test_products_json_import_and_reimport_unchanged(store: Store) -> None:
    assert counts(import_file(store, "categories", FIXTURES / "categories.json")) == (2, 0, 0, 0)
    assert counts(import_file(store, "products", FIXTURES / "products.json")) == (3, 0, 0, 0)
    assert counts(import_file(store, "products", FIXTURES / "products.json")) == (0, 0, 3, 0)

    dress = store.catalog.product("P1001")
    assert dress["tags"] == ["summer", "cotton"] and dress["consumable"] == 0
    variants = {v["id"]: v for v in store.catalog.variants("P1001")}
    assert variants["P1001-RED-M"]["price_cents"] == 19900
    assert variants["P1001-RED-M"]["options"] == {"color": "red", "size": "M"}
    assert variants["P1001-RED-M"]["available"] == 1 and variants["P1001-RED-L"]["available"] == 0
    tea = store.catalog.product("P2001")
    assert tea["title_en"] == "西湖龙井" and tea["consumable"] == 1  # missing title falls back
    assert store.catalog.variant("P2001-250G")["price_cents"] == 8850
    assert store.catalog.variant("P2001-250G")["currency"] == "CNY"
    assert store.catalog.variant("P3001-WHITE")["available"] == 1  # explicit flag wins


def test_missing_category_is_created(store: Store) -> None:
    import_file(store, "products", FIXTURES / "products.json")
    categories = {c["id"]: c for c in store.catalog.categories()}
    assert categories["mugs"]["name_zh"] == "杯子" and categories["mugs"]["name_en"] == "Mugs"
    assert categories["dresses"] == {"id": "dresses", "name_zh": "dresses", "name_en": "dresses",
                                     "aliases": ["dresses"]}


def test_categories_keep_their_aliases(store: Store) -> None:
    import_file(store, "categories", FIXTURES / "categories.json")
    dresses = {c["id"]: c for c in store.catalog.categories()}["dresses"]
    assert dresses["name_zh"] == "连衣裙"
    assert dresses["aliases"][:3] == ["连衣裙", "裙子", "dress"]


def test_jsonl_and_csv_give_the_same_catalogue_as_json(tmp_path: Path) -> None:
    stores = {}
    for name in ("products.json", "products.jsonl", "products.csv"):
        stores[name] = Store(":memory:")
        report = import_file(stores[name], "products", FIXTURES / name)
        assert counts(report) == (3, 0, 0, 0), report.summary()
    reference = catalogue(stores["products.json"])
    assert catalogue(stores["products.jsonl"]) == reference
    assert catalogue(stores["products.csv"]) == reference


def test_changed_record_counts_as_updated_and_drops_stale_variants(store: Store, tmp_path: Path) -> None:
    import_file(store, "products", FIXTURES / "products.json")
    records = json.loads((FIXTURES / "products.json").read_text(encoding="utf-8"))
    records[0]["variants"] = records[0]["variants"][:1]
    records[0]["variants"][0]["price"] = "179.00"
    path = tmp_path / "products.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert counts(import_file(store, "products", path)) == (0, 1, 2, 0)
    assert [v["id"] for v in store.catalog.variants("P1001")] == ["P1001-RED-M"]
    assert store.catalog.variant("P1001-RED-M")["price_cents"] == 17900
    assert counts(import_file(store, "products", path)) == (0, 0, 3, 0)


def test_bad_products_are_reported_and_good_ones_land(store: Store) -> None:
    report = import_file(store, "products", FIXTURES / "products_bad.json")
    assert counts(report) == (1, 0, 0, 8)
    errors = errors_by_line(report)
    assert "title" in errors[4]
    assert "price" in errors[6] and "-5" in errors[6]
    assert "variant" in errors[8]
    assert "expected an object" in errors[9]
    assert errors[10].startswith("variant 2: price")
    assert "duplicate" in errors[12] and "line 2" in errors[12]
    assert "category is required" in errors[14]
    assert "already belongs to product 'B1'" in errors[15]
    assert store.catalog.product("B1") is not None and store.catalog.product("B3") is None
    assert report.errors[0].key == "B2"


def test_bad_csv_rows_name_their_lines(store: Store) -> None:
    report = import_file(store, "products", FIXTURES / "products_bad.csv")
    assert counts(report) == (1, 0, 0, 2)
    assert [e.line for e in report.errors] == [2, 4]
    assert "variant on line 3" in report.errors[0].reason
    assert "id is required" in report.errors[1].reason
    assert store.catalog.product("C4") is not None and store.catalog.product("C1") is None


def test_customers_with_identities_events_and_consent(shop: Store, monkeypatch) -> None:
    xiaoming = shop.customers.by_external_id("C001")
    assert xiaoming["language"] == "zh" and xiaoming["address"]["city"] == "上海"
    assert xiaoming["consent_at"] == "2024-03-01T08:00:00+00:00"
    assert xiaoming["consent_source"] == "web-signup"
    assert shop.customers.for_identity("wechat", "o-abc")["id"] == xiaoming["id"]
    events = shop.events.for_customer(xiaoming["id"])
    assert {(e["kind"], e["created_at"]) for e in events} == {
        ("view", "2024-04-01T02:00:00+00:00"), ("cart", "2024-04-01T02:05:00+00:00")}
    alice = shop.customers.by_external_id("C002")
    assert alice["language"] == "en" and alice["marketing_consent"] == 1
    assert alice["consent_source"] == "import" and alice["consent_at"]
    # a default consent time must not change on re-import, even when the clock has moved on
    monkeypatch.setattr("core.importing.customers.utc_now_iso", lambda: "2030-01-01T00:00:00+00:00")
    assert counts(import_file(shop, "customers", FIXTURES / "customers.json")) == (0, 0, 3, 0)
    assert shop.customers.by_external_id("C002")["consent_at"] == alice["consent_at"]


def test_customers_csv_matches_json(shop: Store) -> None:
    report = import_file(shop, "customers", FIXTURES / "customers.csv")
    # C001 is the same as in customers.json; C002 withdrew marketing consent in the CSV.
    assert counts(report) == (0, 1, 1, 0)
    assert shop.customers.by_external_id("C002")["marketing_consent"] == 0


def test_bad_customers_jsonl(shop: Store) -> None:
    report = import_file(shop, "customers", FIXTURES / "customers_bad.jsonl")
    assert counts(report) == (2, 0, 0, 6)
    errors = errors_by_line(report)
    assert "e-mail" in errors[2]
    assert "not valid JSON" in errors[3]
    assert "language" in errors[4]
    assert "'NOPE' is not in the catalogue" in errors[5]
    assert "kind" in errors[6]
    assert "birthday" in errors[7]
    assert shop.customers.by_external_id("G9")["marketing_consent"] == 1


def test_orders_import_totals_merge_and_purchase_events(shop: Store) -> None:
    assert counts(import_file(shop, "orders", FIXTURES / "orders.json")) == (2, 0, 0, 0)
    order = shop.orders.get("#W1000001")
    assert order["total_cents"] == 57500 and order["currency"] == "CNY"
    assert [(i["variant_id"], i["quantity"]) for i in order["items"]] == [
        ("P1001-RED-M", 2), ("P2001-250G", 2)]
    assert order["items"][1]["price_cents"] == 8850 and order["items"][1]["name"] == "西湖龙井"
    assert order["payments"][0]["amount_cents"] == 57500
    assert order["created_at"] == "2024-04-02T01:00:00+00:00"
    returned = shop.orders.get("#W1000002")
    assert returned["status"] == "return_requested" and returned["total_cents"] == 3500
    customer_id = shop.customers.by_external_id("C001")["id"]
    purchases = [e for e in shop.events.for_customer(customer_id) if e["kind"] == "purchase"]
    assert {e["product_id"] for e in purchases} == {"P1001", "P2001"}
    assert counts(import_file(shop, "orders", FIXTURES / "orders.json")) == (0, 0, 2, 0)
    assert counts(import_file(shop, "orders", FIXTURES / "orders.csv")) == (0, 1, 1, 0)


def test_bad_orders(shop: Store) -> None:
    report = import_file(shop, "orders", FIXTURES / "orders_bad.json")
    assert counts(report) == (1, 0, 0, 5)
    errors = errors_by_line(report)
    assert "not a known customer" in errors[2]
    assert "'lost'" in errors[3]
    assert "'NOPE'" in errors[4]
    assert "created_at" in errors[5]
    assert "not a variant of product" in errors[6]
    assert shop.orders.get("#B6")["total_cents"] == 19900


def test_faq_json_and_csv(store: Store) -> None:
    assert counts(import_file(store, "faq", FIXTURES / "faq.json")) == (3, 0, 0, 0)
    assert store.knowledge.article("returns", "zh")["tags"] == ["退货", "退款"]
    assert counts(import_file(store, "faq", FIXTURES / "faq.json")) == (0, 0, 3, 0)
    assert counts(import_file(store, "faq", FIXTURES / "faq.csv")) == (0, 1, 2, 0)  # multi-line body
    assert "\n" in store.knowledge.article("returns", "en")["body"]


# -- Shopify -------------------------------------------------------------------------------
def test_shopify_export(store: Store) -> None:
    report = import_file(store, "products", FIXTURES / "shopify_products.csv")
    assert report.fmt == "shopify"
    assert counts(report) == (3, 0, 0, 1)
    assert report.errors[0] == RowError(9, "variant on line 9: price: not an amount: 'abc'", "broken")
    shirt = store.catalog.product("linen-shirt")
    assert shirt["description_en"] == "Breathable linen & cool.\n- 100% linen\n- Machine wash"
    assert shirt["category"] == "shirts" and shirt["tags"] == ["summer", "linen"]
    assert shirt["image_url"] == "https://cdn.example.com/ls1.jpg" and shirt["brand"] == "Acme"
    variants = {v["id"]: v for v in store.catalog.variants("linen-shirt")}
    assert set(variants) == {"LS-S-W", "LS-M-W", "LS-L-B"}  # the image-only row is no variant
    assert variants["LS-L-B"]["options"] == {"size": "L", "color": "Blue"}
    assert variants["LS-L-B"]["price_cents"] == 4100 and variants["LS-L-B"]["stock"] == 0
    assert store.catalog.variants("gift-card")[0]["options"] == {}
    assert store.catalog.product("gift-card")["category"] == "uncategorized"
    tea = store.catalog.product("tea-set")
    assert tea["title_zh"] == "青花瓷茶具套装" and tea["category"] == "tea-sets"
    assert store.catalog.variants("tea-set")[0]["available"] == 0  # draft product
    assert counts(import_file(store, "products", FIXTURES / "shopify_products.csv")) == (0, 0, 3, 1)


def test_html_to_text() -> None:
    assert html_to_text("<p>a&nbsp;b</p><script>x()</script><br>c") == "a b\nc"  # nbsp becomes a plain space
    assert html_to_text("") is None


# -- tau-retail ----------------------------------------------------------------------------
def test_tau_fixture_files(store: Store) -> None:
    tau = FIXTURES / "tau"
    products = import_file(store, "products", tau / "products.json")
    assert products.fmt == "tau" and counts(products) == (2, 0, 0, 0)
    shirt = store.catalog.product("9523456873")
    assert shirt["title_en"] == shirt["title_zh"] == "T-Shirt" and shirt["category"] == "t-shirt"
    variant = store.catalog.variant("9612497925")
    assert (variant["price_cents"], variant["currency"], variant["stock"], variant["available"]) == (
        5088, "USD", 1, 1)
    assert store.catalog.variant("8124970213")["available"] == 0

    users = import_file(store, "customers", tau / "users.json")
    assert counts(users) == (1, 0, 0, 1)
    assert users.errors[0].key == "james_li_5688" and "e-mail" in users.errors[0].reason
    noah = store.customers.by_external_id("noah_brown_6181")
    assert noah["name"] == "Noah Brown" and noah["zip"] == "80279" and noah["language"] == "en"

    orders = import_file(store, "orders", tau / "orders.json")
    assert counts(orders) == (2, 0, 0, 1)
    assert orders.errors[0].key == "#W0000001" and "lost in space" in orders.errors[0].reason
    order = store.orders.get("#W7678072")
    assert [(i["variant_id"], i["quantity"]) for i in order["items"]] == [
        ("9612497925", 2), ("6469567736", 1)]
    assert order["total_cents"] == 14960 and order["tracking_number"] == "357962501027"
    assert store.orders.get("#W7678073")["status"] == "return_requested"
    assert [p["kind"] for p in store.orders.get("#W7678073")["payments"]] == ["payment", "refund"]

    for kind, name in [("products", "products.json"), ("customers", "users.json"),
                       ("orders", "orders.json")]:
        again = import_file(store, kind, tau / name)
        assert again.inserted == again.updated == 0, again.summary()


def test_tau_file_for_the_wrong_kind(store: Store) -> None:
    report = import_file(store, "customers", FIXTURES / "tau" / "products.json")
    assert counts(report) == (0, 0, 0, 2)
    assert "looks like tau products" in report.errors[0].reason
    faq = import_file(store, "faq", FIXTURES / "tau" / "products.json")
    assert len(faq.errors) == 1 and faq.errors[0].line is None


# -- report --------------------------------------------------------------------------------
def test_report_summary_and_dict(store: Store) -> None:
    report = import_file(store, "products", FIXTURES / "products_bad.json")
    text = report.summary(max_errors=2)
    assert text.splitlines()[0].startswith("products from ")
    assert "1 inserted, 0 updated, 0 unchanged, 8 errors" in text
    assert "  line 4 (B2): title_zh or title_en is required" in text
    assert "… and 6 more" in text
    data = report.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["errors"][0] == {"line": 4, "reason": "title_zh or title_en is required", "key": "B2"}


# -- hostile files -------------------------------------------------------------------------
HOSTILE = {
    "open brackets": b"[" * 200_000,
    "closed brackets": b"[" * 200_000 + b"]" * 200_000,
    "nested objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep record": b'[{"id": "P1", "title_en": "Tea", "options": ' + b"[" * 900 + b"]" * 900 + b"}]",
    "deep tau member": b'{"P1": {"name": "Tea", "variants": ' + b"[" * 900 + b"]" * 900 + b"}}",
    "huge line": b'{"id": "' + b"x" * 1_000_000 + b'"}\n',
    "not UTF-8": b"id,title_en\n\xff\xfe\x00\x81 \xc3\x28\n",
    "binary": bytes(range(256)) * 64,
    "empty": b"",
    "blank": b" \n\n\t\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["products", "faq"])
@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_a_short_report_never_an_exception(store: Store, tmp_path: Path,
                                                             name: str, kind: str, fmt: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(HOSTILE[name])
    report = import_file(store, kind, path, fmt=fmt)
    assert not report.ok and report.imported == 0, report.summary()
    assert all(len(line) < 500 for line in report.summary().splitlines()), report.summary()[:1000]


def test_deep_nesting_is_reported_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "products.json"
    path.write_text("[\n" + "[" * 200_000, encoding="utf-8")
    report = import_file(store, "products", path)
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "not valid JSON: nested deeper than 32 levels (line 2, column 32)")]
    lines = tmp_path / "products.jsonl"
    lines.write_text('{"id": "A1", "category": "x", "title_en": "Mug", "variants": [{"id": "A1-1", "price": "1"}]}\n'
                     + "[" * 200_000 + "\n", encoding="utf-8")
    report = import_file(store, "products", lines)
    assert counts(report) == (1, 0, 0, 1)  # one bad line is a row error; the good line lands
    assert report.errors[0].line == 2 and "nested deeper than 32 levels" in report.errors[0].reason


def test_a_file_that_vanishes_or_is_a_folder_is_one_error(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "gone.json"):
        with pytest.raises(FileError, match="cannot read the file"):
            read_text(path)


def test_long_reasons_and_keys_are_cut_in_the_report() -> None:
    report = ImportReport("products", "p.json", "json")
    report.add_error(3, "title: expected text, got " + "x" * 10_000, "k" * 10_000)
    error = report.errors[0]
    assert len(error.reason) == 300 and error.reason.endswith("…")
    assert len(error.key) == 80 and error.key.endswith("…")
    report.add_error(4, "short", "P1")
    assert report.errors[1] == RowError(4, "short", "P1")


# -- the real tau-bench retail shop --------------------------------------------------------
def test_real_tau_retail_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "tau.db")
    plan = [("products", "products.json", 50), ("customers", "users.json", 500),
            ("orders", "orders.json", 1000)]
    for kind, name, expected in plan:
        report = import_file(store, kind, TAU_DATA / name)
        assert report.fmt == "tau"
        assert report.inserted + len(report.errors) == expected, report.summary()
        assert all(e.reason and e.key for e in report.errors)
    assert store.db["variants"].count == 591
    for kind, name, expected in plan:
        report = import_file(store, kind, TAU_DATA / name)
        assert (report.inserted, report.updated) == (0, 0), report.summary()
        assert report.unchanged + len(report.errors) == expected
    store.close()
