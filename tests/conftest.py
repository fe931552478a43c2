"""Shared fixtures: a small in-memory shop and an assistant over it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from adapters.web import WebChannel
from bot.app import build_assistant
from bot.settings import Settings, load_settings
from core.assistant import Assistant
from core.store import Store
from tests.hosting import serving

# Property tests (tests/test_fuzz_parsers.py): a few hundred inputs per test locally,
# HYPOTHESIS_PROFILE=ci for 10,000 (CI). No example database is written into the working tree.
hypothesis_settings.register_profile("dev", max_examples=300, deadline=None, database=None,
                                     suppress_health_check=[HealthCheck.function_scoped_fixture])
hypothesis_settings.register_profile("ci", parent=hypothesis_settings.get_profile("dev"), max_examples=10_000,
                                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db-engine", choices=("sqlite", "postgresql"),
                     default=os.environ.get("KEFU_TEST_DB_ENGINE", "sqlite"),
                     help="the engine of every in-memory store (Store(':memory:')): SQLite, or a fresh database "
                          "on a private PostgreSQL (tests/pg.py); with postgresql, the tests marked no_store or "
                          "sqlite_only are skipped (docs/SCALING.md)")
    parser.addoption("--store-usage", metavar="FILE", default=None,
                     help="write, per test, how many stores it opened in memory and elsewhere (files, URLs, kefu "
                          "subprocesses), tab-separated")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_store: the test opens no store, so it is the same on every engine: "
                                       "skipped under --db-engine postgresql, failed if it opens one")
    config.addinivalue_line("markers", "sqlite_only(reason): the test runs on SQLite only, skipped under "
                                       "--db-engine postgresql; the reason says why (SQLite files on purpose, "
                                       "or too slow there)")
    config.addinivalue_line("markers", "file_stores: under --db-engine postgresql, the test's stores on file paths "
                                       "(its own and its kefu subprocesses') are PostgreSQL databases too")
    config.stash[_USAGE] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--db-engine postgresql``, skip the tests marked ``no_store`` (they open no store) or
    ``sqlite_only`` (with its reason); counted in the summary."""
    if config.getoption("--db-engine") != "postgresql":
        return
    skipped = config.stash[_SKIPPED] = {"no_store": 0, "sqlite_only": 0}
    for item in items:
        if item.get_closest_marker("no_store"):
            reason = "no_store: opens no store, the same on every engine (the SQLite run has it)"
        elif sqlite := item.get_closest_marker("sqlite_only"):
            reason = f"sqlite_only: {sqlite.args[0]}"
        else:
            continue
        skipped[reason.split(":")[0]] += 1
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if skipped := config.stash.get(_SKIPPED, None):
        terminalreporter.write_line(f"--db-engine postgresql: skipped {skipped['no_store']} tests marked no_store "
                                    f"(they open no store) and {skipped['sqlite_only']} marked sqlite_only")


def pytest_unconfigure(config: pytest.Config) -> None:
    path = config.getoption("--store-usage")
    if path:
        Path(path).write_text("".join(f"{nodeid}\t{memory}\t{files}\n"
                                      for nodeid, (memory, files) in config.stash[_USAGE].items()))


_USAGE = pytest.StashKey[dict[str, tuple[int, int]]]()
_SKIPPED = pytest.StashKey[dict[str, int]]()


@pytest.fixture(scope="session")
def postgres_databases():
    """A private PostgreSQL for the session (skipped where it is not installed) and fresh store
    databases on it (tests.pg.FreshDatabases). Its folder is its own, not under pytest's basetemp,
    which a concurrent pytest run may prune while the server still runs."""
    import shutil
    import tempfile

    from tests.pg import FreshDatabases, PostgresServer, find_bindir

    if find_bindir() is None:
        pytest.skip("PostgreSQL is not installed (make medusa-deps installs it)")
    folder = tempfile.mkdtemp(prefix="kefu-pg-")
    server = PostgresServer()
    try:
        server.start(folder)
        databases = FreshDatabases(server)
        yield databases
        databases.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def small_shop_database(postgres_databases) -> str:
    """The URL of a fresh PostgreSQL database holding the small shop (:func:`seed_small_shop`)."""
    url = postgres_databases.new()
    store = Store(url)
    seed_small_shop(store)
    store.close()
    return url


