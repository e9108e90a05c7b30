import type { Queryable } from '../../db/database.ts';
import { toRecordedEvent, type EventRow } from '../events/event.repository.ts';
import type { RecordedEvent } from '../events/event.types.ts';
import type { DeliveryStatus, WebhookDelivery } from './webhook.types.ts';

/** An event as the sender rebuilds its payload from it: the recorded event plus the wire event type. */
export interface StoredEvent extends RecordedEvent {
  eventType: string;
}

interface DeliveryRow {
  tenant_id: string;
  delivery_id: string;
  subscription_id: string;
  kind: 'event' | 'ping';
  event_id: string;
  appointment_id: string | null;
  seq: number | null;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  lease_token: string | null;
  last_response_status: number | null;
  last_response_body: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  tenantId: r.tenant_id,
  id: r.delivery_id,
  subscriptionId: r.subscription_id,
  kind: r.kind,
  eventId: r.event_id,
  eventType: r.event_type,
  appointmentId: r.appointment_id,
  seq: r.seq,
  status: r.status,
  attempts: r.attempts,
  lastResponseStatus: r.last_response_status,
  lastResponseBody: r.last_response_body,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deliveredAt: r.delivered_at,
});

export interface NewDelivery {
  tenantId: string;
  id: string;
  subscriptionId: string;
  kind: 'event' | 'ping';
  eventId: string;
  eventType: string;
  appointmentId: string | null;
  seq: number | null;
  now: Date;
}

export async function insertDelivery(q: Queryable, d: NewDelivery): Promise<void> {
  await q.query(
    `INSERT INTO webhook_deliveries (tenant_id, delivery_id, subscription_id, kind, event_id, appointment_id, seq,
      event_type, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9, $9)`,
    [d.tenantId, d.id, d.subscriptionId, d.kind, d.eventId, d.appointmentId, d.seq, d.eventType, d.now],
  );
}

/**
 * The recorded events of a tenant in [from, to), in order (time, then appointment and seq): what a
 * replay sends again. At most `limit` (the caller refuses a longer period).
 */
