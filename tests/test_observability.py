"""Observability: JSON or text logs carry the conversation id and never personal data; /metrics counts
turns, latency, intents, fallbacks, handoffs, LLM calls; the per-shopper rate limit answers politely."""
from __future__ import annotations

import io
import json
import logging
import re

import aiohttp
import pytest

from bot.logs import build_handler
from core.assistant import Assistant
from core.llm.base import BackendError, ChatBackend, ChatMessage, Completion
from core.messages import Identity, InboundMessage, Typing
from core.observe.context import conversation_scope, current_conversation
from core.observe import handles
from core.observe.handles import conversation_handle, hide_conversation_ids, load_key, use_key, visitor_label
from core.observe.metrics import sample
from core.ratelimit import RateLimiter
from core.reply.grounding import GroundingChecker
from core.reply.llm import LLMReplyGenerator
from core.reply.policy import PhrasePolicy
from tests.test_web_channel import connect, exchange, http, say  # noqa: F401 - http is a fixture

PII = "call me on 13812345678 or mail alice@example.com, card 4111 1111 1111 1111, 12 Baker Street"


@pytest.fixture
def captured():
    """A logger whose records go, through Kefu's handler, into a string buffer (format set per test)."""
    buffers: list[io.StringIO] = []
    logger = logging.getLogger("kefu.test.observe")
    logger.setLevel(logging.INFO)

    def attach(log_format: str, target: logging.Logger = logger) -> io.StringIO:
        buffer = io.StringIO()
        handler = build_handler(log_format, buffer)
        target.addHandler(handler)
        buffers.append(buffer)
        attached.append((target, handler))
        return buffer

    attached: list[tuple[logging.Logger, logging.Handler]] = []
    yield logger, attach
    for target, handler in attached:
        target.removeHandler(handler)


def test_json_lines_carry_the_conversation_id_and_no_personal_data(captured):
    logger, attach = captured
    buffer = attach("json")
    with conversation_scope("web:abc123"):
        logger.info("shopper said: %s", PII)
    logger.info("outside a turn")
    first, second = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert first["conversation_id"] == conversation_handle("web:abc123") and first["level"] == "INFO"
    assert first["msg"] == "shopper said: call me on [phone] or mail [email], card [card], [address]"
    assert second["conversation_id"] is None and current_conversation() is None


def test_text_lines_show_the_conversation_and_redact_tracebacks(captured):
    logger, attach = captured
    buffer = attach("text")
    with conversation_scope("telegram:42"):
        try:
            raise ValueError(f"bad address {PII}")
        except ValueError:
            logger.exception("turn failed")
    text = buffer.getvalue()
    assert f"[{conversation_handle('telegram:42')}]: turn failed" in text
    assert "ValueError: bad address call me on [phone]" in text
    assert "13812345678" not in text and "alice@example.com" not in text and "4111 1111" not in text


async def test_a_failing_turn_is_logged_as_json_with_its_conversation_id(assistant: Assistant, captured, monkeypatch):
    _logger, attach = captured
    buffer = attach("json", logging.getLogger("core.assistant"))

    async def broken(text, language):
        raise RuntimeError(f"nlu exploded on {text}")
    monkeypatch.setattr(assistant.components.nlu, "parse", broken)
    errors = sample("kefu_turns_total", channel="telegram", outcome="error")
    replies = (await assistant.handle(InboundMessage(Identity("telegram", "111"), text="mail me at bob@example.com"))).replies
    assert "try again" in replies[0].text
    entry = json.loads(buffer.getvalue().splitlines()[-1])
    assert entry["conversation_id"] == conversation_handle("telegram:111") and entry["level"] == "ERROR"
    assert "nlu exploded on mail me at [email]" in entry["exc"] and "bob@example.com" not in buffer.getvalue()
    assert sample("kefu_turns_total", channel="telegram", outcome="error") == errors + 1


def _everything_logged(records: list[logging.LogRecord], *buffers: io.StringIO) -> str:
    """Every field of every record (message, args, extra attributes, traceback) and every formatted line."""
    fields = [repr(vars(record)) + record.getMessage() for record in records]
    return "\n".join(fields + [buffer.getvalue() for buffer in buffers])


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO], ids=["DEBUG", "INFO"])
async def test_a_web_chat_turn_never_logs_the_session_id(http, channel, captured, caplog, monkeypatch, level):
    _logger, attach = captured
    root = logging.getLogger()
    json_lines, text_lines = attach("json", root), attach("text", root)
    caplog.set_level(level)
    ws, session = await connect(http, channel, lang="en")
    await exchange(ws, say("do you have a red dress?", "m1"))
    nlu = channel.assistant.components.nlu

    async def broken(text, language):
        raise RuntimeError("nlu exploded")
    with monkeypatch.context() as patch:
        patch.setattr(nlu, "parse", broken)
        await exchange(ws, say("hello again", "m2"))  # the apology, and "turn failed for …" logged
    await ws.close()
    await channel.send(Identity("web", session), Typing())  # no open socket: logged
    logged = _everything_logged(caplog.records, json_lines, text_lines)
    assert "turn failed" in logged and "no open socket" in logged  # the lines that once named the session
    assert session not in logged and session[:6] not in logged  # raw records and formatted lines alike
    handle = conversation_handle(f"web:{session}")
    entries = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert {e["conversation_id"] for e in entries if "turn failed" in e["msg"]} == {handle}
    assert f"[{handle}]: turn failed for {handle}" in text_lines.getvalue()


