"""Just enough GraphQL for a fake server: parse one operation (fields, aliases, arguments, variables,
directives; no fragments) and project resolved objects onto its selection sets, counting their cost.

Resolvers return :class:`Node` (an object of a named type whose ``fields`` are every field the type
has here), :class:`Connection` (a paginated list: ``first``/``after``/``reverse``, ``edges``/``nodes``/
``pageInfo``), plain lists and scalars. Selecting a field a node does not have is an
``undefinedField`` error, as on a real server, so documents that pass here only use known fields."""
from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r'''
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<block>"""(?:\\"""|[^"]|"(?!""))*""")
  | (?P<string>"(?:\\.|[^"\\\n\r])*")
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<spread>\.\.\.)
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<punct>[!$():=@\[\]{}|&])
''', re.VERBOSE)
MAX_DEPTH = 20


class GraphQLError(Exception):
    """A request error, answered as ``{"errors": [{"message", "extensions": {"code"}}]}``."""

    def __init__(self, message: str, code: str = "badRequest") -> None:
        super().__init__(message)
        self.code = code

    def as_json(self) -> dict[str, Any]:
        """The error as the ``errors`` list entry."""
        return {"message": str(self), "extensions": {"code": self.code}}


@dataclass(frozen=True)
class Var:
    """``$name`` in an argument value."""

    name: str


@dataclass
class Field:
    """One selected field."""

    name: str
    alias: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    directives: dict[str, dict[str, Any]] = field(default_factory=dict)
    selections: list[Field] | None = None

    @property
    def key(self) -> str:
        """The response key."""
        return self.alias or self.name


@dataclass
class Operation:
    """A query or mutation with its declared variables ``name -> (type, default)``."""

    kind: str
    name: str | None
    variables: dict[str, tuple[str, Any]]
    selections: list[Field]


@dataclass
class Node:
    """An object of GraphQL type ``typename``; ``fields`` values may be callables taking the arguments."""

    typename: str
    fields: dict[str, Any]


@dataclass
class Connection:
    """A paginated list of nodes of type ``typename``."""

    typename: str
    items: list[Any]


def parse(document: str, operation_name: str | None = None) -> Operation:
    """The operation to run (``operation_name`` picks one when the document has several)."""
    operations = _Parser(document).document()
    if operation_name is not None:
        chosen = [op for op in operations if op.name == operation_name]
        if not chosen:
            raise GraphQLError(f"No operation named '{operation_name}'")
        return chosen[0]
    if len(operations) != 1:
        raise GraphQLError("An operation name is required when the document has several operations")
    return operations[0]


def bind(operation: Operation, given: Any) -> dict[str, Any]:
    """The operation's variables from the request: declared ones only, required ones present."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise GraphQLError("variables must be an object")
    values: dict[str, Any] = {}
    for name, (type_, default) in operation.variables.items():
        if name in given:
            values[name] = given[name]
        elif default is not None:
            values[name] = default
        if type_.endswith("!") and values.get(name) is None:
            raise GraphQLError(f"Variable ${name} of type {type_} was provided invalid value", "INVALID_VARIABLE")
    return values


def resolve_value(value: Any, variables: dict[str, Any]) -> Any:
    """An argument value with its variables substituted."""
    if isinstance(value, Var):
        return variables.get(value.name)
    if isinstance(value, list):
        return [resolve_value(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: resolve_value(v, variables) for k, v in value.items()}
    return value


def arguments(f: Field, variables: dict[str, Any]) -> dict[str, Any]:
    """A field's arguments with variables substituted."""
    return {k: resolve_value(v, variables) for k, v in f.args.items()}


