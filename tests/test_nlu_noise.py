"""Typo noise for NLU messages (core/nlu/noise.py): seeded, entity-preserving, both languages."""
from __future__ import annotations

import random

import pytest
from pypinyin import lazy_pinyin
from rapidfuzz.distance import Levenshtein

from core.nlu.entities import order_ids
from core.nlu.noise import add_noise, chinese_typo, english_typo
from core.nlu.training import NOISY_COPIES, with_noisy_copies

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

EN = "do you ship to Munich, and where is my refund for the parcel I returned last week"
ZH = "我想问一下退款什么时候能到账，快递员说已经签收了"


def test_the_same_seed_gives_the_same_noise_and_another_seed_another():
    assert add_noise(EN, 0.3, seed=1) == add_noise(EN, 0.3, seed=1)
    assert add_noise(ZH, 0.3, seed=1) == add_noise(ZH, 0.3, seed=1)
    assert len({add_noise(EN, 0.3, seed=s) for s in range(5)}) > 1


def test_noise_changes_text_at_a_high_rate_and_none_at_rate_zero():
    assert add_noise(EN, 0.0) == EN and add_noise(ZH, 0.0) == ZH
    assert add_noise(EN, 0.5, seed=3) != EN and add_noise(ZH, 0.5, seed=3) != ZH


def test_order_ids_emails_and_numbers_are_never_noised():
    text = "order W2611340 and #8831092 for bob.smith@example.com, order no. 1001, 3x items, 订单号是W1234567"
    for seed in range(20):
        noisy = add_noise(text, 1.0, seed=seed)
        for kept in ("W2611340", "#8831092", "bob.smith@example.com", "order no. 1001", "3x", "W1234567"):
            assert kept in noisy, (seed, noisy)
        assert order_ids(noisy) == order_ids(text)


def test_an_english_typo_is_one_edit_away():
    rng = random.Random(0)
    typos = [english_typo("delivery", rng) for _ in range(50)]
    assert all(1 <= Levenshtein.distance(typo, "delivery") <= 2 for typo in typos)  # a swap is two edits
    assert {len(typo) for typo in typos} == {7, 8, 9}  # dropped, substituted or swapped, doubled


def test_a_chinese_typo_is_a_homophone_or_a_dropped_character():
    rng = random.Random(0)
    seen = {chinese_typo("款", rng) for _ in range(40)}
    assert "" in seen
    assert any(c and c != "款" and lazy_pinyin(c) == lazy_pinyin("款") for c in seen)
    assert all(c == "" or lazy_pinyin(c) == lazy_pinyin("款") for c in seen)


def test_missing_spaces_happen_between_english_words_only():
    joined = [add_noise("please cancel my order now", 1.0, seed=s) for s in range(30)]
    assert any(n.count(" ") < 4 for n in joined)
    assert all(" " not in add_noise("我要取消订单", 1.0, seed=s) for s in range(10))


def test_training_adds_labelled_noisy_copies_that_keep_their_order_ids():
    texts = ["where is my order W2611340 please", "我想退款，什么时候到账", "hi"]
    labels = ["track_order", "get_refund", "greet"]
    augmented, augmented_labels = with_noisy_copies(texts, labels)
    assert augmented[:3] == texts and augmented_labels[:3] == labels
    copies = dict(zip(augmented[3:], augmented_labels[3:]))
    assert len(copies) <= NOISY_COPIES * len(texts) and all(t not in texts for t in copies)
    assert all("W2611340" in t for t, label in copies.items() if label == "track_order")
