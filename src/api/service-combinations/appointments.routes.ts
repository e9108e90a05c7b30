/**
 * Appointments of the service-combinations API: the documented search by personal identifier, get
 * and reschedule onto a reservation (seed 004), and the designed create (from a reservation) and
 * cancel. Every use case goes through the core; holds are converted in the core's transaction.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { conflict, invalidInput } from '../../core/errors.ts';
import type { Appointment } from '../../core/types.ts';
import { GET_BODY } from '../http/openapi.ts';
import { ATTRIBUTES_KEY, attributesOf, isVisit, toVisit, visitAttributes, type Lookup } from './appointment.mapper.ts';
import { asReservationError, liveReservation, visitOf } from './booking-refs.ts';
import { idempotencyOf } from '../http/idempotency.ts';
import { requireServices } from './catalog-refs.ts';
import * as S from './combinations.schemas.ts';
import { readGetBody } from './get-body.ts';
import { errors, setupOf, tags } from './route-kit.ts';
import { checkReservations } from './visit.mapper.ts';

/** Upcoming appointments one search answers at most (a customer has few). */
const MAX_FOUND = 100;

export const appointmentsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  const setup = (req: FastifyRequest) => setupOf(core, req);
  const show = (a: Appointment, lookup: Lookup, languages: string[]) => toVisit(a, lookup, languages);

  app.get<{ Querystring: S.SearchQuery }>(
    '/appointments/search',
    {
      schema: {
        tags,
        operationId: 'searchCombinationAppointments',
        summary: 'The customer’s upcoming appointments, found by personal identifier',
        description:
          'Upcoming booked appointments (earliest first, at most 100) of the customers whose personal identifier is ' +
          'the one sent, as the JSON body `{ customer: { personalIdentifier } }` of this GET (as documented) or as ' +
          'the query parameter `personalIdentifier` for clients that cannot send a body with GET. The identifier is ' +
          'compared through its keyed hash: it is never stored in clear.',
        headers: S.Headers,
        querystring: S.SearchQuery,
        ...({ [GET_BODY]: S.SearchBody } as Record<string, unknown>),
        response: { 200: S.AppointmentList, ...errors, 413: S.ErrorBody, 415: S.ErrorBody },
      },
    },
    async (req) => {
      const body = await readGetBody<S.SearchBody>(req, S.SearchBody);
      const fromBody = body?.customer.personalIdentifier;
      const fromQuery = req.query.personalIdentifier;
      if (fromBody !== undefined && fromQuery !== undefined && fromBody !== fromQuery)
        throw invalidInput('The body and the query name different personal identifiers', [
          { field: 'personalIdentifier', message: 'differs between body and query' },
        ]);
      const personalId = fromBody ?? fromQuery;
      if (!personalId)
        throw invalidInput('customer.personalIdentifier is required (in the body, or as ?personalIdentifier=)', [
          { field: 'customer.personalIdentifier', message: 'is required' },
        ]);
      const { tenantId, languages, lookup } = setup(req);
      const page = await core.booking.listAppointments(req.principal, tenantId, {
        customerPersonalId: personalId,
        status: ['booked', 'in_progress'],
        from: core.now(),
        sort: 'start',
        order: 'asc',
        limit: MAX_FOUND,
      });
      return Promise.all(page.items.filter(isVisit).map((a) => show(a, lookup, languages)));
    },
  );

  app.get<{ Params: S.AppointmentParams }>(
    '/appointments/:appointmentId',
    {
      schema: {
        tags,
        operationId: 'getCombinationAppointment',
        summary: 'One appointment with all its details',
        description: 'The appointment in the documented shape; 404 when unknown or of another tenant.',
        headers: S.Headers,
        params: S.AppointmentParams,
        response: { 200: S.Appointment, ...errors },
      },
    },
    async (req) => {
      const { tenantId, languages, lookup } = setup(req);
      return show(await visitOf(core, req, tenantId, req.params.appointmentId), lookup, languages);
    },
  );

  app.post<{ Body: S.AppointmentCreate }>(
    '/appointments',
    {
      schema: {
        tags,
        operationId: 'createCombinationAppointment',
        summary: 'Books a reservation for a customer',
        description:
          'Converts a live reservation into an appointment for the customer, in one transaction (the reserved time ' +
          'is never free in between). Expired or used reservation → 409, unknown → 404, a reservation made to move ' +
          'an appointment (appointmentId) → 403, numberOfReservations above a service’s maxNumberOfReservations → ' +
          '400. An Idempotency-Key makes a retry safe.',
        headers: S.CreateHeaders,
        body: S.AppointmentCreate,
        response: { 201: S.Appointment, ...errors },
      },
    },
    async (req, reply) => {
      const { tenantId, languages, lookup } = setup(req);
      const idempotency = idempotencyOf(req);
      // With a key, a used reservation is this request's replay (the core answers the first booking) or refused by the
      // core; the services' limits were checked while it was live.
      const hold = idempotency
        ? await core.holds.getHold(req.principal, tenantId, req.body.reservationId)
        : await liveReservation(core, req, tenantId, req.body.reservationId);
      const n =
        hold.status === 'active'
          ? checkReservations(await requireServices(lookup, hold.serviceIds), req.body.numberOfReservations)
          : (req.body.numberOfReservations ?? 1);
      const c = req.body.customer;
      const language = languages[0] === '*' ? undefined : languages[0];
      const { appointment } = await core.booking
        .createAppointment(req.principal, tenantId, {
          serviceIds: hold.serviceIds,
          location: { siteId: hold.siteId },
          holdId: hold.id,
          customer: {
            name: `${c.firstName} ${c.lastName}`,
            ...(c.email !== undefined ? { email: c.email } : {}),
            ...(c.phoneNumber !== undefined ? { phone: c.phoneNumber } : {}),
            ...(c.personalIdentifier !== undefined ? { personalId: c.personalIdentifier } : {}),
            ...(language ? { language } : {}),
          },
          attributes: { [ATTRIBUTES_KEY]: visitAttributes(req.body, n) },
          idempotency,
        })
        .catch((e) => asReservationError(core, req, tenantId, hold.id, e));
      return reply.code(201).send(await show(appointment, lookup, languages));
    },
  );

  app.put<{ Params: S.AppointmentParams; Body: S.Reschedule }>(
    '/appointments/:appointmentId/reschedule',
    {
      schema: {
        tags,
        operationId: 'rescheduleCombinationAppointment',
        summary: 'Moves an appointment onto a new reservation',
        description:
          'The same appointment id takes the reservation’s time, services, employee and branch, in one ' +
          'transaction: its old time is freed and the reservation used, or nothing changes. Expired or used ' +
          'reservation → 409; unknown reservation or appointment (or another tenant’s) → 404; a reservation made ' +
          'to move another appointment → 403.',
        headers: S.Headers,
        params: S.AppointmentParams,
        body: S.Reschedule,
        response: { 200: S.Appointment, ...errors },
      },
    },
    async (req) => {
      const { tenantId, languages, lookup } = setup(req);
      const current = await visitOf(core, req, tenantId, req.params.appointmentId);
      const hold = await liveReservation(core, req, tenantId, req.body.reservationId);
      checkReservations(await requireServices(lookup, hold.serviceIds), attributesOf(current).numberOfReservations);
      const moved = await core.booking
        .rescheduleOntoHold(req.principal, tenantId, current.id, {
          holdId: hold.id,
          expectedVersion: current.version,
          takeServices: true,
        })
        .catch((e) => asReservationError(core, req, tenantId, hold.id, e));
      return show(moved, lookup, languages);
    },
  );

  app.delete<{ Params: S.AppointmentParams }>(
    '/appointments/:appointmentId',
    {
      schema: {
        tags,
        operationId: 'cancelCombinationAppointment',
        summary: 'Cancels an appointment',
        description:
          'Cancels the appointment and frees its time (204). Cancelling a cancelled appointment changes nothing ' +
          '(204); a completed or no-show appointment cannot be cancelled (409).',
        headers: S.Headers,
        params: S.AppointmentParams,
        response: { 204: S.Empty, ...errors },
      },
    },
    async (req, reply) => {
      const { tenantId } = setup(req);
      const a = await visitOf(core, req, tenantId, req.params.appointmentId);
      if (a.status === 'completed' || a.status === 'no_show')
        throw conflict(`Appointment ${a.id} is ${a.status}: it cannot be cancelled`);
      if (a.status !== 'cancelled')
        await core.booking.changeStatus(req.principal, tenantId, a.id, {
          to: 'cancelled',
          expectedVersion: a.version,
        });
      return reply.code(204).send();
    },
  );
};
