"""The assistant apologises only for a bad experience the shopper reports (issue #20): the project's
own neutral and negative requests in zh and en, each run through the assistant on the demo shop."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.i18n import t
from core.messages import Identity, InboundMessage

DATA = Path(__file__).parent.parent / "bot" / "evals" / "data" / "apology"
APOLOGIES = {lang: (t("tone_apology", lang), t("tone_apology_brief", lang)) for lang in ("zh", "en")}


def lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


async def apologised_share(assistant, lang: str, kind: str) -> float:
    texts = lines(f"{kind}_{lang}.txt")
    hits = 0
    for n, text in enumerate(texts):
        replies = (await assistant.handle(InboundMessage(Identity("web", f"{kind}-{lang}-{n}"), text))).replies
        hits += any(a in r.text for r in replies for a in APOLOGIES[lang])
    return hits / len(texts)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_neutral_requests_get_no_apology(assistant, lang):
    assert await apologised_share(assistant, lang, "neutral") <= 0.03


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_negative_experiences_still_get_one(assistant, lang):
    assert await apologised_share(assistant, lang, "negative") >= 0.6
