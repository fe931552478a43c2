"""``kefu eval simulate [--store DB | --shop demo|tau] [--k N] [--seed S] [--flows a,b] [--lang zh|en]
[--tasks N] [--llm BACKEND] [-v]``: tasks from the shop's data, played by the simulated shopper k times
each; pass^1 and pass^k per flow and language; failing transcripts in var/eval/simulate/."""
from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import get_args

from bot.app import build_assistant
from bot.errors import CommandError
from bot.evals.dialogues import SHOPS, shop_template, story_settings
from bot.evals.simulate.report import table, write_failures
from bot.evals.simulate.runner import Run, play_all
from bot.evals.simulate.tasks import FLOWS, LANGUAGES, generate_tasks
from bot.llm import ModelUnavailable, build_reply_generator, wait_for_model
from bot.settings import Settings
from core import clock
from core.assistant import Assistant
from core.shop.aftersales import ShopPolicy
from core.store import Store

TOPIC = "simulate"
HELP = "a simulated shopper plays tasks generated from the shop's data: pass^1 and pass^k per flow and language"
FAILURES = Path("var/eval/simulate")


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: the shop (or a store file), k, seed, flows, language, tasks per flow, the reply generator."""
    parser.add_argument("--shop", choices=sorted(SHOPS), default="demo")
    parser.add_argument("--store", type=Path, help="a Kefu store file to generate tasks from (instead of --shop)")
    parser.add_argument("--k", type=int, default=2, help="runs per task, each with another seed (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flows", default=",".join(FLOWS), help=f"comma-separated, of {','.join(FLOWS)}")
    parser.add_argument("--lang", choices=LANGUAGES, help="only this language (default both)")
    parser.add_argument("--tasks", type=int, default=2, help="tasks per flow, outcome and language (default 2)")
    parser.add_argument("--llm", choices=get_args(Settings.model_fields["kefu_llm_backend"].annotation),
                        default="templates")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failed run's problems")


async def simulate(args: argparse.Namespace) -> list[Run]:
    """Generate the tasks and play them."""
    shop = "demo" if args.store else args.shop
    settings = story_settings(shop, kefu_llm_backend=args.llm)
    if args.store:
        if not args.store.is_file():
            raise CommandError(f"{args.store}: no such store file")
        template, now = Store(str(args.store)), clock.utc_now().isoformat()
    else:
        template, now = shop_template(shop), SHOPS[shop].now
    flows = tuple(f for f in args.flows.split(",") if f)
    if set(flows) - set(FLOWS) or args.k < 1 or args.tasks < 1:
        raise CommandError(f"flows must be of {', '.join(FLOWS)}; --k and --tasks at least 1")
    generator = build_reply_generator(settings, template)  # one for every run (a model loads once)
    if settings.kefu_llm_backend != "templates":
        await wait_for_model(generator, sys.stderr)

    def build(store: Store) -> Assistant:
        return build_assistant(store, settings, generator=generator)

    try:
        tasks = generate_tasks(template, ShopPolicy.load(settings.kefu_shop_policy_path),
                               datetime.fromisoformat(now).date(), args.tasks, flows,
                               (args.lang,) if args.lang else LANGUAGES, args.seed)
        return await play_all(tasks, args.k, args.seed, template, build, now)
    finally:
        template.close()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the table and write the failing transcripts; exit status 1 when any run failed."""
    try:
        runs = asyncio.run(simulate(args))
    except ModelUnavailable as exc:
        raise CommandError(str(exc)) from None
    print("\n".join(table(runs)))
    paths = write_failures(runs, FAILURES)
    for failed in (r for r in runs if not r.success):
        print(f"FAILED [{failed.task.lang}] {failed.task.name} seed {failed.seed}")
        if args.verbose:
            for problem in failed.problems:
                print(f"    {problem}")
    if paths:
        print(f"{len(paths)} failing transcripts in {FAILURES}/")
    return 0 if not paths else 1
