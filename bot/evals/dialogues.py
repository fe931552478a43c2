"""``kefu eval dialogues [--stories FILE ...] [-v]``: plays the scripted dialogues (stories) against a
copy of the demo shop and reports task success rate and turns per task for each language."""
from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

from bot.app import build_assistant
from bot.errors import CommandError
from bot.evals.replies import Recorder, format_reasons
from bot.llm import ModelUnavailable, build_reply_generator, wait_for_model
from bot.settings import Settings, load_settings
from core.assistant import Assistant
from core.demo.loader import load_demo_shop
from core.dialogue.stories import StoryError, StoryResult, load_stories, run_story, summarise
from core.reply.llm import LLMReplyGenerator
from core.store import Store

TOPIC = "dialogues"
HELP = "scripted multi-turn stories (zh and en): task success rate and turns per task"
TARGET_SUCCESS = 0.95


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: story files (default: the shipped ones) and verbosity."""
    parser.add_argument("--stories", type=Path, nargs="*", help="story YAML files (default: core/dialogue/stories)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print why each failed story failed")
    parser.add_argument("--with-model", action="store_true", help="phrase replies with the configured language "
                        "model (KEFU_LLM_*; loaded once, waited for) instead of templates")


def story_settings() -> Settings:
    """Settings for stories: template replies, lexical knowledge search, no background refresh."""
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                         kefu_llm_backend="templates", kefu_kb_retrieval="lexical",
                         kefu_recommend_refresh_seconds=0, kefu_rate_limit_messages=0)


def demo_template() -> Store:
    """An in-memory demo shop that each story copies."""
    store = Store(":memory:")
    load_demo_shop(store)
    return store


async def run_all(paths: list[Path] | None = None, model: Settings | None = None) -> list[StoryResult]:
    """Every story's result, in file order (:class:`StoryError` before any work for a bad story file);
    with ``model``, its reply generator (one, shared by the stories) phrases the replies."""
    stories = load_stories(paths)
    settings = story_settings()
    template = demo_template()
    generator = Recorder(build_reply_generator(model, template)) if model else None
    if generator is not None:
        await wait_for_model(generator.inner, sys.stderr)

    def build(store: Store) -> Assistant:
        assistant = build_assistant(store, settings)
        if generator is not None:
            assistant.components.generator = generator
        return assistant

    try:
        return [await run_story(story, template, build) for story in stories]
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
        results = asyncio.run(run_all(args.stories or None, settings if args.with_model else None))
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
