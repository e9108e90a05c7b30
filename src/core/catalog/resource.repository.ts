import type { Queryable } from '../../db/database.ts';
import type { Resource, TimeOff } from '../types.ts';
import { json } from './site.repository.ts';

interface ResourceRow {
  tenant_id: string;
  resource_id: string;
  kind: Resource['kind'];
  name: string;
  service_ids: string[];
  site_ids: string[];
  working_hours: Resource['workingHours'];
  active: boolean;
  created_at: Date;
  updated_at: Date;
  time_off: Array<{ id: string; start: string; end: string; reason: string | null }> | null;
}

const toResource = (r: ResourceRow): Resource => ({
  tenantId: r.tenant_id,
  id: r.resource_id,
  kind: r.kind,
  name: r.name,
  serviceIds: r.service_ids,
  siteIds: r.site_ids,
  workingHours: r.working_hours,
  timeOff: (r.time_off ?? []).map((t) => ({
    id: t.id,
    start: new Date(t.start),
    end: new Date(t.end),
    reason: t.reason,
  })),
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

// Time off comes along as one JSON array per resource, so a resource is always read in one query.
const SELECT_RESOURCES = `
  SELECT r.*, (
    SELECT jsonb_agg(jsonb_build_object('id', t.time_off_id, 'start', lower(t.during), 'end', upper(t.during),
    'reason', t.reason)
                     ORDER BY lower(t.during))
    FROM resource_time_off t WHERE t.tenant_id = r.tenant_id AND t.resource_id = r.resource_id
  ) AS time_off
  FROM resources r`;

export async function getResource(q: Queryable, tenantId: string, resourceId: string): Promise<Resource | null> {
  const { rows } = await q.query<ResourceRow>(`${SELECT_RESOURCES} WHERE r.tenant_id = $1 AND r.resource_id = $2`, [
    tenantId,
    resourceId,
  ]);
  return rows[0] ? toResource(rows[0]) : null;
}

export async function listResources(
  q: Queryable,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: Resource[]; total: number }> {
  const { rows } = await q.query<ResourceRow>(
    `${SELECT_RESOURCES} WHERE r.tenant_id = $1 ORDER BY r.resource_id LIMIT $2 OFFSET $3`,
    [tenantId, limit, offset],
  );
  const count = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM resources WHERE tenant_id = $1', [
    tenantId,
  ]);
  return { items: rows.map(toResource), total: count.rows[0].n };
}

/** Every active resource of a tenant with its time off, by id (the in-memory catalog). */
export async function listActiveResources(q: Queryable, tenantId: string): Promise<Resource[]> {
  const { rows } = await q.query<ResourceRow>(
    `${SELECT_RESOURCES} WHERE r.tenant_id = $1 AND r.active ORDER BY r.resource_id`,
    [tenantId],
  );
  return rows.map(toResource);
}

/** Active resources at a site that deliver every one of the services. */
export async function findEligibleResources(
  q: Queryable,
  tenantId: string,
  siteId: string,
  serviceIds: string[],
): Promise<Resource[]> {
  const { rows } = await q.query<ResourceRow>(
    `${SELECT_RESOURCES} WHERE r.tenant_id = $1 AND r.active AND $2 = ANY(r.site_ids) AND r.service_ids @> ` +
      `$3::text[] ORDER BY r.resource_id`,
    [tenantId, siteId, serviceIds],
  );
  return rows.map(toResource);
}

export async function upsertResource(q: Queryable, r: Resource): Promise<void> {
  await q.query(
    `INSERT INTO resources (tenant_id, resource_id, kind, name, service_ids, site_ids, working_hours, active,
      created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, resource_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
       service_ids = EXCLUDED.service_ids, site_ids = EXCLUDED.site_ids, working_hours = EXCLUDED.working_hours,
       active = EXCLUDED.active, updated_at = EXCLUDED.updated_at`,
    [
      r.tenantId,
      r.id,
      r.kind,
      r.name,
      r.serviceIds,
      r.siteIds,
      json(r.workingHours),
      r.active,
      r.createdAt,
      r.updatedAt,
    ],
  );
  await replaceTimeOff(q, r.tenantId, r.id, r.timeOff);
}

async function replaceTimeOff(q: Queryable, tenantId: string, resourceId: string, timeOff: TimeOff[]): Promise<void> {
  await q.query('DELETE FROM resource_time_off WHERE tenant_id = $1 AND resource_id = $2', [tenantId, resourceId]);
  for (const t of timeOff) {
    await q.query(
      `INSERT INTO resource_time_off (tenant_id, resource_id, time_off_id, during, reason) VALUES ($1, $2, $3,
        tstzrange($4, $5), $6)`,
      [tenantId, resourceId, t.id, t.start, t.end, t.reason],
    );
  }
}
