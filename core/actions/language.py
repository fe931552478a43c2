"""The shopper chooses the language to be answered in, in any channel: "/lang" (a command or a button)
offers 中文 / English; "/lang zh" or "/lang en" sets it for the conversation and, when the shopper is a
known customer, for the customer record (:meth:`core.profile.Profiles.set_language`)."""
from __future__ import annotations

import re
from typing import Literal

from core.actions.base import Action, ActionResult
from core.actions.smalltalk import MENU
from core.messages import Language
from core.profile import Profiles
from core.store import Store
from core.turn import Turn

LANGUAGES: tuple[Language, ...] = ("zh", "en")
_COMMAND = re.compile(r"/lang(?:\s+(\S+))?", re.IGNORECASE)


def language_step(turn: Turn) -> Language | Literal["menu"] | None:
    """The language asked for ("/lang zh"), "menu" for "/lang" alone (or a language Kefu does not
    speak), None when the message is not about the language."""
    payload = turn.message.payload
    command = _COMMAND.fullmatch((payload if payload is not None else turn.message.text).strip())
    if command is None:
        return None
    chosen = (command.group(1) or "").lower()
    return chosen if chosen in LANGUAGES else "menu"  # type: ignore[return-value]


class LanguageAction(Action):
    """Offers the languages, or switches to the one chosen and confirms it in that language."""

    name = "language"

    def __init__(self, store: Store) -> None:
        self._profiles = Profiles(store)

    async def run(self, turn: Turn) -> ActionResult:
        """The choice of languages, or the confirmation with the menu once one is chosen."""
        step = language_step(turn) or "menu"
        if step == "menu":
            return ActionResult("choose_language", buttons=[(f"language_name_{code}", f"/lang {code}")
                                                            for code in LANGUAGES], verbatim=True)
        self._profiles.set_language(turn.message.identity, step)
        turn.state.language = step  # the turn is committed, and answered, in the new language
        return ActionResult("language_set", buttons=MENU, verbatim=True)
