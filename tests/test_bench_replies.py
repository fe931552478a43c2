"""``kefu bench replies`` and ``kefu model prepare``, in-process, on the template path and on a fake
model (the real model's numbers are in docs/LLM.md)."""
from __future__ import annotations

import argparse

from bot.benches import replies
from bot.commands import model
from bot.settings import load_settings


def _settings(**overrides):
    return load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                         kefu_kb_retrieval="lexical", kefu_rate_limit_messages=0,
                         **{"kefu_llm_backend": "templates", **overrides})


def test_bench_replies_prints_first_text_last_sentence_share_and_fallbacks(capsys):
    parser = argparse.ArgumentParser()
    replies.configure(parser)
    assert replies.run(parser.parse_args(["--conversations", "1", "3", "--turns", "2"]), _settings()) == 0
    out = capsys.readouterr().out
    assert "reply path: templates" in out and "1 conversations, 2 turns" in out and "3 conversations, 6 turns" in out
    assert out.count("first visible text: p50") == 2 and out.count("last sentence:      p50") == 2
    assert "phrased by the model: 0 (0.0%)" in out and "template fallbacks by reason: none" in out


def test_model_prepare_has_nothing_to_do_without_a_local_model(capsys):
    parser = argparse.ArgumentParser()
    model.configure(parser)
    assert model.run(parser.parse_args(["prepare"]), _settings()) == 0
    assert "nothing to prepare: replies come from templates" in capsys.readouterr().out
