import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { invalidInput } from '../../core/errors.ts';

const MAX_KEY_LENGTH = 255;

/** JSON with object keys sorted, so that the same body always gives the same fingerprint. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The `Idempotency-Key` header of a create or a change, with a fingerprint of what was asked (route and body):
 * a retry with the same key and body gets the same appointment back, the same key with another
 * request a conflict. Absent header: no idempotency.
 */
export function idempotencyOf(req: FastifyRequest): { key: string; fingerprint: string } | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = (Array.isArray(raw) ? raw[0] : raw).trim();
  if (!key || key.length > MAX_KEY_LENGTH)
    throw invalidInput(`The Idempotency-Key header must have 1 to ${MAX_KEY_LENGTH} characters`, [
      { field: 'Idempotency-Key', message: 'invalid length' },
    ]);
  // The path parameters count: the same key and body sent to another appointment is another request.
  const fingerprint = createHash('sha256')
    .update(`${req.method} ${req.routeOptions.url} ${stableJson(req.params)}\n${stableJson(req.body)}`)
    .digest('hex');
  return { key, fingerprint };
}