def directives(f: Field, variables: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A field's directives (``@idempotent(key: …)``) with variables substituted."""
    return {name: {k: resolve_value(v, variables) for k, v in args.items()} for name, args in f.directives.items()}


def requested_cost(selections: list[Field], variables: dict[str, Any]) -> int:
    """Shopify's estimate before running: 1 per object, a connection 2 + ``first`` × its node's cost."""
    total = 0
    for f in selections:
        if not f.selections:
            continue
        first = arguments(f, variables).get("first")
        inner = requested_cost(f.selections, variables)
        if isinstance(first, int) and not isinstance(first, bool):
            total += 2 + first * max(inner, 1)
        else:
            total += 1 + inner
    return total


def project(value: Any, selections: list[Field] | None, variables: dict[str, Any],
            typename: str = "Query", depth: int = 0) -> tuple[Any, int]:
    """``value`` shaped by ``selections``, and what it actually cost (1 per object returned)."""
    if depth > MAX_DEPTH:
        raise GraphQLError("Query is too deeply nested", "MAX_DEPTH_EXCEEDED")
    if value is None:
        return None, 0
    if isinstance(value, list):
        shaped = [project(v, selections, variables, typename, depth) for v in value]
        return [s for s, _ in shaped], sum(c for _, c in shaped)
    if not isinstance(value, Node):
        if selections:
            raise GraphQLError(f"Selections can't be made on scalars (field of {typename})", "selectionMismatch")
        return value, 0
    if not selections:
        raise GraphQLError(f"Field of type '{value.typename}' must have a selection of subfields", "selectionMismatch")
    out: dict[str, Any] = {}
    cost = 1
    for f in selections:
        if f.name == "__typename":
            out[f.key] = value.typename
            continue
        if f.name not in value.fields:
            raise GraphQLError(f"Field '{f.name}' doesn't exist on type '{value.typename}'", "undefinedField")
        got = value.fields[f.name]
        out[f.key], spent = select(got(arguments(f, variables)) if callable(got) else got, f, variables,
                                   value.typename, depth + 1)
        cost += spent
    return out, cost


def select(got: Any, f: Field, variables: dict[str, Any], typename: str = "Query", depth: int = 0) -> tuple[Any, int]:
    """The value of field ``f`` (a page of it for a connection or ``first`` of a list), projected."""
    args = arguments(f, variables)
    if isinstance(got, Connection):
        got = _page(got, args)
    elif isinstance(got, list) and isinstance(args.get("first"), int):
        got = got[:args["first"]]
    return project(got, f.selections, variables, typename, depth)


def _page(connection: Connection, args: dict[str, Any]) -> Node:
    first = args.get("first")
    if not isinstance(first, int) or isinstance(first, bool) or not 0 < first <= 250:
        raise GraphQLError(f"{connection.typename}Connection: 'first' must be given, between 1 and 250",
                           "argumentLiteralsIncompatible")
    items = list(reversed(connection.items)) if args.get("reverse") else list(connection.items)
    start = _offset(args.get("after")) + 1 if args.get("after") else 0
    chosen = items[start:start + first]
    cursors = [_cursor(start + i) for i in range(len(chosen))]
    edges = [Node(f"{connection.typename}Edge", {"cursor": c, "node": n}) for c, n in zip(cursors, chosen)]
    page_info = Node("PageInfo", {"hasNextPage": start + first < len(items), "hasPreviousPage": start > 0,
                                  "startCursor": cursors[0] if cursors else None,
                                  "endCursor": cursors[-1] if cursors else None})
    return Node(f"{connection.typename}Connection", {"edges": edges, "nodes": chosen, "pageInfo": page_info})


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"last": offset}).encode()).decode()


def _offset(cursor: Any) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(str(cursor).encode()))["last"]
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphQLError("Invalid cursor for current pagination sort.", "argumentLiteralsIncompatible") from exc
    if not isinstance(offset, int) or offset < 0:
        raise GraphQLError("Invalid cursor for current pagination sort.", "argumentLiteralsIncompatible")
    return offset


