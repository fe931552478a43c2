"""The ``kefu`` command end to end, in a subprocess, on the demo shop."""
from __future__ import annotations

import json

from core.store import Store
from tests.helpers import run_kefu


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_chat_script_round_trips_on_the_demo_shop(tmp_path):
    script = "\n".join(json.dumps(m, ensure_ascii=False) for m in [
        {"user": "u1", "text": "你好"},
        {"user": "u2", "text": "hi"},
        {"user": "u1", "text": "我想买一件红色的连衣裙"},
    ]) + "\n"
    result = run_kefu(tmp_path, "chat", "--script", "-", stdin=script)
    assert result.returncode == 0, result.stderr
    greet_zh, greet_en, dresses = _lines(result.stdout)
    assert greet_zh["user"] == "u1" and greet_zh["language"] == "zh" and "您好" in greet_zh["text"]
    assert greet_en["user"] == "u2" and greet_en["language"] == "en" and greet_en["text"].startswith("Hi")
    assert dresses["cards"], dresses
    store = Store(tmp_path / "kefu.db")
    for card in dresses["cards"]:
        product = store.catalog.product(card["product_id"])
        assert product["category"] == "dresses"
        assert any(v["options"].get("color") == "red" and v["stock"] > 0
                   for v in store.catalog.variants(product["id"]))
        assert card["title"] == product["title_zh"]


def test_chat_script_reports_bad_lines_and_keeps_going(tmp_path):
    script = 'not json\n{"text": "no user"}\n{"user": "u", "text": "hi"}\n'
    result = run_kefu(tmp_path, "chat", "--script", "-", stdin=script)
    assert result.returncode == 1
    first, second, reply = _lines(result.stdout)
    assert first["line"] == 1 and "not JSON" in first["error"]
    assert second["line"] == 2 and "user" in second["error"]
    assert reply["text"].startswith("Hi")


def test_interactive_chat_reads_lines_until_end_of_input(tmp_path):
    result = run_kefu(tmp_path, "chat", "--as", "C001", stdin="hi\nwhere is my order?\n")
    assert result.returncode == 0, result.stderr
    assert "kefu> Hi" in result.stdout
    assert "Order #W" in result.stdout


def test_bad_setting_is_named_and_nothing_starts(tmp_path):
    result = run_kefu(tmp_path, "chat", "--script", "-", stdin="", KEFU_PORT="http")
    assert result.returncode == 2 and "KEFU_PORT" in result.stderr
