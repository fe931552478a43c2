"""``kefu eval replies [FILE]``: the configured reply generator against reference replies.

Each case is one shopper message (in zh or en, optionally from a demo customer, for order questions)
sent to the real assistant over the demo shop; the reply is compared with a reference reply written
by hand: BLEU (sacrebleu; its ``zh`` tokenizer, character-level for Chinese) and ROUGE-L F1
(rouge-score; characters for Chinese). With a language model it also reports how often the model's
text was refused by the grounding checker, how often the template was sent instead (refused, failed
or late), and re-checks every reply that was sent. FILE is JSON lines: id, language, text, reference,
optional customer (a demo customer's external id)."""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.app import build_assistant, warm_up
from bot.llm import ModelUnavailable, wait_for_model
from bot.settings import Settings
from core.assistant import Assistant
from core.demo.loader import load_demo_shop
from core.language import detect_language
from core.messages import Identity, InboundMessage, Language, Reply
from core.nesting import load_json
from core.reply.base import ReplyGenerator
from core.reply.llm import LLMReplyGenerator, Outcome
from core.store import Store
from core.turn import ActionResult

TOPIC = "replies"
HELP = "BLEU / ROUGE-L against reference replies, grounding violations, template fallbacks, language match"
REFERENCES = Path(__file__).parent / "data" / "replies.jsonl"
_CHINESE_TOKENS = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+")
logging.getLogger("absl").setLevel(logging.WARNING)  # rouge-score's "Using default tokenizer."


@dataclass(frozen=True)
class Case:
    """One shopper message and the reply a good agent would send."""

    id: str
    language: Language
    text: str
    reference: str
    customer: str | None = None


@dataclass
class Rendered:
    """One reply the generator made, with how it was made (None: no model)."""

    result: ActionResult
    language: Language
    reply: Reply
    outcome: Outcome | None


@dataclass
class CaseResult:
    """What the assistant answered to one case."""

    case: Case
    reply: str
    seconds: float
    rendered: list[Rendered] = field(default_factory=list)


@dataclass
class Report:
    """The numbers of one run; rates are None when nothing was there to count."""

    results: list[CaseResult]
    bleu: dict[str, float]
    rouge_l: dict[str, float]
    language_match: float
    replies: int  # replies made (a case may need several)
    model_replies: int  # replies the model was meant to phrase (KEFU_LLM_PHRASE)
    phrased: int  # replies the shopper got in the model's words
    refused: int  # model texts the grounding checker refused
    fallbacks: Counter[str]  # replies the model was meant to phrase that went out as the template, by reason
    reached_shopper: int  # sent replies that fail the grounding check
    partly: int = 0  # streamed: the model's sentences that passed, then the template's remainder

    def rate(self, count: int) -> float | None:
        """``count`` over the model replies, or None without a model."""
        return count / self.model_replies if self.model_replies else None


class Recorder(ReplyGenerator):
    """Passes replies through from the configured generator, keeping how each was made."""

    def __init__(self, inner: ReplyGenerator) -> None:
        self.inner = inner
        self.rendered: list[Rendered] = []

    async def render(self, result: ActionResult, language: Language) -> Reply:
        if isinstance(self.inner, LLMReplyGenerator):
            outcome = await self.inner.render_with_outcome(result, language)
            reply = outcome.reply
        else:
            outcome, reply = None, await self.inner.render(result, language)
        self.rendered.append(Rendered(result, language, reply, outcome))
        return reply

    async def render_streamed(self, result: ActionResult, language: Language) -> Reply:
        if not isinstance(self.inner, LLMReplyGenerator):
            return await self.render(result, language)
        outcome = await self.inner.render_streamed_with_outcome(result, language)
        self.rendered.append(Rendered(result, language, outcome.reply, outcome))
        return outcome.reply

    async def settle(self, since: int = 0) -> None:
        """Wait for the streamed replies recorded from ``since`` on; keep their final outcomes."""
        for rendered in self.rendered[since:]:
            if rendered.outcome is not None and rendered.outcome.stream is not None:
                rendered.outcome = await rendered.outcome.stream.outcome()
                rendered.reply = rendered.outcome.reply


def configure(parser: argparse.ArgumentParser) -> None:
    """Options of ``kefu eval replies``."""
    parser.add_argument("file", nargs="?", type=Path, default=REFERENCES,
                        help="reference replies (.jsonl); default: the shipped set for the demo shop")
    parser.add_argument("--show", action="store_true", help="print every reply next to its reference")
    parser.add_argument("--stream", action="store_true",
                        help="as a channel that shows replies as they are written (the web chat, Telegram) gets them")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate the configured reply generator and print the numbers."""
    try:
        cases = read_cases(args.file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"kefu eval replies: {args.file}: {exc}")
        return 2
    if not all(importlib.util.find_spec(name) for name in ("sacrebleu", "rouge_score")):
        print("kefu eval replies needs sacrebleu and rouge-score: pip install 'kefu[eval]'")
        return 2
    try:
        report = asyncio.run(evaluate(cases, settings, stream=args.stream))
    except ModelUnavailable as exc:
        print(f"kefu eval replies: {exc}")
        return 1
    print_report(report, args.show)
    return 0


def read_cases(path: Path) -> list[Case]:
    """The cases of a JSON-lines file."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = load_json(line)
            if row.get("language") not in ("zh", "en"):
                raise ValueError(f"line {number}: language must be zh or en")
            cases.append(Case(str(row["id"]), row["language"], row["text"], row["reference"], row.get("customer")))
    if not cases:
        raise ValueError("no cases")
    return cases


