"""Importing customers with their channel identities and behaviour events.

``id`` becomes ``customers.external_id``. Identities and events are added, never removed (the
bot links identities and records events on its own)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.clock import utc_now_iso
from core.importing import fields as f
from core.importing import lookups
from core.importing.errors import RecordError
from core.importing.runner import ImportContext, KindSpec, State
from core.store.events import EVENT_KINDS

LANGUAGES = ("zh", "en")
CUSTOMER_FIELDS = ("external_id", "name", "email", "phone", "zip", "address", "language",
                   "timezone", "birthday", "marketing_consent", "consent_at", "consent_source")


def normalise(ctx: ImportContext, record: Mapping[str, Any]) -> State:
    """Desired state: the customer row, identities (channel, user_id) and events
    (kind, product_id, at, variant_id)."""
    external_id = f.text(record, "id", required=True)
    stored = ctx.store.customers.by_external_id(external_id) or {}
    consent = f.boolean(record, "marketing_consent")
    consent_at, consent_source = f.timestamp(record, "consent_at"), f.text(record, "consent_source")
    if consent:  # lenient: keep what is stored, else stamp the import
        consent_at = consent_at or stored.get("consent_at") or utc_now_iso()
        consent_source = consent_source or stored.get("consent_source") or "import"
    customer = {
        "external_id": external_id, "name": f.text(record, "name"), "email": f.email(record),
        "phone": f.text(record, "phone"), "zip": f.text(record, "zip"),
        "address": f.mapping(record, "address"), "language": _language(record),
        "timezone": f.time_zone(record), "birthday": f.day(record, "birthday"),
        "marketing_consent": int(consent), "consent_at": consent_at,
        "consent_source": consent_source,
    }
    identities = f.children(record, "identities", "identity", _identity)
    events: dict[tuple[str, str, str], str | None] = {}
    for kind, product_id, at, variant_id in f.children(record, "events", "event",
                                                       lambda _, raw: _event(ctx, raw)):
        events.setdefault((kind, product_id, at), variant_id)  # the store keeps one per time
    return {"customer": customer, "identities": sorted(set(identities)),
            "events": sorted((*key, variant) for key, variant in events.items())}


def _language(record: Mapping[str, Any]) -> str | None:
    """``zh`` or ``en``; regional forms such as ``zh-CN`` or ``en_US`` are accepted."""
    value = f.text(record, "language")
    if value is None:
        return None
    base = value.lower().replace("_", "-").split("-")[0]
    if base not in LANGUAGES:
        raise RecordError(f"language: {value!r} is not one of {', '.join(LANGUAGES)}")
    return base


def _identity(number: int, raw: Mapping[str, Any]) -> tuple[str, str]:
    """A (channel, user_id) pair."""
    return f.text(raw, "channel", required=True), f.text(raw, "user_id", required=True)


def _event(ctx: ImportContext, raw: Mapping[str, Any]) -> tuple[str, str, str, str | None]:
    """A (kind, product_id, at, variant_id) event whose product is in the catalogue."""
    kind = f.one_of(raw, "kind", EVENT_KINDS, required=True)
    product_id = f.text(raw, "product_id", required=True)
    if not lookups.product_exists(ctx.store, product_id):
        raise RecordError(f"product {product_id!r} is not in the catalogue (import products first)")
    return kind, product_id, f.timestamp(raw, "at", required=True), f.text(raw, "variant_id")


def current(ctx: ImportContext, desired: State) -> State | None:
    """The stored customer, and which of the desired identities and events are already there."""
    stored = ctx.store.customers.by_external_id(desired["customer"]["external_id"])
    if stored is None:
        return None
    linked = {(i["channel"], i["user_id"]) for i in ctx.store.customers.identities(stored["id"])}
    recorded = lookups.stored_events(ctx.store, stored["id"])
    return {
        "customer": {k: stored.get(k) for k in CUSTOMER_FIELDS},
        "identities": [pair for pair in desired["identities"] if pair in linked],
        "events": [event for event in desired["events"] if event[:3] in recorded],
    }


def write(ctx: ImportContext, desired: State) -> None:
    """Upsert the customer, link the identities, record the events."""
    customer_id = ctx.store.customers.upsert(desired["customer"])
    for channel, user_id in desired["identities"]:
        ctx.store.customers.link_identity(channel, user_id, customer_id)
    for kind, product_id, at, variant_id in desired["events"]:
        ctx.store.events.record(customer_id, kind, product_id, variant_id, at)


SPEC = KindSpec("customers", normalise, current, write,
                key=lambda state: state["customer"]["external_id"])
