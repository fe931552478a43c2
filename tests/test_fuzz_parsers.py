"""Bad input never crashes a parser: hypothesis feeds every inbound parser random and near-valid input,
and each answers with a parsed value or its own clear error (never another exception).

Normal runs try 300 inputs per parser; ``HYPOTHESIS_PROFILE=ci`` (tests/conftest.py) tries 10,000."""
from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.telegram.updates import parse_update
from adapters.web.protocol import MAX_FRAME_BYTES, Chat, FrameError, Hello, parse_frame
from adapters.wechat.inbound import BadMessage, WeChatMessage, parse_fields
from bot.cli import build_parser
from core.importing import FORMATS, KINDS, import_file
from core.store import Store

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                           max_size=4), max_leaves=10)
"""Any decoded JSON value."""
FRAME_KEYS = st.sampled_from(["type", "text", "payload", "label", "id", "session", "lang"])
FRAME_VALUES = st.sampled_from(["hello", "message", "button", "zh", "en", "", " ", "x" * 4001]) | JSON
FRAMES = st.dictionaries(FRAME_KEYS, FRAME_VALUES, max_size=6).map(json.dumps)
"""JSON objects shaped like frames, with wrong types, empty and oversized values mixed in."""


# -- websocket frames (adapters/web/protocol.py) -----------------------------------------------------------
@given(st.text(max_size=120) | FRAMES | JSON.map(json.dumps))
@example("[" * 3000 + "]" * 3000)  # nested deeper than the recursion limit, under the size limit
@example('{"type": "message", "text": "\\ud800"}')  # a lone surrogate escaped in JSON
@example("\ud800")  # a lone surrogate in the text itself
@example("x" * (MAX_FRAME_BYTES + 1))
def test_websocket_frames_parse_or_get_a_frame_error(raw: str) -> None:
    try:
        frame = parse_frame(raw)
    except FrameError as exc:
        assert str(exc)
    else:
        assert isinstance(frame, Hello | Chat)


# -- WeChat XML (adapters/wechat/inbound.py) ---------------------------------------------------------------
TAGS = st.sampled_from(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "a:b"])
XML_TEXT = st.text(alphabet=string.printable + "中文<>&]]>", max_size=30)
XMLISH = st.builds(lambda root, fields: f"<{root}>" + "".join(f"<{t}>{v}</{t}>" for t, v in fields) + f"</{root}>",
                   st.sampled_from(["xml", "XML", "x", "xml a='1'"]), st.lists(st.tuples(TAGS, XML_TEXT), max_size=6))


@given(st.binary(max_size=300) | XMLISH.map(str.encode) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "replace")))
@example(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>')
@example(b'<?xml version="1.0" encoding="bogus"?><xml/>')
@example(b"<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1e3</CreateTime>"
         b"<MsgType>text</MsgType></xml>")
def test_wechat_xml_parses_or_is_a_bad_message(body: bytes) -> None:
    try:
        message = WeChatMessage.from_fields(parse_fields(body))
    except BadMessage as exc:
        assert str(exc)
    else:
        assert message.create_time.isdigit() and message.dedupe_key


# -- Telegram updates (adapters/telegram/updates.py, used by the webhook and polling) ----------------------
UPDATE_KEYS = st.sampled_from(["update_id", "message", "callback_query", "edited_message", "chat", "from", "text",
                               "date", "message_id", "id", "data", "first_name", "type"])
NEAR_UPDATES = st.recursive(SCALARS, lambda inner: st.dictionaries(UPDATE_KEYS, inner, max_size=5), max_leaves=12)
"""Nested objects with Telegram's field names and values of any type."""


@given(NEAR_UPDATES | st.builds(lambda i, rest: {"update_id": i, **rest}, st.integers(),
                                st.dictionaries(UPDATE_KEYS, NEAR_UPDATES, max_size=4)))
@example({"update_id": 1, "message": {"message_id": 1, "date": "yesterday", "chat": {"id": 1, "type": "private"}}})
@example({"update_id": True})
def test_telegram_updates_parse_or_are_refused(data: object) -> None:
    update = parse_update(data, None)
    assert update is None or update.update_id == data["update_id"]  # type: ignore[index]


# -- import files (core/importing) -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def import_store():
    store = Store(":memory:")
    yield store
    store.close()


@pytest.fixture(scope="module")
def import_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-import")


CSV_LIKE = st.lists(st.lists(st.text(alphabet=string.printable + "中¥", max_size=12), max_size=6), max_size=6).map(
    lambda rows: "\n".join(",".join(row) for row in rows))
JSON_LINES = st.lists(JSON.map(json.dumps), max_size=5).map("\n".join)
DEEP = st.tuples(st.integers(1, 3_000), st.sampled_from([("[", "]"), ('{"a": ', "}"), ('[{"id": ', "}]")]),
                 st.booleans()).map(lambda d: (d[1][0] * d[0] + ("1" + d[1][1] * d[0] if d[2] else "")).encode())
"""Arrays and objects nested 1 to 3,000 deep, closed or not (Python's parsers recurse once per level)."""
CONTENTS = st.binary(max_size=200) | (CSV_LIKE | JSON_LINES | JSON.map(json.dumps)).map(str.encode) | DEEP


@given(st.sampled_from(sorted(KINDS)), st.sampled_from(FORMATS), st.sampled_from([".json", ".jsonl", ".csv", ".txt"]),
       CONTENTS)
@example("products", "auto", ".json", b"[" * 200_000)
@example("orders", "tau", ".json", b'{"a": ' * 100_000)
def test_import_files_report_errors_instead_of_crashing(import_store, import_dir, kind, fmt, suffix,
                                                         content: bytes) -> None:
    path = import_dir / f"input{suffix}"
    path.write_bytes(content)
    report = import_file(import_store, kind, path, fmt)
    for error in report.errors:
        assert str(error)
    assert all(len(line) < 500 for line in report.summary().splitlines())


# -- CLI arguments (bot/cli.py) ----------------------------------------------------------------------------
PARSER = build_parser()
ARG_WORDS = st.sampled_from(["run", "chat", "import", "eval", "bench", "campaign", "coupon", "nlu", "--env-file",
                             "--help-me", "-x", "--", "products", "--format", "csv", "-", "--turns", "abc", "-1"])


@given(st.lists(ARG_WORDS | st.text(max_size=12), max_size=6))
@example(["--env-file"])
@example(["import"])
@example(["bench", "load", "--turns", "many"])
def test_cli_arguments_parse_or_exit_2_with_a_message(capsys, argv: list[str]) -> None:
    try:
        PARSER.parse_args(argv)
    except SystemExit as exc:
        assert exc.code in (0, 2)  # 0: --help; 2: argparse's usage error
        if exc.code == 2:
            assert "error:" in capsys.readouterr().err
    capsys.readouterr()
