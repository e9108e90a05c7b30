import type { Queryable } from '../../db/database.ts';

export interface SenderRow {
  email: string;
  code_hash: string | null;
  code_expires_at: Date | null;
  wrong_tries: number;
  verified_at: Date | null;
}

export async function getSender(
  q: Queryable,
  tenantId: string,
  email: string,
  forUpdate = false,
): Promise<SenderRow | null> {
  const { rows } = await q.query<SenderRow>(
    `SELECT * FROM notification_senders WHERE tenant_id = $1 AND email = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, email],
  );
  return rows[0] ?? null;
}

export async function countSenders(q: Queryable, tenantId: string): Promise<number> {
  return (
    await q.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_senders WHERE tenant_id = $1', [tenantId])
  ).rows[0].n;
}

/**
 * Counts a request for a code to the address in its current hour (a new hour starts a new count); false, and nothing
 * counted, when `perHour` were already requested in it. One statement: concurrent requests cannot overshoot.
 */
export async function countCodeRequest(
  q: Queryable,
  tenantId: string,
  email: string,
  now: Date,
  perHour: number,
): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO notification_senders (tenant_id, email, codes_requested, codes_window_start, created_at)
      VALUES ($1, $2, 1, $3, $3)
     ON CONFLICT (tenant_id, email) DO UPDATE SET
      codes_requested = CASE WHEN notification_senders.codes_window_start > $3::timestamptz - interval '1 hour'
        THEN notification_senders.codes_requested + 1 ELSE 1 END,
      codes_window_start = CASE WHEN notification_senders.codes_window_start > $3::timestamptz - interval '1 hour'
        THEN notification_senders.codes_window_start ELSE $3 END
     WHERE notification_senders.codes_window_start IS NULL
        OR notification_senders.codes_window_start <= $3::timestamptz - interval '1 hour'
        OR notification_senders.codes_requested < $4`,
    [tenantId, email, now, perHour],
  );
  return res.rowCount > 0;
}

/**
 * A new code for the address (replacing a pending one, its wrong tries forgotten); a verified address stays verified.
 */
export async function putCode(
  q: Queryable,
  tenantId: string,
  email: string,
  codeHash: string,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO notification_senders (tenant_id, email, code_hash, code_expires_at, wrong_tries, created_at)
      VALUES ($1, $2, $3, $4, 0, $5)
     ON CONFLICT (tenant_id, email) DO UPDATE SET code_hash = $3, code_expires_at = $4, wrong_tries = 0`,
    [tenantId, email, codeHash, expiresAt, now],
  );
}

export async function recordWrongTry(q: Queryable, tenantId: string, email: string, voidCode: boolean): Promise<void> {
  await q.query(
    `UPDATE notification_senders SET wrong_tries = wrong_tries + 1, code_hash = CASE WHEN $3 THEN NULL ELSE
      code_hash END WHERE tenant_id = $1 AND email = $2`,
    [tenantId, email, voidCode],
  );
}

export async function markVerified(q: Queryable, tenantId: string, email: string, now: Date): Promise<void> {
  await q.query(
    'UPDATE notification_senders SET verified_at = $3, code_hash = NULL, code_expires_at = NULL WHERE tenant_id = ' +
      '$1 AND email = $2',
    [tenantId, email, now],
  );
}

export async function isVerified(q: Queryable, tenantId: string, email: string): Promise<boolean> {
  return (await getSender(q, tenantId, email))?.verified_at != null;
}
