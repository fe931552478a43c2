"""The actions that drive multi-turn flows (cancel, return, exchange, …) through the task engine:
``task`` starts or continues one, ``task_remind`` returns to it after a digression, ``task_abandon``
drops it when the shopper says "算了" or "never mind"."""
from __future__ import annotations

from abc import abstractmethod

from core.actions.base import Action, ActionResult
from core.dialogue.engine import FLOW_OF_INTENT, FLOWS, TaskEngine
from core.dialogue.flows.base import task_label
from core.dialogue.flows.slots import names_awaited_value
from core.turn import Turn

SWITCH_CONFIDENCE = 0.8
SECOND_READING_CONFIDENCE = 0.3
FREE_TEXT_SLOTS = ("reason", "address")


def flow_for(turn: Turn) -> str | None:
    """The flow this message asks for, if any: its intent's; with an order id, also the flow of the
    second reading when the first is none ("exchange the boots in W123 for size 9" read as exchange /
    place_order); a new address the model cannot place (out_of_scope) asks to change the delivery address."""
    nlu = turn.nlu
    flow = FLOW_OF_INTENT.get(nlu.intent)
    if flow is None and "order_id" in nlu.entities:
        flow = next((FLOW_OF_INTENT[r.intent] for r in nlu.readings[1:2] if r.intent in FLOW_OF_INTENT
                     and r.confidence >= SECOND_READING_CONFIDENCE), None)
    if flow is None and nlu.intent == "out_of_scope" and "address" in nlu.entities:
        flow = "change_address"
    return flow


def switches_task(turn: Turn) -> bool:
    """Whether the message clearly asks for a different flow than the one under way ("actually, I'd
    rather return it"), rather than answering its question. A look-up while a change waits for its yes
    ("what's the status of that order right now?") is a digression: the yes/no stays open."""
    state = turn.state
    wanted = flow_for(turn)
    looks_up_meanwhile = bool(state.pending and wanted and not FLOWS[wanted].changes_order)  # a digression
    return bool(state.active_task and wanted and wanted != state.active_task
                and turn.nlu.confidence >= SWITCH_CONFIDENCE and not turn.message.text.startswith("/")
                and state.awaiting not in FREE_TEXT_SLOTS and not names_awaited_value(turn) and not looks_up_meanwhile)


class _EngineAction(Action):
    """An action on the task engine. A change the shopper confirmed in a turn cut off before its commit
    is answered first, whatever this message asks of the task (:meth:`TaskEngine.interrupted`)."""

    def __init__(self, engine: TaskEngine) -> None:
        self._engine = engine

    async def run(self, turn: Turn) -> ActionResult:
        """The interrupted change's result, or this action's step."""
        return self._engine.interrupted(turn) or await self._step(turn)

    @abstractmethod
    async def _step(self, turn: Turn) -> ActionResult:
        """What the action does with the task."""


class TaskAction(_EngineAction):
    """Starts the flow the intent asks for (or switches to it), or carries the active one forward."""

    name = "task"

    async def _step(self, turn: Turn) -> ActionResult:
        """One step of the flow."""
        wanted = flow_for(turn)
        if turn.state.active_task is None or switches_task(turn):
            if wanted is None:
                return ActionResult("fallback", understood=False)
            self._engine.start(turn, wanted)
        return await self._engine.advance(turn)


class VerifyAction(_EngineAction):
    """Identity details sent before the shopper asked for anything: verify and keep them."""

    name = "verify"

    async def _step(self, turn: Turn) -> ActionResult:
        """The check's answer, and what the shopper can ask next."""
        return self._engine.verify(turn)


class TaskRemindAction(_EngineAction):
    """After a digression is answered: "Back to your return: …" with the flow's open question."""

    name = "task_remind"

    async def _step(self, turn: Turn) -> ActionResult:
        """The reminder (nothing when the digression ended the task, e.g. a handoff)."""
        if turn.state.active_task is None:
            return ActionResult("task_none")
        return await self._engine.remind(turn)


class TaskAbandonAction(_EngineAction):
    """Drops the active flow; nothing was changed."""

    name = "task_abandon"

    async def _step(self, turn: Turn) -> ActionResult:
        """Confirm that the task stopped and nothing changed."""
        label = task_label(turn.state.active_task or "")
        self._engine.stop(turn)
        return ActionResult("task_abandoned", {"task": label})
