"""``kefu coupon check|redeem CODE``: coupons at the till, for staff."""
from __future__ import annotations

import argparse
import sys

from bot.app import open_store
from bot.errors import customer_id
from bot.settings import Settings
from core.money import to_cents
from core.promotions.coupons import CouponCheck, Coupons

NAME = "coupon"
HELP = "check or redeem a coupon code"

_REASONS = {"unknown": "no such coupon", "expired": "the coupon has expired", "used": "already used",
            "min_spend": "the order is below the coupon's minimum spend",
            "wrong_customer": "the coupon belongs to another customer",
            "customer_required": "the coupon belongs to a customer: say who with --customer"}


def configure(parser: argparse.ArgumentParser) -> None:
    """check CODE --total; redeem CODE --total --order [--customer] [--yes]."""
    sub = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    for step, text in (("check", "whether a code can be used on an order total"),
                       ("redeem", "use a code for an order (asks to confirm; single use)")):
        p = sub.add_parser(step, help=text)
        p.add_argument("code")
        p.add_argument("--total", required=True, help="order total, e.g. 199.00")
        p.add_argument("--customer", help="the customer's id in the shop (external id)")
        if step == "redeem":
            p.add_argument("--order", required=True, help="the order the coupon is used for")
            p.add_argument("--yes", action="store_true", help="do not ask to confirm")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Check or redeem; exit status 1 when the code cannot be used."""
    try:
        total = to_cents(args.total)
    except ValueError as exc:
        print(f"kefu: --total: {exc}", file=sys.stderr)
        return 2
    store = open_store(settings)
    try:
        customer = customer_id(store, args.customer) if args.customer else None
        coupons = Coupons(store.db)
        check = coupons.check(args.code, total, customer)
        if args.step == "check" or not check.ok:
            return _print(check)
        if not args.yes and input(f"redeem {check.code} for order {args.order} "
                                  f"({check.discount_cents / 100:.2f} off)? [y/N] ").strip().lower() not in ("y", "yes"):
            print("not redeemed")
            return 1
        check = coupons.redeem(args.code, args.order, total, customer)
        if check.ok:
            store.audit.record("staff:cli", "coupon.redeem", f"coupon:{check.code}",
                               {"order_id": args.order, "discount_cents": check.discount_cents})
            print(f"redeemed {check.code} for order {args.order}: {check.discount_cents / 100:.2f} off")
            return 0
        return _print(check)
    finally:
        store.close()


def _print(check: CouponCheck) -> int:
    if check.ok:
        print(f"{check.code}: valid, {check.discount_cents / 100:.2f} off")
        return 0
    print(f"{check.code or 'code'}: {_REASONS[check.reason or 'unknown']}", file=sys.stderr)
    return 1