async def test_a_session_id_inside_an_exception_is_replaced_in_the_log_lines(http, channel, captured, monkeypatch):
    _logger, attach = captured
    json_lines, text_lines = attach("json", logging.getLogger("core.assistant")), attach("text", logging.getLogger())
    ws, session = await connect(http, channel, lang="en")

    async def broken(text, language):
        raise RuntimeError(f"nlu exploded in web:{session} (session {session})")
    monkeypatch.setattr(channel.assistant.components.nlu, "parse", broken)
    await exchange(ws, say("hello", "m1"))
    await ws.close()
    handle = conversation_handle(f"web:{session}")
    for lines in (json_lines, text_lines):
        assert session not in lines.getvalue()
        assert f"nlu exploded in {handle} (session {handle})" in lines.getvalue()


def test_handles_are_short_stable_keyed_and_hide_ids_inside_text(tmp_path, monkeypatch):
    key = tmp_path / "var" / "handle.key"
    first = load_key(key)
    assert len(first) == 32 and load_key(key) == first and key.stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(handles, "_key", first)
    cid = "web:Zq8secretSessionId0123456789abcdef"
    handle = conversation_handle(cid)
    assert re.fullmatch(r"web#[0-9a-f]{10}", handle) and conversation_handle(cid) == handle
    assert visitor_label(cid) == "web visitor #" + handle[4:] and Identity("web", cid[4:]).handle == handle
    assert conversation_handle("web:other") != handle
    assert hide_conversation_ids(f"send to {cid} failed; telegram:42 too") == \
        f"send to {handle} failed; {conversation_handle('telegram:42')} too"
    assert hide_conversation_ids(f"session {cid[4:]}", current=cid) == f"session {handle}"
    assert hide_conversation_ids("chat 42", current="telegram:42") == "chat 42"  # too short to be sure
    assert hide_conversation_ids("operator at the terminal", current="text:terminal") == "operator at the terminal"
    use_key(b"another install's key, 32 bytes!")
    assert conversation_handle(cid) != handle  # without the key, the handle of a known id cannot be made
    (tmp_path / "short.key").write_bytes(b"abc")
    with pytest.raises(ValueError):
        load_key(tmp_path / "short.key")


async def test_metrics_endpoint_counts_turns_latency_and_intents(channel):
    before = {"ok": sample("kefu_turns_total", channel="web", outcome="ok"),
              "silent": sample("kefu_turns_total", channel="web", outcome="silent"),
              "timed": sample("kefu_turn_seconds_count", channel="web"),
              "greet": sample("kefu_intents_total", intent="greet")}
    async with aiohttp.ClientSession() as http:
        ws, _session = await connect(http, channel)
        first = await exchange(ws, say("hello", "m1"))
        # the same client id again: not handled again (a "silent" turn), its saved reply is resent
        assert await exchange(ws, say("hello", "m1")) == first
        await exchange(ws, say("hello", "m2"))
        await ws.close()
        async with http.get(channel.url + "metrics") as response:
            assert response.status == 200 and response.content_type == "text/plain"
            body = await response.text()
    assert sample("kefu_turns_total", channel="web", outcome="ok") == before["ok"] + 2
    assert sample("kefu_turns_total", channel="web", outcome="silent") == before["silent"] + 1
    assert sample("kefu_turn_seconds_count", channel="web") == before["timed"] + 3
    assert sample("kefu_intents_total", intent="greet") == before["greet"] + 2
    for name in ("kefu_turns_total", "kefu_turn_seconds_bucket", "kefu_intents_total", "kefu_actions_total"):
        assert f"\n{name}{{" in body


async def test_fallbacks_and_handoffs_are_counted(assistant: Assistant):
    fallbacks, handoffs = sample("kefu_fallbacks_total"), sample("kefu_handoffs_total")
    await assistant.handle(InboundMessage(Identity("web", "obs-fallback"), text="qwzx vbnm plokij"))
    assert sample("kefu_fallbacks_total") == fallbacks + 1
    await assistant.handle(InboundMessage(Identity("web", "obs-handoff"), text="I want to talk to a human agent"))
    assert sample("kefu_handoffs_total") == handoffs + 1


class _CountingBackend(ChatBackend):
    name = "obs-fake"

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        answer = self.answers.pop(0)
        if answer is None:
            raise BackendError("down")
        return Completion(answer, tokens=7)


