import type { Queryable } from '../../db/database.ts';

/**
 * Switches off holds of this resource that expired before `now` and stand in the way of [start, end),
 * so the exclusion constraint no longer counts them. The hold itself already reads as expired; its
 * expiry job records that (hold.expired), once.
 */
export async function expireStaleHolds(
  q: Queryable,
  tenantId: string,
  resourceId: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE allocations SET active = false
     WHERE tenant_id = $1 AND resource_id = $2 AND active AND expires_at <= $5 AND during && tstzrange($3, $4)`,
    [tenantId, resourceId, start, end, now],
  );
}

/**
 * Claims [start, end) of a resource. Returns false when an active allocation overlaps: the
 * exclusion constraint decides, and ON CONFLICT DO NOTHING keeps the transaction (and, on a
 * server, its connection) usable for the next candidate.
 */
export async function tryAllocate(
  q: Queryable,
  a: {
    tenantId: string;
    allocationId: string;
    resourceId: string;
    start: Date;
    end: Date;
    sessionKey: string;
    seat: number;
    appointmentId: string | null;
    holdId: string | null;
    expiresAt: Date | null;
  },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id,
      hold_id, expires_at, active)
     VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9, $10, true) ON CONFLICT DO NOTHING`,
    [
      a.tenantId,
      a.allocationId,
      a.resourceId,
      a.start,
      a.end,
      a.sessionKey,
      a.seat,
      a.appointmentId,
      a.holdId,
      a.expiresAt,
    ],
  );
  return r.rowCount === 1;
}

export async function releaseAppointmentAllocations(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
): Promise<void> {
  await q.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND appointment_id = $2 AND active', [
    tenantId,
    appointmentId,
  ]);
}

export async function releaseHoldAllocation(q: Queryable, tenantId: string, holdId: string): Promise<void> {
  await q.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND hold_id = $2 AND active', [
    tenantId,
    holdId,
  ]);
}

/** A converted hold's time now belongs to the appointment, without a moment in which it is free. */
export async function transferHoldAllocation(
  q: Queryable,
  tenantId: string,
  holdId: string,
  appointmentId: string,
): Promise<boolean> {
  const r = await q.query(
    `UPDATE allocations SET appointment_id = $3, hold_id = NULL, expires_at = NULL
     WHERE tenant_id = $1 AND hold_id = $2 AND active`,
    [tenantId, holdId, appointmentId],
  );
  return r.rowCount === 1;
}

export async function extendHoldAllocation(
  q: Queryable,
  tenantId: string,
  holdId: string,
  expiresAt: Date,
): Promise<void> {
  await q.query('UPDATE allocations SET expires_at = $3 WHERE tenant_id = $1 AND hold_id = $2 AND active', [
    tenantId,
    holdId,
    expiresAt,
  ]);
}

/**
 * Clashes among a tenant's active allocations that the constraints forbid: a session (a booking,
 * or the seats of one seated slot) starting before an earlier session of its resource ended, or
 * one seat taken twice. Always zero; counted by tests, the bench and the fault tests. Sort-based
 * (one window over each resource's sessions), so it stays fast on tens of thousands of rows.
 */
export async function countOverlaps(q: Queryable, tenantId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH sessions AS (
       SELECT resource_id, min(lower(during)) AS s, max(upper(during)) AS e
       FROM allocations WHERE tenant_id = $1 AND active GROUP BY resource_id, session_key),
     ordered AS (
       SELECT s,
         max(e) OVER (PARTITION BY resource_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           AS earlier_end
       FROM sessions)
     SELECT ((SELECT count(*) FROM ordered WHERE s < earlier_end)
       + (SELECT count(*) FROM (SELECT 1 FROM allocations WHERE tenant_id = $1 AND active
            GROUP BY resource_id, session_key, seat HAVING count(*) > 1) twice))::int AS n`,
    [tenantId],
  );
  return rows[0].n;
}
