import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppointmentStatus } from '../../core/types.ts';
import type { Core } from '../../core/core.ts';
import { invalidInput } from '../../core/errors.ts';
import { APPOINTMENT_STATUSES } from '../../core/booking/state-machine.ts';
import { ErrorBody, pageOf, TenantParams } from './admin.schemas.ts';
import * as S from './scheduling.schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const list = (csv: string) =>
  csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function toStatuses(csv: string | undefined): AppointmentStatus[] | undefined {
  if (!csv) return undefined;
  const statuses = list(csv);
  const bad = statuses.filter((s) => !APPOINTMENT_STATUSES.includes(s as AppointmentStatus));
  if (bad.length)
    throw invalidInput(`Unknown status ${bad.join(', ')}`, [
      { field: 'status', message: `use ${APPOINTMENT_STATUSES.join(', ')}` },
    ]);
  return statuses as AppointmentStatus[];
}

/** The scheduling core as our own API: slots, holds, and a read view of appointments with their history. */
export const schedulingRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/tenants/:tenantId/slots',
    {
      schema: {
        tags: ['scheduling'],
        operationId: 'searchSlots',
        summary: 'Bookable slots with free and occupied capacity',
        description:
          'Slots of the services (in booking order) between from and to, at a site or the site serving a postal ' +
          'code or address, with the capacity left in each.',
        params: TenantParams,
        querystring: S.SlotQuery,
        response: { 200: S.SlotList, ...errors },
      },
    },
    async (req) => {
      const { serviceIds, siteId, postalCode, addressId, from, to, resourceId } = req.query;
      const r = await core.booking.searchSlots(req.principal, req.params.tenantId, {
        serviceIds: list(serviceIds),
        location: { siteId, postalCode, addressId },
        from: new Date(from),
        to: new Date(to),
        resourceId,
      });
      return { siteId: r.site.id, timeZone: r.site.timeZone, slots: r.slots };
    },
  );

  const holdTags = ['scheduling'];
  app.post(
    '/tenants/:tenantId/holds',
    {
      schema: {
        tags: holdTags,
        operationId: 'createHold',
        summary: 'Hold a slot until it expires',
        description:
          'Reserves a resource for the slot starting at start; the hold expires after ttlSec unless an appointment ' +
          'takes it.',
        params: TenantParams,
        body: S.HoldCreate,
        response: { 201: S.Hold, ...errors },
      },
    },
    async (req, reply) => {
      const { serviceIds, siteId, postalCode, addressId, start, end, resourceId, ttlSec, forAppointmentId } = req.body;
      const hold = await core.holds.createHold(req.principal, req.params.tenantId, {
        serviceIds,
        location: { siteId, postalCode, addressId },
        start: new Date(start),
        end: end ? new Date(end) : undefined,
        resourceId,
        ttlSec,
        forAppointmentId,
      });
      return reply.code(201).send(hold);
    },
  );
  app.get(
    '/tenants/:tenantId/holds/:holdId',
    {
      schema: {
        tags: holdTags,
        operationId: 'getHold',
        summary: 'Get a hold',
        description: 'A hold and its status (held, released, expired or converted).',
        params: S.HoldParams,
        response: { 200: S.Hold, ...errors },
      },
    },
    async (req) => core.holds.getHold(req.principal, req.params.tenantId, req.params.holdId),
  );
  app.post(
    '/tenants/:tenantId/holds/:holdId/extend',
    {
      schema: {
        tags: holdTags,
        operationId: 'extendHold',
        summary: 'Extend a live hold',
        description: 'Moves the expiry of a hold that is still held to ttlSec from now.',
        params: S.HoldParams,
        body: S.HoldExtend,
        response: { 200: S.Hold, ...errors },
      },
    },
    async (req) => core.holds.extendHold(req.principal, req.params.tenantId, req.params.holdId, req.body.ttlSec),
  );
  app.delete(
    '/tenants/:tenantId/holds/:holdId',
    {
      schema: {
        tags: holdTags,
        operationId: 'releaseHold',
        summary: 'Release a hold',
        description: 'Frees the slot at once.',
        params: S.HoldParams,
        response: { 200: S.Hold, ...errors },
      },
    },
    async (req) => core.holds.releaseHold(req.principal, req.params.tenantId, req.params.holdId),
  );

  app.get(
    '/tenants/:tenantId/appointments',
    {
      schema: {
        tags: ['scheduling'],
        operationId: 'listTenantAppointments',
        summary: 'List appointments',
        description:
          'Appointments of the tenant, filtered by status, period, resource, site, service or external reference, ' +
          'sorted and paged.',
        params: TenantParams,
        querystring: S.AppointmentQuery,
        response: { 200: pageOf(S.Appointment), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      return core.booking.listAppointments(req.principal, req.params.tenantId, {
        ...q,
        status: toStatuses(q.status),
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
    },
  );
  app.get(
    '/tenants/:tenantId/appointments/:appointmentId',
    {
      schema: {
        tags: ['scheduling'],
        operationId: 'getTenantAppointment',
        summary: 'Get an appointment',
        description: 'An appointment as the core holds it, whichever API created it.',
        params: S.AppointmentParams,
        response: { 200: S.Appointment, ...errors },
      },
    },
    async (req) => core.booking.getAppointment(req.principal, req.params.tenantId, req.params.appointmentId),
  );
  app.get(
    '/tenants/:tenantId/appointments/:appointmentId/history',
    {
      schema: {
        tags: ['scheduling'],
        operationId: 'getAppointmentHistory',
        summary: 'The changes of an appointment, in order, paged',
        description:
          'The recorded events of the appointment, oldest first, each with the state before and after; paged by ' +
          'limit (default 50, at most 100) and offset, total counts them all.',
        params: S.AppointmentParams,
        querystring: S.HistoryQuery,
        response: { 200: pageOf(S.AppointmentEvent), ...errors },
      },
    },
    async (req) => core.booking.getHistory(req.principal, req.params.tenantId, req.params.appointmentId, req.query),
  );
};
