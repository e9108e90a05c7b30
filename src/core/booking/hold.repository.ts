import type { Queryable } from '../../db/database.ts';
import type { Hold } from '../types.ts';

interface HoldRow {
  tenant_id: string;
  hold_id: string;
  service_ids: string[];
  site_id: string;
  resource_id: string;
  starts_at: Date;
  ends_at: Date;
  expires_at: Date;
  status: Hold['status'];
  appointment_id: string | null;
  for_appointment_id: string | null;
  created_at: Date;
}

/** A hold past its expiry reads as expired at once, whether or not the expiry job has run. */
const toHold = (r: HoldRow, now: Date): Hold => ({
  tenantId: r.tenant_id,
  id: r.hold_id,
  serviceIds: r.service_ids,
  siteId: r.site_id,
  resourceId: r.resource_id,
  start: r.starts_at,
  end: r.ends_at,
  expiresAt: r.expires_at,
  status: r.status === 'active' && r.expires_at.getTime() <= now.getTime() ? 'expired' : r.status,
  appointmentId: r.appointment_id,
  forAppointmentId: r.for_appointment_id,
  createdAt: r.created_at,
});

export async function getHold(
  q: Queryable,
  tenantId: string,
  holdId: string,
  now: Date,
  forUpdate = false,
): Promise<Hold | null> {
  const { rows } = await q.query<HoldRow>(
    `SELECT * FROM holds WHERE tenant_id = $1 AND hold_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, holdId],
  );
  return rows[0] ? toHold(rows[0], now) : null;
}

export async function insertHold(q: Queryable, h: Hold): Promise<void> {
  await q.query(
    `INSERT INTO holds (tenant_id, hold_id, service_ids, site_id, resource_id, starts_at, ends_at, expires_at,
      status, appointment_id, for_appointment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      h.tenantId,
      h.id,
      h.serviceIds,
      h.siteId,
      h.resourceId,
      h.start,
      h.end,
      h.expiresAt,
      h.status,
      h.appointmentId,
      h.forAppointmentId,
      h.createdAt,
    ],
  );
}

export async function setHoldState(
  q: Queryable,
  tenantId: string,
  holdId: string,
  change: { status: Hold['status']; expiresAt?: Date; appointmentId?: string },
): Promise<void> {
  await q.query(
    `UPDATE holds SET status = $3, expires_at = coalesce($4, expires_at), appointment_id = coalesce($5, appointment_id)
     WHERE tenant_id = $1 AND hold_id = $2`,
    [tenantId, holdId, change.status, change.expiresAt ?? null, change.appointmentId ?? null],
  );
}

/** Marks a hold past its expiry as expired; false when it was no longer active (a second run of its job). */
export async function markHoldExpired(q: Queryable, tenantId: string, holdId: string, now: Date): Promise<boolean> {
  const r = await q.query(
    `UPDATE holds SET status = 'expired'
     WHERE tenant_id = $1 AND hold_id = $2 AND status = 'active' AND expires_at <= $3`,
    [tenantId, holdId, now],
  );
  return r.rowCount === 1;
}
