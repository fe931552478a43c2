"""``kefu eval dialogues [--shop demo|tau] [--stories FILE ...] [--llm BACKEND] [-v]``: plays the scripted dialogues
(stories) against a copy of a shop and reports task success rate and turns per task for each
language. ``demo`` is Kefu's own demo shop; ``tau`` the tau-bench retail shop in ``data/tau-retail``,
imported with Kefu's importer, with its own stories, policy (USD) and clock."""
from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from bot.app import build_assistant
from bot.errors import CommandError
from bot.evals.replies import Recorder, format_reasons
from bot.evals.stories import DEFAULT_NOW, StoryError, StoryResult, load_stories, run_story, summarise
from bot.llm import ModelUnavailable, build_reply_generator, wait_for_model
from bot.settings import Settings, load_settings
from core.assistant import Assistant
from core.demo.loader import load_demo_shop
from core.importing import ImportReport, import_file
from core.reply.llm import LLMReplyGenerator
from core.store import Store

TOPIC = "dialogues"
HELP = "scripted multi-turn stories (zh and en): task success rate and turns per task"
TARGET_SUCCESS = 0.95
TAU_DATA = Path(__file__).resolve().parents[2] / "data" / "tau-retail"
TAU_FILES = (("products", "products.json"), ("customers", "users.json"), ("orders", "orders.json"))
STORIES_DATA = Path(__file__).resolve().parent / "data" / "stories"


def load_tau_shop(store: Store) -> dict[str, ImportReport]:
    """Import the tau-bench retail shop (products, users, orders) with the ``tau`` format."""
    return {kind: import_file(store, kind, TAU_DATA / name, fmt="tau") for kind, name in TAU_FILES}


@dataclass(frozen=True)
class StoryShop:
    """A shop stories play on: what fills its store, its story files (None: the shipped demo
    stories), its policy file (None: the demo policy) and the clock its stories default to."""

    load: Callable[[Store], dict[str, ImportReport]]
    stories: tuple[Path, ...] | None = None
    policy: Path | None = None
    now: str = DEFAULT_NOW


SHOPS = {
    "demo": StoryShop(load_demo_shop),
    # tau orders have no dates: the importer dates them all 2024-01-01, so the clock is two weeks on
    "tau": StoryShop(load_tau_shop, (STORIES_DATA / "tau_en.yml", STORIES_DATA / "tau_zh.yml"),
                     STORIES_DATA / "tau_policy.yaml", "2024-01-15T10:00:00+00:00"),
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: the shop, story files (default: the shop's), the reply generator and verbosity."""
    parser.add_argument("--shop", choices=sorted(SHOPS), default="demo",
                        help="demo: Kefu's demo shop; tau: the tau-bench retail shop imported from data/tau-retail")
    parser.add_argument("--stories", type=Path, nargs="*", help="story YAML files (default: the shop's stories)")
    parser.add_argument("--llm", choices=get_args(Settings.model_fields["kefu_llm_backend"].annotation),
                        default="templates", help="who phrases replies (default: templates; auto: the embedded model)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print why each failed story failed")


def story_settings(shop: str = "demo", **overrides: object) -> Settings:
    """Settings for stories: template replies, lexical knowledge search, no background refresh, the
    shop's policy file; ``overrides`` are further settings (e.g. ``kefu_llm_backend="auto"``)."""
    values = {"kefu_load_demo_shop": False, "kefu_db_path": ":memory:", "kefu_llm_backend": "templates",
              "kefu_kb_retrieval": "lexical", "kefu_recommend_refresh_seconds": 0, "kefu_rate_limit_messages": 0,
              "kefu_shop_policy_path": SHOPS[shop].policy, **overrides}
    return load_settings(env_file=None, **values)


def shop_template(shop: str = "demo") -> Store:
    """An in-memory copy of the shop that each story copies."""
    store = Store(":memory:")
    SHOPS[shop].load(store)
    return store


def demo_template() -> Store:
    """An in-memory demo shop that each story copies."""
    return shop_template("demo")


async def run_all(paths: list[Path] | None = None, shop: str = "demo",
                  settings: Settings | None = None) -> list[StoryResult]:
    """Every story's result, in file order (:class:`StoryError` before any work for a bad story file). With
    a language model in ``settings`` (``kefu_llm_backend``), one reply generator phrases every story's replies,
    the model loaded (and waited for) first."""
    spec = SHOPS[shop]
    stories = load_stories(paths or (list(spec.stories) if spec.stories else None))
    settings = settings or story_settings(shop)
    template = shop_template(shop)
    generator = None
    if settings.kefu_llm_backend != "templates":
        generator = Recorder(build_reply_generator(settings, template))
        await wait_for_model(generator.inner, sys.stderr)

    def build(store: Store) -> Assistant:
        return build_assistant(store, settings, generator=generator)

    try:
        return [await run_story(story, template, build, spec.now) for story in stories]
    finally:
        template.close()
        if generator is not None:
            print_phrasing(generator)
            if isinstance(generator.inner, LLMReplyGenerator):
                await generator.inner.close()


def print_phrasing(recorder: Recorder) -> None:
    """How many of the stories' replies the model phrased, and why the others went out as templates."""
    outcomes = [r.outcome for r in recorder.rendered if r.outcome is not None]
    reasons = Counter(o.reason for o in outcomes if o.reason)
    print(f"replies: {len(recorder.rendered)}; the model's to phrase: {sum(o.asked for o in outcomes)}; phrased by "
          f"the model: {sum(o.used_model for o in outcomes)}; template fallbacks by reason: {format_reasons(reasons)}")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the per-language table; exit status 1 when a language is below the target."""
    try:
        results = asyncio.run(run_all(args.stories or None, args.shop,
                                      story_settings(args.shop, kefu_llm_backend=args.llm)))
    except (StoryError, ModelUnavailable) as exc:
        raise CommandError(str(exc)) from None
    summary = summarise(results)
    print(f"{'language':<9}{'stories':>8}{'success':>9}{'turns/task':>12}")
    for language, row in summary.items():
        print(f"{language:<9}{row['stories']:>8}{row['success_rate']:>9.1%}{row['turns_per_task']:>12.1f}")
    print("\nper task (language, task: stories, success, turns)")
    for language, row in summary.items():
        for task, numbers in row["tasks"].items():
            print(f"  {language} {task:<16}{numbers['stories']:>3}{numbers['success_rate']:>8.0%}{numbers['turns']:>6.1f}")
    failed = [r for r in results if not r.success]
    for result in failed:
        print(f"FAILED [{result.language}] {result.name}")
        if args.verbose:
            for problem in result.problems:
                print(f"    {problem}")
    return 0 if all(row["success_rate"] >= TARGET_SUCCESS for row in summary.values()) else 1
