"""Start-up: builds the store and the assistant from settings."""
from __future__ import annotations

import logging
from datetime import timedelta

from adapters.text import ScriptChannel, TerminalChannel
from bot.channel_tables import register_channel_tables
from bot.llm import build_reply_generator
from bot.settings import Settings, SettingsError
from bot.shops import build_shop
from core.actions.ask_human import HandoffAction
from core.actions.base import Action
from core.actions.clarify import ClarifyAction
from core.actions.csat import CsatAction
from core.actions.data_rights import PrivacyAction
from core.actions.fallback import FallbackAction
from core.actions.knowledge import KnowledgeAction
from core.actions.language import LanguageAction
from core.actions.product_info import ProductInfoAction
from core.actions.product_search import ProductSearchAction
from core.actions.recommend import RecommendAction
from core.actions.smalltalk import SmallTalkAction
from core.actions.task import TaskAbandonAction, TaskAction, TaskRemindAction, VerifyAction
from core.actions.track_order import TrackOrderAction
from core.actions.unsubscribe import UnsubscribeAction
from core.assistant import Assistant, Components
from core.csat import Csat
from core.demo.loader import load_demo_shop
from core.dialogue.engine import TaskEngine
from core.nlu.base import NLU
from core.nlu.encoder import shared_encoder
from core.nlu.keyword import KeywordNLU
from core.nlu.trained import TrainedNLU
from core.ordering import TurnLocks
from core.policy.dialogue import DialoguePolicy
from core.policy.rules import RulePolicy
from core.policy.sentiment_strategy import SentimentStrategy, Thresholds
from core.ratelimit import RateLimiter
from core.recommend.base import Recommender
from core.recommend.hybrid import HybridRecommender
from core.recommend.rules import RulesError, ShopRules
from core.reply.base import ReplyGenerator
from core.reply.llm import LLMReplyGenerator
from core.retrieval.knowledge import KnowledgeRetriever
from core.sentiment.base import SentimentAnalyzer
from core.sentiment.lexicon import LexiconSentiment
from core.sentiment.linear import LinearSentiment
from core.shop.aftersales import PolicyError, ShopPolicy, publish_policy_articles
from core.shop.live import LiveOrders
from core.shop.port import ShopBackend
from core.staff import ExtractiveSummarizer, HandoffHub, LLMSummarizer, Summarizer
from core.store import Store
from core.store.engine.advisory import setup_lock

log = logging.getLogger(__name__)


def open_store(settings: Settings) -> Store:
    """Open the database, migrating it (every channel's own tables too), and load the demo shop into an
    empty one if enabled."""
    store = Store(settings.store_target)
    with setup_lock(store.db):  # workers started together: one registers and seeds, the others find it done
        register_channel_tables(store)
        if settings.kefu_load_demo_shop and store.is_empty():
            reports = load_demo_shop(store)
            log.info("loaded the demo shop: %s", ", ".join(f"{r.imported} {kind}" for kind, r in reports.items()))
    return store


def build_sentiment(name: str) -> SentimentAnalyzer:
    """The sentiment analyser a setting names: ``linear`` (the trained model) or ``lexicon``."""
    return LinearSentiment() if name == "linear" else LexiconSentiment()


def sentiment_thresholds(settings: Settings) -> Thresholds:
    """The sentiment strategy's thresholds from settings."""
    return Thresholds(mood_alpha=settings.kefu_mood_alpha, apology_score=settings.kefu_sentiment_apology_score,
                      handoff_score=settings.kefu_sentiment_handoff_score,
                      mood_handoff=settings.kefu_mood_handoff_score, upsell_floor=settings.kefu_mood_upsell_floor,
                      review_score=settings.kefu_review_invite_score)


def build_recommender(store: Store, settings: Settings) -> HybridRecommender:
    """The hybrid recommender with the shop's rules; its index is built now and kept fresh."""
    try:
        rules = ShopRules.load(settings.kefu_recommend_rules_path)
    except RulesError as exc:
        raise SettingsError(f"KEFU_RECOMMEND_RULES_PATH: {exc}") from None
    return HybridRecommender(store, rules, settings.kefu_recommend_refresh_seconds)


def build_nlu(store: Store, settings: Settings) -> NLU:
    """The NLU over the live catalogue: the trained model (the shop's if ``kefu train`` made one), or
    the bilingual keyword rules when ``KEFU_NLU=keyword``."""
    if settings.kefu_nlu == "keyword":
        return KeywordNLU(store.catalog.categories(), settings.kefu_default_language)
    products = list(store.db["products"].rows_where(select="id, title_zh, title_en"))
    try:
        return TrainedNLU.from_dir(settings.kefu_nlu_dir, store.catalog.categories(), products,
                                   settings.kefu_default_language, settings.kefu_nlu_second_stage)
    except (OSError, ValueError) as exc:  # unreadable, or trained with another word-vector table
        raise SettingsError(f"KEFU_NLU_DIR: {exc}") from None


