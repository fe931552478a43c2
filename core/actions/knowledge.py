"""Answers policy and FAQ questions from the shop's knowledge base."""
from __future__ import annotations

from dataclasses import replace

from core.actions.base import Action
from core.dialogue.recognisers import TOPIC_OF_INTENT
from core.retrieval.knowledge import KnowledgeRetriever
from core.store import Store
from core.turn import ActionResult, Retrieved, Turn


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
        """The best article's title and body (in both languages) as the facts to phrase; the search's
        best score and the article quoted go with the result (:class:`Retrieved`) for the reports."""
        topic = TOPIC_OF_INTENT.get(turn.nlu.intent, "")
        article, retrieved = await self._find(turn, topic)
        if article is None:
            if self._fallback is not None and not topic:
                return replace(await self._fallback.run(turn), retrieved=retrieved)
            return ActionResult("faq_missing", buttons=[("btn_human", "/human")], retrieved=retrieved)
        facts: dict[str, dict[str, str]] = {"title": {}, "body": {}}
        for lang in ("zh", "en"):
            version = article if lang == turn.language else self._store.knowledge.article(article["id"], lang)
            if version:
                facts["title"][lang] = version["title"]
                facts["body"][lang] = version["body"]
        return ActionResult("faq_answer", facts, retrieved=retrieved)

    async def _find(self, turn: Turn, topic: str) -> tuple[dict | None, Retrieved | None]:
        """The article to quote (None: none reaches the threshold) and the search behind it (None for a
        button, which names a topic: its first article, no search)."""
        if turn.message.payload is not None:
            articles = self._store.knowledge.by_topic(topic, turn.language)
            return (articles[0] if articles else None), None
        hits = await self.retriever.search(turn.message.text, turn.language, topic, limit=1)
        if not hits:
            return None, None
        best = hits[0]
        article = best.article if best.score >= self.retriever.min_score else None
        return article, Retrieved(article and article["id"], best.score)
