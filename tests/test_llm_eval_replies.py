"""``kefu eval replies``: BLEU / ROUGE-L against reference replies, and the grounding counts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evals.replies import REFERENCES, Case, CaseResult, evaluate, read_cases, rouge_l_f1, score
from bot.settings import load_settings
from tests.fakes.openai_api import FakeOpenAIAPI
from tests.helpers import run_kefu

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores


def _settings(**overrides):
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                         kefu_kb_retrieval="lexical", **{"kefu_llm_backend": "templates", **overrides})


def test_identical_replies_score_100_and_unrelated_ones_near_0() -> None:
    same = [CaseResult(Case("a", "en", "q", "Your parcel ships within 48 hours."), "Your parcel ships within 48 hours.", 0.1),
            CaseResult(Case("b", "zh", "q", "订单付款后48小时内发货。"), "订单付款后48小时内发货。", 0.1)]
    report = score(same)
    assert report.bleu == pytest.approx({"en": 100.0, "zh": 100.0})
    assert report.rouge_l == pytest.approx({"en": 100.0, "zh": 100.0})
    other = score([CaseResult(Case("a", "en", "q", "Your parcel ships within 48 hours."), "Hello, how are you?", 0.1)])
    assert other.bleu["en"] < 10 and other.rouge_l["en"] < 20


def test_chinese_rouge_counts_characters() -> None:
    # no spaces: a word-level ROUGE would see one token each and score 0
    score_ = rouge_l_f1(["订单付款后两天内发货"], ["订单付款后48小时内发货"], "zh")
    assert 50 < score_ < 100


def test_the_shipped_references_cover_both_languages() -> None:
    cases = read_cases(REFERENCES)
    assert {c.language for c in cases} == {"zh", "en"} and len({c.id for c in cases}) == len(cases)


async def test_template_replies_are_scored_against_the_references() -> None:
    report = await evaluate(read_cases(REFERENCES), _settings())
    assert len(report.results) == len(read_cases(REFERENCES))
    for language in ("zh", "en"):
        assert 0 < report.bleu[language] < 100 and 0 < report.rouge_l[language] < 100
    assert report.language_match == pytest.approx(
        sum(r.case.language == ("zh" if any("\u4e00" <= ch <= "\u9fff" for ch in r.reply) else "en")
            for r in report.results) / len(report.results))
    assert report.model_replies == 0 and report.rate(report.refused) is None


async def test_refused_model_replies_are_counted_and_none_reach_the_shopper(tmp_path: Path) -> None:
    cases = [c for c in read_cases(REFERENCES) if c.id in {"returns-en", "track-en", "payment-zh", "hours-en"}]
    api = FakeOpenAIAPI()
    await api.start()
    try:
        # two fabrications first, then the fake echoes each draft (grounded by construction)
        api.reply_with("We will refund you in full and send you a coupon!", "订单已发货，明天送达，并赠送优惠券。")
        report = await evaluate(cases, _settings(kefu_llm_backend="openai", kefu_llm_api_base_url=api.base_url,
                                                 kefu_llm_api_model="fake", kefu_llm_send_personal_data=True,
                                                 kefu_llm_phrase="all"))
    finally:
        await api.stop()
    assert report.model_replies == report.replies == sum(len(r.rendered) for r in report.results) >= len(cases)
    assert report.refused == 2 and report.fallbacks == {"commitment": 1, "language": 1}
    assert report.phrased == report.replies - 2
    assert report.reached_shopper == 0
    first = report.results[0]
    assert "coupon" not in first.reply and first.rendered[0].outcome.violations


@pytest.mark.slow
def test_kefu_eval_replies_prints_the_numbers(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"id": "hi", "language": "en", "text": "hi", "reference": "Hello! How can I help?"},
        {"id": "ni", "language": "zh", "text": "你好", "reference": "您好！请问有什么可以帮您？"}]), encoding="utf-8")
    done = run_kefu(tmp_path, "eval", "replies", str(cases), KEFU_KB_RETRIEVAL="lexical")
    assert done.returncode == 0, done.stderr
    assert "zh: BLEU" in done.stdout and "en: BLEU" in done.stdout and "language match: 100.0%" in done.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "language": "fr", "text": "salut", "reference": "bonjour"}\n', encoding="utf-8")
    refused = run_kefu(tmp_path, "eval", "replies", str(bad))
    assert refused.returncode == 2 and "language must be zh or en" in refused.stdout


async def test_streamed_replies_are_scored_on_their_final_text_and_none_reach_the_shopper() -> None:
    cases = [c for c in read_cases(REFERENCES) if c.id in {"returns-en", "track-en", "payment-zh", "hours-en"}]
    api = FakeOpenAIAPI()
    await api.start()
    try:  # one invented sentence after a good one, then the fake streams each draft back
        api.reply_with("Sure! We will refund you in full and send you a coupon.")
        report = await evaluate(cases, _settings(kefu_llm_backend="openai", kefu_llm_api_base_url=api.base_url,
                                                 kefu_llm_api_model="fake", kefu_llm_send_personal_data=True,
                                                 kefu_llm_phrase="all"), stream=True)
    finally:
        await api.stop()
    assert all(request["stream"] for request in api.requests)
    assert report.partly == 1 and report.fallbacks == {"commitment": 1} and report.reached_shopper == 0
    assert report.phrased == report.replies - 1
    first = report.results[0]
    assert first.reply.startswith("Sure!") and "coupon" not in first.reply
    assert first.reply.removeprefix("Sure! ") == first.rendered[0].outcome.draft  # the template's remainder
