"""The actions that drive multi-turn flows (cancel, return, exchange, …) through the task engine:
``task`` starts or continues one, ``task_remind`` returns to it after a digression, ``task_abandon``
drops it when the shopper says "算了" or "never mind"."""
from __future__ import annotations

from abc import abstractmethod

from core.actions.base import Action
from core.dialogue.engine import TaskEngine
from core.dialogue.recognisers import flow_for, switches_task
from core.turn import ActionResult, Turn


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
        return self._engine.abandon(turn)
