"""Plays each task k times (a different seed, so other phrasings and behaviour each time) on a fresh copy
of the shop, with a bounded number of turns, and keeps every transcript."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.evals.simulate.judge import judge, snapshot
from bot.evals.simulate.shopper import Shopper
from bot.evals.simulate.tasks import Task
from bot.evals.stories import copy_store, frozen_clock
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.store import Store

MAX_TURNS = 10


@dataclass
class Run:
    """One play of a task: its transcript (speaker, text) and the judge's problems."""

    task: Task
    seed: int
    transcript: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        """The judge found nothing wrong."""
        return not self.problems


async def play(task: Task, seed: int, template: Store, build: Callable[[Store], Assistant], now: str) -> Run:
    """One run of ``task`` with ``seed`` on a copy of ``template``."""
    store = copy_store(template)
    run = Run(task, seed)
    try:
        assistant, shopper = build(store), Shopper(task, seed)
        channel, user = task.shopper.split(":", 1)
        before, said = snapshot(store), []
        with frozen_clock(now):
            text: str | None = shopper.opening()
            for number in range(1, MAX_TURNS + 1):
                if text is None:
                    break
                run.transcript.append(("shopper", text))
                result = await assistant.handle(InboundMessage(Identity(channel, user), text, message_id=f"s{number}"))
                reply = "\n".join(r.text for r in result.replies)
                run.transcript.append(("kefu", reply))
                said.append(reply)
                text = shopper.react(reply)
            else:
                run.problems.append(f"still talking after {MAX_TURNS} turns")
        run.problems += judge(task, before, snapshot(store), "\n".join(said))
        return run
    finally:
        store.close()


async def play_all(tasks: list[Task], k: int, seed: int, template: Store, build: Callable[[Store], Assistant],
                   now: str) -> list[Run]:
    """Every task ``k`` times, seeds ``seed`` … ``seed + k - 1``."""
    return [await play(task, seed + i, template, build, now) for task in tasks for i in range(k)]
