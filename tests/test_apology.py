"""The assistant apologises only for a bad experience the shopper reports (issue #20), and the same
request comes to the same kind of outcome in zh and en: the project's own requests, each run through
the assistant on the demo shop (bot/evals/outcomes.py)."""
from __future__ import annotations

import pytest

from bot.evals.outcomes import apologised_to, demo_assistant, pair_outcomes, read_pairs, request_lines
from core.turn import TurnResult, outcome_of

PARITY_FLOOR = 0.85  # measured 36/42 before the fixes of this branch


@pytest.fixture(scope="module")
def demo():
    return demo_assistant()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_neutral_requests_get_no_apology(demo, lang):
    assert len(await apologised_to(demo, "neutral", lang)) <= 0.03 * len(request_lines("neutral", lang))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_negative_experiences_still_get_one(demo, lang):
    assert len(await apologised_to(demo, "negative", lang)) >= 0.9 * len(request_lines("negative", lang))


@pytest.mark.slow
async def test_paired_requests_come_to_the_same_outcome(demo):
    results = await pair_outcomes(demo, read_pairs())
    assert len(results) >= 40
    assert sum(r.same for r in results) / len(results) >= PARITY_FLOOR


def test_a_handoff_anywhere_in_the_turn_is_the_outcome():
    assert TurnResult([], "en", templates=("faq_answer", "handoff")).outcome == "handed_off"
    assert TurnResult([], "en", templates=("search_results_type",)).outcome == "product_cards"
    assert TurnResult([], "en").outcome == "none"


def test_template_kinds():
    assert outcome_of("need_identity_chat") == "verify"
    assert outcome_of("order_status") == "order_status"
    assert outcome_of("clarify") == "clarify"
    assert outcome_of("greet") == "chat"
