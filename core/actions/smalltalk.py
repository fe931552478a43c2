"""Greetings, thanks and goodbyes."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.turn import Turn

MENU = [("btn_track", "/orders"), ("btn_recommend", "/more"), ("btn_human", "/human")]


class SmallTalkAction(Action):
    """Answers with a fixed, friendly template; the greeting also offers a menu."""

    def __init__(self, name: str, template: str, shop_name: dict[str, str], with_menu: bool = False) -> None:
        self.name = name
        self._template = template
        self._shop_name = shop_name
        self._with_menu = with_menu

    async def run(self, turn: Turn) -> ActionResult:
        """Reply with the template (and the menu for a greeting)."""
        return ActionResult(self._template, {"shop": self._shop_name}, buttons=MENU if self._with_menu else [])
