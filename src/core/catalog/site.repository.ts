import type { Queryable } from '../../db/database.ts';
import type { Site } from '../types.ts';

interface SiteRow {
  tenant_id: string;
  site_id: string;
  name: string;
  time_zone: string;
  address: Site['address'];
  geo: Site['geo'];
  service_area: Site['serviceArea'];
  created_at: Date;
  updated_at: Date;
}

const toSite = (r: SiteRow): Site => ({
  tenantId: r.tenant_id,
  id: r.site_id,
  name: r.name,
  timeZone: r.time_zone,
  address: r.address,
  geo: r.geo,
  serviceArea: r.service_area,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getSite(q: Queryable, tenantId: string, siteId: string): Promise<Site | null> {
  const { rows } = await q.query<SiteRow>('SELECT * FROM sites WHERE tenant_id = $1 AND site_id = $2', [
    tenantId,
    siteId,
  ]);
  return rows[0] ? toSite(rows[0]) : null;
}

/** Every site of a tenant, by id (the in-memory catalog). */
export async function listAllSites(q: Queryable, tenantId: string): Promise<Site[]> {
  const { rows } = await q.query<SiteRow>('SELECT * FROM sites WHERE tenant_id = $1 ORDER BY site_id', [tenantId]);
  return rows.map(toSite);
}

export async function listSites(
  q: Queryable,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: Site[]; total: number }> {
  const { rows } = await q.query<SiteRow>(
    'SELECT * FROM sites WHERE tenant_id = $1 ORDER BY site_id LIMIT $2 OFFSET $3',
    [tenantId, limit, offset],
  );
  const count = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sites WHERE tenant_id = $1', [tenantId]);
  return { items: rows.map(toSite), total: count.rows[0].n };
}

/** Sites with a service area, for resolving an address to the territory that serves it. */
export async function listServiceAreaSites(q: Queryable, tenantId: string): Promise<Site[]> {
  const { rows } = await q.query<SiteRow>(
    'SELECT * FROM sites WHERE tenant_id = $1 AND service_area IS NOT NULL ORDER BY site_id',
    [tenantId],
  );
  return rows.map(toSite);
}

export async function upsertSite(q: Queryable, s: Site): Promise<void> {
  await q.query(
    `INSERT INTO sites (tenant_id, site_id, name, time_zone, address, geo, service_area, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, site_id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone,
       address = EXCLUDED.address, geo = EXCLUDED.geo, service_area = EXCLUDED.service_area, updated_at =
       EXCLUDED.updated_at`,
    [s.tenantId, s.id, s.name, s.timeZone, json(s.address), json(s.geo), json(s.serviceArea), s.createdAt, s.updatedAt],
  );
}

/** node-postgres would send a JS array as a Postgres array: jsonb parameters go as text. */
export const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
