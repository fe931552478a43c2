// Kefu's Medusa subscriber: copy this file into your Medusa project's src/subscribers/ (Medusa 2.x).
//
// Medusa has no outgoing webhooks, so this subscriber tells Kefu that something changed. It posts only
// ids; Kefu reads the truth back through the Admin API (and its periodic reconciliation catches
// anything missed, so a failed post is logged once and not retried).
//
//   POST $KEFU_EVENTS_URL
//   X-Kefu-Timestamp: <unix seconds>
//   X-Kefu-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with $KEFU_EVENTS_SECRET>
//   {"event": "order.placed", "id": "order_01…", "sent_at": "2026-12-02T07:00:00.000Z"}
//
// "id" is the event's own id (data.id) or, for the order events whose payload has no id
// (order.fulfillment_created, order.return_requested, order.exchange_created, order-edit.confirmed, …),
// the order's (data.order_id). Where the payload has both (inventory-level.updated in an order flow),
// "order_id" is added.
//
// With KEFU_EVENTS_URL or KEFU_EVENTS_SECRET unset it does nothing. Event names are those Medusa 2.21
// emits (@medusajs/utils OrderWorkflowEvents, FulfillmentWorkflowEvents, PaymentEvents,
// ProductWorkflowEvents, ProductVariantWorkflowEvents, InventoryItemWorkflowEvents,
// InventoryLevelWorkflowEvents).
import { createHmac } from "crypto"
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"

const TIMEOUT_MS = 5000

type Item = { id?: unknown; order_id?: unknown }
type Payload = Item | Item[] | undefined
type Subject = { id: string; order_id?: string }

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined
}

export function subjects(data: Payload): Subject[] {
  const items = Array.isArray(data) ? data : [data]
  const found: Subject[] = []
  for (const item of items) {
    if (!item || typeof item !== "object") {
      continue
    }
    const id = text(item.id)
    const orderId = text(item.order_id)
    if (id) {
      found.push(orderId && orderId !== id ? { id, order_id: orderId } : { id })
    } else if (orderId) {
      found.push({ id: orderId })
    }
  }
  return found
}

export async function sendKefuEvent(name: string, subject: Subject, logger?: { warn: (msg: string) => void }) {
  const url = process.env.KEFU_EVENTS_URL
  const secret = process.env.KEFU_EVENTS_SECRET
  if (!url || !secret) {
    return
  }
  const id = subject.id
  const body = JSON.stringify({ event: name, ...subject, sent_at: new Date().toISOString() })
  const timestamp = Math.floor(Date.now() / 1000).toString()
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Kefu-Timestamp": timestamp,
        "X-Kefu-Signature": `sha256=${signature}`,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    if (!response.ok) {
      logger?.warn(`kefu: ${name} ${id} not delivered: HTTP ${response.status}`)
    }
  } catch (error) {
    const reason = error instanceof Error ? error.name + ": " + error.message : String(error)
    logger?.warn(`kefu: ${name} ${id} not delivered: ${reason}`)
  }
}

export default async function kefuEvents({ event, container }: SubscriberArgs<Payload>) {
  let logger: { warn: (msg: string) => void } | undefined
  try {
    logger = container.resolve("logger")
  } catch {
    logger = console
  }
  await Promise.all(subjects(event.data).map((subject) => sendKefuEvent(event.name, subject, logger)))
}

export const config: SubscriberConfig = {
  event: [
    // orders (data.id: the order)
    "order.placed",
    "order.updated",
    "order.canceled",
    "order.completed",
    "order.fulfillment_created",
    "order.fulfillment_canceled",
    "order.return_requested",
    "order.return_received",
    "order.exchange_created",
    "order.claim_created",
    "order-edit.confirmed",
    // fulfilments (data.id: the fulfilment)
    "shipment.created",
    "delivery.created",
    // payments (data.id: the payment)
    "payment.captured",
    "payment.refunded",
    // catalogue (data.id: the product, variant, inventory item or inventory level)
    "product.created",
    "product.updated",
    "product.deleted",
    "product-variant.created",
    "product-variant.updated",
    "product-variant.deleted",
    "inventory-item.updated",
    "inventory-level.created",
    "inventory-level.updated",
  ],
  context: { subscriberId: "kefu-events" },
}
