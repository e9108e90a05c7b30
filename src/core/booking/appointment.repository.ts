import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import { assertStorable } from '../limits.ts';
import { maskPersonalData } from '../privacy/personal-data.ts';
import type { Appointment, AppointmentStatus, Participant } from '../types.ts';
import { LIVE_STATUSES } from './state-machine.ts';
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

export async function getAppointment(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<Appointment | null> {
  const { rows } = await q.query<AppointmentRow>(
    `SELECT ${COLUMNS} FROM appointments a WHERE a.tenant_id = $1 AND a.appointment_id = $2${
      forUpdate ? ' FOR UPDATE' : ''
    }`,
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
  // Whatever an API kept, no personal identifier is stored in clear (core/privacy).
  json(maskPersonalData(a.attributes)),
  a.cancelReason,
  a.version,
  a.createdAt,
  a.updatedAt,
];

/**
 * `exclusiveRef`: at most one live appointment may have this external reference (a work order),
 * for this appointment's whole life; the unique index LIVE_WORK_ORDER_INDEX refuses a second.
 */
export async function insertAppointment(q: Queryable, a: Appointment, exclusiveRef = false): Promise<void> {
  // Every new appointment passes here or through the booking statement (one-statement-booking.ts), which checks the
  // same; changes are bounded by the step that grows it (updateStep).
  assertStorable(a);
  await q.query(
    `INSERT INTO appointments (tenant_id, appointment_id, service_ids, site_id, resource_id, status, starts_at, ends_at,
       requested_period, customer_id, external_ref, participants, notes, attributes, cancel_reason, version,
       created_at, updated_at, exclusive_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE tstzrange($9, $10) END,
       $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [...params(a), exclusiveRef],
  );
}

/** The partial unique index (migration 004) behind "one live appointment per work order". */
export const LIVE_WORK_ORDER_INDEX = 'appointments_live_work_order';

/** Writes the new state; the caller holds the row lock and has checked the version. */
export async function updateAppointment(q: Queryable, a: Appointment): Promise<void> {
  await q.query(
    `UPDATE appointments SET service_ids = $3, site_id = $4, resource_id = $5, status = $6, starts_at = $7,
       ends_at = $8,
       requested_period = CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE tstzrange($9, $10) END, customer_id = $11,
       external_ref = $12, participants = $13, notes = $14, attributes = $15, cancel_reason = $16, version = $17,
       created_at = $18, updated_at = $19
     WHERE tenant_id = $1 AND appointment_id = $2`,
    params(a),
  );
}

const SORT_COLUMNS = {
  start: 'a.starts_at',
  end: 'a.ends_at',
  duration: '(a.ends_at - a.starts_at)',
  id: 'a.appointment_id',
  createdAt: 'a.created_at',
  updatedAt: 'a.updated_at',
} as const;

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
  if (f.involving) {
    values.push(f.involving, json([{ id: f.involving }]));
    where.push(`(a.resource_id = $${values.length - 1} OR a.participants @> $${values.length}::jsonb)`);
  }
  if (f.within) {
    add('a.starts_at >= ?', f.within.start);
    add('a.ends_at <= ?', f.within.end);
  }
  if (f.durationsSec?.length) add('extract(epoch FROM a.ends_at - a.starts_at)::int = ANY(?::int[])', f.durationsSec);
  for (const attr of f.attributes ?? []) {
    values.push(attr.path);
    const at = `a.attributes #>> $${values.length}::text[]`;
    if (attr.values) add(`${at} = ANY(?::text[])`, attr.values);
    else where.push(`${at} IS NOT NULL`);
  }
  if (f.personalIdHash)
    add(
      'a.customer_id IN (SELECT c.customer_id FROM customers c WHERE c.tenant_id = a.tenant_id AND ' +
        'c.personal_id_hash = ?)',
      f.personalIdHash,
    );
  const order =
    `${SORT_COLUMNS[f.sort ?? 'start']} ` + `${f.order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, a.appointment_id`;
  const filter = where.join(' AND ');
  const { rows } = await q.query<AppointmentRow>(
    `SELECT ${COLUMNS} FROM appointments a WHERE ${filter} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}`,
    values,
  );
  const count = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments a WHERE ${filter}`, values);
  return { items: rows.map(toAppointment), total: count.rows[0].n };
}

/** The live appointment of a client reference, if any (to name it in a refusal). */
export async function findLiveByExternalRef(
  q: Queryable,
  tenantId: string,
  externalRef: string,
): Promise<string | null> {
  const { rows } = await q.query<{ appointment_id: string }>(
    `SELECT appointment_id FROM appointments
     WHERE tenant_id = $1 AND external_ref = $2 AND status = ANY($3::text[]) ORDER BY exclusive_ref DESC LIMIT 1`,
    [tenantId, externalRef, [...LIVE_STATUSES]],
  );
  return rows[0]?.appointment_id ?? null;
}

/**
 * The appointment of a client reference: the live one, else the latest created (ties by id), as
 * a work order's appointment is looked up.
 */
export async function findByExternalRef(
  q: Queryable,
  tenantId: string,
  externalRef: string,
): Promise<Appointment | null> {
  const { rows } = await q.query<AppointmentRow>(
    `SELECT ${COLUMNS} FROM appointments a WHERE a.tenant_id = $1 AND a.external_ref = $2
     ORDER BY a.status = ANY($3::text[]) DESC, a.created_at DESC, a.appointment_id LIMIT 1`,
    [tenantId, externalRef, [...LIVE_STATUSES]],
  );
  return rows[0] ? toAppointment(rows[0]) : null;
}

/** How many appointments of each status have a time overlapping [from, to), optionally of one resource. */
export async function countByStatus(
  q: Queryable,
  tenantId: string,
  f: { from: Date; to: Date; resourceId?: string },
): Promise<Array<{ status: AppointmentStatus; n: number }>> {
  const { rows } = await q.query<{ status: AppointmentStatus; n: number }>(
    `SELECT status, count(*)::int AS n FROM appointments
     WHERE tenant_id = $1 AND starts_at < $3 AND ends_at > $2 AND ($4::text IS NULL OR resource_id = $4)
     GROUP BY status`,
    [tenantId, f.from, f.to, f.resourceId ?? null],
  );
  return rows;
}

/**
 * How many appointments in `statuses` overlap [from, to) and are of this resource, have this participant (by
 * participant id) and/or carry this facade attribute value (an application id at `attribute.path`).
 */
export async function countOverlapping(
  q: Queryable,
  tenantId: string,
  f: {
    from: Date;
    to: Date;
    statuses: readonly AppointmentStatus[];
    resourceId?: string;
    participantId?: string;
    attribute?: { path: string[]; value: string };
  },
): Promise<number> {
  const participant: Array<Pick<Participant, 'id'>> | null = f.participantId ? [{ id: f.participantId }] : null;
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM appointments
     WHERE tenant_id = $1 AND starts_at < $3 AND ends_at > $2 AND status = ANY($4::text[])
       AND ($5::text IS NULL OR resource_id = $5) AND ($6::jsonb IS NULL OR participants @> $6::jsonb)
       AND ($7::text[] IS NULL OR attributes #>> $7::text[] = $8)`,
    [
      tenantId,
      f.from,
      f.to,
      [...f.statuses],
      f.resourceId ?? null,
      json(participant),
      f.attribute?.path ?? null,
      f.attribute?.value ?? null,
    ],
  );
  return rows[0].n;
}

/** Live appointments of a facade's attribute value (an application id), grouped by their start and end. */
export async function countSchedules(
  q: Queryable,
  tenantId: string,
  f: { path: string[]; value: string; from: Date; to: Date; limit: number },
): Promise<Array<{ start: Date; end: Date; n: number }>> {
  const { rows } = await q.query<{ start: Date; end: Date; n: number }>(
    `SELECT starts_at AS start, ends_at AS "end", count(*)::int AS n FROM appointments
     WHERE tenant_id = $1 AND starts_at >= $2 AND starts_at <= $3 AND status = ANY($4::text[])
       AND attributes #>> $5::text[] = $6
     GROUP BY starts_at, ends_at ORDER BY starts_at, ends_at LIMIT ${f.limit}`,
    [tenantId, f.from, f.to, [...LIVE_STATUSES], f.path, f.value],
  );
  return rows;
}

/** The tenants having an appointment of this id that a facade keeps data of (attribute key); at most two. */
export async function tenantsOfAppointment(q: Queryable, id: string, attributeKey: string): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    'SELECT tenant_id FROM appointments WHERE appointment_id = $1 AND attributes -> $2 IS NOT NULL LIMIT 2',
    [id, attributeKey],
  );
  return rows.map((r) => r.tenant_id);
}

/** Live appointments of each of these resources overlapping [from, to) (resources without any are absent). */
export async function countLiveByResource(
  q: Queryable,
  tenantId: string,
  resourceIds: string[],
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  const { rows } = await q.query<{ resource_id: string; n: number }>(
    `SELECT resource_id, count(*)::int AS n FROM appointments
     WHERE tenant_id = $1 AND resource_id = ANY($2::text[]) AND starts_at < $4 AND ends_at > $3
       AND status = ANY($5::text[])
     GROUP BY resource_id`,
    [tenantId, resourceIds, from, to, [...LIVE_STATUSES]],
  );
  return new Map(rows.map((r) => [r.resource_id, r.n]));
}
