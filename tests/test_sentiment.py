"""The sentiment analyser (zh and en): polarity, negation, intensifiers, emoji, punctuation, sarcasm,
neutral questions, emotions; mood smoothing; the eval command."""
from __future__ import annotations

import json

import pytest

from bot.cli import main
from core.sentiment.features import featurise, normalise, polar_cues
from core.sentiment.linear import LinearSentiment
from core.sentiment.mood import mood_label, smooth

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


@pytest.fixture(scope="module")
def analyzer() -> LinearSentiment:
    return LinearSentiment()


@pytest.mark.parametrize(("text", "lang"), [
    ("这个有蓝色的吗", "zh"), ("请问几天能到北京？", "zh"), ("我想退货", "zh"), ("有没有便宜一点的耳机", "zh"),
    ("Do you have this in blue?", "en"), ("how long does shipping to Berlin take", "en"),
    ("I'd like to return this", "en"), ("what sizes does the jacket come in?", "en"),
])
def test_plain_questions_and_requests_are_neutral(analyzer, text, lang):
    result = analyzer.score(text, lang)
    assert result.polarity == "neutral", result
    assert not result.has("angry") and not result.has("satisfied")


@pytest.mark.parametrize(("text", "lang", "polarity"), [
    ("不是很满意", "zh", "negative"), ("一点也不好用", "zh", "negative"), ("没有让我失望，很好", "zh", "positive"),
    ("not very happy with it", "en", "negative"), ("I don't like it", "en", "negative"),
    ("not disappointed at all, it's great", "en", "positive"),
])
def test_negation_flips_polarity(analyzer, text, lang, polarity):
    assert analyzer.score(text, lang).polarity == polarity


def test_negation_and_intensifiers_in_cue_counts():
    assert polar_cues(normalise("不是很满意"), "zh").negated_positive == 1.5  # negated and intensified
    assert polar_cues(normalise("满意"), "zh").positive == 1.0
    assert polar_cues(normalise("一点也不失望"), "zh").negated_negative > 0
    assert polar_cues(normalise("not very good"), "en").negated_positive == 1.5
    assert polar_cues(normalise("good"), "en").positive == 1.0


@pytest.mark.parametrize(("weak", "strong", "lang"), [
    ("满意", "非常非常满意", "zh"), ("失望", "太失望了", "zh"), ("good", "really really good", "en"),
    ("disappointed", "extremely disappointed", "en"),
])
def test_intensifiers_strengthen_the_score(analyzer, weak, strong, lang):
    assert abs(analyzer.score(strong, lang).score) >= abs(analyzer.score(weak, lang).score)


@pytest.mark.parametrize(("text", "lang", "polarity"), [
    ("收到了😊👍", "zh", "positive"), ("包装破了😡", "zh", "negative"),
    ("arrived today 😍", "en", "positive"), ("box was crushed 😡😡", "en", "negative"),
])
def test_emoji_carry_sentiment(analyzer, text, lang, polarity):
    assert analyzer.score(text, lang).polarity == polarity


def test_repeated_punctuation_is_a_feature_and_adds_anger(analyzer):
    assert "punct:!!" in featurise("怎么还没到！！！", "zh")[1]
    assert "punct:??" in featurise("where is it???", "en")[1]
    calm, loud = analyzer.score("this is bad", "en"), analyzer.score("this is bad!!!", "en")
    assert loud.polarity == "negative" and loud.emotions.get("angry", 0) >= calm.emotions.get("angry", 0)


@pytest.mark.parametrize(("text", "lang"), [
    ("great, another wrong item", "en"), ("oh perfect, the parcel is late again", "en"),
    ("真是醉了", "zh"), ("呵呵，又发错了", "zh"),
])
def test_common_sarcasm_is_negative(analyzer, text, lang):
    result = analyzer.score(text, lang)
    assert result.polarity == "negative" and result.has("angry"), result


@pytest.mark.parametrize(("text", "lang", "emotion"), [
    ("气死我了，垃圾商家，我要投诉！", "zh", "angry"), ("this is a scam, I'm furious", "en", "angry"),
    ("我很担心包裹丢了，怎么办", "zh", "anxious"), ("I'm worried my parcel is lost", "en", "anxious"),
    ("急！明天就要用，赶紧发货", "zh", "urgent"), ("I need it asap, urgent!", "en", "urgent"),
    ("太失望了，质量很差", "zh", "disappointed"), ("so disappointed, what a letdown", "en", "disappointed"),
    ("看不懂你们的退货流程", "zh", "confused"), ("I don't understand why I was charged twice", "en", "confused"),
    ("谢谢，非常满意！", "zh", "satisfied"), ("thanks, I love it!", "en", "satisfied"),
])
def test_service_emotions(analyzer, text, lang, emotion):
    result = analyzer.score(text, lang)
    assert result.has(emotion), result
    assert 0 < result.emotions[emotion] <= 1


def test_negated_emotion_cue_does_not_count(analyzer):
    assert not analyzer.score("一点也不失望", "zh").has("disappointed")
    assert not analyzer.score("I'm not worried", "en").has("anxious")


def test_to_dict_carries_the_emotions(analyzer):
    data = analyzer.score("great, another wrong item!!", "en").to_dict()
    assert set(data) == {"polarity", "score", "emotions"} and data["polarity"] == "negative"
    assert "angry" in data["emotions"] and json.dumps(data)


def test_score_range_and_empty_text(analyzer):
    assert analyzer.score("   ", "zh").to_dict() == {"polarity": "neutral", "score": 0.0, "emotions": {}}
    for text in ("太棒了！！！😍", "垃圾！！！😡", "ok"):
        assert -1 <= analyzer.score(text, "zh").score <= 1


async def test_analyze_is_the_async_interface(analyzer):
    assert (await analyzer.analyze("差评！", "zh")).polarity == "negative"


def test_mood_is_an_exponential_moving_average():
    assert smooth(None, -0.8, 0.5) == -0.8
    assert smooth(-0.8, 0.4, 0.5) == -0.2
    assert smooth(0.0, -1.0, 1.0) == -1.0
    mood = None
    for score in (-0.2, -0.4, -0.6, -0.8):
        mood = smooth(mood, score, 0.5)
    assert -0.8 < mood < -0.4
    assert [mood_label(m) for m in (None, -0.7, -0.3, 0.0, 0.5)] == ["-", "upset", "unhappy", "neutral", "happy"]


def test_eval_command_prints_scores_and_writes_png(tmp_path, capsys):
    data = tmp_path / "mine.jsonl"
    rows = [("这个有蓝色的吗", "zh", "neutral"), ("太差了，退钱！", "zh", "negative"), ("很满意，谢谢", "zh", "positive"),
            ("do you have it in red?", "en", "neutral"), ("terrible, it broke", "en", "negative"),
            ("love it, thanks!", "en", "positive")]
    data.write_text("\n".join(json.dumps({"text": t, "lang": lang, "label": y}, ensure_ascii=False)
                              for t, lang, y in rows), encoding="utf-8")
    status = main(["--env-file", str(tmp_path / "none.env"), "eval", "sentiment", str(data), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert "mine zh: n=3 accuracy=" in out and "mine en: n=3 accuracy=" in out and "macro-F1=" in out
    assert (tmp_path / "mine_zh.png").read_bytes().startswith(b"\x89PNG")


def test_eval_command_rejects_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi"}\n', encoding="utf-8")
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "sentiment", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().out
