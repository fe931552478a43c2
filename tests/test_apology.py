"""The assistant apologises only for a bad experience the shopper reports (issue #20), and the same
request comes to the same kind of outcome in zh and en: the project's own requests, each run through
the assistant on the demo shop (bot/evals/outcomes.py)."""
from __future__ import annotations

import pytest

from bot.cli import main
from bot.evals import apology
from bot.evals.apology import EXTERNAL
from bot.evals.outcomes import apologised_to, demo_assistant, pair_outcomes, read_pairs, request_lines
from bot.evals.sentiment_data import Example, read_tsv
from core.turn import TurnResult, outcome_of

PARITY_FLOOR = 0.9  # measured 36/42 before the parity fixes of #20, 38/42 after
EXTERNAL_PARITY_FLOOR = 0.96  # the external pairs: 48/50 before, 50/50 after


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
    external = await pair_outcomes(demo, read_pairs(EXTERNAL / "parity.tsv"))
    assert len(external) == 50 and sum(r.same for r in external) / len(external) >= EXTERNAL_PARITY_FLOOR


def test_a_handoff_anywhere_in_the_turn_is_the_outcome():
    assert TurnResult([], "en", templates=("faq_answer", "handoff")).outcome == "handed_off"
    assert TurnResult([], "en", templates=("search_results_type",)).outcome == "product_cards"
    assert TurnResult([], "en").outcome == "none"


def test_template_kinds():
    assert outcome_of("need_identity_chat") == "verify"
    assert outcome_of("order_status") == "order_status"
    assert outcome_of("clarify") == "clarify"
    assert outcome_of("greet") == "chat"


# -- the apology section of kefu eval sentiment ----------------------------------------------------
def test_a_text_label_file_is_read_by_its_header(tmp_path):
    examples = read_tsv(EXTERNAL / "neutral_en.tsv", "en")
    assert len(examples) == 90 and {e.label for e in examples} == {"neutral", "negative"}
    assert examples[0].text == "I need an invoice for last month's order" and examples[0].lang == "en"
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tlabel\nhello\tfriendly\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:2: expected 'text<TAB>label'"):
        read_tsv(bad, "en")
    without_header = tmp_path / "plain.tsv"
    without_header.write_text("hello\tneutral\n", encoding="utf-8")
    with pytest.raises(ValueError, match="or a first line 'text<TAB>label'"):
        read_tsv(without_header, "en")


def test_request_sets_split_by_language_and_kind():
    sets = apology.examples_sets("mine", [Example("hi", "en", "neutral"), Example("broken!", "en", "negative"),
                                          Example("好评", "zh", "positive"), Example("坏了", "zh", "negative")])
    assert [(s.lang, s.kind, s.texts) for s in sets] == [("en", "neutral", ["hi"]), ("en", "negative", ["broken!"]),
                                                         ("zh", "negative", ["坏了"])]
    assert {(s.name, s.lang, s.kind) for s in apology.default_sets()} == {
        (name, lang, kind) for name in ("own", "external") for lang in ("zh", "en") for kind in ("neutral", "negative")}


def test_a_report_line_says_the_clean_share_against_the_goal():
    neutral = apology.RequestSet("own", "zh", "neutral", ["a"] * 60)
    assert apology.ApologyCount(neutral, 1).line() == "apology own zh neutral: 1/60 apologised, 98.3% clean (goal >= 97%: ok)"
    assert apology.ApologyCount(neutral, 3).line().endswith("95.0% clean (goal >= 97%: below the goal)")
    negative = apology.RequestSet("own", "en", "negative", ["b"] * 30)
    assert apology.ApologyCount(negative, 28).line() == "apology own en negative: 28/30 apologised (93.3%)"


def test_eval_sentiment_counts_apologies_in_a_text_label_file(tmp_path, capsys):
    data = tmp_path / "requests.tsv"
    data.write_text("text\tlabel\nwhat's your customer service number\tneutral\n"
                    "what terrible quality, it broke on day one and I'm furious\tnegative\n", encoding="utf-8")
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "sentiment", str(data), "--lang", "en",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "requests en: n=2 accuracy=" in out
    assert "apology requests en neutral: 0/1 apologised, 100.0% clean" in out
    assert "apology requests en negative: 1/1 apologised" in out
