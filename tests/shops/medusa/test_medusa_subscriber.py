"""The subscriber Kefu ships for Medusa (adapters/shops/medusa/subscriber/kefu.ts): the test project
runs the same file (the harness copies it in; it is not kept twice in git), and it listens only to events Medusa really emits. No server needed."""
from __future__ import annotations

import re

import pytest

from tests.shops.medusa.harness import PROJECT, SUBSCRIBER, install_subscriber

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


def subscribed_events() -> list[str]:
    source = SUBSCRIBER.read_text()
    block = re.search(r"event:\s*\[(.*?)\]", source, re.S)
    assert block, "no event list in the subscriber's config"
    return re.findall(r'"([a-z_.-]+)"', block.group(1))


def test_the_test_project_runs_the_shipped_subscriber(tmp_path) -> None:
    install_subscriber(tmp_path)
    assert (tmp_path / "src" / "subscribers" / "kefu.ts").read_bytes() == SUBSCRIBER.read_bytes()


def test_the_subscriber_signs_and_sends_only_ids() -> None:
    source = SUBSCRIBER.read_text()
    assert 'createHmac("sha256", secret).update(`${timestamp}.${body}`)' in source
    assert '"X-Kefu-Signature": `sha256=${signature}`' in source
    assert "AbortSignal.timeout(TIMEOUT_MS)" in source and "const TIMEOUT_MS = 5000" in source
    assert "secret" not in "".join(re.findall(r"logger\?\.warn\((.*)\)", source))


def test_every_subscribed_event_is_one_medusa_emits() -> None:
    events_js = PROJECT / "node_modules" / "@medusajs" / "utils" / "dist" / "core-flows" / "events.js"
    if not events_js.exists():
        pytest.skip("the Medusa test project is not installed (npm ci in tests/shops/medusa/project)")
    emitted = set(re.findall(r':\s*"([a-z_.-]+\.[a-z_]+)"', events_js.read_text()))
    events = subscribed_events()
    assert len(events) == len(set(events))
    assert set(events) <= emitted, sorted(set(events) - emitted)
    assert {"order.placed", "order.updated", "order.canceled", "order.fulfillment_created", "shipment.created",
            "delivery.created", "order.return_requested", "order.return_received", "order.exchange_created",
            "product.created", "product.updated", "inventory-item.updated"} <= set(events)


def test_missing_tools_skip_locally_and_fail_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.shops.medusa import conftest
    monkeypatch.setattr(conftest, "_missing", lambda: "node is not installed")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node is not installed"):
        conftest._require_tools()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI: the Medusa tests need their tools: node is not installed"):
        conftest._require_tools()
