"""Flow failures the simulated shopper found (kefu eval simulate), each fixed in the flows and held here
by a short story on the demo shop."""
from __future__ import annotations

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import run_story


@pytest.fixture(scope="module")
def template():
    store = demo_template()
    yield store
    store.close()


def _build(store):
    return build_assistant(store, story_settings())


@pytest.mark.parametrize("language, request_text, correction", [
    ("zh", "我要取消订单#W2322512", "不对，我说的是#W9768499"),
    ("zh", "我要取消订单#W2322512", "不好意思说错了，是#W9768499"),
    ("en", "please cancel order #W2322512", "sorry, I meant #W9768499"),
])
async def test_an_order_number_right_after_a_refusal_is_the_same_task_for_that_order(
        template, language, request_text, correction):
    story = {"story": "correction after a refusal", "language": language, "shopper": "telegram:10021", "turns": [
        {"user": request_text, "reply": ["#W2322512"]},
        {"user": correction, "actions": ["task"], "reply": ["#W9768499"]},
        {"user": "不想要了" if language == "zh" else "I don't need it anymore", "reply": ["#W9768499", "¥259.00"]},
        {"user": "是" if language == "zh" else "yes"},
    ], "expect": {"orders": {"#W9768499": {"status": "cancelled"}, "#W2322512": {"status": "delivered"}},
                  "audit": ["cancel_order"]}}
    result = await run_story(story, template, _build)
    assert result.success, result.problems


async def test_an_order_number_later_on_starts_no_refused_task(template):
    story = {"story": "no stale retry", "language": "en", "shopper": "telegram:10021", "turns": [
        {"user": "please cancel order #W2322512", "reply": ["#W2322512"]},
        {"user": "what is your return policy?"},
        {"user": "#W9768499", "not_reply": ["Why would you like to cancel"]},
    ], "expect": {"orders": {"#W9768499": {"status": "pending"}}, "audit": []}}
    result = await run_story(story, template, _build)
    assert result.success, result.problems