class _StoreOpens:
    """``core.store.database.connect`` for the session: counts the stores opened (in memory, elsewhere)
    since the last :meth:`take`, and under ``--db-engine postgresql`` opens a fresh database for every
    ``:memory:`` store, whatever the scope of the fixture making it, and for a file path too while
    ``files_too`` (one database per path)."""

    def __init__(self, connect, databases) -> None:
        self._connect, self.databases = connect, databases
        self.files_too = False
        self.memory = self.elsewhere = 0

    def __call__(self, target):
        from core.store.engine import is_postgres_url

        in_memory = str(target) == ":memory:"
        if in_memory:
            self.memory += 1
        else:
            self.elsewhere += 1
        if self.databases and in_memory:
            target = self.databases.new()
        elif self.files_too and not is_postgres_url(str(target)):
            target = self.databases.for_path(target)
        return self._connect(target)

    def subprocess_store(self, path):
        """tests.helpers.store_url: a kefu subprocess's store counts too (and follows ``files_too``)."""
        self.elsewhere += 1
        return self.databases.for_path(path) if self.files_too else None

    def take(self) -> tuple[int, int]:
        counts, self.memory, self.elsewhere = (self.memory, self.elsewhere), 0, 0
        return counts


@pytest.fixture(scope="session", autouse=True)
def _store_opens(request: pytest.FixtureRequest):
    """The session's :class:`_StoreOpens` in place of ``core.store.database.connect``."""
    import core.store.database as database
    from tests import helpers

    on_postgres = request.config.getoption("--db-engine") == "postgresql"
    opens = _StoreOpens(database.connect, request.getfixturevalue("postgres_databases") if on_postgres else None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "connect", opens)
        patch.setattr(helpers, "store_url", opens.subprocess_store)
        yield opens


@pytest.fixture(autouse=True)
def _db_engine(request: pytest.FixtureRequest, _store_opens: _StoreOpens):
    """Per test: the stores it opened (a module fixture's go to the first test using it) are recorded
    for ``--store-usage``, and a test marked ``no_store`` fails if it opened one; a test marked
    ``file_stores`` has its file stores follow the engine; the databases its own fixtures made are dropped."""
    databases = _store_opens.databases
    _store_opens.files_too = databases is not None and request.node.get_closest_marker("file_stores") is not None
    made = databases.count() if databases else 0
    yield
    _store_opens.files_too = False
    if databases:
        databases.drop_all(since=made)
    memory, elsewhere = _store_opens.take()
    request.config.stash[_USAGE][request.node.nodeid] = (memory, elsewhere)
    if request.node.get_closest_marker("no_store") and memory + elsewhere:
        pytest.fail(f"marked no_store but opened {memory} in-memory and {elsewhere} other stores")