async def test_llm_latency_tokens_and_outcomes_are_counted():
    from tests.test_llm_replies import ORDER
    draft = (await LLMReplyGenerator(_CountingBackend(None), GroundingChecker(())).render(ORDER, "en")).text
    generator = LLMReplyGenerator(_CountingBackend(draft, "Your order #W1000001 is lost forever.", None),
                                  GroundingChecker(()), policy=PhrasePolicy(None))
    labels = {"backend": "obs-fake"}
    before = {o: sample("kefu_llm_replies_total", outcome=o, **labels) for o in ("model", "ungrounded", "error")}
    calls, tokens = sample("kefu_llm_seconds_count", **labels), sample("kefu_llm_tokens_total", **labels)
    sources = {s: sample("kefu_reply_first_text_seconds_count", source=s) for s in ("model", "template")}
    errors = sample("kefu_llm_fallbacks_total", reason="error")
    for _ in range(3):
        await generator.render(ORDER, "en")
    assert {o: sample("kefu_llm_replies_total", outcome=o, **labels) - before[o] for o in before} == \
        {"model": 1, "ungrounded": 1, "error": 1}
    assert sample("kefu_llm_seconds_count", **labels) == calls + 3
    assert sample("kefu_llm_tokens_total", **labels) == tokens + 14
    assert {s: sample("kefu_reply_first_text_seconds_count", source=s) - sources[s] for s in sources} == \
        {"model": 1, "template": 2}
    assert sample("kefu_llm_fallbacks_total", reason="error") == errors + 1


def test_the_rate_limiter_slides_its_window():
    now = [0.0]
    limiter = RateLimiter(3, 10.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another shopper is not affected
    now[0] = 10.5  # the first three left the window
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    with pytest.raises(ValueError):
        RateLimiter(0, 10.0)


async def test_the_operators_own_terminal_and_scripts_are_not_rate_limited(store, settings):
    from bot.app import build_assistant
    from bot.settings import load_settings
    limited = build_assistant(store, load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                                                   kefu_llm_backend="templates", kefu_rate_limit_messages=1))
    for channel, refused in (("script", False), ("cli", False), ("web", True)):
        answers = [(await limited.handle(InboundMessage(Identity(channel, "op"), text="hello"))).replies for _ in range(2)]
        assert ("a little fast" in answers[1][0].text) is refused, channel


@pytest.mark.parametrize("text, lang, expected", [("hello", "en", "a little fast"), ("你好", "zh", "发得有点快")])
async def test_a_shopper_over_the_rate_limit_gets_a_polite_reply_in_their_language(store, assistant, text, lang,
                                                                                    expected):
    limited = Assistant(store, assistant.components, rate_limiter=RateLimiter(2, 60.0))
    identity = Identity("web", f"flood-{lang}")
    refused = sample("kefu_turns_total", channel="web", outcome="rate_limited")
    answers = [(await limited.handle(InboundMessage(identity, text=text, message_id=f"m{i}", language_hint=lang))).replies
               for i in range(3)]
    assert all(expected not in a[0].text for a in answers[:2])
    assert len(answers[2]) == 1 and expected in answers[2][0].text and answers[2][0].language == lang
    assert sample("kefu_turns_total", channel="web", outcome="rate_limited") == refused + 1
    assert store.db["messages"].count_where("direction = 'in' and conversation_id like ?", [f"%flood-{lang}%"]) == 2
    # a different shopper still gets through
    other = (await limited.handle(InboundMessage(Identity("web", f"calm-{lang}"), text=text, language_hint=lang))).replies
    assert expected not in other[0].text


def test_the_operators_own_channels_are_never_rate_limited():
    from core.ratelimit import RateLimiter

    limiter = RateLimiter(1, 60.0, exempt_channels=frozenset({"cli"}))
    assert all(limiter.allow("cli:me", "cli") for _ in range(5))
    assert limiter.allow("web:s", "web") and not limiter.allow("web:s", "web")


def test_the_schedulers_line_per_job_run_shows_only_at_debug(monkeypatch):
    from bot.logs import SCHEDULER_JOB_LOGGER, configure_logging

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    stream = io.StringIO()
    monkeypatch.setattr("bot.logs.build_handler", lambda log_format: logging.StreamHandler(stream))
    monkeypatch.setattr(root, "level", logging.INFO)
    configure_logging("INFO")
    jobs = logging.getLogger(SCHEDULER_JOB_LOGGER)
    jobs.info('Running job "sync_campaigns (trigger: interval[0:00:30])"')
    logging.getLogger("apscheduler.scheduler").warning("a job missed its run")
    assert "Running job" not in stream.getvalue() and "missed its run" in stream.getvalue()
    root.setLevel(logging.DEBUG)
    jobs.info('Running job "sync_campaigns (trigger: interval[0:00:30])"')
    assert "Running job" in stream.getvalue()
