import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import type { Appointment, AppointmentEventType, Hold } from '../types.ts';
import type { HoldEventType, RecordedEvent, RecordedHoldEvent } from './event.types.ts';

/**
 * Appends one event and returns its sequence number: one statement (the next number is read in
 * it), so it can become part of a larger statement. The caller holds the stream's lock (the
 * appointment row, or the hold row); the primary key refuses a duplicate number regardless.
 */
export async function insertAppointmentEvent(q: Queryable, e: Omit<RecordedEvent, 'seq'>): Promise<number> {
  const { rows } = await q.query<{ seq: number }>(
    `INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor, occurred_at, correlation_id, previous, current)
     VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2),
       $3, $4, $5, $6, $7, $8, $9)
     RETURNING seq`,
    [e.tenantId, e.appointmentId, e.id, e.type, e.actor, e.at, e.correlationId, json(e.previous), json(e.current)],
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

export interface EventRow {
  tenant_id: string;
  appointment_id: string;
  seq: number;
  event_id: string;
  event_type: AppointmentEventType;
  actor: string;
  occurred_at: Date;
  correlation_id: string | null;
  previous: unknown;
  current: unknown;
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

export async function listAppointmentEvents(q: Queryable, tenantId: string, appointmentId: string): Promise<RecordedEvent[]> {
  const { rows } = await q.query<EventRow>(
    'SELECT * FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY seq',
    [tenantId, appointmentId],
  );
  return rows.map(toRecordedEvent);
}

/** A row of appointment_events as the event it records (other readers of the table, e.g. webhooks, use it too). */
export const toRecordedEvent = (r: EventRow): RecordedEvent => ({
  tenantId: r.tenant_id,
  id: r.event_id,
  appointmentId: r.appointment_id,
  seq: r.seq,
  type: r.event_type,
  actor: r.actor,
  at: r.occurred_at,
  correlationId: r.correlation_id,
  previous: r.previous ? reviveAppointment(r.previous) : null,
  current: reviveAppointment(r.current),
});

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
