"""``kefu campaign create|list|preview|start|pause|report``: promotions for staff."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import build_recommender, open_store
from bot.arguments import positive_int
from bot.promotions import build_planner
from bot.settings import Settings
from core.clock import utc_now
from core.money import format_price
from core.promotions.campaigns import Campaign, Campaigns
from core.promotions.definition import DefinitionError, load_definition
from core.promotions.report import campaign_report, write_chart
from core.store import Store

NAME = "campaign"
HELP = "create, preview, start, pause and report promotion campaigns"


def configure(parser: argparse.ArgumentParser) -> None:
    """One sub-command per step."""
    sub = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    create = sub.add_parser("create", help="store a campaign from a YAML file (- for stdin) as a draft")
    create.add_argument("file")
    sub.add_parser("list", help="every campaign with its status and counts")
    preview = sub.add_parser("preview", help="what sample customers would receive (nothing is stored)")
    preview.add_argument("id", type=int)
    preview.add_argument("-n", "--sample", type=positive_int, default=3, help="how many customers (default: 3)")
    start = sub.add_parser("start", help="run it: the bot plans it on its schedule and sends it")
    start.add_argument("id", type=int)
    start.add_argument("--now", action="store_true", help="plan it here and now (the bot sends it)")
    pause = sub.add_parser("pause", help="stop sending (what is planned waits until it is started again)")
    pause.add_argument("id", type=int)
    report = sub.add_parser("report", help="targeted, sent, failed, skipped, redeemed, revenue; and a PNG chart")
    report.add_argument("id", type=int)
    report.add_argument("--chart", type=Path, help="PNG path (default: var/reports/campaign-ID.png)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out the step."""
    store = open_store(settings)
    try:
        campaigns = Campaigns(store.db)
        if args.step == "create":
            return _create(campaigns, args.file)
        if args.step == "list":
            return _list(campaigns)
        campaign = campaigns.get(args.id)
        if campaign is None:
            print(f"kefu: no campaign {args.id}", file=sys.stderr)
            return 1
        if args.step == "preview":
            return _preview(store, settings, campaign, args.sample)
        if args.step == "start":
            return _start(store, settings, campaigns, campaign, args.now)
        if args.step == "pause":
            campaigns.set_status(campaign.id, "paused")
            store.audit.record("staff:cli", "campaign.pause", f"campaign:{campaign.id}")
            print(f"campaign {campaign.id} paused")
            return 0
        return _report(store, campaign, args.chart or Path("var/reports") / f"campaign-{campaign.id}.png")
    finally:
        store.close()


def _create(campaigns: Campaigns, file: str) -> int:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        definition = load_definition(text)
    except (OSError, UnicodeDecodeError, DefinitionError) as exc:
        print(f"kefu: {exc}", file=sys.stderr)
        return 1
    campaign_id = campaigns.create(definition)
    print(f"campaign {campaign_id} created (draft): {definition.name}")
    return 0


def _list(campaigns: Campaigns) -> int:
    rows = campaigns.all()
    if not rows:
        print("no campaigns")
        return 0
    print(f"{'id':>4}  {'status':<8} {'kind':<16} {'sent':>7} {'pending':>7}  name")
    for c in rows:
        counts = campaigns.status_counts(c.id)
        kind = c.definition.trigger.kind if c.definition.trigger else (
            "cron" if c.definition.schedule.cron else "local time" if c.definition.schedule.local_time else "once")
        pending = counts.get("pending", 0) + counts.get("sending", 0)
        print(f"{c.id:>4}  {c.status:<8} {kind:<16} {counts.get('sent', 0):>7} {pending:>7}  {c.name}")
    return 0


def _preview(store: Store, settings: Settings, campaign: Campaign, sample: int) -> int:
    planner = build_planner(store, build_recommender(store, settings), settings)
    previews = planner.preview(campaign, utc_now(), sample)
    if not previews:
        print("no customer is in this campaign's segment")
    for p in previews:
        status = f"skipped: {p.skipped}" if p.skipped else f"via {p.channel}"
        print(f"── customer {p.customer_id} {p.name or ''} [{p.language}] ({status})")
        print(p.text)
        print()
    return 0


def _start(store: Store, settings: Settings, campaigns: Campaigns, campaign: Campaign, now: bool) -> int:
    campaigns.set_status(campaign.id, "running")
    store.audit.record("staff:cli", "campaign.start", f"campaign:{campaign.id}")
    if not now:
        print(f"campaign {campaign.id} running: `kefu run` plans it on its schedule "
              f"(within {settings.kefu_promo_sync_seconds:g} s) and sends it")
        return 0
    if campaign.definition.is_journey:
        print("kefu: a triggered journey is planned by the bot when its trigger fires; --now is for campaigns",
              file=sys.stderr)
        return 1
    planner = build_planner(store, build_recommender(store, settings), settings)
    when = utc_now()
    result = planner.plan(campaign, when)
    campaigns.mark_planned(campaign.id, when)
    skipped = ", ".join(f"{n} {r}" for r, n in sorted(result.skipped.items())) or "none"
    print(f"campaign {campaign.id} planned: {result.targeted} targeted, {result.planned} to send, skipped: {skipped}")
    return 0


def _report(store: Store, campaign: Campaign, chart: Path) -> int:
    report = campaign_report(store.db, campaign.id, campaign.name)
    currency = campaign.definition.coupon.currency if campaign.definition.coupon else "CNY"
    rows = [("targeted", report.targeted), ("sent", report.sent), ("failed", report.failed),
            ("pending", report.pending),
            *((f"skipped: {reason}", n) for reason, n in sorted(report.skipped.items())),
            *((f"failed: {reason}", n) for reason, n in sorted(report.failures.items())),
            ("coupons issued", report.coupons_issued), ("coupons redeemed", report.coupons_redeemed),
            ("revenue attributed", format_price(report.revenue_cents, currency)),
            ("discount given", format_price(report.discount_cents, currency))]
    print(f"campaign {campaign.id}: {campaign.name} ({campaign.status})")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>12}")
    print(f"chart: {write_chart(report, chart)}")
    return 0
