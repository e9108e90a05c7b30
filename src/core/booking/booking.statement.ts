import type { Queryable } from '../../db/database.ts';
import { json } from '../catalog/site.repository.ts';
import type { Appointment } from '../types.ts';

/** What a customer upsert inside the booking statement needs: `keep*` true leaves a stored field as it is. */
export interface StatementCustomer {
  /** The customer's id when the request names one. */
  id: string | null;
  /** The id of a new customer, used when neither the id nor the personal-id hash finds one. */
  newId: string;
  hash: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  keepName: boolean;
  keepEmail: boolean;
  keepPhone: boolean;
  keepLanguage: boolean;
  keepHash: boolean;
}

export interface BookingStatement {
  catalogVersion: number;
  now: Date;
  idempotency: { scope: string; key: string; fingerprint: string } | null;
  exclusive: boolean;
  /** Resources to try, in order, each with the id its allocation would get. */
  candidates: string[];
  allocationIds: string[];
  allocStart: Date;
  allocEnd: Date;
  customer: StatementCustomer | null;
  /** The appointment as it will be stored, but for `resourceId` and `customerId`, which the statement decides. */
  appointment: Appointment;
  event: { id: string; type: 'appointment.created'; actor: string; at: Date; correlationId: string | null };
}

export type BookingOutcome =
  | { outcome: 'booked'; resourceId: string; customerId: string | null }
  | { outcome: 'stale' }
  | { outcome: 'replay'; appointmentId: string; fingerprint: string };

/** SQLSTATEs raised by book_appointment (migration 004). */
export const BOOKING_REFUSED = { exists: 'SB001', workOrderLive: 'SB002', noCandidateFree: 'SB003' } as const;

/**
 * One booking in one statement: `book_appointment` (migration 004) checks the catalog version,
 * claims the Idempotency-Key, tries the candidates against the exclusion constraints, upserts the
 * customer and inserts the appointment and its `appointment.created` event (seq 1). Refusals are
 * raised as errors with the SQLSTATEs of BOOKING_REFUSED.
 */
export async function bookAppointment(q: Queryable, b: BookingStatement): Promise<BookingOutcome> {
  const a = b.appointment;
  const { rows } = await q.query<{
    outcome: string;
    earlier_id: string | null;
    earlier_fingerprint: string | null;
    booked_resource_id: string | null;
    booked_customer_id: string | null;
  }>('SELECT * FROM book_appointment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [
    a.tenantId,
    a.id,
    b.catalogVersion,
    b.now,
    json(b.idempotency),
    b.exclusive,
    b.candidates,
    b.allocationIds,
    b.allocStart,
    b.allocEnd,
    json(b.customer),
    json(a),
    json(b.event),
  ]);
  const r = rows[0];
  if (r.outcome === 'stale') return { outcome: 'stale' };
  if (r.outcome === 'replay')
    return { outcome: 'replay', appointmentId: r.earlier_id!, fingerprint: r.earlier_fingerprint! };
  return { outcome: 'booked', resourceId: r.booked_resource_id!, customerId: r.booked_customer_id };
}

/**
 * What the booking statement would have refused first, before any check of the request itself:
 * an Idempotency-Key already claimed, the appointment id taken, the work order's live appointment.
 * Asked only when the request fails a check made before the statement (an invalid time, say), so
 * that refusals come in the same order as when everything ran in one transaction.
 */
export async function findPriorClaims(
  q: Queryable,
  a: {
    tenantId: string;
    id: string;
    idempotency: { scope: string; key: string } | null;
    externalRef: string | null;
    exclusive: boolean;
  },
): Promise<{ earlier: { appointmentId: string; fingerprint: string } | null; exists: boolean; liveId: string | null }> {
  const { rows } = await q.query<{
    earlier_id: string | null;
    earlier_fingerprint: string | null;
    present: boolean;
    live_id: string | null;
  }>(
    `SELECT k.appointment_id AS earlier_id, k.fingerprint AS earlier_fingerprint,
       EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = $1 AND a.appointment_id = $2) AS present,
       (SELECT a.appointment_id FROM appointments a WHERE $5 AND a.tenant_id = $1 AND a.external_ref = $6
          AND a.status IN ('requested', 'booked', 'in_progress') ORDER BY a.exclusive_ref DESC LIMIT 1) AS live_id
     FROM (SELECT 1) one
     LEFT JOIN idempotency_keys k ON k.tenant_id = $1 AND k.scope = $3 AND k.idem_key = $4`,
    [a.tenantId, a.id, a.idempotency?.scope ?? null, a.idempotency?.key ?? null, a.exclusive, a.externalRef],
  );
  const r = rows[0];
  return {
    earlier: r.earlier_id ? { appointmentId: r.earlier_id, fingerprint: r.earlier_fingerprint! } : null,
    exists: r.present,
    liveId: r.live_id,
  };
}
