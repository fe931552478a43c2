"""The settings section of the console (owners): what Kefu runs with — every setting's variable, its
value and its meaning, read-only (they come from the environment or ``.env``, read at start). Secrets
only say whether they are set."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from aiohttp import web

from adapters.inbox.auth import OWNER, StaffSession
from adapters.inbox.guard import Guard
from adapters.inbox.section import ConsoleSection


class SettingRow(NamedTuple):
    """One setting as the page shows it: ``variable`` (KEFU_…), ``value`` (secrets: "set" or empty),
    ``meaning`` (the setting's own description, ``{"en": …, "zh": …}``)."""

    variable: str
    value: str
    meaning: dict[str, str]


class SettingsSection(ConsoleSection):
    """The settings Kefu started with, for owners to read."""

    name = "settings"
    title = {"en": "Settings", "zh": "设置"}
    role = OWNER

    def __init__(self, rows: Sequence[SettingRow]) -> None:
        self._rows = [row._asdict() for row in rows]

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The settings as JSON."""
        return [web.get("/staff/api/settings", guard(self._list, role=OWNER))]

    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        return web.json_response({"settings": self._rows})
