"""The rules docs/ARCHITECTURE.md states, checked by reading the imports and attribute uses of every
module: the core imports no adapter, no wiring and no platform SDK; adapters and the scheduler never
reach into the store's database handle; the core's packages import each other without cycles."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_SDKS = ("telegram", "slack_bolt", "slack_sdk", "apscheduler", "aiohttp.web")


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported(path: Path) -> Iterator[str]:
    """Every module name ``path`` imports, at the top or inside a function."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def names(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_core_imports_no_adapter_wiring_scheduler_or_platform_sdk():
    found = [f"{names(path)} imports {name}" for path in modules("core") for name in imported(path)
             if under(name, ("adapters", "bot", "scheduler") + PLATFORM_SDKS)]
    assert found == []


@pytest.mark.parametrize("package, forbidden", [("adapters", ("bot", "scheduler")), ("scheduler", ("adapters", "bot"))])
def test_adapters_and_the_scheduler_import_only_downwards(package, forbidden):
    found = [f"{names(path)} imports {name}" for path in modules(package) for name in imported(path)
             if under(name, forbidden)]
    assert found == []


def store_db_uses(path: Path) -> Iterator[int]:
    """Lines where ``<something>store.db`` (the store's raw database handle) is used."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Attribute) and node.attr == "db":
            owner = node.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if owner_name.lstrip("_").endswith("store"):
                yield node.lineno


@pytest.mark.parametrize("package", ["adapters", "scheduler"])
def test_no_adapter_or_scheduler_module_touches_the_store_database(package):
    found = [f"{names(path)}:{line}" for path in modules(package) for line in store_db_uses(path)]
    assert found == []


def core_package(name: str) -> str | None:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else None


def core_graph() -> dict[str, set[str]]:
    """core.<package or module> → the core packages it imports."""
    graph: dict[str, set[str]] = {}
    for path in modules("core"):
        source = core_package(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if source is None:
            continue
        targets = {core_package(name) for name in imported(path)} - {None, source}
        graph.setdefault(source, set()).update(t for t in targets if (ROOT / t.replace(".", "/")).exists()
                                               or (ROOT / (t.replace(".", "/") + ".py")).exists())
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_core_packages_import_each_other_without_cycles():
    assert cycles(core_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
