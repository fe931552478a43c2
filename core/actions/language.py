"""The shopper chooses the language to be answered in, in any channel: "/lang" (a command or a button)
offers 中文 / English; "/lang zh" or "/lang en" sets it for the conversation and, when the shopper is a
known customer, for the customer record (:meth:`core.profile.Profiles.set_language`)."""
from __future__ import annotations

from core.actions.base import Action
from core.actions.smalltalk import MENU
from core.dialogue.recognisers import language_step
from core.messages import LANGUAGES
from core.profile import Profiles
from core.store import Store
from core.turn import ActionResult, Turn


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
