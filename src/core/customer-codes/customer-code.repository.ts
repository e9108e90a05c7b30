import type { Queryable } from '../../db/database.ts';

export interface CodeRow {
  code_id: string;
  code_hash: string;
  expires_at: Date;
  wrong_tries: number;
  used_at: Date | null;
  voided_at: Date | null;
}

export interface NewCode {
  tenantId: string;
  id: string;
  recipientHash: string;
  applicationId: string;
  channel: 'EMAIL' | 'SMS';
  codeHash: string;
  expiresAt: Date;
  createdAt: Date;
}

/** Serializes the requests and checks of one recipient: limits and single use hold under concurrency. */
export async function lockRecipient(q: Queryable, tenantId: string, recipientHash: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(7340010, hashtext($1))', [`${tenantId}\n${recipientHash}`]);
}

/** Codes sent since `since`: to one recipient, and to the whole tenant. */
export async function countSince(
  q: Queryable,
  tenantId: string,
  recipientHash: string,
  since: Date,
): Promise<{ recipient: number; tenant: number }> {
  const { rows } = await q.query<{ recipient: number; tenant: number }>(
    `SELECT count(*) FILTER (WHERE recipient_hash = $2)::int AS recipient, count(*)::int AS tenant
       FROM customer_codes WHERE tenant_id = $1 AND created_at > $3`,
    [tenantId, recipientHash, since],
  );
  return rows[0];
}

/** Forgets the tenant's codes older than `before`: expired, and outside the rate limit's window. */
export async function deleteOlderThan(q: Queryable, tenantId: string, before: Date): Promise<void> {
  await q.query('DELETE FROM customer_codes WHERE tenant_id = $1 AND created_at <= $2', [tenantId, before]);
}

export async function insertCode(q: Queryable, c: NewCode): Promise<void> {
  await q.query(
    `INSERT INTO customer_codes (tenant_id, code_id, recipient_hash, application_id, channel, code_hash, expires_at,
        created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.tenantId, c.id, c.recipientHash, c.applicationId, c.channel, c.codeHash, c.expiresAt, c.createdAt],
  );
}

export async function deleteCode(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query('DELETE FROM customer_codes WHERE tenant_id = $1 AND code_id = $2', [tenantId, id]);
}

/** The recipient's newest code: a new request supersedes the earlier ones. */
export async function latestCode(q: Queryable, tenantId: string, recipientHash: string): Promise<CodeRow | null> {
  const { rows } = await q.query<CodeRow>(
    `SELECT code_id, code_hash, expires_at, wrong_tries, used_at, voided_at FROM customer_codes
      WHERE tenant_id = $1 AND recipient_hash = $2 ORDER BY created_at DESC, seq DESC LIMIT 1`,
    [tenantId, recipientHash],
  );
  return rows[0] ?? null;
}

export async function recordWrongTry(q: Queryable, tenantId: string, id: string, voidAt: Date | null): Promise<void> {
  await q.query(
    'UPDATE customer_codes SET wrong_tries = wrong_tries + 1, voided_at = $3 WHERE tenant_id = $1 AND code_id = $2',
    [tenantId, id, voidAt],
  );
}

export async function markUsed(q: Queryable, tenantId: string, id: string, at: Date): Promise<void> {
  await q.query('UPDATE customer_codes SET used_at = $3 WHERE tenant_id = $1 AND code_id = $2', [tenantId, id, at]);
}
