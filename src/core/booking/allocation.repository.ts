import type { Queryable } from '../../db/database.ts';

export interface BusyRow {
  resource_id: string;
  session_key: string;
  start: Date;
  end: Date;
}

/**
 * Live allocations of these resources overlapping [from, to): appointments, and holds not yet
 * expired at `now` (an expired hold stops counting at once, whether or not it was cleaned up).
 */
export async function findBusy(
  q: Queryable,
  tenantId: string,
  resourceIds: string[],
  from: Date,
  to: Date,
  now: Date,
  ignoreAppointmentId: string | null,
): Promise<BusyRow[]> {
  // One row of JSON with instants as epoch ms: decoding thousands of timestamp rows was most of a
  // slot search's time (see BENCHMARKS.md). The engine sorts intervals itself.
  const { rows } = await q.query<{ busy: string }>(
    `SELECT coalesce(json_agg(json_build_array(resource_id, session_key, extract(epoch FROM lower(during)) * 1000, extract(epoch FROM upper(during)) * 1000)), '[]')::text AS busy
     FROM allocations
     WHERE tenant_id = $1 AND resource_id = ANY($2::text[]) AND active AND during && tstzrange($3, $4)
       AND (expires_at IS NULL OR expires_at > $5) AND ($6::text IS NULL OR appointment_id IS DISTINCT FROM $6)`,
    [tenantId, resourceIds, from, to, now, ignoreAppointmentId],
  );
  return (JSON.parse(rows[0].busy) as Array<[string, string, number, number]>).map(([resource_id, session_key, s, e]) => ({
    resource_id,
    session_key,
    start: new Date(s),
    end: new Date(e),
  }));
}

/**
 * Switches off holds of this resource that expired before `now` and stand in the way of [start, end),
 * so the exclusion constraint no longer counts them.
 */
export async function expireStaleHolds(q: Queryable, tenantId: string, resourceId: string, start: Date, end: Date, now: Date): Promise<void> {
  await q.query(
    `WITH stale AS (
       UPDATE allocations SET active = false
       WHERE tenant_id = $1 AND resource_id = $2 AND active AND expires_at <= $5 AND during && tstzrange($3, $4)
       RETURNING hold_id)
     UPDATE holds h SET status = 'expired' FROM stale
     WHERE h.tenant_id = $1 AND h.hold_id = stale.hold_id AND h.status = 'active'`,
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
    `INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id, hold_id, expires_at, active)
     VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9, $10, true) ON CONFLICT DO NOTHING`,
    [a.tenantId, a.allocationId, a.resourceId, a.start, a.end, a.sessionKey, a.seat, a.appointmentId, a.holdId, a.expiresAt],
  );
  return r.rowCount === 1;
}

export async function releaseAppointmentAllocations(q: Queryable, tenantId: string, appointmentId: string): Promise<void> {
  await q.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND appointment_id = $2 AND active', [tenantId, appointmentId]);
}

export async function releaseHoldAllocation(q: Queryable, tenantId: string, holdId: string): Promise<void> {
  await q.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND hold_id = $2 AND active', [tenantId, holdId]);
}

/** A converted hold's time now belongs to the appointment, without a moment in which it is free. */
export async function transferHoldAllocation(q: Queryable, tenantId: string, holdId: string, appointmentId: string): Promise<boolean> {
  const r = await q.query(
    `UPDATE allocations SET appointment_id = $3, hold_id = NULL, expires_at = NULL
     WHERE tenant_id = $1 AND hold_id = $2 AND active`,
    [tenantId, holdId, appointmentId],
  );
  return r.rowCount === 1;
}

export async function extendHoldAllocation(q: Queryable, tenantId: string, holdId: string, expiresAt: Date): Promise<void> {
  await q.query('UPDATE allocations SET expires_at = $3 WHERE tenant_id = $1 AND hold_id = $2 AND active', [tenantId, holdId, expiresAt]);
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
       SELECT s, max(e) OVER (PARTITION BY resource_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
       FROM sessions)
     SELECT ((SELECT count(*) FROM ordered WHERE s < earlier_end)
       + (SELECT count(*) FROM (SELECT 1 FROM allocations WHERE tenant_id = $1 AND active
            GROUP BY resource_id, session_key, seat HAVING count(*) > 1) twice))::int AS n`,
    [tenantId],
  );
  return rows[0].n;
}
