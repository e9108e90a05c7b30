import type { Queryable } from '../../db/database.ts';
import { conflict, HOLD_NOT_LIVE, notAllowed, notFound } from '../errors.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Hold, Principal } from '../types.ts';
import { transferHoldAllocation } from './allocation.repository.ts';
import { getHold, setHoldState } from './hold.repository.ts';

/**
 * Hands a live hold's time to an appointment, in the caller's transaction and without a moment in
 * which the time is free: the hold's allocation becomes the appointment's, the hold is converted
 * and `hold.converted` recorded. `check` refuses a hold that does not fit (before anything is written).
 */
export async function convertHold(
  tx: Queryable,
  outbox: Outbox,
  a: { tenantId: string; holdId: string; appointmentId: string; now: Date; principal: Principal },
  check: (hold: Hold) => void,
): Promise<Hold> {
  const hold = await getHold(tx, a.tenantId, a.holdId, a.now, true);
  if (!hold) throw notFound('Hold', a.holdId);
  if (hold.status !== 'active') throw conflict(`Hold ${hold.id} is ${hold.status}`, HOLD_NOT_LIVE);
  if (hold.forAppointmentId !== null && hold.forAppointmentId !== a.appointmentId)
    throw notAllowed(`Hold ${hold.id} was taken to move another appointment`);
  check(hold);
  // The hold reads as live by this clock, but a booker whose clock is past its expiry may have freed its time
  // already (expireStaleHolds): an appointment must never be given a time that is no longer held.
  if (!(await transferHoldAllocation(tx, a.tenantId, hold.id, a.appointmentId)))
    throw conflict(`Hold ${hold.id} has expired: its time is no longer held`, HOLD_NOT_LIVE);
  await setHoldState(tx, a.tenantId, hold.id, { status: 'converted', appointmentId: a.appointmentId });
  const converted: Hold = { ...hold, status: 'converted', appointmentId: a.appointmentId };
  await outbox.recordHoldEvent(tx, {
    type: 'hold.converted',
    actor: a.principal.subject,
    correlationId: a.principal.correlationId ?? null,
    at: a.now,
    hold: converted,
  });
  return converted;
}
