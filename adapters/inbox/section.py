"""The extension point of the console: one section per job (the inbox, reports, the knowledge base…).

A section brings its API routes (under ``/staff/api/<name>/``, each behind the :class:`Guard`), an HTML
fragment and a script in ``static/`` (``<name>.html``, ``<name>.js``), and the role that sees it. The
console page puts every section's fragment in the page (hidden until chosen in the navigation) and
lists only those the colleague's role includes; the API enforces the role whatever the page shows."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from aiohttp import web

from adapters.inbox.auth import AGENT
from adapters.inbox.guard import Guard


class ConsoleSection(ABC):
    """One part of the console."""

    name: ClassVar[str]
    """Its id: the fragment and script file names, the navigation anchor, the API prefix."""
    title: ClassVar[dict[str, str]]
    """Its navigation label in each language: ``{"en": …, "zh": …}``."""
    role: ClassVar[str] = AGENT
    """The least role that sees it."""
    page: ClassVar[bool] = True
    """False for a section of routes only (e.g. the copilot's, which the inbox page shows): no fragment,
    no script, not in the navigation."""

    @abstractmethod
    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """Its API routes, each handler wrapped in ``guard``."""