def seed_small_shop(store: Store) -> None:
    """Two categories, four products, one customer with a telegram identity and two orders."""
    store.catalog.upsert_category("dresses", "连衣裙", "Dresses", ["连衣裙", "裙子", "dress", "dresses"])
    store.catalog.upsert_category("phone-cases", "手机壳", "Phone cases", ["手机壳", "phone case", "phone cover"])
    products = [
        ("D1", "dresses", "法式红色碎花连衣裙", "French red floral dress", [("red", "M", 19900, 5), ("red", "L", 19900, 0)]),
        ("D2", "dresses", "蓝色衬衫裙", "Blue shirt dress", [("blue", "S", 25900, 3)]),
        ("D3", "dresses", "酒红丝绒长裙", "Burgundy velvet maxi dress", [("red", "S", 39900, 2), ("red", "M", 42900, 1)]),
        ("C1", "phone-cases", "透明手机壳", "Clear phone case", [("white", None, 3900, 40)]),
    ]
    for pid, category, zh, en, variants in products:
        store.catalog.upsert_product(
            {"id": pid, "category": category, "title_zh": zh, "title_en": en,
             "description_zh": f"{zh}，舒适百搭。", "description_en": f"{en}, easy to wear.",
             "tags": [], "image_url": f"https://example.invalid/{pid}.jpg", "consumable": 0},
            [{"id": f"{pid}-{i}", "sku": f"{pid}-{i}", "options": {k: v for k, v in (("color", c), ("size", s)) if v},
              "price_cents": price, "currency": "CNY", "stock": stock, "available": 1}
             for i, (c, s, price, stock) in enumerate(variants)])
    alice = store.customers.upsert({"external_id": "C1", "name": "Alice", "email": "alice@example.com", "language": "en"})
    bob = store.customers.upsert({"external_id": "C2", "name": "王波", "email": "bob@example.com", "language": "zh"})
    store.customers.link_identity("telegram", "111", alice)
    store.customers.link_identity("telegram", "222", bob)
    store.orders.upsert(
        {"id": "#W1000001", "customer_id": alice, "status": "shipped", "created_at": "2026-10-20T08:00:00+00:00",
         "carrier": "SF Express", "tracking_number": "SF123456789", "expected_delivery": "2026-10-25",
         "total_cents": 19900, "currency": "CNY"},
        [{"product_id": "D1", "variant_id": "D1-0", "name": "French red floral dress", "options": {"color": "red"},
          "quantity": 1, "price_cents": 19900}],
        [{"kind": "payment", "amount_cents": 19900, "method": "alipay", "created_at": "2026-10-20T08:00:00+00:00"}])
    store.orders.upsert(
        {"id": "#W2000002", "customer_id": bob, "status": "pending", "created_at": "2026-10-21T08:00:00+00:00",
         "total_cents": 3900, "currency": "CNY"},
        [{"product_id": "C1", "variant_id": "C1-0", "name": "Clear phone case", "options": {}, "quantity": 1,
          "price_cents": 3900}], [])
    for lang, title, body in (("en", "Returns", "Unused items can be returned within 30 days."),
                              ("zh", "退货政策", "未使用的商品可在 30 天内退货。")):
        store.knowledge.upsert({"id": "returns-window", "lang": lang, "topic": "returns", "title": title,
                                "body": body, "tags": []})


@pytest.fixture(autouse=True)
def _template_replies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Template replies in every test unless it asks for a language model (KEFU_LLM_BACKEND=…) itself:
    the default would load the embedded model wherever it is installed."""
    monkeypatch.setenv("KEFU_LLM_BACKEND", "templates")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Qwen2 model directory (tests.fakes.tiny_llm), built once per run."""
    from tests.fakes.tiny_llm import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen2"))


@pytest.fixture
def settings() -> Settings:
    """Defaults, no .env, no demo shop, no rate limit (tests send faster than a person types;
    tests/test_observability.py tests the limit)."""
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                         kefu_llm_backend="templates", kefu_rate_limit_messages=0)


@pytest.fixture
def store() -> Store:
    """An in-memory store holding the small shop."""
    store = Store(":memory:")
    seed_small_shop(store)
    yield store
    store.close()


@pytest.fixture
def assistant(store: Store, settings: Settings) -> Assistant:
    """The embedded default assistant over the small shop."""
    return build_assistant(store, settings)


@pytest.fixture
async def host(assistant: Assistant, channel: WebChannel):
    """The HTTP host serving ``channel`` (and health, metrics, export links) on a free port of 127.0.0.1."""
    async with serving(channel, store=assistant.store) as host:
        yield host


@pytest.fixture
def channel(assistant: Assistant) -> WebChannel:
    """The web channel over the small shop (started by ``host``)."""
    return WebChannel(assistant)