async def recorded_assistant(store: Store, settings: Settings) -> tuple[Assistant, Recorder]:
    """The assistant over the demo shop (loaded into ``store``) with its generator recorded, warmed up,
    its language model loaded (:class:`ModelUnavailable` if it cannot be)."""
    load_demo_shop(store)
    assistant = build_assistant(store, settings)
    recorder = Recorder(assistant.components.generator)
    assistant.components.generator = recorder
    await warm_up(assistant)
    await wait_for_model(recorder.inner, sys.stderr)
    return assistant, recorder


async def evaluate(cases: list[Case], settings: Settings, stream: bool = False) -> Report:
    """Send every case to the assistant (demo shop, configured generator) and score the replies;
    ``stream``: as a channel that shows replies as they are written (scored on their final text)."""
    store = Store(":memory:")
    try:
        assistant, recorder = await recorded_assistant(store, settings)
        results = [await _ask(assistant, store, recorder, case, n, stream) for n, case in enumerate(cases)]
        if isinstance(recorder.inner, LLMReplyGenerator):
            await recorder.inner.close()
    finally:
        store.close()
    return score(results, recorder.inner if isinstance(recorder.inner, LLMReplyGenerator) else None)


async def _ask(assistant, store: Store, recorder: Recorder, case: Case, n: int, stream: bool = False) -> CaseResult:
    identity = Identity("eval", f"case-{n}")
    if case.customer:
        customer = store.customers.by_external_id(case.customer)
        if customer is None:
            raise ValueError(f"case {case.id}: no demo customer {case.customer}")
        store.customers.link_identity(identity.channel, identity.user_id, customer["id"])
    before = len(recorder.rendered)
    started = time.perf_counter()
    replies = (await assistant.handle(InboundMessage(identity, case.text, streams=stream))).replies
    texts = [await r.stream.text() if r.stream is not None else r.text for r in replies]
    seconds = time.perf_counter() - started
    await recorder.settle(before)
    return CaseResult(case, "\n".join(texts), seconds, recorder.rendered[before:])


def score(results: list[CaseResult], generator: LLMReplyGenerator | None = None) -> Report:
    """BLEU and ROUGE-L per language, language match and the grounding counts (``generator`` re-checks
    the model replies that were sent)."""
    import sacrebleu  # the `eval` extra

    bleu, rouge_l = {}, {}
    for language in ("zh", "en"):
        mine = [r for r in results if r.case.language == language]
        if mine:
            hypotheses, references = [r.reply for r in mine], [r.case.reference for r in mine]
            bleu[language] = sacrebleu.corpus_bleu(hypotheses, [references],
                                                   tokenize="zh" if language == "zh" else "13a").score
            rouge_l[language] = rouge_l_f1(hypotheses, references, language)
    matched = sum(detect_language(r.reply).language == r.case.language for r in results)
    rendered = [x for r in results for x in r.rendered if x.outcome is not None]
    made = [x.outcome for x in rendered if x.outcome is not None]
    reached = sum(bool(x.outcome and (x.outcome.used_model or x.outcome.shown) and generator and
                       generator.violations(x.reply.text, x.result, x.outcome.draft, x.language)) for x in rendered)
    asked = [o for o in made if o.asked]
    return Report(results, bleu, rouge_l, matched / len(results), len(made), len(asked),
                  sum(o.used_model for o in made), sum(bool(o.violations) for o in made),
                  Counter(o.reason for o in asked if o.reason), reached,
                  sum(bool(o.shown) and not o.used_model for o in made))


class _ChineseTokenizer:
    """Chinese characters one by one, Latin words and numbers whole (rouge-score's tokenizer protocol)."""

    def tokenize(self, text: str) -> list[str]:
        return _CHINESE_TOKENS.findall(text.lower())


def rouge_l_f1(hypotheses: list[str], references: list[str], language: Language) -> float:
    """Mean ROUGE-L F1 (x100) of hypothesis/reference pairs; characters for Chinese."""
    from rouge_score import rouge_scorer  # the `eval` extra

    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=_ChineseTokenizer() if language == "zh" else None)
    scores = [scorer.score(ref, hyp)["rougeL"].fmeasure for hyp, ref in zip(hypotheses, references)]
    return 100 * sum(scores) / len(scores)


def print_report(report: Report, show: bool) -> None:
    """The numbers, and with ``show`` every reply next to its reference."""
    if show:
        for r in report.results:
            print(f"[{r.case.id}] {r.case.text}\n  reply:     {r.reply}\n  reference: {r.case.reference}\n")
    seconds = sorted(r.seconds for r in report.results)
    print(f"cases: {len(report.results)}   median reply time: {seconds[len(seconds) // 2]:.2f} s")
    for language in report.bleu:
        print(f"{language}: BLEU {report.bleu[language]:.1f}   ROUGE-L F1 {report.rouge_l[language]:.1f}")
    print(f"language match: {report.language_match:.1%}")
    if not report.model_replies:
        print("model replies: 0 (template replies only: no grounding violations or fallbacks to count)")
        return
    fallbacks = sum(report.fallbacks.values())
    print(f"replies: {report.replies}; the model's to phrase (KEFU_LLM_PHRASE): {report.model_replies}; "
          f"phrased by the model: {report.phrased} ({report.phrased / report.replies:.1%} of all replies)"
          + (f"; partly, streamed then the template's remainder: {report.partly}" if report.partly else ""))
    print(f"grounding violations caught (model text refused): {report.refused} ({report.rate(report.refused):.1%})")
    print(f"template fallback: {fallbacks} ({report.rate(fallbacks):.1%}); by reason: {format_reasons(report.fallbacks)}")
    print(f"grounding violations reaching the shopper: {report.reached_shopper}")


def format_reasons(reasons: Counter[str]) -> str:
    """``too_slow 3, question 1`` (most common first), or ``none``."""
    return ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()) or "none"
