import type { Queryable } from '../../db/database.ts';

export interface BusyRow {
  resource_id: string;
  session_key: string;
  /** Epoch ms. */
  start: number;
  end: number;
}

/**
 * Live allocations of these resources overlapping [from, to): appointments, and holds not yet
 * expired at `now` (an expired hold stops counting at once, whether or not it was cleaned up).
 * Also returns the tenant's catalog version, read in the same statement, so a search can trust
 * its catalog in memory without a round trip of its own.
 */
export async function findBusy(
  q: Queryable,
  tenantId: string,
  resourceIds: string[],
  from: Date,
  to: Date,
  now: Date,
  ignoreAppointmentId: string | null,
): Promise<{ rows: BusyRow[]; catalogVersion: number }> {
  // One row of JSON with instants as epoch ms (date_part: a double, cheaper than extract's
  // numeric): measured on 1,875 allocations, this beats plain rows on PGlite by 2x (its row
  // decoding is JavaScript) and is within 0.5 ms of them on PostgreSQL. The engine sorts.
  const { rows } = await q.query<{ busy: string; catalog_version: number }>(
    `SELECT coalesce(json_agg(json_build_array(resource_id, session_key, date_part('epoch', lower(during)) * 1000,
      date_part('epoch', upper(during)) * 1000)), '[]')::text AS busy,
       coalesce((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = $1), 0) AS catalog_version
     FROM allocations
     WHERE tenant_id = $1 AND resource_id = ANY($2::text[]) AND active AND during && tstzrange($3, $4)
       AND (expires_at IS NULL OR expires_at > $5) AND ($6::text IS NULL OR appointment_id IS DISTINCT FROM $6)`,
    [tenantId, resourceIds, from, to, now, ignoreAppointmentId],
  );
  const busy = (JSON.parse(rows[0].busy) as Array<[string, string, number, number]>).map(
    ([resource_id, session_key, start, end]) => ({
      resource_id,
      session_key,
      start: Math.round(start),
      end: Math.round(end),
    }),
  );
  return { rows: busy, catalogVersion: Number(rows[0].catalog_version) };
}
