"""Template replies: always available, the default and the fallback of every other generator."""
from __future__ import annotations

from typing import Any

from core.i18n import t
from core.messages import Button, Language, Reply
from core.reply.base import ReplyGenerator
from core.reply.cards import product_card
from core.turn import ActionResult


def localise(value: Any, language: Language) -> Any:
    """A fact in the shopper's language: {"zh": …, "en": …} picks one; other values pass through."""
    if isinstance(value, dict) and set(value) >= {"zh", "en"}:
        return value[language]
    if isinstance(value, dict):
        return {k: localise(v, language) for k, v in value.items()}
    return value


class TemplateReplyGenerator(ReplyGenerator):
    """Fills the action's bilingual template with its facts."""

    async def render(self, result: ActionResult, language: Language) -> Reply:
        """Text from :mod:`core.i18n`, cards for products and recommendations, translated buttons."""
        facts = {k: localise(v, language) for k, v in result.facts.items()}
        cards = [product_card(hit, language) for hit in result.products]
        cards += [product_card(r.hit, language, subtitle=t(r.reason, language, **localise(r.reason_facts, language)))
                  for r in result.recommendations]
        return Reply(
            text=t(result.template, language, **facts),
            buttons=tuple(Button(t(label, language), payload) for label, payload in result.buttons),
            cards=tuple(cards),
            language=language,
        )
