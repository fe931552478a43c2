"""Scripted dialogues ("stories") run against a shop (the demo shop, or an imported one): each turn's
intent, actions and the key facts of the replies, then the store changes the story expects. Shared by
the tests and by ``kefu eval dialogues``. Format: docs/DIALOGUE.md."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from core import clock
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.nesting import load_yaml
from core.policy.base import Policy
from core.store import Store
from core.store.copy import clone_into
from core.turn import Turn

STORIES_DIR = Path(__file__).resolve().parent / "data" / "stories" / "demo"
DEFAULT_NOW = "2026-11-10T10:00:00+00:00"
CHANGING_AUDIT_ACTIONS = ("cancel_order", "change_address", "change_items", "return_items", "exchange")


@dataclass
class StoryResult:
    """How one story went: ``problems`` is empty when every check passed."""

    name: str
    language: str
    task: str
    turns: int
    problems: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        """Every turn and every expected store change as scripted."""
        return not self.problems


class RecordingPolicy(Policy):
    """Wraps the assistant's policy and remembers each decision (intent and actions) of a turn."""

    def __init__(self, inner: Policy) -> None:
        self.inner = inner
        self.decisions: list[tuple[str, list[str]]] = []

    def decide(self, turn: Turn) -> list[str]:
        """The wrapped policy's decision, recorded."""
        actions = self.inner.decide(turn)
        self.decisions.append((turn.nlu.intent, list(actions)))
        return actions


class StoryError(ValueError):
    """A story file that cannot be read or is not a list of stories with turns."""


