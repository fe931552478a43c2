"""A fake Shopify Admin GraphQL API on 127.0.0.1, for testing Kefu's Shopify backend against it.

``POST /admin/api/<API_VERSION>/graphql.json`` with ``X-Shopify-Access-Token`` (401 when wrong, 404
for another API version) and a JSON body ``{"query", "variables", "operationName"}``. The document
is parsed for real (:mod:`tests.fakes.graphql_lite`: fields, aliases, arguments, variables,
directives; no fragments) and answered from :attr:`FakeShopify.shop` through the root fields of
:mod:`tests.fakes.shopify_ops`; a field the schema subset lacks is an ``undefinedField`` error.

Rate limit as Shopify's: every answer carries ``extensions.cost`` (``requestedQueryCost``,
``actualQueryCost``, ``throttleStatus`` {maximumAvailable, currentlyAvailable, restoreRate}) from a
leaky bucket (small numbers for tests); a query costing more than is available is not run and
gets HTTP 200 ``errors: [{message: "Throttled", extensions: {code: "THROTTLED"}}]``, or HTTP 429
with ``Retry-After`` when :attr:`FakeShopify.throttle_with_429` is set.

Faults for the next requests (or the next mutations only): an HTTP error before anything runs
(:meth:`FakeShopify.fail_next`), a 429 (:meth:`FakeShopify.answer_429_next`), an answer that comes
late after the request was carried out (:meth:`FakeShopify.slow_next`), the connection dropped after
it was carried out (:meth:`FakeShopify.drop_next`), and an outage (:meth:`go_down` / :meth:`come_back`).
Every request is recorded in :attr:`FakeShopify.calls`. Webhooks to Kefu: :mod:`tests.fakes.shopify_webhooks`.

Not like Shopify: fields are checked on the objects an answer returns (a field under a null result
is not checked), costs are estimated (1 per object, connections and sized lists 2 + ``first`` × the
node; mutations 10), ``orderCancel``'s job is done at once, search knows only ``field:value`` terms
of a few fields, there are no fragments, locations, drafts, fulfillment orders, order editing,
multiple currencies or locations, and the message texts of ``userErrors`` are the fake's own."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes import graphql_lite as gql
from tests.fakes.server import LoopbackServer
from tests.fakes.shopify_ops import MUTATIONS, QUERIES
from tests.fakes.shopify_shop import Shop

API_VERSION = "2026-04"
ACCESS_TOKEN = "shpat_kefu_test_0123456789abcdef"
MUTATION_COST = 10
MAX_QUERY_COST = 1000
_BAD_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_DOCS = "https://shopify.dev/api/usage/rate-limits"


class Bucket:
    """Shopify's leaky bucket of query cost points: ``maximum`` points, refilled at ``restore_rate``/s."""

    def __init__(self, maximum: float, restore_rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.maximum, self.restore_rate = float(maximum), float(restore_rate)
        self._clock = clock
        self._available = self.maximum
        self._at = clock()

    @property
    def available(self) -> float:
        """Points available now."""
        at = self._clock()
        self._available = min(self.maximum, self._available + (at - self._at) * self.restore_rate)
        self._at = at
        return self._available

    def take(self, cost: int) -> bool:
        """Spend ``cost`` points if that many are available."""
        if cost > self.available:
            return False
        self._available -= cost
        return True

    def give_back(self, points: float) -> None:
        """Refund what a query did not actually cost."""
        self._available = min(self.maximum, self.available + points)

    def drain(self) -> None:
        """Spend everything (for tests that start throttled)."""
        self._at = self._clock()
        self._available = 0.0

    def status(self) -> dict[str, float]:
        """``throttleStatus``."""
        return {"maximumAvailable": self.maximum, "currentlyAvailable": round(self.available, 1),
                "restoreRate": self.restore_rate}


@dataclass
class Call:
    """One request the fake answered."""

    kind: str  # "query", "mutation", or "" when it did not parse
    root_fields: list[str]
    variables: dict[str, Any]
    status: int
    document: str = ""


class FakeShopify(LoopbackServer):
    """One store's Admin GraphQL endpoint."""

    def __init__(self, maximum_available: float = 1000, restore_rate: float = 100, token: str = ACCESS_TOKEN,
                 version: str = API_VERSION) -> None:
        super().__init__()
        self.token, self.version = token, version
        self.shop = Shop()
        self.bucket = Bucket(maximum_available, restore_rate)
        self.calls: list[Call] = []
        self.throttle_with_429 = False
        self.throttled = 0  # requests refused for cost
        self._failures: list[tuple[int, bool]] = []  # (status, mutations only)
        self._too_many: list[float] = []
        self._slow: list[tuple[float, bool]] = []  # (seconds, mutations only)
        self._drops: list[bool] = []  # mutations only

    @property
    def endpoint(self) -> str:
        """The GraphQL URL (what the client's ``endpoint`` takes)."""
        return f"http://127.0.0.1:{self.port}/admin/api/{self.version}/graphql.json"

    def add_routes(self, app: web.Application) -> None:
        """The GraphQL endpoint of every version (others answer 404 like a retired version would not)."""
        app.router.add_post("/admin/api/{version}/graphql.json", self._graphql)

    # -- faults --------------------------------------------------------------------------------
    def fail_next(self, status: int = 503, times: int = 1, mutations: bool = False) -> None:
        """The next ``times`` requests (``mutations`` only) get HTTP ``status`` and are not carried out."""
        self._failures.extend([(status, mutations)] * times)

    def answer_429_next(self, retry_after: float = 1.0, times: int = 1) -> None:
        """The next ``times`` requests get HTTP 429 with ``Retry-After`` and are not carried out."""
        self._too_many.extend([retry_after] * times)

    def slow_next(self, seconds: float, times: int = 1, mutations: bool = False) -> None:
        """The next ``times`` requests (``mutations`` only) are carried out, and answered after ``seconds``."""
        self._slow.extend([(seconds, mutations)] * times)

    def drop_next(self, times: int = 1, mutations: bool = False) -> None:
        """The next ``times`` requests (``mutations`` only) are carried out, then the connection closes
        without an answer."""
        self._drops.extend([mutations] * times)

    def sent(self, root_field: str) -> list[Call]:
        """The requests (answered or not) that asked for ``root_field``."""
        return [c for c in self.calls if root_field in c.root_fields]

    # -- the server ----------------------------------------------------------------------------
    async def _graphql(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["version"] != self.version:
            return web.json_response({"errors": "Not Found"}, status=404)
        if request.headers.get("X-Shopify-Access-Token") != self.token:
            return self._record(web.json_response({"errors": _BAD_TOKEN}, status=401))
        if self._too_many:
            return self._record(self._throttled(0, retry_after=self._too_many.pop(0)))
        try:
            body = await request.json()
            operation = gql.parse(body["query"], body.get("operationName"))
            variables = gql.bind(operation, body.get("variables"))
        except (ValueError, KeyError, TypeError):
            return self._record(web.json_response({"errors": {"query": "Required parameter missing or invalid"}},
                                                  status=400))
        except gql.GraphQLError as exc:
            return self._record(web.json_response({"errors": [exc.as_json()]}))
        call = Call(operation.kind, [f.name for f in operation.selections], variables, 200, body["query"])
        self.calls.append(call)
        if self._failures and (operation.kind == "mutation" or not self._failures[0][1]):
            call.status = self._failures.pop(0)[0]
            return web.Response(status=call.status, text=f"{call.status} injected by the fake")
        response = self._run(operation, variables)
        call.status = response.status
        return await self._deliver(request, response, operation.kind == "mutation")

    def _run(self, operation: gql.Operation, variables: dict[str, Any]) -> web.Response:
        mutation = operation.kind == "mutation"
        requested = (MUTATION_COST * len(operation.selections) if mutation
                     else gql.requested_cost(operation.selections, variables))
        if requested > MAX_QUERY_COST:
            return web.json_response({"errors": [{
                "message": f"Query cost is {requested}, which exceeds the single query max cost limit "
                           f"({MAX_QUERY_COST}).", "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested,
                                                                  "maxCost": MAX_QUERY_COST}}]})
        if not self.bucket.take(requested):
            return self._throttled(requested)
        roots = MUTATIONS if mutation else QUERIES
        data: dict[str, Any] = {}
        spent = 0
        try:
            for f in operation.selections:
                resolver = roots.get(f.name)
                if resolver is None:
                    raise gql.GraphQLError(f"Field '{f.name}' doesn't exist on type "
                                           f"'{'Mutation' if mutation else 'QueryRoot'}'", "undefinedField")
                value = resolver(self.shop, gql.arguments(f, variables), gql.directives(f, variables))
                data[f.key], cost = gql.select(value, f, variables)
                spent += MUTATION_COST if mutation else cost
        except gql.GraphQLError as exc:
            self.bucket.give_back(requested - 1)
            return web.json_response({"errors": [exc.as_json()], "extensions": self._cost(requested, 1)})
        self.bucket.give_back(max(0, requested - spent))
        return web.json_response({"data": data, "extensions": self._cost(requested, spent)})

    def _throttled(self, requested: int, retry_after: float | None = None) -> web.Response:
        self.throttled += 1
        body = {"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": _DOCS}}],
                "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": None,
                                        "throttleStatus": self.bucket.status()}}}
        if retry_after is None and not self.throttle_with_429:
            return web.json_response(body)
        if retry_after is None:
            retry_after = max(1.0, (requested - self.bucket.available) / self.bucket.restore_rate)
        return web.json_response(body, status=429, headers={"Retry-After": f"{retry_after:g}"})

    def _cost(self, requested: int, actual: int) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                         "throttleStatus": self.bucket.status()}}

    async def _deliver(self, request: web.Request, response: web.Response, mutation: bool) -> web.StreamResponse:
        """Answer, late or never when a fault is set (the request was carried out either way)."""
        if self._drops and (mutation or not self._drops[0]):
            self._drops.pop(0)
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if self._slow and (mutation or not self._slow[0][1]):
            await asyncio.sleep(self._slow.pop(0)[0])
        response.headers["X-Shopify-API-Version"] = self.version
        return response

    def _record(self, response: web.Response) -> web.Response:
        self.calls.append(Call("", [], {}, response.status))
        return response

