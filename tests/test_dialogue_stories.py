"""The scripted stories (bot/evals/data/stories/demo/*.yml) as tests: each story a test, and the targets of
issue 4 over all of them (>= 95% task success per language)."""
from __future__ import annotations

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import load_stories, run_story, summarise
from core.store import Store

STORIES = load_stories()


@pytest.fixture(scope="module")
def template():
    store = demo_template()
    yield store
    store.close()


def _build(store: Store):
    return build_assistant(store, story_settings())


def test_there_are_stories_in_both_languages_for_every_flow():
    tasks = {(s["language"], s.get("task")) for s in STORIES}
    for language in ("zh", "en"):
        for task in ("track_order", "cancel_order", "change_address", "change_items", "return_items", "exchange",
                     "product_search", "multi_intent", "abandon", "handoff", "security", "invoice"):
            assert (language, task) in tasks, (language, task)


@pytest.mark.parametrize("story", STORIES, ids=[f"{s['language']}-{s['story']}" for s in STORIES])
async def test_story(story, template):
    result = await run_story(story, template, _build)
    assert result.success, "\n".join(result.problems)


async def test_a_story_that_expects_the_wrong_thing_fails(template):
    """The runner can fail: a story expecting a change that does not happen is reported."""
    story = {"story": "wrong", "language": "en", "shopper": "telegram:10008",
             "turns": [{"user": "cancel order W6697500 because reasons", "reply": ["cancelled"]}],
             "expect": {"orders": {"#W6697500": {"status": "cancelled"}}, "audit": ["cancel_order"]}}
    result = await run_story(story, template, _build)
    assert not result.success
    assert any("reply lacks" in p for p in result.problems)
    assert any("status is 'pending'" in p for p in result.problems)


def test_summary_counts_success_and_turns_per_language():
    from bot.evals.stories import StoryResult

    results = [StoryResult("a", "en", "t", 3), StoryResult("b", "en", "t", 1, ["x"]), StoryResult("c", "zh", "u", 2)]
    summary = summarise(results)
    assert summary["en"]["success_rate"] == 0.5 and summary["en"]["turns_per_task"] == 2
    assert summary["zh"]["tasks"]["u"] == {"stories": 1, "success_rate": 1.0, "turns": 2}