def load_stories(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    """Every story in the given YAML files (default: all shipped ones), each tagged with its file;
    :class:`StoryError` for a file that is missing, not YAML, or not shaped like stories."""
    stories = []
    for path in paths or sorted(STORIES_DIR.glob("*.yml")):
        try:
            document = load_yaml(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise StoryError(f"{path}: cannot read stories: {exc}") from None
        if not isinstance(document, list) or not all(_is_story(story) for story in document):
            raise StoryError(f"{path}: expected a list of stories, each with story, language and turns "
                             "(a list of {user: ...})")
        stories += [{**story, "file": path.name} for story in document]
    return stories


def _is_story(story: object) -> bool:
    return isinstance(story, dict) and {"story", "language"} <= story.keys() and \
        isinstance(story.get("turns"), list) and \
        all(isinstance(turn, dict) and isinstance(turn.get("user"), str) for turn in story["turns"])


@contextlib.contextmanager
def frozen_clock(now: str) -> Iterator[None]:
    """``core.clock.utc_now`` fixed at ``now`` (policy windows, rate limits) for the story's duration."""
    original = clock.utc_now
    fixed = datetime.fromisoformat(now)
    clock.utc_now = lambda: fixed  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.utc_now = original  # type: ignore[assignment]


def copy_store(template: Store) -> Store:
    """A fresh in-memory store holding the template's data (fast: SQLite's backup API)."""
    store = Store(":memory:")
    clone_into(template.db, store.db)
    return store


async def run_story(story: dict[str, Any], template: Store, build: Callable[[Store], Assistant],
                    now: str = DEFAULT_NOW) -> StoryResult:
    """Play one story on a copy of ``template`` with an assistant from ``build``, the clock at the
    story's ``now`` (else ``now``)."""
    store = copy_store(template)
    try:
        _set_up(store, story.get("setup") or {})
        assistant = build(store)
        recorder = RecordingPolicy(assistant.components.policy)
        assistant.components.policy = recorder
        result = StoryResult(story["story"], story["language"], story.get("task", "-"), len(story["turns"]))
        with frozen_clock(str(story.get("now", now))):
            for number, step in enumerate(story["turns"], start=1):
                await _play_turn(assistant, store, story, number, step, recorder, result)
        _check_store(store, story.get("expect") or {}, result)
        return result
    finally:
        store.close()


def _set_up(store: Store, setup: dict[str, Any]) -> None:
    """Rows a story needs beyond the shop's data: coupons (``customer`` names the external id)."""
    for coupon in setup.get("coupons") or []:
        row = {k: v for k, v in coupon.items() if k != "customer"}
        if coupon.get("customer"):
            row["customer_id"] = store.customers.by_external_id(coupon["customer"])["id"]
        store.db["coupons"].insert({"single_use": 1, "min_spend_cents": 0, "created_at": DEFAULT_NOW, **row})


def _identity(story: dict[str, Any]) -> Identity:
    channel, user = str(story.get("shopper", "web:story")).split(":", 1)
    return Identity(channel, user)


async def _play_turn(assistant: Assistant, store: Store, story: dict[str, Any], number: int, step: dict[str, Any],
                     recorder: RecordingPolicy, result: StoryResult) -> None:
    identity = _identity(story)
    conversation = f"{identity.channel}:{identity.user_id}"
    before = _order_snapshot(store)
    recorder.decisions.clear()
    text = str(step["user"])
    payload = text if text.startswith("/") else None
    replies = (await assistant.handle(InboundMessage(identity, text, payload=payload, message_id=f"m{number}"))).replies
    where = f"turn {number} ({text!r})"
    said = "\n".join(r.text for r in replies)
    intents = [intent for intent, _ in recorder.decisions]
    actions = [name for _, names in recorder.decisions for name in names]
    if "intent" in step and (not intents or intents[0] != step["intent"]):
        result.problems.append(f"{where}: intent {intents[:1]} != {step['intent']}")
    if "actions" in step and actions != list(step["actions"]):
        result.problems.append(f"{where}: actions {actions} != {step['actions']}")
    for fact in step.get("reply", []):
        if str(fact).lower() not in said.lower():
            result.problems.append(f"{where}: reply lacks {fact!r}: {said!r}")
    if step.get("reply_any") and not any(str(fact).lower() in said.lower() for fact in step["reply_any"]):
        result.problems.append(f"{where}: reply has none of {step['reply_any']}: {said!r}")
    for fact in step.get("not_reply", []):
        if str(fact).lower() in said.lower():
            result.problems.append(f"{where}: reply must not say {fact!r}: {said!r}")
    if "cards" in step and [c.product_id for r in replies for c in r.cards][:len(step["cards"])] != step["cards"]:
        result.problems.append(f"{where}: cards {[c.product_id for r in replies for c in r.cards]} != {step['cards']}")
    # every turn's state and replies are committed before the replies are returned
    state = store.conversations.state(conversation)
    outbound = [m["text"] for m in store.conversations.transcript(conversation) if m["direction"] == "out"]
    if state.get("turn") != number or (replies and outbound[-len(replies):] != [r.text for r in replies]):
        result.problems.append(f"{where}: state or replies not committed with the turn")
    # no order changes without a "yes" in this very turn
    if _order_snapshot(store) != before and not (intents and intents[0] == "affirm" or text == "/yes"):
        result.problems.append(f"{where}: an order changed without a yes")


def _order_snapshot(store: Store) -> tuple[Any, ...]:
    db = store.db
    return (tuple(db.execute("select id, status, address, total_cents from orders order by id").fetchall()),
            tuple(db.execute("select * from order_items order by id").fetchall()),
            tuple(db.execute("select * from payments order by id").fetchall()))


def _check_store(store: Store, expect: dict[str, Any], result: StoryResult) -> None:
    """Orders, payments, audit entries and handoffs as the story expects."""
    for order_id, fields in (expect.get("orders") or {}).items():
        order = store.orders.get(order_id)
        for key, value in fields.items():
            actual = order.get(key) if order else None
            if key == "variants":  # variant ids the order's items must include
                actual = sorted(item["variant_id"] for item in order["items"]) if order else None
                ok = actual is not None and set(value) <= set(actual)
            elif isinstance(actual, dict) and isinstance(value, dict):  # these fields of the address
                ok = all(str(actual.get(k)) == str(v) for k, v in value.items())
            elif isinstance(actual, dict) and isinstance(value, str):
                actual = " ".join(str(v) for v in actual.values())
                ok = value in actual
            else:
                ok = actual == value
            if not ok:
                result.problems.append(f"order {order_id}: {key} is {actual!r}, expected {value!r}")
    for order_id, rows in (expect.get("payments") or {}).items():
        actual = [{"kind": p["kind"], "amount_cents": p["amount_cents"]} for p in store.orders.get(order_id)["payments"]]
        for row in rows:
            if row not in actual:
                result.problems.append(f"order {order_id}: no payment row {row}; has {actual}")
    entries = [e for e in store.audit.entries() if e["actor"].startswith("customer:")]
    if "audit" in expect and [e["action"] for e in entries] != list(expect["audit"]):
        result.problems.append(f"audit {[e['action'] for e in entries]} != {expect['audit']}")
    for entry in entries:
        if entry["action"] in CHANGING_AUDIT_ACTIONS and not entry["details"].get("confirmed_by"):
            result.problems.append(f"audit entry {entry['action']} has no recorded yes")
    if "handoffs" in expect:
        reasons = [r["reason"] for r in store.db["handoffs"].rows]
        wanted = expect["handoffs"]
        if (len(reasons) != wanted) if isinstance(wanted, int) else \
                not all(any(r.startswith(w) for r in reasons) for w in wanted):
            result.problems.append(f"handoffs {reasons} != {wanted}")
    for request in expect.get("requests") or []:
        rows = list(store.db["order_requests"].rows_where(select="order_id, kind, status, refund_method"))
        if not any(all(r.get(k) == v for k, v in request.items()) for r in rows):
            result.problems.append(f"no order request {request}; has {rows}")


def summarise(results: list[StoryResult]) -> dict[str, dict[str, Any]]:
    """Per language: stories, task success rate and mean turns per task (overall and per task)."""
    summary: dict[str, dict[str, Any]] = {}
    for language in sorted({r.language for r in results}):
        mine = [r for r in results if r.language == language]
        tasks: dict[str, list[StoryResult]] = {}
        for r in mine:
            tasks.setdefault(r.task, []).append(r)
        summary[language] = {
            "stories": len(mine), "success_rate": sum(r.success for r in mine) / len(mine),
            "turns_per_task": sum(r.turns for r in mine) / len(mine),
            "tasks": {task: {"stories": len(rs), "success_rate": sum(r.success for r in rs) / len(rs),
                             "turns": sum(r.turns for r in rs) / len(rs)} for task, rs in sorted(tasks.items())},
        }
    return summary
