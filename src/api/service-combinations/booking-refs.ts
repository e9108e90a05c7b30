/** The appointments and reservations a request names, as this API may use them (read through the core). */
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { conflict, notFound, type CoreError } from '../../core/errors.ts';
import type { Appointment, Hold } from '../../core/types.ts';
import { isVisit } from './appointment.mapper.ts';

/** Why a reservation that is not live can no longer be used (409). */
export function reservationUsedUp(hold: Hold): CoreError {
  const why = hold.status === 'converted' ? 'already used' : hold.status;
  return conflict(`Reservation ${hold.id} is ${why}: make a new reservation`);
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
