import type { Queryable } from '../../db/database.ts';
import { DEFAULT_TENANT_SETTINGS } from './catalog.types.ts';
import type { Tenant, TenantSettings } from '../types.ts';

interface TenantRow {
  tenant_id: string;
  name: string;
  settings: Partial<TenantSettings>;
  created_at: Date;
  updated_at: Date;
}

const toTenant = (r: TenantRow): Tenant => ({
  id: r.tenant_id,
  name: r.name,
  settings: { ...DEFAULT_TENANT_SETTINGS, ...r.settings },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getTenant(q: Queryable, tenantId: string): Promise<Tenant | null> {
  const { rows } = await q.query<TenantRow>('SELECT * FROM tenants WHERE tenant_id = $1', [tenantId]);
  return rows[0] ? toTenant(rows[0]) : null;
}

export async function listTenants(
  q: Queryable,
  limit: number,
  offset: number,
): Promise<{ items: Tenant[]; total: number }> {
  const { rows } = await q.query<TenantRow & { total: number }>(
    'SELECT *, count(*) OVER ()::int AS total FROM tenants ORDER BY tenant_id LIMIT $1 OFFSET $2',
    [limit, offset],
  );
  return { items: rows.map(toTenant), total: rows[0]?.total ?? (await countTenants(q)) };
}

async function countTenants(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  return rows[0].n;
}

export async function upsertTenant(q: Queryable, t: Tenant): Promise<void> {
  await q.query(
    `INSERT INTO tenants (tenant_id, name, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, settings = EXCLUDED.settings, updated_at =
     EXCLUDED.updated_at`,
    [t.id, t.name, JSON.stringify(t.settings), t.createdAt, t.updatedAt],
  );
}
