"""Campaign definitions, segments, personalisation, coupons and the respect rules."""
from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from promo_helpers import NO_QUIET, NOW, definition, start

from core.promotions.campaigns import Campaigns
from core.promotions.coupons import Coupons, new_code, normalise_code
from core.promotions.definition import DefinitionError, load_definition
from core.promotions.facts import load_facts
from core.promotions.respect import Respect, RespectRules
from core.promotions.segments import Segment
from core.store import Store


def test_definition_errors_name_the_field() -> None:
    with pytest.raises(DefinitionError, match="message"):
        load_definition("name: x\nmessage: {en: hi}\n")
    with pytest.raises(DefinitionError, match="unknown placeholder"):
        load_definition("name: x\nmessage: {en: 'hi {nme}', zh: '你好'}\n")
    with pytest.raises(DefinitionError, match="no coupon rule"):
        load_definition("name: x\nmessage: {en: 'code {coupon}', zh: '券 {coupon}'}\n")
    with pytest.raises(DefinitionError, match="crontab"):
        load_definition("name: x\nmessage: {en: hi, zh: 你好}\nschedule: {cron: 'every monday'}\n")
    with pytest.raises(DefinitionError, match="exactly one of percent or amount"):
        load_definition("name: x\nmessage: {en: hi, zh: 你好}\ncoupon: {percent: 10, amount: 5}\n")
    ok = load_definition("name: x\nmessage: {en: hi, zh: 你好}\ntrigger: {kind: birthday}\n")
    assert ok.is_journey


def test_segments_rules_over_customer_data_and_events(shop: Store) -> None:
    alice = shop.customers.by_external_id("C1")["id"]
    bob = shop.customers.by_external_id("C2")["id"]
    shop.events.record(bob, "view", "D2", at=(NOW - timedelta(days=3)).isoformat())
    facts = load_facts(shop.db)

    def who(**rules: object) -> set[str]:
        segment = Segment(definition(segment=rules).segment, shop.db, NOW)
        return {c.name for c in segment.select(facts)}

    assert who(languages=["zh"]) == {"王波"}
    assert who(channels=["web"]) == {"Carol"}
    assert who(min_spend=150) == {"Alice"}  # Alice's order is 199.00, Bob's 39.00
    assert who(min_orders=1, max_spend=50) == {"王波"}
    assert who(categories=["dresses"]) == {"Alice", "王波"}  # Alice bought one, Bob viewed one
    assert who(purchased_within_days=10) == set()  # the orders are from 2026-10-20/21: 12-13 days before NOW
    assert who(purchased_within_days=30) == {"Alice", "王波"}
    assert who(purchased_within_days=30, inactive_for_days=5) == {"Alice"}  # Bob viewed something 3 days ago
    assert who(not_purchased_for_days=10) == {"Alice", "王波", "Carol"}
    assert who(active_within_days=7) == {"王波"}
    assert alice in {c.id for c in facts}


def test_personalised_messages_in_both_languages(shop: Store, planner) -> None:
    campaign = start(shop)
    result = planner.plan(campaign, NOW)
    assert (result.targeted, result.planned, dict(result.skipped)) == (3, 2, {"no_consent": 1})
    rows = {r["language"]: r for r in shop.db["deliveries"].rows_where("status = 'pending'")}
    en, zh = json.loads(rows["en"]["body"])["text"], json.loads(rows["zh"]["body"])["text"]
    assert en.startswith("Hi Alice!") and "10% off over ¥100.00" in en and rows["en"]["coupon_code"] in en
    assert "Reply STOP" in en
    assert zh.startswith("王波您好！") and "9折，满¥100.00可用" in zh and rows["zh"]["coupon_code"] in zh
    assert "退订" in zh
    # each gets recommended products with the store's prices, in their language
    assert "• " in en and "¥" in en.split("\n")[1]
    assert any(t in zh for t in ("连衣裙", "手机壳", "长裙"))
    # the coupon belongs to the customer and the campaign
    coupon = Coupons(shop.db).get(rows["en"]["coupon_code"])
    assert coupon["customer_id"] == rows["en"]["customer_id"] and coupon["campaign_id"] == campaign.id
    # planning again adds nothing (one per campaign and customer)
    again = planner.plan(campaign, NOW)
    assert (again.planned, again.already_planned) == (0, 3)
    assert shop.db["deliveries"].count == 3 and shop.db["coupons"].count == 2


def test_local_time_schedule_is_each_customers_own_clock(shop: Store, planner) -> None:
    shop.db["customers"].update(shop.customers.by_external_id("C1")["id"], {"timezone": "Europe/London"})
    planner.plan(start(shop, schedule={"local_time": "10:00"}), NOW)
    due = {r["language"]: r["due_at"] for r in shop.db["deliveries"].rows_where("status = 'pending'")}
    assert due["en"] == "2026-11-02T10:00:00+00:00"  # London, 06:00 now: 10:00 today
    assert due["zh"] == "2026-11-03T02:00:00+00:00"  # Shanghai, 14:00 now: 10:00 tomorrow


def test_coupon_codes_are_random_and_normalised() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 22 for c in codes)
    code = next(iter(codes))
    assert normalise_code(code.lower().replace("-", " ")) == code


