"""The ``kefu`` command end to end, in a subprocess, on the demo shop."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.messages import Identity
from core.store import Store
from tests.helpers import run_kefu

# Under --db-engine postgresql every store here, the subprocesses' too, is a PostgreSQL database.
pytestmark = pytest.mark.file_stores


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


TAU = Path(__file__).resolve().parents[1] / "data" / "tau-retail"


def _import_tau(tmp_path, folder):
    outputs = []
    for kind, name in (("products", "products.json"), ("customers", "users.json"), ("orders", "orders.json")):
        result = run_kefu(tmp_path, "import", kind, str(folder / name), KEFU_LOAD_DEMO_SHOP="false")
        outputs.append(result)
    return outputs


def test_import_reports_and_is_idempotent(tmp_path):
    folder = Path(__file__).parent / "fixtures" / "import"
    kinds = ("categories", "products", "customers", "orders", "faq")

    def import_all():
        return [run_kefu(tmp_path, "import", kind, str(folder / f"{kind}.json"), KEFU_LOAD_DEMO_SHOP="false")
                for kind in kinds]

    first = import_all()
    assert all(r.returncode == 0 and "0 errors" in r.stdout for r in first), [r.stdout + r.stderr for r in first]
    assert all(" 0 inserted" not in r.stdout for r in first)
    second = import_all()
    assert all(" 0 inserted, 0 updated" in r.stdout for r in second), [r.stdout for r in second]


def test_the_tau_retail_shop_imports_with_a_report(tmp_path):
    products, customers, orders = _import_tau(tmp_path, TAU)
    assert products.returncode == customers.returncode == orders.returncode == 0
    assert "50 inserted" in products.stdout and "500 inserted" in customers.stdout and "1000 inserted" in orders.stdout


def test_import_rejects_bad_rows_by_line_and_keeps_the_good_ones(tmp_path):
    bad = tmp_path / "products.jsonl"
    bad.write_text(
        '{"id": "A1", "category": "x", "title_en": "Mug", "variants": [{"id": "A1-1", "price": "9.90", "stock": 3}]}\n'
        '{"id": "A2", "category": "x", "variants": [{"id": "A2-1", "price": "1"}]}\n'
        '{"id": "A3", "category": "x", "title_en": "Cup", "variants": [{"id": "A3-1", "price": "-5"}]}\n',
        encoding="utf-8")
    result = run_kefu(tmp_path, "import", "products", str(bad), KEFU_LOAD_DEMO_SHOP="false")
    assert result.returncode == 1
    assert "1 inserted" in result.stdout and "line 2" in result.stdout and "line 3" in result.stdout
    assert Store(tmp_path / "kefu.db").catalog.product("A1")["title_en"] == "Mug"


def test_unknown_customer_and_unreadable_script_are_clear_errors(tmp_path):
    unknown = run_kefu(tmp_path, "chat", "--as", "NOBODY", stdin="hi\n")
    assert unknown.returncode == 2 and "kefu chat: no customer 'NOBODY'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = run_kefu(tmp_path, "chat", "--script", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "cannot read the script" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_kefu_conversations_lists_handles_not_session_ids(tmp_path):
    store = Store(tmp_path / "kefu.db")
    store.conversations.ensure(Identity("web", "Zq8-secret-session-id-0123456789"), None)
    store.close()
    first = run_kefu(tmp_path, "conversations", KEFU_LOAD_DEMO_SHOP="false")
    assert first.returncode == 0 and "Zq8-secret" not in first.stdout + first.stderr
    [handle] = re.findall(r"web#[0-9a-f]{10}", first.stdout)
    again = run_kefu(tmp_path, "conversations", KEFU_LOAD_DEMO_SHOP="false")
    assert handle in again.stdout  # the key in var/handle.key keeps handles stable across runs
    assert (tmp_path / "var" / "handle.key").stat().st_size == 32


def test_an_unusable_handle_key_is_one_clear_error(tmp_path):
    (tmp_path / "short.key").write_bytes(b"abc")
    result = run_kefu(tmp_path, "conversations", KEFU_HANDLE_KEY_PATH=str(tmp_path / "short.key"))
    assert result.returncode == 2 and "KEFU_HANDLE_KEY_PATH" in result.stderr and "Traceback" not in result.stderr


def test_kefu_import_answers_every_bad_file_with_a_line_and_an_exit_status(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 200_000, encoding="utf-8")
    (tmp_path / "deep.yml").write_text("nlu: " + "[" * 200_000, encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    for args, status, where, said in [
        (("products", "deep.json"), 1, "stdout", "line 1: not valid JSON: nested deeper than 32 levels"),
        (("products", "empty.csv"), 1, "stdout", "line 1: the file is empty"),
        (("nlu", "deep.yml"), 1, "stderr", "kefu import: deep.yml: not valid YAML: nested deeper than 32 levels"),
        (("products", "missing.json"), 2, "stderr", "kefu import: no such file: missing.json"),
        (("faq", "folder"), 2, "stderr", "kefu import: not a file: folder"),
    ]:
        result = run_kefu(tmp_path, "import", *args, KEFU_LOAD_DEMO_SHOP="false")
        assert result.returncode == status and said in getattr(result, where), (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
