"""Which replies a language model may phrase, by reply kind (the ActionResult's ``template``).

Product lists, cards, order status, prices, policy steps and every question a flow asks are exact as
templates: rephrasing them only risks dropping what the shopper must answer or see. The model's turn
is free text: knowledge-base answers and small talk (docs/LLM.md has the table).
``KEFU_LLM_PHRASE``: ``auto`` (those kinds), ``all`` (every reply that is not verbatim), ``none``, or
a comma-separated list of kinds."""
from __future__ import annotations

from dataclasses import dataclass

from core.turn import ActionResult

# Free text the model may phrase by default: knowledge-base answers and small talk.
FREE_TEXT_KINDS = frozenset({"faq_answer", "greet", "goodbye", "thanks"})


@dataclass(frozen=True)
class PhrasePolicy:
    """``kinds``: the reply kinds the model may phrase; None: all of them. Verbatim replies never."""

    kinds: frozenset[str] | None = FREE_TEXT_KINDS

    @classmethod
    def parse(cls, setting: str) -> PhrasePolicy:
        """The policy a ``KEFU_LLM_PHRASE`` value names (see the module's docstring)."""
        value = setting.strip().lower()
        if value == "auto":
            return cls()
        if value == "all":
            return cls(None)
        if value == "none":
            return cls(frozenset())
        kinds = frozenset(kind.strip() for kind in value.split(",") if kind.strip())
        if not kinds:
            raise ValueError("KEFU_LLM_PHRASE must be auto, all, none or a comma-separated list of reply kinds")
        return cls(kinds)

    def allows(self, result: ActionResult) -> bool:
        """True when the model may phrase this reply."""
        return not result.verbatim and (self.kinds is None or result.template in self.kinds)