def test_coupon_rules_and_single_use_redemption(shop: Store, planner) -> None:
    planner.plan(start(shop), NOW)
    coupons = Coupons(shop.db)
    alice = shop.customers.by_external_id("C1")["id"]
    bob = shop.customers.by_external_id("C2")["id"]
    code = next(shop.db["coupons"].rows_where("customer_id = ?", [alice]))["code"]
    later = NOW + timedelta(days=1)
    assert coupons.check("KF-AAAA-BBBB-CCCC-DDDD", 50000, now=later).reason == "unknown"
    assert coupons.check("", 50000, now=later).reason == "unknown"
    assert coupons.check(code, 9999, customer_id=alice, now=later).reason == "min_spend"
    assert coupons.check(code, 20000, customer_id=bob, now=later).reason == "wrong_customer"
    assert coupons.check(code, 20000, customer_id=alice, now=NOW + timedelta(days=15)).reason == "expired"
    ok = coupons.check(code, 20000, customer_id=alice, now=later)
    assert ok.ok and ok.discount_cents == 2000
    redeemed = coupons.redeem(code.lower(), "#W9", 20000, alice, now=later)
    assert redeemed.ok and redeemed.discount_cents == 2000
    assert coupons.redeem(code, "#W9", 20000, alice, now=later).ok  # the shop retrying the same order
    assert coupons.redeem(code, "#W10", 20000, alice, now=later).reason == "used"
    assert shop.db["redemptions"].count == 1


def test_a_bound_coupon_is_refused_when_the_customer_is_not_named(shop: Store, planner) -> None:
    """Leaving the customer out is not "anyone": the check, the redemption and a replayed redemption
    of a coupon bound to Alice all refuse; a coupon bound to nobody still works without one."""
    planner.plan(start(shop), NOW)
    coupons = Coupons(shop.db)
    alice = shop.customers.by_external_id("C1")["id"]
    code = next(shop.db["coupons"].rows_where("customer_id = ?", [alice]))["code"]
    later = NOW + timedelta(days=1)
    assert coupons.check(code, 20000, now=later).reason == "customer_required"
    assert coupons.redeem(code, "#W9", 20000, now=later).reason == "customer_required"
    assert shop.db["redemptions"].count == 0
    assert coupons.redeem(code, "#W9", 20000, alice, now=later).ok
    assert coupons.redeem(code, "#W9", 20000, now=later).reason == "customer_required"  # the replay too
    shop.db["coupons"].insert({**shop.db["coupons"].get(code), "code": "KF-OPEN-TOAL-LCUS-TMRS", "customer_id": None})
    assert coupons.redeem("KF-OPEN-TOAL-LCUS-TMRS", "#W10", 20000, now=later).ok


def test_amount_coupon_never_exceeds_the_total(shop: Store, planner) -> None:
    planner.plan(start(shop, coupon={"amount": 50, "min_spend": 0}), NOW)
    row = next(shop.db["coupons"].rows)
    code, customer = row["code"], row["customer_id"]
    assert Coupons(shop.db).check(code, 3000, customer, now=NOW).discount_cents == 3000
    assert Coupons(shop.db).check(code, 30000, customer, now=NOW).discount_cents == 5000


def test_respect_excludes_and_says_why(shop: Store) -> None:
    alice = shop.customers.by_external_id("C1")["id"]
    bob = shop.customers.by_external_id("C2")["id"]
    carol = shop.customers.by_external_id("C3")["id"]
    respect = Respect(shop.db, NO_QUIET)
    assert respect.exclusions(load_facts(shop.db), NOW) == {carol: "no_consent"}
    shop.customers.set_unreachable(alice)
    assert respect.exclusions(load_facts(shop.db), NOW)[alice] == "unreachable"
    shop.customers.set_unreachable(alice, False)
    # an open handoff in one of Bob's conversations
    shop.db["conversations"].insert({"id": "telegram:222", "channel": "telegram", "user_id": "222",
                                     "customer_id": bob, "status": "bot", "started_at": "x", "updated_at": "x"})
    handoff = shop.db["handoffs"].insert({"conversation_id": "telegram:222", "status": "open", "reason": "asked",
                                          "priority": 1, "created_at": "x"}).last_pk
    assert respect.exclusions(load_facts(shop.db), NOW)[bob] == "handoff_open"
    shop.db["handoffs"].update(handoff, {"status": "resolved"})
    # a complaint 3 days ago holds promotions back for 14 days, not after
    shop.db["messages"].insert({"conversation_id": "telegram:222", "direction": "in", "text": "terrible",
                                "intent": "complaint", "processed": 1,
                                "created_at": (NOW - timedelta(days=3)).isoformat()})
    assert respect.exclusions(load_facts(shop.db), NOW)[bob] == "recent_complaint"
    assert bob not in respect.exclusions(load_facts(shop.db), NOW + timedelta(days=12))
    # the weekly cap counts promotions sent in the last seven days
    campaigns = Campaigns(shop.db)
    for n in range(2):
        cid = campaigns.create(definition(name=f"c{n}"))
        shop.db["deliveries"].insert({"campaign_id": cid, "customer_id": alice, "occasion": "", "status": "sent",
                                      "sent_at": (NOW - timedelta(days=n + 1)).isoformat()})
    assert respect.exclusions(load_facts(shop.db), NOW)[alice] == "weekly_cap"
    assert alice not in respect.exclusions(load_facts(shop.db), NOW + timedelta(days=7))


def test_quiet_hours_in_the_customers_timezone() -> None:
    rules = RespectRules(time(21), time(9), default_timezone="Asia/Shanghai")
    evening_utc = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 22:00 Shanghai, 14:00 London
    assert rules.quiet_until(evening_utc, None) == datetime(2026, 11, 3, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
    assert rules.quiet_until(evening_utc, "Europe/London") is None
    early = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # 07:00 London
    assert rules.quiet_until(early, "Europe/London") == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert rules.quiet_until(early, "Not/A_Zone") is None  # unknown zone: the shop's (15:00 Shanghai)
    daytime = RespectRules(time(12), time(14))
    assert daytime.quiet_until(datetime(2026, 11, 2, 5, 0, tzinfo=UTC), None) is not None  # 13:00 Shanghai
