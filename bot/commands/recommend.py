"""``kefu recommend --customer C001 [--trace]``: the picks for one shopper, with the reasons the
shopper sees and (``--trace``) the full score trace staff can read."""
from __future__ import annotations

import argparse
import json

from bot.app import build_recommender, open_store
from bot.arguments import non_negative_float, positive_int
from bot.errors import customer_id
from bot.settings import Settings
from core.i18n import t
from core.reply.templates import localise
from core.store import ProductQuery

NAME = "recommend"
HELP = "show a shopper's recommendations and why (--trace: every score component)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Who, within which constraints, and how much to show."""
    parser.add_argument("--customer", help="customer id as imported (e.g. C001); omitted: a new shopper")
    parser.add_argument("--like", metavar="PRODUCT", help="more like this product instead")
    parser.add_argument("--category", help="category id, e.g. dresses")
    parser.add_argument("--color", help="colour, e.g. red")
    parser.add_argument("--size", help="size, e.g. M")
    parser.add_argument("--min-price", type=non_negative_float, help="lowest price (in the shop's currency)")
    parser.add_argument("--max-price", type=non_negative_float, help="highest price")
    parser.add_argument("-k", type=positive_int, default=5, help="how many (default: 5)")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the reasons")
    parser.add_argument("--trace", action="store_true", help="print the full trace as JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print one line per pick (or the JSON trace)."""
    store = open_store(settings)
    try:
        shopper = customer_id(store, args.customer) if args.customer else None
        recommender = build_recommender(store, settings.model_copy(update={"kefu_recommend_refresh_seconds": 0}))
        options = {k: v for k, v in (("color", args.color), ("size", args.size)) if v}
        query = ProductQuery(category=args.category, options=options,
                             min_price_cents=round(args.min_price * 100) if args.min_price is not None else None,
                             max_price_cents=round(args.max_price * 100) if args.max_price is not None else None)
        if args.trace:
            trace = recommender.trace(shopper, query, k=args.k, like=args.like)
            print(json.dumps(trace, ensure_ascii=False, indent=2, default=str))
            return 0
        picks = (recommender.similar(args.like, shopper, k=args.k) if args.like
                 else recommender.recommend(shopper, query, k=args.k))
        for pick in picks:
            product = pick.hit.product
            title = product["title_zh"] if args.lang == "zh" else product["title_en"]
            reason = t(pick.reason, args.lang, **localise(pick.reason_facts, args.lang))
            print(f"{product['id']}  {title}  ({pick.score:.3f})  {reason}")
        if not picks:
            print(t("recommend_none", args.lang))
        return 0
    finally:
        store.close()
