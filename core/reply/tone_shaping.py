"""Applies a turn's :class:`~core.sentiment.tone.Tone` around any reply generator: content first
(no unsolicited recommendations to an upset shopper, brief templates for urgency), then wording
(apology, reassurance with the order's expected date, a review invitation). Every added sentence
comes from :mod:`core.i18n`; every fact in it from the store."""
from __future__ import annotations

from dataclasses import replace

from core.i18n import MESSAGES, t
from core.messages import Language, Reply
from core.sentiment.tone import Tone
from core.stream import FramedStream
from core.turn import ActionResult

ASKED_FOR_RECOMMENDATIONS = ("recommend",)
# Templates that introduce recommendations, and their wording without them.
WITHOUT_RECOMMENDATIONS = {"search_none": "search_none_at_all"}


def shape_result(result: ActionResult, tone: Tone) -> ActionResult:
    """The action's result adjusted before phrasing."""
    if not tone.upsell and result.recommendations and result.template not in ASKED_FOR_RECOMMENDATIONS:
        template = WITHOUT_RECOMMENDATIONS.get(result.template, result.template)
        result = replace(result, template=template, recommendations=[])
    if tone.brief and f"{result.template}_brief" in MESSAGES:
        result = replace(result, template=f"{result.template}_brief")
    return result


def apply_tone(reply: Reply, tone: Tone, language: Language) -> Reply:
    """The reply with the tone's opening and closing sentences (around its stream too, if streamed)."""
    opening = []
    if tone.apologise:
        opening.append(t("tone_apology_brief" if tone.brief else "tone_apology", language))
    if tone.reassure and tone.expected_delivery:
        opening.append(t("tone_reassure_order", language, order_id=tone.order_id, expected=tone.expected_delivery))
    elif tone.reassure and not tone.brief:
        opening.append(t("tone_reassure", language))
    closing = [t("tone_review_invite", language, order_id=tone.review_order_id)] if tone.review_order_id else []
    if not opening and not closing:
        return reply
    separator = "" if language == "zh" else " "
    text = "\n".join(filter(None, [separator.join(opening), reply.text, *closing]))
    if reply.stream is None:
        return replace(reply, text=text)
    before = separator.join(opening) + "\n" if opening else ""  # a streamed reply gets the same frame
    return replace(reply, text=text, stream=FramedStream(reply.stream, before, "".join("\n" + c for c in closing)))
