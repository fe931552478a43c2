"""What the assistant's replies come to on the demo shop, for the tone and parity evals: whether a
request is apologised to (the tone module's apology openers in the actual reply), and the kind of
outcome (:attr:`core.turn.TurnResult.outcome`) of the same request in zh and en."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.app import build_assistant
from bot.settings import load_settings
from core.assistant import Assistant
from core.demo.loader import load_demo_shop
from core.i18n import t
from core.messages import Identity, InboundMessage
from core.store import Store
from core.turn import TurnResult

DATA = Path(__file__).resolve().parent / "data"
APOLOGY_DATA = DATA / "apology"
PAIRS = DATA / "parity_pairs.tsv"
LANGUAGES = ("zh", "en")


def demo_assistant() -> Assistant:
    """The embedded assistant (templates) over a fresh in-memory copy of the demo shop."""
    settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                             kefu_llm_backend="templates", kefu_rate_limit_messages=0)
    store = Store(":memory:")
    load_demo_shop(store)
    return build_assistant(store, settings)


async def ask(assistant: Assistant, conversation: str, text: str) -> TurnResult:
    """One message in a conversation of its own."""
    return await assistant.handle(InboundMessage(Identity("web", conversation), text))


def apologised(result: TurnResult, language: str) -> bool:
    """Whether a reply of the turn carries the tone's apology (either length)."""
    phrases = (t("tone_apology", language), t("tone_apology_brief", language))  # type: ignore[arg-type]
    return any(p in r.text for r in result.replies for p in phrases)


def request_lines(kind: str, language: str) -> list[str]:
    """The project's own ``neutral`` or ``negative`` requests in ``language``."""
    text = (APOLOGY_DATA / f"{kind}_{language}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


async def apologised_to(assistant: Assistant, kind: str, language: str) -> list[str]:
    """The project's requests of that kind and language whose reply apologises."""
    return await apologised_among(assistant, request_lines(kind, language), language, f"{kind}-{language}")


async def apologised_among(assistant: Assistant, texts: list[str], language: str, tag: str) -> list[str]:
    """The ``texts`` (requests in ``language``) whose reply apologises, each in a conversation of its own."""
    hits = []
    for n, text in enumerate(texts):
        if apologised(await ask(assistant, f"apology-{tag}-{n}", text), language):
            hits.append(text)
    return hits


@dataclass(frozen=True)
class PairOutcome:
    """The outcome kind of one request in each language."""

    zh: str
    en: str
    zh_outcome: str
    en_outcome: str

    @property
    def same(self) -> bool:
        """Whether both languages came to the same kind of outcome."""
        return self.zh_outcome == self.en_outcome


def read_pairs(path: Path = PAIRS) -> list[tuple[str, str]]:
    """(zh, en) pairs of the same request, one a line, tab-separated: zh first, or in the order a first
    line ``en<TAB>zh`` / ``zh<TAB>en`` names (the external set has ``en<TAB>zh``)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    header = [column.strip() for column in lines[0].split("\t")] if lines else []
    order = header if sorted(header) == ["en", "zh"] else None
    rows = []
    for number, line in enumerate(lines[1:] if order else lines, start=2 if order else 1):
        columns = line.split("\t")
        if len(columns) != 2:
            raise ValueError(f"{path}:{number}: expected two tab-separated requests, got {line!r}")
        by_lang = dict(zip(order or ["zh", "en"], (c.strip() for c in columns)))
        rows.append((by_lang["zh"], by_lang["en"]))
    return rows


async def pair_outcomes(assistant: Assistant, pairs: list[tuple[str, str]]) -> list[PairOutcome]:
    """Each pair asked in a fresh conversation per language."""
    out = []
    for n, (zh, en) in enumerate(pairs):
        zh_result = await ask(assistant, f"parity-zh-{n}", zh)
        en_result = await ask(assistant, f"parity-en-{n}", en)
        out.append(PairOutcome(zh, en, zh_result.outcome, en_result.outcome))
    return out
