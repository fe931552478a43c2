"""Data-export links on the web server (issued in any chat by core/actions/privacy.py).

``GET /privacy/export/{token}`` shows a page with a Download button and consumes nothing, so link
previews and scanners cannot use the link up. ``POST`` to the same path is the download: the
customer's whole export as a JSON attachment, once, before the link expires.

A link issued in the web chat works only with that chat's session in ``X-Kefu-Session`` (the
widget's Download button sends it; CORS allows it from the shop's pages); a link issued in another
channel (WeChat, …) is a bearer link: unguessable, single-use, short-lived. Refusals are 4xx in
the shopper's language — 404 unknown, 410 used or expired, 403 another session — and a refused
request never uses the link up."""
from __future__ import annotations

import html
import json

from aiohttp import web

from adapters.credentials import same_secret
from core.actions.privacy import EXPORT_PATH
from core.clock import utc_now
from core.i18n import t
from core.privacy import export_customer_data
from core.store import Store
from core.store.privacy_links import LinkRefused, PrivacyLink

SESSION_HEADER = "X-Kefu-Session"
"""The web chat session that asked for the export (web links only)."""
_CORS = {"Access-Control-Allow-Origin": "*"}
_PREFLIGHT = {**_CORS, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": SESSION_HEADER,
              "Access-Control-Max-Age": "600"}
_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
_STATUS = {"unknown": 404, "used": 410, "expired": 410}


class ExportDownloads:
    """The export link routes, over the store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def routes(self) -> list[web.RouteDef]:
        """Routes for the web server (registered by :class:`adapters.web.WebChannel`)."""
        path = EXPORT_PATH + "{token}"
        return [web.get(path, self._page, allow_head=False), web.post(path, self._download),
                web.options(path, self._preflight)]

    async def _page(self, request: web.Request) -> web.Response:
        """The landing page: what the link is and a Download button (the link stays unused)."""
        try:
            link = self._store.privacy_links.check(request.match_info["token"])
        except LinkRefused as refused:
            return _refusal(request, _STATUS[refused.reason], refused.language, f"privacy_link_{refused.reason}")
        if _web_session(link) is not None:
            return _refusal(request, 403, link.language, "privacy_link_elsewhere")
        return _page(200, link.language, "privacy_link_page", button="privacy_link_download",
                     minutes=max(1, int((link.expires_at - utc_now()).total_seconds() // 60)))

    async def _download(self, request: web.Request) -> web.Response:
        """The export as a JSON attachment; the link is used up only when the export is sent."""
        token = request.match_info["token"]
        links = self._store.privacy_links
        try:
            link = links.check(token)
            session = _web_session(link)
            if session is not None and not same_secret(request.headers.get(SESSION_HEADER), session):
                return _refusal(request, 403, link.language, "privacy_link_elsewhere")
            link = links.use(token)
            document = export_customer_data(self._store, link.customer_id, actor=link.conversation_id)
        except LinkRefused as refused:
            return _refusal(request, _STATUS[refused.reason], refused.language, f"privacy_link_{refused.reason}")
        except LookupError:  # the customer was erased between the check and the export
            return _refusal(request, 404, None, "privacy_link_unknown")
        filename = f"kefu-my-data-{utc_now():%Y%m%d}.json"
        headers = {**_CORS, **_PRIVATE, "Access-Control-Expose-Headers": "Content-Disposition",
                   "Content-Disposition": f'attachment; filename="{filename}"'}
        return web.Response(text=json.dumps(document, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json", headers=headers)

    async def _preflight(self, _request: web.Request) -> web.Response:
        """CORS preflight of the widget's download from the shop's own pages."""
        return web.Response(status=204, headers=_PREFLIGHT)


def _web_session(link: PrivacyLink) -> str | None:
    """The web chat session a link is bound to; None for other channels' (bearer) links."""
    channel, _, user_id = link.conversation_id.partition(":")
    return user_id if channel == "web" else None


def _texts(language: str | None, key: str, **facts: object) -> list[tuple[str, str]]:
    """(language, text) in the link's language, or in Chinese and English when it is unknown."""
    return [(lang, t(key, lang, **facts)) for lang in ((language,) if language in ("zh", "en") else ("zh", "en"))]


def _refusal(request: web.Request, status: int, language: str | None, key: str) -> web.Response:
    """Why the link gives nothing: a page for a browser, plain text for the widget (shown in the chat)."""
    if "text/html" in request.headers.get("Accept", ""):
        return _page(status, language, key)
    text = "\n".join(text for _, text in _texts(language, key))
    return web.Response(status=status, text=text, headers={**_CORS, **_PRIVATE})


def _page(status: int, language: str | None, key: str, button: str | None = None, **facts: object) -> web.Response:
    """A small HTML page in the link's language (both languages when unknown)."""
    blocks = []
    for lang, text in _texts(language, key, **facts):
        form = (f'<form method="post"><button type="submit">{html.escape(t(button, lang))}</button></form>'
                if button else "")
        blocks.append(f'<section lang="{lang}"><h1>{html.escape(t("privacy_link_title", lang))}</h1>'
                      f"<p>{html.escape(text)}</p>{form}</section>")
    body = ('<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}'
            'button{font:inherit;padding:.6rem 1.2rem}</style>'
            f'<title>{html.escape(t("privacy_link_title", language or "zh"))}</title></head>'
            f'<body>{"".join(blocks)}</body></html>')
    return web.Response(status=status, text=body, content_type="text/html",
                        headers={**_PRIVATE, "Content-Security-Policy": _PAGE_CSP})
