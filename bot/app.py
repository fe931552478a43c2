"""Start-up: builds the store and the assistant from settings."""
from __future__ import annotations

import logging

from bot.settings import Settings
from core.actions.base import Action
from core.actions.fallback import FallbackAction
from core.actions.handoff import HandoffAction
from core.actions.knowledge import KnowledgeAction
from core.actions.product_info import ProductInfoAction
from core.actions.product_search import ProductSearchAction
from core.actions.recommend import RecommendAction
from core.actions.smalltalk import SmallTalkAction
from core.actions.track_order import TrackOrderAction
from core.assistant import Assistant, Components
from core.demo.loader import load_demo_shop
from core.nlu.keyword import KeywordNLU
from core.policy.rules import RulePolicy
from core.recommend.popular import PopularityRecommender
from core.reply.templates import TemplateReplyGenerator
from core.sentiment.lexicon import LexiconSentiment
from core.store import Store

log = logging.getLogger(__name__)


def open_store(settings: Settings) -> Store:
    """Open the database, migrating it, and load the demo shop into an empty one if enabled."""
    store = Store(settings.kefu_db_path)
    if settings.kefu_load_demo_shop and store.is_empty():
        reports = load_demo_shop(store)
        log.info("loaded the demo shop: %s", ", ".join(f"{r.imported} {kind}" for kind, r in reports.items()))
    return store


def build_assistant(store: Store, settings: Settings) -> Assistant:
    """The assistant with the embedded default components."""
    shop_name = {"zh": settings.kefu_shop_name_zh, "en": settings.kefu_shop_name_en}
    recommender = PopularityRecommender(store)
    actions: list[Action] = [
        SmallTalkAction("greet", "greet", shop_name, with_menu=True),
        SmallTalkAction("goodbye", "goodbye", shop_name),
        SmallTalkAction("thank_you", "thanks", shop_name),
        ProductSearchAction(store, recommender),
        ProductInfoAction(store),
        RecommendAction(store, recommender),
        TrackOrderAction(store),
        KnowledgeAction(store),
        HandoffAction(store),
        FallbackAction(),
    ]
    components = Components(
        nlu=KeywordNLU(store.catalog.categories(), settings.kefu_default_language),
        sentiment=LexiconSentiment(),
        policy=RulePolicy(),
        actions={action.name: action for action in actions},
        generator=TemplateReplyGenerator(),
    )
    return Assistant(store, components, settings.kefu_default_language, settings.kefu_max_message_chars)
