import type { Queryable } from '../../db/database.ts';

export interface ApiKeyRecord {
  tenantId: string;
  keyId: string;
  label: string | null;
  roles: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

interface ApiKeyRow {
  tenant_id: string;
  key_id: string;
  label: string | null;
  roles: string[];
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  tenantId: r.tenant_id,
  keyId: r.key_id,
  label: r.label,
  roles: r.roles,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function insertApiKey(q: Queryable, rec: ApiKeyRecord, keyHash: string): Promise<void> {
  await q.query(
    'INSERT INTO api_keys (tenant_id, key_id, key_hash, label, roles, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [rec.tenantId, rec.keyId, keyHash, rec.label, rec.roles, rec.createdAt],
  );
}

export async function findActiveApiKey(q: Queryable, tenantId: string, keyHash: string): Promise<ApiKeyRecord | null> {
  const { rows } = await q.query<ApiKeyRow>(
    'SELECT * FROM api_keys WHERE tenant_id = $1 AND key_hash = $2 AND revoked_at IS NULL',
    [tenantId, keyHash],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listApiKeys(q: Queryable, tenantId: string): Promise<ApiKeyRecord[]> {
  const { rows } = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, key_id', [
    tenantId,
  ]);
  return rows.map(toRecord);
}

export async function revokeApiKey(q: Queryable, tenantId: string, keyId: string, at: Date): Promise<boolean> {
  const r = await q.query(
    'UPDATE api_keys SET revoked_at = $3 WHERE tenant_id = $1 AND key_id = $2 AND revoked_at IS NULL',
    [tenantId, keyId, at],
  );
  return r.rowCount > 0;
}

export async function countApiKeys(q: Queryable, tenantId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1', [
    tenantId,
  ]);
  return rows[0].n;
}