export async function eventsBetween(
  q: Queryable,
  tenantId: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<RecordedEvent[]> {
  const { rows } = await q.query<EventRow>(
    `SELECT * FROM appointment_events WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3
     ORDER BY occurred_at, appointment_id, seq LIMIT $4`,
    [tenantId, from, to, limit],
  );
  return rows.map(toRecordedEvent);
}

/** Queues one pending delivery per event, in the order given (one statement). */
export async function insertDeliveries(
  q: Queryable,
  d: {
    tenantId: string;
    subscriptionId: string;
    now: Date;
    items: Array<{ id: string; eventId: string; eventType: string; appointmentId: string; seq: number }>;
  },
): Promise<number> {
  if (d.items.length === 0) return 0;
  const res = await q.query(
    `INSERT INTO webhook_deliveries (tenant_id, delivery_id, subscription_id, kind, event_id, appointment_id, seq,
      event_type, status, attempts, next_attempt_at, created_at, updated_at)
     SELECT $1, i.id, $2, 'event', i.event_id, i.appointment_id, i.seq, i.event_type, 'pending', 0, $3, $3, $3
     FROM unnest($4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
       AS i (id, event_id, appointment_id, seq, event_type)`,
    [
      d.tenantId,
      d.subscriptionId,
      d.now,
      d.items.map((i) => i.id),
      d.items.map((i) => i.eventId),
      d.items.map((i) => i.appointmentId),
      d.items.map((i) => i.seq),
      d.items.map((i) => i.eventType),
    ],
  );
  return res.rowCount;
}

export async function getDelivery(
  q: Queryable,
  tenantId: string,
  subscriptionId: string,
  id: string,
): Promise<WebhookDelivery | null> {
  const { rows } = await q.query<DeliveryRow>(
    'SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2 AND delivery_id = $3',
    [tenantId, subscriptionId, id],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function listDeliveries(
  q: Queryable,
  f: {
    tenantId: string;
    subscriptionId: string;
    status?: DeliveryStatus;
    appointmentId?: string;
    limit: number;
    offset: number;
  },
): Promise<{ items: WebhookDelivery[]; total: number }> {
  const where =
    `tenant_id = $1 AND subscription_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::text IS ` +
    `NULL OR appointment_id = $4)`;
  const params = [f.tenantId, f.subscriptionId, f.status ?? null, f.appointmentId ?? null];
  const { rows } = await q.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE ${where} ORDER BY created_at DESC, seq DESC NULLS LAST, delivery_id
      LIMIT $5 OFFSET $6`,
    [...params, f.limit, f.offset],
  );
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE ${where}`, params)
  ).rows[0].n;
  return { items: rows.map(toDelivery), total };
}

/**
 * Claims up to `limit` due deliveries for one send attempt each. A delivery is due when it is
 * pending, its time has come, no live lease holds it, its subscription is active, and no earlier
 * delivery of the same subscription and appointment is still pending (order per appointment).
 * SKIP LOCKED lets several processes claim at once without ever claiming the same row; the lease
 * (not a held transaction) covers the send, so a killed process's rows come back when it runs out.
 */
export async function claimDue(
  q: Queryable,
  c: { now: Date; leaseUntil: Date; token: string; limit: number },
): Promise<WebhookDelivery[]> {
  const { rows } = await q.query<DeliveryRow>(
    `WITH due AS (
       SELECT d.tenant_id, d.delivery_id FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.subscription_id = d.subscription_id AND s.active
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries e
           WHERE e.tenant_id = d.tenant_id AND e.subscription_id = d.subscription_id AND e.appointment_id =
           d.appointment_id
             AND e.status = 'pending' AND (e.seq < d.seq OR (e.seq = d.seq AND e.delivery_id < d.delivery_id)))
       ORDER BY d.next_attempt_at
       LIMIT $4
       FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries w SET lease_token = $3, lease_until = $2, attempts = w.attempts + 1, updated_at = $1
     FROM due WHERE w.tenant_id = due.tenant_id AND w.delivery_id = due.delivery_id
     RETURNING w.*`,
    [c.now, c.leaseUntil, c.token, c.limit],
  );
  return rows.map(toDelivery);
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  now: Date;
}

/** Records the outcome of a claimed attempt; false when the lease was lost (another worker owns the row now). */
export async function recordAttempt(
  q: Queryable,
  d: { tenantId: string; id: string; token: string },
  o: AttemptOutcome,
): Promise<boolean> {
  const res = await q.query(
    `UPDATE webhook_deliveries SET status = $4, next_attempt_at = $5, last_response_status = $6,
       last_response_body = $7, last_error = $8,
       delivered_at = CASE WHEN $4 = 'delivered' THEN $9 ELSE delivered_at END, updated_at = $9,
       lease_token = NULL, lease_until = NULL
     WHERE tenant_id = $1 AND delivery_id = $2 AND lease_token = $3`,
    [d.tenantId, d.id, d.token, o.status, o.nextAttemptAt, o.responseStatus, o.responseBody, o.error, o.now],
  );
  return res.rowCount > 0;
}

/** The recorded event a delivery sends (the outbox's row), or null when its appointment is gone. */
export { getAppointmentEvent as getEvent } from '../events/event.repository.ts';

/** Oldest pending delivery and how many are pending (for /metrics). */
export async function pendingStats(q: Queryable): Promise<{ pending: number; oldest: Date | null }> {
  const { rows } = await q.query<{ n: number; oldest: Date | null }>(
    "SELECT count(*)::int AS n, min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'",
  );
  return { pending: rows[0].n, oldest: rows[0].oldest };
}

export interface DeliveryCounts {
  pending: number;
  /** Pending after at least one failed attempt: the endpoint is failing now. */
  retrying: number;
  failed: number;
}

/** Delivery counts of some subscriptions of a tenant, so that a failing endpoint shows on the subscription itself. */
export async function deliveryCounts(
  q: Queryable,
  tenantId: string,
  subscriptionIds: string[],
): Promise<Map<string, DeliveryCounts>> {
  const { rows } = await q.query<{ subscription_id: string; pending: number; retrying: number; failed: number }>(
    `SELECT subscription_id,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'pending' AND attempts > 0 AND lease_token IS NULL)::int AS retrying,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
     FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = ANY ($2::text[]) AND status <> 'delivered'
     GROUP BY subscription_id`,
    [tenantId, subscriptionIds],
  );
  return new Map(rows.map((r) => [r.subscription_id, { pending: r.pending, retrying: r.retrying, failed: r.failed }]));
}
