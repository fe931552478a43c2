"""Static word vectors (core/nlu/word_vectors.py) and the intent model that uses them."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from core.nlu.model import MODEL_FILE_NAME, IntentModel
from core.nlu.rasa import Example
from core.nlu.training import train
from core.nlu.word_vectors import WordVectors, shipped_word_vectors

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_unknown_chinese_words_fall_back_to_their_characters_and_unknown_english_words_drop():
    table = WordVectors.from_vectors(["退", "款", "refund"], np.eye(3, dtype=np.float32))
    assert table.rows("退款") == [0, 1]
    assert table.rows("refund zzzqx") == [2]
    assert np.allclose(table.embed("退款"), [2 ** -0.5, 2 ** -0.5, 0])
    assert not table.embed("zzzqx 12345").any()


def test_a_saved_table_loads_with_small_quantisation_error_and_a_stable_fingerprint(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 16)).astype(np.float32)
    vocabulary = [f"w{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(50)]  # letters: digits are normalised
    table = WordVectors.from_vectors(vocabulary, vectors)
    table.save(tmp_path / "a.npz")
    loaded = WordVectors.load(tmp_path / "a.npz")
    assert len(loaded) == 50 and loaded.dimensions == 16 and loaded.fingerprint == table.fingerprint
    for i in (0, 17, 49):  # a one-word message is that word's vector, made unit-length
        assert np.abs(loaded.embed(vocabulary[i]) - vectors[i] / np.linalg.norm(vectors[i])).max() < 0.02
    loaded.save(tmp_path / "b.npz")
    assert WordVectors.load(tmp_path / "b.npz").fingerprint == loaded.fingerprint


def test_the_shipped_table_puts_words_of_one_meaning_together():
    table = shipped_word_vectors()
    assert len(table) > 40_000
    for word, near, far in [("退款", "退钱", "颜色"), ("快递", "物流", "密码"), ("refund", "money back", "shoe size"),
                            ("cancel", "call off", "discount")]:
        assert _cosine(table.embed(word), table.embed(near)) > _cosine(table.embed(word), table.embed(far)), word


def _tiny_model() -> IntentModel:
    examples = [Example(t, intent) for intent, texts in {
        "get_refund": ["我要退款", "退钱给我", "i want a refund", "give me my money back", "退款怎么申请", "refund please"],
        "greet": ["你好", "在吗", "hello", "hi there", "亲在吗", "good morning"],
    }.items() for t in texts]
    return train(examples, show_progress=False)


def test_a_model_with_word_vectors_saves_and_loads_the_same_scores(tmp_path):
    model = _tiny_model()
    model.save(tmp_path / "m.npz")
    loaded = IntentModel.load(tmp_path / "m.npz")
    assert loaded.meta["word_vectors"] == shipped_word_vectors().fingerprint
    for text in ("能把钱退给我吗", "hey", "退钱"):
        assert np.allclose(loaded.logits(text), model.logits(text), atol=1e-2)
    assert loaded.readings("能把钱退给我吗")[0].intent == "get_refund"


def _stale_model(path: Path) -> None:
    """A model file that says it was trained with another word-vector table."""
    _tiny_model().save(path)
    with np.load(path) as data:
        arrays = dict(data)
    meta = json.loads(str(arrays["meta"]))
    arrays["meta"] = np.array(json.dumps({**meta, "word_vectors": "0" * 16}))
    np.savez_compressed(path, **arrays)


def test_a_model_trained_with_another_table_asks_to_be_retrained(tmp_path):
    _stale_model(tmp_path / "m.npz")
    with pytest.raises(ValueError, match="kefu train"):
        IntentModel.load(tmp_path / "m.npz")


def test_the_cli_says_so_in_one_line_without_a_traceback(tmp_path, monkeypatch, capsys):
    _stale_model(tmp_path / "nlu" / MODEL_FILE_NAME)
    monkeypatch.setenv("KEFU_NLU_DIR", str(tmp_path / "nlu"))
    monkeypatch.setenv("KEFU_DB_PATH", str(tmp_path / "kefu.db"))
    assert main(["--env-file", str(tmp_path / "none.env"), "nlu", "hi"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("kefu: KEFU_NLU_DIR:") and "retrain it with `kefu train`" in error
    assert "Traceback" not in error


def test_a_model_without_word_vectors_still_loads(tmp_path):
    model = IntentModel(["c1:a", "c1:b"], np.ones(2), np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2),
                        ["x", "y"], 1.0)
    model.save(tmp_path / "old.npz")
    loaded = IntentModel.load(tmp_path / "old.npz")
    assert "word_vectors" not in loaded.meta
    assert loaded.readings("a")[0].intent == "x" and loaded.readings("b")[0].intent == "y"
