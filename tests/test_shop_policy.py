"""The policy file drives both the flows' rules and the FAQ's policy text, so they agree."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import copy_store, frozen_clock
from bot.settings import SettingsError
from core.messages import Identity, InboundMessage
from core.shop.aftersales import DEMO_POLICY, PolicyError, ShopPolicy

SHOPPER = Identity("telegram", "10008")


@pytest.fixture(scope="module")
def template():
    store = demo_template()
    yield store
    store.close()


def _policy_file(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(DEMO_POLICY.read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = value
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def _ask(store, settings, text, identity=SHOPPER):
    assistant = build_assistant(store, settings)
    with frozen_clock("2026-11-10T10:00:00+00:00"):
        return "\n".join(r.text for r in (await assistant.handle(InboundMessage(identity, text))).replies)


def test_the_demo_policy_loads_with_its_rules():
    policy = ShopPolicy.load()
    assert policy.return_window_days == 30 and policy.allows("cancel", "pending")
    assert not policy.allows("cancel", "shipped") and policy.allows("return", "delivered")
    assert policy.needs_approval("refund", 100_001) and not policy.needs_approval("refund", 100_000)
    assert set(policy.refund_methods) == {"original", "store_credit"}


@pytest.mark.parametrize("bad", [{"allowed_statuses": {"cancel": ["teleported"]}},
                                 {"allowed_statuses": {"launch": ["pending"]}}, {"refund_methods": ["bitcoin"]}])
def test_unknown_names_in_the_policy_are_refused(bad):
    with pytest.raises(PolicyError):
        ShopPolicy.from_dict(bad)


def test_the_identity_check_limits_come_from_the_policy_and_must_be_positive():
    policy = ShopPolicy.load()
    assert (policy.auth_attempts, policy.auth_source_attempts, policy.auth_email_attempts) == (3, 10, 20)
    assert ShopPolicy.from_dict({"limits": {"auth_email_attempts": 50}}).auth_email_attempts == 50
    for name in ("auth_attempts", "auth_source_attempts", "auth_email_attempts", "auth_lock_minutes"):
        with pytest.raises(PolicyError, match="at least 1"):
            ShopPolicy.from_dict({"limits": {name: 0}})


def test_a_bad_policy_path_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="KEFU_SHOP_POLICY_PATH"):
        build_assistant(copy_store(demo_template()), story_settings().model_copy(
            update={"kefu_shop_policy_path": tmp_path / "missing.yaml"}))


async def test_the_faq_answer_and_the_flow_agree_on_the_demo_policy(template):
    store = copy_store(template)
    faq = await _ask(store, story_settings(), "what is your return policy?")
    assert "within 30 days of delivery" in faq
    faq_zh = await _ask(store, story_settings(), "退货政策是什么？", Identity("web", "zh"))
    assert "30 天内退货" in faq_zh
    refused = await _ask(store, story_settings(), "cancel my order W3428168")
    assert "only possible for orders that are pending" in refused  # the same statuses the FAQ names
    published = store.knowledge.article("order-changes", "en")  # what the knowledge action quotes
    assert published["body"].startswith("Only orders that are pending can be cancelled")
    assert {(a["id"], a["lang"]): a["body"] for a in ShopPolicy.load().articles()}[("returns-window", "zh")] == \
        store.knowledge.article("returns-window", "zh")["body"]


async def test_changing_the_policy_file_changes_both_the_rules_and_the_faq(tmp_path, template):
    path = _policy_file(tmp_path, return_window_days=14,
                        allowed_statuses={**ShopPolicy.load().allowed_statuses, "cancel": ["pending", "shipped"]})
    settings = story_settings().model_copy(update={"kefu_shop_policy_path": path})
    store = copy_store(template)
    faq = await _ask(store, settings, "what is your return policy?", Identity("web", "x"))
    assert "within 14 days of delivery" in faq and "30 days" not in faq
    allowed = await _ask(store, settings, "cancel my order W3428168 because it is late")  # shipped: now allowed
    assert "Cancel order #W3428168" in allowed and "yes or no" in allowed
    articles = {a["id"]: a for a in ShopPolicy.load(path).articles() if a["lang"] == "en"}
    assert "pending or shipped" in articles["order-changes"]["body"]
    assert articles["returns-window"]["title"] == "Return policy: 14 days"


async def test_a_return_outside_the_window_is_refused_with_the_policy_numbers(template):
    store = copy_store(template)
    reply = await _ask(store, story_settings(), "I want to return order W1823182")  # delivered 2026-09-12
    assert "more than 30 days ago" in reply
    assert store.orders.get("#W1823182")["status"] == "delivered"


def test_without_a_delivery_date_the_order_date_bounds_the_window():
    """Nothing is delivered before it is ordered: an order placed within the window is within it; one
    placed earlier cannot be judged from the data (None: a colleague checks), never refused."""
    policy = ShopPolicy.load(DEMO_POLICY)
    days = policy.window_days("return")
    today = date(2024, 1, 15)
    assert policy.within_window("return", None, today, (today - timedelta(days=days)).isoformat()) is True
    assert policy.within_window("return", None, today, (today - timedelta(days=days + 1)).isoformat()) is None
    assert policy.within_window("return", None, today, None) is None
    assert policy.within_window("return", "2023-11-01", today, "2023-10-30") is False  # a known date decides
