"""``kefu bench campaign``: plan a campaign for 100k synthetic customers (segment, respect rules,
recommended products, coupons, rendered messages, all stored) with a progress bar, then dispatch
it against a fake channel for a while and measure the rate sustained against the configured one.

Targets: planning 100k customers <= 10 s; dispatch >= 95% of KEFU_PROMO_RATE_PER_S."""
from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from tqdm import tqdm

from bot.app import build_recommender
from bot.arguments import non_negative_float, positive_int
from bot.settings import Settings
from core.channel import Channel
from core.demo.loader import load_demo_shop
from core.messages import Identity, Outbound, Reply
from core.promotions.campaigns import Campaigns
from core.promotions.definition import parse_definition
from core.promotions.planner import Planner
from core.promotions.respect import Respect, RespectRules
from core.store import Store
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.pacing import Pacer, PaceSchedule

TOPIC = "campaign"
HELP = "plan 100k synthetic customers and dispatch against a fake channel at the configured rate"
PLAN_TARGET_S = 10.0
RATE_TARGET = 0.95

DEFINITION = {
    "name": "bench",
    "message": {"zh": "{name}您好！为您挑选：\n{products}\n优惠券 {coupon}：{discount}，满{min_spend}可用，{expires}前有效。",
                "en": "Hi {name}! Picked for you:\n{products}\nCoupon {coupon}: {discount} off over {min_spend}, "
                      "until {expires}."},
    "segment": {"languages": ["zh", "en"], "channels": ["telegram"]},
    "coupon": {"percent": 10, "min_spend": 100, "valid_days": 14},
}


class FakeChannel(Channel):
    """A channel that takes ``latency_s`` per promotion and counts them."""

    name = "telegram"

    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.sent: list[float] = []

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """The bench only pushes."""
        raise NotImplementedError("the campaign bench only pushes")

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """Wait the latency, record the time."""
        await asyncio.sleep(self.latency_s)
        self.sent.append(time.perf_counter())


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: customers, dispatch duration, rate, fake latency."""
    parser.add_argument("--customers", type=positive_int, default=100_000, help="synthetic customers (default: 100000)")
    parser.add_argument("--dispatch-seconds", type=non_negative_float, default=20.0, help="how long to dispatch (default: 20)")
    parser.add_argument("--rate", type=non_negative_float, help="messages/s to pace at (default: KEFU_PROMO_RATE_PER_S)")
    parser.add_argument("--latency-ms", type=non_negative_float, default=50.0, help="fake channel latency per message (default: 50)")
    parser.add_argument("--history-share", type=non_negative_float, default=0.02,
                        help="share of customers with browsing and orders, personalised by the recommender (default: 0.02)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the synthetic shop, plan, dispatch, print the numbers; 1 when a target is missed."""
    rate = args.rate or settings.kefu_promo_rate_per_s
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        try:
            load_demo_shop(store)
            _synthetic_customers(store, args.customers, args.history_share)
            now = datetime.now(UTC)
            rules = RespectRules(clock_time(0), clock_time(0), weekly_cap=100)  # no quiet hours in a bench
            campaigns = Campaigns(store.db)
            campaign = campaigns.get(campaigns.create(parse_definition(DEFINITION)))
            assert campaign is not None
            campaigns.set_status(campaign.id, "running")
            recommender = build_recommender(store, settings.model_copy(update={"kefu_recommend_refresh_seconds": 0}))
            planner = Planner(campaigns, recommender, Respect(store.db, rules), {"zh": "店", "en": "Shop"}, "en",
                              {"telegram"})
            with tqdm(unit="customer", desc="planning") as bar:
                result = planner.plan(campaign, now, progress=lambda done, total: _advance(bar, done, total))
            plan_ok = result.seconds <= PLAN_TARGET_S
            print(f"planned {result.targeted} targeted customers: {result.planned} messages, "
                  f"skipped {dict(result.skipped)} in {result.seconds:.2f} s "
                  f"(target <= {PLAN_TARGET_S:.0f} s: {'met' if plan_ok else 'MISSED'})")
            achieved = asyncio.run(_dispatch(campaigns, Respect(store.db, rules), rate, args))
        finally:
            store.close()
    rate_ok = achieved >= RATE_TARGET * rate
    print(f"dispatch: {achieved:.2f} msg/s sustained at a configured {rate:g} msg/s = {achieved / rate:.1%} "
          f"(target >= {RATE_TARGET:.0%}: {'met' if rate_ok else 'MISSED'})")
    return 0 if plan_ok and rate_ok else 1


async def _dispatch(campaigns: Campaigns, respect: Respect, rate: float, args: argparse.Namespace) -> float:
    """Dispatch for ``args.dispatch_seconds``; the rate between the first and the last message."""
    channel = FakeChannel(args.latency_ms / 1000)
    dispatcher = Dispatcher(campaigns, {"telegram": channel}, respect, Pacer(PaceSchedule(rate, 1.0)),
                            DispatchConfig(concurrency=max(8, int(rate * args.latency_ms / 1000 * 4))))
    task = asyncio.create_task(dispatcher.run_due())
    await asyncio.sleep(args.dispatch_seconds)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    if len(channel.sent) < 2:
        return 0.0
    return (len(channel.sent) - 1) / (channel.sent[-1] - channel.sent[0])


def _advance(bar: tqdm, done: int, total: int) -> None:
    bar.total = total
    bar.update(done - bar.n)


def _synthetic_customers(store: Store, n: int, history_share: float) -> None:
    """``n`` consenting customers on Telegram, half zh and half en; a few with orders and views."""
    rng = random.Random(7)
    db = store.db
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="seconds")
    first_id = (db.execute("select max(id) from customers").fetchone()[0] or 0) + 1
    products = [r[0] for r in db.execute("select id from products")]
    with db.atomic():
        db["customers"].insert_all(({
            "id": first_id + i, "external_id": f"S{i:06d}", "name": f"Shopper {i}", "language": "zh" if i % 2 else "en",
            "timezone": rng.choice(["Asia/Shanghai", "Europe/London", "America/New_York"]), "marketing_consent": 1,
            "consent_at": stamp, "consent_source": "bench", "unreachable": 0, "created_at": stamp} for i in range(n)),
            batch_size=5000)
        db["identities"].insert_all(({"channel": "telegram", "user_id": str(900_000_000 + i),
                                      "customer_id": first_id + i, "created_at": stamp} for i in range(n)),
                                    batch_size=5000)
        with_history = rng.sample(range(n), int(n * history_share))
        db["events"].insert_all(({"customer_id": first_id + i, "kind": "view", "product_id": rng.choice(products),
                                  "created_at": (now - timedelta(days=rng.randint(1, 30))).isoformat(timespec="seconds")}
                                 for i in with_history), batch_size=5000)
