/**
 * The designed steps before booking: time slots at which one employee of a branch can deliver
 * several services back to back, and reservations (core holds) of such a visit, all services for
 * one employee in one claim, released by DELETE or by expiry.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Core } from '../../core/core.ts';
import { invalidInput } from '../../core/errors.ts';
import { idempotencyOf } from '../http/idempotency.ts';
import type { Site } from '../../core/types.ts';
import { visitOf } from './booking-refs.ts';
import { requireBranch, requireServices } from './catalog-refs.ts';
import * as S from './combinations.schemas.ts';
import { errors, setupOf, tags } from './route-kit.ts';
import { checkReservations, localTime, serviceView, servicesInVisit } from './visit.mapper.ts';

const DAY_MS = 86_400_000;
const IS_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day is read in the branch's zone: `from` its first instant, `to` the first instant of the next day. */
function instantOf(value: string, site: Site, end: boolean): Date {
  if (!IS_DAY.test(value)) return new Date(value);
  const day = DateTime.fromISO(value, { zone: site.timeZone }).startOf('day');
  return (end ? day.plus({ days: 1 }) : day).toJSDate();
}

function periodOf(body: S.TimeslotSearch, site: Site): { from: Date; to: Date } {
  const from = instantOf(body.from, site, false);
  const to = instantOf(body.to, site, true);
  if (to.getTime() <= from.getTime())
    throw invalidInput('to must be after from', [{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > S.MAX_SEARCH_DAYS * DAY_MS)
    throw invalidInput(`A search covers at most ${S.MAX_SEARCH_DAYS} days`, [
      { field: 'to', message: `at most ${S.MAX_SEARCH_DAYS} days after from` },
    ]);
  return { from, to };
}

export const reservationsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  const setup = (req: FastifyRequest) => setupOf(core, req);

  app.post<{ Body: S.TimeslotSearch }>(
    '/timeslots/search',
    {
      schema: {
        tags,
        operationId: 'searchCombinationTimeslots',
        summary: 'Start times for several services back to back with one employee',
        description:
          'The start times, from `from` to `to` (days in the branch’s zone, or instants; at most 31 days), at ' +
          'which one employee of the branch can deliver every service in the order given, back to back with each ' +
          'service’s duration and buffers, within working hours, around other bookings and live reservations, ' +
          'after the services’ minimum notice and before their horizon. Each slot lists every service’s own time.',
        headers: S.Headers,
        body: S.TimeslotSearch,
        response: { 200: S.TimeslotList, ...errors },
      },
    },
    async (req) => {
      const { tenantId, languages, lookup } = setup(req);
      const [site, services] = await Promise.all([
        requireBranch(lookup, req.body.branchId),
        requireServices(lookup, req.body.serviceIds),
      ]);
      checkReservations(services, req.body.numberOfReservations);
      const result = await core.booking.searchSlots(req.principal, tenantId, {
        serviceIds: req.body.serviceIds,
        location: { siteId: site.id },
        ...periodOf(req.body, site),
      });
      return {
        branchId: site.id,
        services: services.map((s) => serviceView(s, languages)),
        timeSlots: result.slots
          .filter((s) => s.free > 0)
          .map((s) => ({
            startTime: localTime(s.start, site),
            endTime: localTime(s.end, site),
            services: servicesInVisit(services, site, s.start, s.end, languages),
          })),
      };
    },
  );

  app.post<{ Body: S.ReservationCreate }>(
    '/reservations',
    {
      schema: {
        tags,
        operationId: 'createCombinationReservation',
        summary: 'Reserves a time slot for several services',
        description:
          'Holds the time of every service for one employee, all or nothing, until `expiresAt` (the shortest hold ' +
          'time of the services). A slot taken meanwhile → 409; a start that is not a slot of these services → 400. ' +
          'Use the reservation to create an appointment or to reschedule one; with appointmentId, only to ' +
          'reschedule that appointment (unknown appointment → 404). An Idempotency-Key makes a retry safe: it ' +
          'answers the first reservation instead of taking a second time slot.',
        headers: S.ReservationHeaders,
        body: S.ReservationCreate,
        response: { 201: S.Reservation, ...errors },
      },
    },
    async (req, reply) => {
      const { tenantId, languages, lookup } = setup(req);
      const idempotency = idempotencyOf(req);
      // A retry is checked against the catalog again (its answer needs the branch and the services) before the
      // core answers the first reservation.
      const [site, services] = await Promise.all([
        requireBranch(lookup, req.body.branchId),
        requireServices(lookup, req.body.serviceIds),
      ]);
      const n = checkReservations(services, req.body.numberOfReservations);
      const forAppointment = req.body.appointmentId;
      if (forAppointment !== undefined) await visitOf(core, req, tenantId, forAppointment);
      const hold = await core.holds.createHold(req.principal, tenantId, {
        serviceIds: req.body.serviceIds,
        location: { siteId: site.id },
        start: new Date(req.body.startTime),
        ...(forAppointment !== undefined ? { forAppointmentId: forAppointment } : {}),
        idempotency,
      });
      return reply.code(201).send({
        reservationId: hold.id,
        expiresAt: localTime(hold.expiresAt, site),
        branchId: site.id,
        timeSlot: { startTime: localTime(hold.start, site), endTime: localTime(hold.end, site) },
        services: servicesInVisit(services, site, hold.start, hold.end, languages),
        numberOfReservations: n,
        ...(hold.forAppointmentId !== null ? { appointmentId: hold.forAppointmentId } : {}),
      });
    },
  );

  app.delete<{ Params: S.ReservationParams }>(
    '/reservations/:reservationId',
    {
      schema: {
        tags,
        operationId: 'deleteCombinationReservation',
        summary: 'Releases a reservation',
        description: 'Frees the reserved time at once (204). Unknown → 404; already used, released or expired → 409.',
        headers: S.Headers,
        params: S.ReservationParams,
        response: { 204: S.Empty, ...errors },
      },
    },
    async (req, reply) => {
      const { tenantId } = setup(req);
      await core.holds.releaseHold(req.principal, tenantId, req.params.reservationId);
      return reply.code(204).send();
    },
  );
};