class _Parser:
    """A recursive-descent parser over the tokens of one document."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise GraphQLError("query is required", "MISSING_QUERY")
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                raise GraphQLError(f"Parse error on {text[pos]!r} at offset {pos}", "parseError")
            kind = match.lastgroup or ""
            if kind != "skip":
                self.tokens.append((kind, match.group()))
            pos = match.end()
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        got_kind, got = self.peek()
        if (value is not None and got != value) or (kind is not None and got_kind != kind) or got_kind == "end":
            raise GraphQLError(f"Parse error on {got or 'end of document'!r} (expected {value or kind})",
                               "parseError")
        self.i += 1
        return got

    def document(self) -> list[Operation]:
        operations = []
        while self.peek()[0] != "end":
            operations.append(self.operation())
        return operations

    def operation(self) -> Operation:
        if self.peek()[1] == "{":
            return Operation("query", None, {}, self.selection_set(0))
        kind = self.take(kind="name")
        if kind == "fragment":
            raise GraphQLError("Fragments are not supported by this fake", "parseError")
        if kind not in ("query", "mutation"):
            raise GraphQLError(f"Unsupported operation type '{kind}'", "parseError")
        name = self.take(kind="name") if self.peek()[0] == "name" else None
        variables = self.variable_definitions() if self.peek()[1] == "(" else {}
        self.directives()
        return Operation(kind, name, variables, self.selection_set(0))

    def variable_definitions(self) -> dict[str, tuple[str, Any]]:
        self.take("(")
        out: dict[str, tuple[str, Any]] = {}
        while self.peek()[1] != ")":
            self.take("$")
            name = self.take(kind="name")
            self.take(":")
            type_ = self.type_ref()
            default = self.value(const=True) if self.peek()[1] == "=" and self.take("=") else None
            out[name] = (type_, default)
        self.take(")")
        return out

    def type_ref(self) -> str:
        if self.peek()[1] == "[":
            self.take("[")
            inner = self.type_ref()
            self.take("]")
            type_ = f"[{inner}]"
        else:
            type_ = self.take(kind="name")
        if self.peek()[1] == "!":
            self.take("!")
            type_ += "!"
        return type_

    def selection_set(self, depth: int) -> list[Field]:
        if depth > MAX_DEPTH:
            raise GraphQLError("Query is too deeply nested", "MAX_DEPTH_EXCEEDED")
        self.take("{")
        fields = []
        while self.peek()[1] != "}":
            if self.peek()[0] == "spread":
                raise GraphQLError("Fragments are not supported by this fake", "parseError")
            fields.append(self.field(depth))
        self.take("}")
        if not fields:
            raise GraphQLError("Empty selection set", "parseError")
        return fields

    def field(self, depth: int) -> Field:
        name = self.take(kind="name")
        alias = None
        if self.peek()[1] == ":":
            self.take(":")
            alias, name = name, self.take(kind="name")
        args = self.arguments() if self.peek()[1] == "(" else {}
        directives = self.directives()
        selections = self.selection_set(depth + 1) if self.peek()[1] == "{" else None
        return Field(name, alias, args, directives, selections)

    def arguments(self) -> dict[str, Any]:
        self.take("(")
        out: dict[str, Any] = {}
        while self.peek()[1] != ")":
            name = self.take(kind="name")
            self.take(":")
            out[name] = self.value()
        self.take(")")
        return out

    def directives(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        while self.peek()[1] == "@":
            self.take("@")
            name = self.take(kind="name")
            out[name] = self.arguments() if self.peek()[1] == "(" else {}
        return out

    def value(self, const: bool = False) -> Any:
        kind, token = self.peek()
        if token == "$" and not const:
            self.take("$")
            return Var(self.take(kind="name"))
        if token == "[":
            self.take("[")
            items = []
            while self.peek()[1] != "]":
                items.append(self.value(const))
            self.take("]")
            return items
        if token == "{":
            self.take("{")
            obj: dict[str, Any] = {}
            while self.peek()[1] != "}":
                key = self.take(kind="name")
                self.take(":")
                obj[key] = self.value(const)
            self.take("}")
            return obj
        self.i += 1
        return _literal(kind, token)


_LITERALS: dict[str, Callable[[str], Any]] = {
    "string": json.loads,
    "block": lambda t: t[3:-3].replace('\\"""', '"""'),
    "number": lambda t: float(t) if any(c in t for c in ".eE") else int(t),
}


def _literal(kind: str, token: str) -> Any:
    if kind in _LITERALS:
        try:
            return _LITERALS[kind](token)
        except ValueError as exc:
            raise GraphQLError(f"Bad literal {token!r}", "parseError") from exc
    if kind == "name":
        return {"true": True, "false": False, "null": None}.get(token, token)  # other names: enum values
    raise GraphQLError(f"Parse error on {token!r}", "parseError")
