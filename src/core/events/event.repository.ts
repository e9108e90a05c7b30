import fastJsonPatch, { type Operation } from 'fast-json-patch';
import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import { maskPersonalData } from '../privacy/personal-data.ts';
import type { Appointment, AppointmentEventType, Hold } from '../types.ts';
import type { HoldEventType, RecordedEvent, RecordedHoldEvent } from './event.types.ts';

const { applyPatch, compare } = fastJsonPatch;

/** An appointment as it is stored in jsonb: Dates as ISO strings, personal identifiers masked (core/privacy). */
const asJson = (a: Appointment): any => JSON.parse(JSON.stringify({ ...a, attributes: maskPersonalData(a.attributes) }));

/**
 * Every this-many events of an appointment (seq 1, 21, 41…) store the state after in full; the
 * others store only the patch from the state before. Reading a page starts at most this many
 * events before it.
 */
export const EVENT_CHECKPOINT_EVERY = 20;

/**
 * Appends one event and returns its sequence number: one statement (the next number is read in
 * it), so it can become part of a larger statement. The caller holds the stream's lock (the
 * appointment row, or the hold row); the primary key refuses a duplicate number regardless.
 * What is stored is what changed: the patch from the state before (which is the state after the
 * event before: every change of an appointment is recorded), or a full copy at a checkpoint.
 */
export async function insertAppointmentEvent(q: Queryable, e: Omit<RecordedEvent, 'seq'>): Promise<number> {
  const current = asJson(e.current);
  const patch = e.previous ? compare(asJson(e.previous), current) : null;
  const { rows } = await q.query<{ seq: number }>(
    `WITH n AS (SELECT coalesce(max(seq), 0) + 1 AS seq FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2)
     INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor, occurred_at, correlation_id, current, current_patch)
     SELECT $1, $2, n.seq, $3, $4, $5, $6, $7,
       CASE WHEN $8::jsonb IS NULL OR n.seq % $10 = 1 THEN $9::jsonb END,
       CASE WHEN $8::jsonb IS NULL OR n.seq % $10 = 1 THEN NULL ELSE $8::jsonb END
     FROM n
     RETURNING seq`,
    [e.tenantId, e.appointmentId, e.id, e.type, e.actor, e.at, e.correlationId, json(patch), JSON.stringify(current), EVENT_CHECKPOINT_EVERY],
  );
  return rows[0].seq;
}

export async function insertHoldEvent(q: Queryable, e: Omit<RecordedHoldEvent, 'seq'>): Promise<number> {
  const { rows } = await q.query<{ seq: number }>(
    `INSERT INTO hold_events (tenant_id, hold_id, seq, event_id, event_type, actor, occurred_at, correlation_id, hold)
     VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM hold_events WHERE tenant_id = $1 AND hold_id = $2),
       $3, $4, $5, $6, $7, $8)
     RETURNING seq`,
    [e.tenantId, e.holdId, e.id, e.type, e.actor, e.at, e.correlationId, json(e.hold)],
  );
  return rows[0].seq;
}

interface EventRow {
  tenant_id: string;
  appointment_id: string;
  seq: number;
  event_id: string;
  event_type: AppointmentEventType;
  actor: string;
  occurred_at: Date;
  correlation_id: string | null;
  /** Rows written before migration 003 only. */
  previous: unknown;
  /** A full copy at a checkpoint (and in rows before migration 003), else null. */
  current: unknown;
  current_patch: Operation[] | null;
}

const date = (v: string | null) => (v ? new Date(v) : null);

/** Snapshots were stored as JSON: bring their instants back to Dates. */
function reviveAppointment(raw: any): Appointment {
  return {
    ...raw,
    start: date(raw.start),
    end: date(raw.end),
    requestedPeriod: raw.requestedPeriod ? { start: new Date(raw.requestedPeriod.start), end: new Date(raw.requestedPeriod.end) } : null,
    notes: raw.notes.map((n: any) => ({ ...n, date: new Date(n.date) })),
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
  };
}

const reviveHold = (raw: any): Hold => ({
  ...raw,
  start: new Date(raw.start),
  end: new Date(raw.end),
  expiresAt: new Date(raw.expiresAt),
  createdAt: new Date(raw.createdAt),
});

/**
 * One page of an appointment's events, in order, and how many it has in all. The page is rebuilt
 * from the last full copy at or before its first event (at most EVENT_CHECKPOINT_EVERY rows
 * earlier), applying each event's patch in turn.
 */
export async function listAppointmentEvents(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
  page: { limit: number; offset: number },
): Promise<{ items: RecordedEvent[]; total: number }> {
  // seq runs 1, 2, 3… per appointment, so the page is a range of seq.
  const first = page.offset + 1;
  const { rows } = await q.query<EventRow>(
    `SELECT * FROM appointment_events
     WHERE tenant_id = $1 AND appointment_id = $2 AND seq <= $4
       AND seq >= (SELECT coalesce(max(seq), 1) FROM appointment_events
                   WHERE tenant_id = $1 AND appointment_id = $2 AND seq <= greatest($3 - 1, 1) AND current IS NOT NULL)
     ORDER BY seq`,
    [tenantId, appointmentId, first, page.offset + page.limit],
  );
  const count = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2', [tenantId, appointmentId]);
  const items: RecordedEvent[] = [];
  let state: unknown = null;
  for (const r of rows) {
    const before = r.previous ?? (r.event_type === 'appointment.created' ? null : state);
    const after = r.current ?? applyPatch(state, r.current_patch!, false, false).newDocument;
    state = after;
    if (r.seq < first) continue;
    items.push({
      tenantId: r.tenant_id,
      id: r.event_id,
      appointmentId: r.appointment_id,
      seq: r.seq,
      type: r.event_type,
      actor: r.actor,
      at: r.occurred_at,
      correlationId: r.correlation_id,
      previous: before ? reviveAppointment(before) : null,
      current: reviveAppointment(after),
    });
  }
  return { items, total: count.rows[0].n };
}

/** One event by its id, both states rebuilt (for a job that was handed the id): null when unknown. */
export async function getAppointmentEvent(q: Queryable, tenantId: string, eventId: string): Promise<RecordedEvent | null> {
  const { rows } = await q.query<{ appointment_id: string; seq: number }>(
    'SELECT appointment_id, seq FROM appointment_events WHERE tenant_id = $1 AND event_id = $2',
    [tenantId, eventId],
  );
  if (!rows[0]) return null;
  const page = await listAppointmentEvents(q, tenantId, rows[0].appointment_id, { offset: rows[0].seq - 1, limit: 1 });
  return page.items[0] ?? null;
}

interface HoldEventRow {
  tenant_id: string;
  hold_id: string;
  seq: number;
  event_id: string;
  event_type: HoldEventType;
  actor: string;
  occurred_at: Date;
  correlation_id: string | null;
  hold: unknown;
}

export async function listHoldEvents(q: Queryable, tenantId: string, holdId: string): Promise<RecordedHoldEvent[]> {
  const { rows } = await q.query<HoldEventRow>('SELECT * FROM hold_events WHERE tenant_id = $1 AND hold_id = $2 ORDER BY seq', [tenantId, holdId]);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.event_id,
    holdId: r.hold_id,
    seq: r.seq,
    type: r.event_type,
    actor: r.actor,
    at: r.occurred_at,
    correlationId: r.correlation_id,
    hold: reviveHold(r.hold),
  }));
}
