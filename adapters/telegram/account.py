"""The shopper's own settings and data: language, marketing consent, export and deletion.

Commands open these flows (``/start``, ``/lang``, ``/unsubscribe``, ``/privacy``); the buttons
they show come back as "tg:…" callbacks and finish them. Consent and data rights are the core's
(:mod:`core.profile`, :mod:`core.privacy`); this module only asks and answers."""
from __future__ import annotations

import json

from adapters.telegram.rendering import Outgoing
from adapters.telegram.shopper import CHANNEL, MENU, Shopper
from core.clock import utc_now
from core.messages import Button
from core.privacy import erase_customer_data, export_customer_data

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
"""Each language named in itself, as language pickers do."""


def language_menu(shopper: Shopper, then_consent: bool) -> list[Outgoing]:
    """Language buttons; from /start the choice continues with the consent question."""
    step = "start" if then_consent else "lang"
    return shopper.text("choose_language", [Button(name, f"tg:{step}:{code}") for code, name in LANGUAGE_NAMES.items()])


async def choose_language(shopper: Shopper, language: str, then_consent: bool) -> None:
    """Store the chosen language (customer and conversation), then ask for consent or offer the menu."""
    shopper.ensure_customer()
    shopper.services.profiles.set_language(shopper.identity, language)  # type: ignore[arg-type]
    follow_up = shopper.text("consent_ask", (("btn_yes", "tg:consent:yes"), ("btn_no", "tg:consent:no"))) \
        if then_consent else shopper.text("ready", MENU)
    await shopper.send(shopper.text("language_set") + follow_up)


async def answer_consent(shopper: Shopper, granted: bool) -> None:
    """Record the marketing consent answer, with its time and source "telegram"."""
    customer = shopper.ensure_customer()
    shopper.services.profiles.set_marketing_consent(customer["id"], granted, CHANNEL)
    await shopper.send(shopper.text("consent_granted" if granted else "consent_declined") +
                       shopper.text("ready", MENU))


def unsubscribe_question(shopper: Shopper) -> list[Outgoing]:
    """Ask before withdrawing consent."""
    return shopper.text("unsubscribe_confirm", (("btn_yes", "tg:unsub:yes"), ("btn_no", "tg:unsub:no")))


async def answer_unsubscribe(shopper: Shopper, confirmed: bool) -> None:
    """Withdraw marketing consent when confirmed."""
    if confirmed:
        customer = shopper.ensure_customer()
        shopper.services.profiles.set_marketing_consent(customer["id"], False, CHANNEL)
    await shopper.send(shopper.text("unsubscribed" if confirmed else "unsubscribe_kept"))


def privacy_menu(shopper: Shopper) -> list[Outgoing]:
    """Export or delete."""
    return shopper.text("privacy_menu", (("btn_export", "tg:privacy:export"), ("btn_delete", "tg:privacy:delete")))


async def privacy_action(shopper: Shopper, choice: str) -> None:
    """"export" sends the data as a JSON document; "delete" asks for an explicit confirmation."""
    customer = shopper.customer()
    if customer is None:
        await shopper.send(shopper.text("privacy_nothing"))
    elif choice == "export":
        document = export_customer_data(shopper.services.store, customer["id"], actor=f"{CHANNEL}:{shopper.user.id}")
        content = json.dumps(document, ensure_ascii=False, indent=2, default=str)
        name = f"kefu-my-data-{utc_now():%Y%m%d}.json"
        caption = shopper.text("privacy_export_ready")[0].html
        await shopper.send([Outgoing("document", caption, filename=name, content=content)])
    else:
        await shopper.send(shopper.text("privacy_delete_confirm",
                                        (("btn_yes_delete", "tg:erase:yes"), ("btn_no", "tg:erase:no"))))


async def answer_erase(shopper: Shopper, confirmed: bool) -> None:
    """Erase the shopper's personal data when confirmed, the chat's stored messages included."""
    customer = shopper.customer()
    if not confirmed or customer is None:
        await shopper.send(shopper.text("privacy_delete_cancelled" if customer else "privacy_nothing"))
        return
    language = shopper.language
    erase_customer_data(shopper.services.store, customer["id"], actor=f"{CHANNEL}:{shopper.user.id}")
    shopper.services.outbox.forget(shopper.chat_id)
    await shopper.send(shopper.text("privacy_deleted", lang=language))
