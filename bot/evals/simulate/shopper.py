"""The rule-based simulated shopper: given a task and a seed it opens, then reacts to each bot reply
(which order, identity, reasons, a new address, yes / no), with varied behaviour drawn from the seed:
verify first or when asked, the order number up front or when asked, a correction, one digression
while a yes/no waits, typos, a natural no."""
from __future__ import annotations

import random
import re

from bot.evals.simulate.phrasing import phrase, typo
from bot.evals.simulate.tasks import Task
from core.i18n import MESSAGES

_PROMPTS = {
    "credentials": ("need_identity_chat", "need_second_factor"),
    "stop": ("auth_failed", "auth_locked"),
    "which": ("ask_order",),
    "cancel_reason": ("ask_cancel_reason",),
    "new_address": ("ask_address",),
    "return_items": ("ask_return_items",),
    "return_reason": ("ask_return_reason",),
    "refund_method": ("ask_refund_method",),
    "confirm": ("confirm_cancel_order", "confirm_change_address", "confirm_return_items", "confirm_again"),
}
TYPO_RATE = 0.1


def _fragment(key: str, lang: str) -> str:
    """The longest literal piece of the bot's string ``key``: how the shopper recognises that prompt."""
    return max(re.split(r"\{[^}]*\}|\n", MESSAGES[key][lang]), key=len).strip()


class Shopper:
    """One simulated shopper for ``task``; every choice comes from ``seed``."""

    def __init__(self, task: Task, seed: int) -> None:
        self.task = task
        self.rng = random.Random(f"{task.name}:{seed}")
        order_flow = task.order_id is not None
        self.verify_first = order_flow and not task.linked and self.rng.random() < 0.5
        self.names_order = order_flow and self.rng.random() < 0.7
        self.correction = self.names_order and task.other_order is not None and self.rng.random() < 0.25
        self.digress = self.rng.random() < 0.3
        self.queue: list[str] = []
        self.corrected_pick = False
        self.named = False

    def opening(self) -> str:
        """The first message (and what follows it unprompted)."""
        task, request = self.task, self._request()
        if self.verify_first:
            self.queue.insert(0, request)
            return self._say("verify_first", email=task.email or "", zip=task.zip or "")
        return request

    def _request(self) -> str:
        task = self.task
        if task.order_id is None:
            return self._say(task.flow, product=task.product or "", option=task.option or "")
        self.named = self.names_order
        if not self.names_order:
            return self._say(f"{task.flow}_open")
        if self.correction:
            self.queue.append(self._say("correct", order=task.order_id))
            return self._say(task.flow, order=task.other_order or "")
        return self._say(task.flow, order=task.order_id)

    def react(self, reply: str) -> str | None:
        """The next message after the bot's ``reply``; None when the shopper is done."""
        self.named = self.named or (self.task.order_id or "\0") in reply
        if self.correction and self.queue:
            return self.queue.pop(0)
        prompt = next((move for move, keys in _PROMPTS.items()
                       if any(_fragment(key, self.task.lang) in reply for key in keys)), None)
        if prompt == "which":
            return self._say("which", order=self.task.order_id or "")
        if self._wrong_order(reply):
            self.corrected_pick = True
            return self._say("correct", order=self.task.order_id or "")
        if prompt == "stop":
            return None
        if prompt == "credentials":
            return self._say("credentials", email=self.task.email or "", zip=self.task.zip or "")
        if prompt == "confirm":
            if self.digress:
                self.digress = False
                return self._say("digress")
            return self._say(self.task.answer)
        if prompt:
            return self._say(prompt)
        if self.queue:
            return self.queue.pop(0)
        return self._name_order(reply)

    def _name_order(self, reply: str) -> str | None:
        """The bot is done and neither side has spoken of the shopper's order yet: name it, once."""
        task = self.task
        if task.order_id is None or self.named:
            return None
        self.named = True
        return self._say(task.flow, order=task.order_id)

    def _wrong_order(self, reply: str) -> bool:
        """The bot went on with another of the shopper's orders (it picked one itself): say which, once."""
        task = self.task
        return (not self.corrected_pick and not self.correction and task.order_id is not None
                and task.order_id not in reply and any(o in reply for o in task.own_orders))

    def _say(self, move: str, **facts: str) -> str:
        return typo(phrase(move, self.task.lang, self.rng, **facts), TYPO_RATE, self.rng)
