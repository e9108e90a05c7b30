/** The appointments and reservations a request names, as this API may use them (read through the core). */
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { conflict, HOLD_NOT_LIVE, isCoreError, notFound, type CoreError } from '../../core/errors.ts';
import type { Appointment, Hold } from '../../core/types.ts';
import { isVisit } from './appointment.mapper.ts';

/** Why a reservation that is not live can no longer be used (409). */
function reservationUsedUp(hold: Hold): CoreError {
  // 'active': it reads live by this clock, but a process whose clock is past its expiry has freed its time.
  const why = hold.status === 'converted' ? 'already used' : hold.status === 'active' ? 'expired' : hold.status;
  return conflict(`Reservation ${hold.id} is ${why}: make a new reservation`);
}

/** The core's refusal of a reservation no longer live, said as this API says it (the reservation read again). */
export async function asReservationError(
  core: Core,
  req: FastifyRequest,
  tenantId: string,
  id: string,
  e: unknown,
): Promise<never> {
  if (isCoreError(e) && e.reason === HOLD_NOT_LIVE)
    throw reservationUsedUp(await core.holds.getHold(req.principal, tenantId, id));
  throw e;
}

/** A reservation that can still be used: live (not expired, released or used). */
export async function liveReservation(core: Core, req: FastifyRequest, tenantId: string, id: string): Promise<Hold> {
  const hold = await core.holds.getHold(req.principal, tenantId, id);
  if (hold.status !== 'active') throw reservationUsedUp(hold);
  return hold;
}

/** An appointment this API can show: with a branch and a time (a request without a time is not a visit). */
export async function visitOf(core: Core, req: FastifyRequest, tenantId: string, id: string): Promise<Appointment> {
  const a = await core.booking.getAppointment(req.principal, tenantId, id);
  if (!isVisit(a)) throw notFound('Appointment', id);
  return a;
}
