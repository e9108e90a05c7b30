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
