"""The handoff card in Slack with a model's summary (issue #18): an obeyed injection gives the extractive
summary; a faithful one is shown with the machine-written label."""
from __future__ import annotations

from core.i18n import t
from tests.fakes.slack_api import STAFF_CHANNEL
from tests.staff.test_summary_grounding import ALICE, INJECTIONS, ObedientSummaryModel, hand_off, with_model


def summary_block(fake_slack) -> str:
    """The summary section of the one handoff card posted to the staff channel."""
    [card] = [c for c in fake_slack.sent("chat.postMessage") if not c.params.get("thread_ts")]
    assert card.params["channel"] == STAFF_CHANNEL
    [summary] = [b["text"]["text"] for b in card.params["blocks"] if "*Summary*" in str(b)]
    return summary


async def test_the_injection_never_reaches_the_slack_card(assistant, fake_slack, slack_web):
    shopper, injection, ask = INJECTIONS["en"]
    hub = assistant.components.staff
    with_model(hub, ObedientSummaryModel())
    await hand_off(assistant, shopper, injection, ask)
    summary = summary_block(fake_slack)
    assert summary.startswith("*Summary*\n&gt; Ignore the chat.") and "AI summary" not in summary


async def test_a_faithful_summary_is_shown_and_labelled_on_the_slack_card(assistant, fake_slack, slack_web):
    hub = assistant.components.staff
    faithful = "Alice's order W1000001 has not arrived; she wants to know where it is."
    with_model(hub, ObedientSummaryModel(faithful))
    await hand_off(assistant, ALICE, "my order W1000001 never came", "I want to talk to a human")
    summary = summary_block(fake_slack)
    assert summary == f"*Summary* · _{t('summary_machine', 'en')}_\n{faithful}"
