"""The knowledge-base section of the console (owners): the FAQ articles in both languages, add, edit
and retire them, and test a question against the bot's own retrieval. The retriever rebuilds a
language's index whenever its articles change, so an edit answers shoppers at once. Every change is
audited with the account that made it."""
from __future__ import annotations

import re
import secrets
from typing import Any

from aiohttp import web

from adapters.inbox.auth import OWNER, StaffSession
from adapters.inbox.guard import Guard, json_body, json_error
from adapters.inbox.section import ConsoleSection
from core.retrieval.knowledge import KnowledgeRetriever
from core.store import Store

LANGUAGES = ("zh", "en")
MAX_TITLE = 200
MAX_BODY = 5000
MAX_QUESTION = 500
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
_TOPIC = re.compile(r"[a-z_]{0,30}")


class KnowledgeSection(ConsoleSection):
    """FAQ articles: list, save (add or edit both languages), retire, test a question."""

    name = "kb"
    title = {"en": "Knowledge base", "zh": "知识库"}
    role = OWNER

    def __init__(self, store: Store, retriever: KnowledgeRetriever) -> None:
        self._store = store
        self._retriever = retriever

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The articles, and the owner's actions on them."""
        api = "/staff/api/kb"
        return [web.get(f"{api}/articles", guard(self._list, role=OWNER)),
                web.post(f"{api}/articles", guard(self._save, post=True, role=OWNER)),
                web.post(f"{api}/retire", guard(self._retire, post=True, role=OWNER)),
                web.post(f"{api}/test", guard(self._test, post=True, role=OWNER))]

    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        articles: dict[str, dict[str, Any]] = {}
        for row in self._store.knowledge.articles():
            article = articles.setdefault(row["id"], {"id": row["id"], "topic": row["topic"], "tags": row["tags"]})
            article[row["lang"]] = {"title": row["title"], "body": row["body"]}
        return web.json_response({"articles": list(articles.values())})

    async def _save(self, request: web.Request, session: StaffSession) -> web.Response:
        body = await json_body(request)
        try:
            article_id, topic, tags, texts = _article(body)
        except ValueError as exc:
            return json_error(400, str(exc))
        article_id = article_id or f"kb-{secrets.token_hex(4)}"
        is_new = self._store.knowledge.article(article_id, "en") is None
        for lang in LANGUAGES:
            self._store.knowledge.upsert({"id": article_id, "lang": lang, "topic": topic, "tags": tags, **texts[lang]})
        self._store.audit.record(session.staff, "kb.add" if is_new else "kb.edit", f"kb:{article_id}",
                                 {"topic": topic, **texts})
        return web.json_response({"id": article_id})

    async def _retire(self, request: web.Request, session: StaffSession) -> web.Response:
        article_id = str((await json_body(request)).get("id", ""))
        removed = self._store.knowledge.remove(article_id)
        if not removed:
            return json_error(404, "no such article")
        self._store.audit.record(session.staff, "kb.retire", f"kb:{article_id}", {"articles": removed})
        return web.json_response({"id": article_id})

    async def _test(self, request: web.Request, _session: StaffSession) -> web.Response:
        body = await json_body(request)
        question, lang = str(body.get("question", "")).strip(), body.get("lang")
        if not question or len(question) > MAX_QUESTION or lang not in LANGUAGES:
            return json_error(400, f"ask a question of 1 to {MAX_QUESTION} characters in zh or en")
        hits = await self._retriever.search(question, lang)
        answer = await self._retriever.answer(question, lang)
        return web.json_response({
            "min_score": self._retriever.min_score,
            "answer": {"id": answer.article["id"], "title": answer.article["title"], "body": answer.article["body"],
                       "score": round(answer.score, 3)} if answer else None,
            "hits": [{"id": h.article["id"], "title": h.article["title"], "score": round(h.score, 3),
                      "lexical": round(h.lexical, 3), "dense": None if h.dense is None else round(h.dense, 3)}
                     for h in hits]})


def _article(body: dict[str, Any]) -> tuple[str, str, list[str], dict[str, dict[str, str]]]:
    """(id or "", topic, tags, {lang: {title, body}}) of a posted article; ValueError saying what is wrong."""
    article_id, topic = str(body.get("id") or ""), str(body.get("topic") or "")
    if article_id and not _ID.fullmatch(article_id):
        raise ValueError("an article id is lower-case letters, digits, - and _")
    if not _TOPIC.fullmatch(topic):
        raise ValueError("a topic is lower-case letters and _")
    tags = body.get("tags") or []
    if not isinstance(tags, list) or len(tags) > 20 or not all(isinstance(t, str) and 0 < len(t) <= 40 for t in tags):
        raise ValueError("tags are up to 20 words")
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        version = body.get(lang)
        title = str(version.get("title", "")).strip() if isinstance(version, dict) else ""
        text = str(version.get("body", "")).strip() if isinstance(version, dict) else ""
        if not 0 < len(title) <= MAX_TITLE or not 0 < len(text) <= MAX_BODY:
            raise ValueError(f"write the title (up to {MAX_TITLE}) and the answer (up to {MAX_BODY}) in zh and en")
        texts[lang] = {"title": title, "body": text}
    return article_id, topic, tags, texts
