import type { Queryable } from '../../db/database.ts';
import { idempotencyKeyReused } from '../errors.ts';

/**
 * Idempotency keys of creates and changes, per tenant and scope ('appointment.create',
 * 'appointment.change', 'hold.create'). `targetId` is what the first request created or changed:
 * an appointment, or for 'hold.create' a hold (stored in the column appointment_id).
 */

/** The earlier claim of a key, or null. */
export async function findIdempotencyKey(
  q: Queryable,
  k: { tenantId: string; scope: string; key: string },
): Promise<{ fingerprint: string; targetId: string } | null> {
  const { rows } = await q.query<{ fingerprint: string; appointment_id: string }>(
    'SELECT fingerprint, appointment_id FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND idem_key = $3',
    [k.tenantId, k.scope, k.key],
  );
  return rows[0] ? { fingerprint: rows[0].fingerprint, targetId: rows[0].appointment_id } : null;
}

/**
 * Claims an idempotency key for what a request creates or changes. Returns null when claimed; otherwise the earlier
 * claim. On a server a concurrent claim of the same key waits for the first transaction to end.
 */
export async function claimIdempotencyKey(
  q: Queryable,
  k: { tenantId: string; scope: string; key: string; fingerprint: string; targetId: string; at: Date },
): Promise<{ fingerprint: string; targetId: string } | null> {
  const ins = await q.query(
    `INSERT INTO idempotency_keys (tenant_id, scope, idem_key, fingerprint, appointment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [k.tenantId, k.scope, k.key, k.fingerprint, k.targetId, k.at],
  );
  if (ins.rowCount === 1) return null;
  const { rows } = await q.query<{ fingerprint: string; appointment_id: string }>(
    'SELECT fingerprint, appointment_id FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND idem_key = $3',
    [k.tenantId, k.scope, k.key],
  );
  return { fingerprint: rows[0].fingerprint, targetId: rows[0].appointment_id };
}

/**
 * A create's key: claimed for `targetId` (null), or the id the first request with this key and
 * body created. The same key with another body is a conflict.
 */
export async function claimForCreate(
  q: Queryable,
  k: { tenantId: string; scope: string; key: string; fingerprint: string; targetId: string; at: Date },
): Promise<string | null> {
  const earlier = await claimIdempotencyKey(q, k);
  if (!earlier) return null;
  if (earlier.fingerprint !== k.fingerprint) throw idempotencyKeyReused();
  return earlier.targetId;
}
