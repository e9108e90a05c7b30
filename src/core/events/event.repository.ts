import fastJsonPatch, { type Operation } from 'fast-json-patch';
import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import { maskPersonalData } from '../privacy/personal-data.ts';
import type { Appointment, AppointmentEventType, Hold } from '../types.ts';
import type { HoldEventType, RecordedEvent, RecordedHoldEvent } from './event.types.ts';

const { applyPatch, compare } = fastJsonPatch;

/** An appointment as stored in jsonb: its instants as ISO strings. */
type StoredAppointment = Omit<
  Appointment,
  'start' | 'end' | 'requestedPeriod' | 'notes' | 'createdAt' | 'updatedAt'
> & {
  start: string | null;
  end: string | null;
  requestedPeriod: { start: string; end: string } | null;
  notes: Array<Omit<Appointment['notes'][number], 'date'> & { date: string }>;
  createdAt: string;
  updatedAt: string;
};

/** A hold as stored in jsonb: its instants as ISO strings. */
type StoredHold = Omit<Hold, 'start' | 'end' | 'expiresAt' | 'createdAt'> & {
  start: string;
  end: string;
  expiresAt: string;
  createdAt: string;
};

/** An appointment as it is stored in jsonb: Dates as ISO strings, personal identifiers masked (core/privacy). */
const asJson = (a: Appointment): StoredAppointment =>
  JSON.parse(JSON.stringify({ ...a, attributes: maskPersonalData(a.attributes) }));

/**
 * Appends one event and returns its sequence number: one statement (the next number is read in
 * it), so it can become part of a larger statement. The caller holds the stream's lock (the
 * appointment row, or the hold row); the primary key refuses a duplicate number regardless.
 * The state before is stored as what changed (the patch from `current` back to it), not a copy.
 */
export async function insertAppointmentEvent(q: Queryable, e: Omit<RecordedEvent, 'seq'>): Promise<number> {
  const current = asJson(e.current);
  const previousPatch = e.previous ? compare(current, asJson(e.previous)) : null;
  const { rows } = await q.query<{ seq: number }>(
    `INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor, occurred_at,
      correlation_id, previous_patch, current)
     VALUES ($1, $2,
       (SELECT coalesce(max(seq), 0) + 1 FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2),
       $3, $4, $5, $6, $7, $8, $9)
     RETURNING seq`,
    [
      e.tenantId,
      e.appointmentId,
      e.id,
      e.type,
      e.actor,
      e.at,
      e.correlationId,
      json(previousPatch),
      JSON.stringify(current),
    ],
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
  /** Rows written before migration 006 only. */
  previous: StoredAppointment | null;
  /** The patch from `current` back to the state before (rows since migration 006; null for a creation). */
  previous_patch: Operation[] | null;
  current: StoredAppointment;
}

const date = (v: string | null) => (v ? new Date(v) : null);

/** Snapshots were stored as JSON: bring their instants back to Dates. */
function reviveAppointment(raw: StoredAppointment): Appointment {
  return {
    ...raw,
    start: date(raw.start),
    end: date(raw.end),
    requestedPeriod: raw.requestedPeriod
      ? { start: new Date(raw.requestedPeriod.start), end: new Date(raw.requestedPeriod.end) }
      : null,
    notes: raw.notes.map((n) => ({ ...n, date: new Date(n.date) })),
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
  };
}

const reviveHold = (raw: StoredHold): Hold => ({
  ...raw,
  // Events recorded before holds could be taken for one appointment (migration 015) have no such field.
  forAppointmentId: raw.forAppointmentId ?? null,
  start: new Date(raw.start),
  end: new Date(raw.end),
  expiresAt: new Date(raw.expiresAt),
  createdAt: new Date(raw.createdAt),
});

/** One page of an appointment's events, in order, and how many it has in all. */
export async function listAppointmentEvents(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
  page: { limit: number; offset: number },
): Promise<{ items: RecordedEvent[]; total: number }> {
  const { rows } = await q.query<EventRow>(
    'SELECT * FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY seq LIMIT $3 OFFSET $4',
    [tenantId, appointmentId, page.limit, page.offset],
  );
  const count = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2',
    [tenantId, appointmentId],
  );
  return { items: rows.map(toRecordedEvent), total: count.rows[0].n };
}

/**
 * The state before an event: a full copy (rows before previous_patch), `current` patched back, or none (a creation).
 */
function previousOf(r: EventRow): StoredAppointment | null {
  if (r.previous) return r.previous;
  if (!r.previous_patch) return null;
  return applyPatch(structuredClone(r.current), r.previous_patch, false, true).newDocument;
}

/** A row of appointment_events as the event it records, both states in full (other readers of the table use it too). */
export const toRecordedEvent = (r: EventRow): RecordedEvent => {
  const previous = previousOf(r);
  return {
    tenantId: r.tenant_id,
    id: r.event_id,
    appointmentId: r.appointment_id,
    seq: r.seq,
    type: r.event_type,
    actor: r.actor,
    at: r.occurred_at,
    correlationId: r.correlation_id,
    previous: previous ? reviveAppointment(previous) : null,
    current: reviveAppointment(r.current),
  };
};

/** One event by its id, both states in full (for a job that was handed the id): null when unknown. */
export async function getAppointmentEvent(
  q: Queryable,
  tenantId: string,
  eventId: string,
): Promise<RecordedEvent | null> {
  const { rows } = await q.query<EventRow>('SELECT * FROM appointment_events WHERE tenant_id = $1 AND event_id = $2', [
    tenantId,
    eventId,
  ]);
  return rows[0] ? toRecordedEvent(rows[0]) : null;
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
  hold: StoredHold;
}

export async function listHoldEvents(q: Queryable, tenantId: string, holdId: string): Promise<RecordedHoldEvent[]> {
  const { rows } = await q.query<HoldEventRow>(
    'SELECT * FROM hold_events WHERE tenant_id = $1 AND hold_id = $2 ORDER BY seq',
    [tenantId, holdId],
  );
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

/** The id of an appointment's latest event (what a message planned outside a change refers to); null when none. */
export async function latestAppointmentEventId(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
): Promise<string | null> {
  const { rows } = await q.query<{ event_id: string }>(
    'SELECT event_id FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY seq DESC LIMIT 1',
    [tenantId, appointmentId],
  );
  return rows[0]?.event_id ?? null;
}
