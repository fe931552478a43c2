"""``/start``: the language, then the marketing-consent question — Telegram's own welcome.

The language buttons come back as "tg:start:…" callbacks and are passed to the core as its "/lang …"
payload (:mod:`core.actions.language`, the same choice as ``/lang`` everywhere); the consent question
follows in the chosen language. Consent is the core's (:mod:`core.profile`); this module only asks."""
from __future__ import annotations

from adapters.telegram.rendering import Outgoing
from adapters.telegram.shopper import CHANNEL, MENU, Shopper
from core.actions.language import LANGUAGES
from core.i18n import t
from core.messages import Button, Language


def language_menu(shopper: Shopper) -> list[Outgoing]:
    """Language buttons, each language named in itself; the choice continues with the consent question."""
    return shopper.text("choose_language", [Button(t(f"language_name_{code}", code), f"tg:start:{code}")
                                            for code in LANGUAGES])


async def choose_language(shopper: Shopper, language: Language) -> None:
    """The core switches to the chosen language and confirms it; then the consent question, in it."""
    result = await shopper.turn(t(f"language_name_{language}", language), payload=f"/lang {language}")
    question = shopper.text("consent_ask", (("btn_yes", "tg:consent:yes"), ("btn_no", "tg:consent:no")),
                            lang=result.language)
    await shopper.send(shopper.render(result) + question)


async def answer_consent(shopper: Shopper, granted: bool) -> None:
    """Record the marketing consent answer, with its time and source "telegram"."""
    customer = shopper.ensure_customer()
    shopper.services.profiles.set_marketing_consent(customer["id"], granted, CHANNEL)
    await shopper.send(shopper.text("consent_granted" if granted else "consent_declined") +
                       shopper.text("ready", MENU))
