import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import type { Appointment, AppointmentEvent, AppointmentEventType } from '../types.ts';
import type { ListAppointmentsInput } from './booking.types.ts';

interface AppointmentRow {
  tenant_id: string;
  appointment_id: string;
  service_ids: string[];
  site_id: string | null;
  resource_id: string | null;
  status: Appointment['status'];
  starts_at: Date | null;
  ends_at: Date | null;
  req_start: Date | null;
  req_end: Date | null;
  customer_id: string | null;
  external_ref: string | null;
  participants: Appointment['participants'];
  notes: Array<{ author: string | null; date: string; text: string }>;
  attributes: Appointment['attributes'];
  cancel_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `a.*, lower(a.requested_period) AS req_start, upper(a.requested_period) AS req_end`;

const toAppointment = (r: AppointmentRow): Appointment => ({
  tenantId: r.tenant_id,
  id: r.appointment_id,
  serviceIds: r.service_ids,
  siteId: r.site_id,
  resourceId: r.resource_id,
  status: r.status,
  start: r.starts_at,
  end: r.ends_at,
  requestedPeriod: r.req_start && r.req_end ? { start: r.req_start, end: r.req_end } : null,
  customerId: r.customer_id,
  externalRef: r.external_ref,
  participants: r.participants,
  notes: r.notes.map((n) => ({ author: n.author, date: new Date(n.date), text: n.text })),
  attributes: r.attributes,
  cancelReason: r.cancel_reason,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getAppointment(q: Queryable, tenantId: string, id: string, forUpdate = false): Promise<Appointment | null> {
  const { rows } = await q.query<AppointmentRow>(
    `SELECT ${COLUMNS} FROM appointments a WHERE a.tenant_id = $1 AND a.appointment_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return rows[0] ? toAppointment(rows[0]) : null;
}

const params = (a: Appointment) => [
  a.tenantId,
  a.id,
  a.serviceIds,
  a.siteId,
  a.resourceId,
  a.status,
  a.start,
  a.end,
  a.requestedPeriod?.start ?? null,
  a.requestedPeriod?.end ?? null,
  a.customerId,
  a.externalRef,
  json(a.participants),
  json(a.notes),
  json(a.attributes),
  a.cancelReason,
  a.version,
  a.createdAt,
  a.updatedAt,
];

export async function insertAppointment(q: Queryable, a: Appointment): Promise<void> {
  await q.query(
    `INSERT INTO appointments (tenant_id, appointment_id, service_ids, site_id, resource_id, status, starts_at, ends_at,
       requested_period, customer_id, external_ref, participants, notes, attributes, cancel_reason, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE tstzrange($9, $10) END,
       $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    params(a),
  );
}

/** Writes the new state; the caller holds the row lock and has checked the version. */
export async function updateAppointment(q: Queryable, a: Appointment): Promise<void> {
  await q.query(
    `UPDATE appointments SET service_ids = $3, site_id = $4, resource_id = $5, status = $6, starts_at = $7, ends_at = $8,
       requested_period = CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE tstzrange($9, $10) END, customer_id = $11,
       external_ref = $12, participants = $13, notes = $14, attributes = $15, cancel_reason = $16, version = $17,
       created_at = $18, updated_at = $19
     WHERE tenant_id = $1 AND appointment_id = $2`,
    params(a),
  );
}

const SORT_COLUMNS = { start: 'a.starts_at', createdAt: 'a.created_at', updatedAt: 'a.updated_at' } as const;

export async function listAppointments(
  q: Queryable,
  tenantId: string,
  f: ListAppointmentsInput & { limit: number; offset: number; personalIdHash?: string },
): Promise<{ items: Appointment[]; total: number }> {
  const where = ['a.tenant_id = $1'];
  const values: unknown[] = [tenantId];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (f.status?.length) add('a.status = ANY(?::text[])', f.status);
  if (f.from) add('a.ends_at > ?', f.from);
  if (f.to) add('a.starts_at < ?', f.to);
  if (f.resourceId) add('a.resource_id = ?', f.resourceId);
  if (f.customerId) add('a.customer_id = ?', f.customerId);
  if (f.externalRef) add('a.external_ref = ?', f.externalRef);
  if (f.siteId) add('a.site_id = ?', f.siteId);
  if (f.serviceId) add('? = ANY(a.service_ids)', f.serviceId);
  if (f.personalIdHash)
    add('a.customer_id IN (SELECT c.customer_id FROM customers c WHERE c.tenant_id = a.tenant_id AND c.personal_id_hash = ?)', f.personalIdHash);
  const order = `${SORT_COLUMNS[f.sort ?? 'start']} ${f.order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, a.appointment_id`;
  const filter = where.join(' AND ');
  const { rows } = await q.query<AppointmentRow>(
    `SELECT ${COLUMNS} FROM appointments a WHERE ${filter} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}`,
    values,
  );
  const count = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments a WHERE ${filter}`, values);
  return { items: rows.map(toAppointment), total: count.rows[0].n };
}

/**
 * The live appointment of a client reference, taking a transaction-scoped lock on that reference
 * first, so that two transactions cannot both find none and both create one.
 */
export async function lockLiveByExternalRef(q: Queryable, tenantId: string, externalRef: string): Promise<string | null> {
  await q.query('SELECT pg_advisory_xact_lock(7340002, hashtext($1))', [`${tenantId}/${externalRef}`]);
  const { rows } = await q.query<{ appointment_id: string }>(
    `SELECT appointment_id FROM appointments
     WHERE tenant_id = $1 AND external_ref = $2 AND status IN ('requested', 'booked', 'in_progress') LIMIT 1`,
    [tenantId, externalRef],
  );
  return rows[0]?.appointment_id ?? null;
}

export async function appendEvent(
  q: Queryable,
  e: { type: AppointmentEventType; actor: string; at: Date; previous: Appointment | null; current: Appointment },
): Promise<void> {
  await q.query(
    `INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_type, actor, occurred_at, previous, current)
     VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2), $3, $4, $5, $6, $7)`,
    [e.current.tenantId, e.current.id, e.type, e.actor, e.at, json(e.previous), json(e.current)],
  );
}

interface EventRow {
  tenant_id: string;
  appointment_id: string;
  seq: number;
  event_type: AppointmentEventType;
  actor: string;
  occurred_at: Date;
  previous: unknown;
  current: unknown;
}

/** Snapshots were stored as JSON: bring their instants back to Dates. */
function reviveAppointment(raw: any): Appointment {
  const d = (v: string | null) => (v ? new Date(v) : null);
  return {
    ...raw,
    start: d(raw.start),
    end: d(raw.end),
    requestedPeriod: raw.requestedPeriod ? { start: new Date(raw.requestedPeriod.start), end: new Date(raw.requestedPeriod.end) } : null,
    notes: raw.notes.map((n: any) => ({ ...n, date: new Date(n.date) })),
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
  };
}

export async function listEvents(q: Queryable, tenantId: string, appointmentId: string): Promise<AppointmentEvent[]> {
  const { rows } = await q.query<EventRow>(
    'SELECT * FROM appointment_events WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY seq',
    [tenantId, appointmentId],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    appointmentId: r.appointment_id,
    seq: r.seq,
    type: r.event_type,
    actor: r.actor,
    at: r.occurred_at,
    previous: r.previous ? reviveAppointment(r.previous) : null,
    current: reviveAppointment(r.current),
  }));
}