def load_shop_policy(settings: Settings) -> ShopPolicy:
    """The shop's after-sales policy file (the demo shop's when the setting is unset)."""
    try:
        return ShopPolicy.load(settings.kefu_shop_policy_path)
    except PolicyError as exc:
        raise SettingsError(f"KEFU_SHOP_POLICY_PATH: {exc}") from None


def build_retriever(store: Store, settings: Settings) -> KnowledgeRetriever:
    """Knowledge-base search as configured: hybrid (BM25 and the packaged encoder) or BM25 only."""
    encoder = shared_encoder() if settings.kefu_kb_retrieval == "hybrid" else None
    return KnowledgeRetriever(store, encoder, settings.kefu_kb_min_score)


async def warm_up(assistant: Assistant) -> None:
    """Prepare what the first turns would otherwise wait for: the knowledge base's search index
    (articles not yet embedded are embedded and cached; seconds on a fresh database)."""
    knowledge = assistant.components.actions.get("knowledge")
    if isinstance(knowledge, KnowledgeAction):
        await knowledge.retriever.warm()


def build_summarizer(store: Store, generator: ReplyGenerator) -> Summarizer:
    """Handoff summaries from the reply generator's language model, checked by its grounding checker,
    when there is one; else extractive."""
    if isinstance(generator, LLMReplyGenerator):
        return LLMSummarizer(store, generator.backend, generator.checker)
    return ExtractiveSummarizer(store)


def build_assistant(store: Store, settings: Settings, recommender: Recommender | None = None,
                    shop: ShopBackend | None = None, generator: ReplyGenerator | None = None,
                    locks: TurnLocks | None = None) -> Assistant:
    """The assistant with the embedded default components (``recommender``, ``generator``: ones already
    built, to share; ``shop``: the shop backend, else the one ``KEFU_SHOP_BACKEND`` names; ``locks``:
    turn locks shared with other workers, else the process's own)."""
    shop_name = {"zh": settings.kefu_shop_name_zh, "en": settings.kefu_shop_name_en}
    recommender = recommender or build_recommender(store, settings)
    shop_policy = load_shop_policy(settings)
    publish_policy_articles(store.knowledge, shop_policy)  # the FAQ's policy text comes from the same file
    generator = generator or build_reply_generator(settings, store)
    handoff = HandoffHub(store, build_summarizer(store, generator),  # staff sinks and channels join in kefu run
                         settings.kefu_default_language)
    csat = Csat(store, enabled=settings.kefu_csat)
    handoff.csat = csat
    shop = shop or build_shop(settings, store)
    engine = TaskEngine(store, shop_policy, handoff, shop)
    actions: list[Action] = [
        SmallTalkAction("greet", "greet", shop_name, with_menu=True),
        SmallTalkAction("goodbye", "goodbye", shop_name),
        SmallTalkAction("thank_you", "thanks", shop_name),
        ProductSearchAction(store, recommender, currency=shop_policy.currency),
        ProductInfoAction(store, recommender),
        RecommendAction(store, recommender),
        TrackOrderAction(store, LiveOrders(store, shop, settings.kefu_shop_timeout_s)),
        KnowledgeAction(store, build_retriever(store, settings), FallbackAction(handoff=handoff)),
        HandoffAction(store, handoff),
        UnsubscribeAction(store),
        LanguageAction(store),
        PrivacyAction(store, settings.public_url, timedelta(minutes=settings.kefu_privacy_link_minutes)),
        ClarifyAction(),
        CsatAction(csat),
        FallbackAction(handoff=handoff),
        TaskAction(engine), TaskRemindAction(engine), TaskAbandonAction(engine), VerifyAction(engine),
    ]
    components = Components(
        nlu=build_nlu(store, settings),
        sentiment=build_sentiment(settings.kefu_sentiment_analyzer),
        policy=DialoguePolicy(RulePolicy(clarify_below=settings.kefu_nlu_clarify_below, ask_knowledge_base=True),
                              start_above=settings.kefu_nlu_clarify_below),
        actions={action.name: action for action in actions},
        generator=generator,
        strategy=SentimentStrategy(store, sentiment_thresholds(settings)),
        staff=handoff,
        shop=shop,
        csat=csat,
    )
    limiter = RateLimiter(settings.kefu_rate_limit_messages, settings.kefu_rate_limit_window_s,
                          exempt_channels=frozenset({TerminalChannel.name, ScriptChannel.name})) if settings.kefu_rate_limit_messages else None
    return Assistant(store, components, settings.kefu_default_language, settings.kefu_max_message_chars, limiter,
                     locks)
