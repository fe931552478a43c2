"""Answers policy and FAQ questions from the shop's knowledge base."""
from __future__ import annotations

from core.actions.base import Action
from core.dialogue.recognisers import TOPIC_OF_INTENT
from core.retrieval.knowledge import KnowledgeRetriever
from core.store import Store
from core.turn import ActionResult, Turn


class KnowledgeAction(Action):
    """Quotes the shop's article that best answers the shopper's question, in the shopper's language.

    Articles on the topic of the shopper's intent are preferred. When no article scores above the
    retriever's threshold the assistant says it is not sure and offers a human; a question the NLU
    could not place (no topic) goes to ``fallback`` instead, when one is given."""

    name = "knowledge"

    def __init__(self, store: Store, retriever: KnowledgeRetriever, fallback: Action | None = None) -> None:
        self._store = store
        self.retriever = retriever
        self._fallback = fallback

    async def run(self, turn: Turn) -> ActionResult:
        """The best article's title and body (in both languages) as the facts to phrase."""
        topic = TOPIC_OF_INTENT.get(turn.nlu.intent, "")
        article = await self._find(turn, topic)
        if article is None:
            if self._fallback is not None and not topic:
                return await self._fallback.run(turn)
            return ActionResult("faq_missing", buttons=[("btn_human", "/human")])
        facts: dict[str, dict[str, str]] = {"title": {}, "body": {}}
        for lang in ("zh", "en"):
            version = article if lang == turn.language else self._store.knowledge.article(article["id"], lang)
            if version:
                facts["title"][lang] = version["title"]
                facts["body"][lang] = version["body"]
        return ActionResult("faq_answer", facts)

    async def _find(self, turn: Turn, topic: str) -> dict | None:
        if turn.message.payload is not None:  # a button names a topic, not a question: its first article
            articles = self._store.knowledge.by_topic(topic, turn.language)
            return articles[0] if articles else None
        hit = await self.retriever.answer(turn.message.text, turn.language, topic)
        return hit.article if hit else None
