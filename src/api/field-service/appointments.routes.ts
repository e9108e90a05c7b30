/** Appointments API (TMF646 style, seed 001): create, search windows, get, list, patch. */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { periodOf, tmfChangeRequest, toCreateInput, toTmfAppointment, viewOfTmfRequest } from './appointment.mapper.ts';
import * as S from './appointment.schemas.ts';
import { OrgIdParams, OrgParams } from './common.schemas.ts';
import { planSearch, toSearchResponse } from './slots.mapper.ts';
import { statusFilterOf } from './status.mapper.ts';
import type { WorkOrderCommands } from './work-order.commands.ts';
import { idempotencyOf } from '../http/idempotency.ts';
import { riskNoticeOf } from './tenant-rules.ts';

const tags = ['Appointments'];
const errors = { 400: S.TmfError, 401: S.TmfError, 403: S.TmfError, 404: S.TmfError, 409: S.TmfError, 503: S.TmfError };

export const appointmentsRoutes: FastifyPluginAsync<{ core: Core; commands: WorkOrderCommands }> = async (
  app,
  { core, commands },
) => {
  const now = () => core.now();

  app.post<{ Params: OrgParams; Body: S.AppointmentCreate }>(
    '/:org/appointments',
    {
      schema: {
        tags,
        operationId: 'createAppointment',
        description:
          'Books a technician of the territory of relatedPlace (gescal id) or the customer’s postal code for the ' +
          'window validFor. 409 when the window is no longer free or the id exists; an Idempotency-Key makes a ' +
          'retry safe.',
        summary: 'Request to create appointment in FSM: books a technician for validFor at relatedPlace',
        params: OrgParams,
        body: S.AppointmentCreate,
        response: { 201: S.AppointmentResponse, ...errors },
      },
    },
    async (req, reply) => {
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      const input = { ...toCreateInput(req.body, now(), riskNotice), idempotency: idempotencyOf(req) };
      const { appointment } = await core.booking.createAppointment(req.principal, req.params.org, input);
      return reply.code(201).send(toTmfAppointment(appointment));
    },
  );

  app.post<{ Params: OrgParams; Body: S.SearchTimeSlotRequest }>(
    '/:org/appointments/searchTimeSlot',
    {
      schema: {
        tags,
        operationId: 'searchTimeSlot',
        description:
          'The windows of the service (category) inside requestedTimeSlot, or the booking horizon, each with its ' +
          'free and occupied technician counts (relatedParty freeSlots / ocuppiedSlots). With id, that ' +
          'appointment’s own place counts as free.',
        summary: 'Windows with free technicians inside requestedTimeSlot (or the booking horizon)',
        params: OrgParams,
        body: S.SearchTimeSlotRequest,
        response: { 200: S.SearchTimeSlotResponse, ...errors },
      },
    },
    async (req) => {
      const at = now();
      const view = viewOfTmfRequest(req.body);
      const ranges = req.body.requestedTimeSlot?.map((s, i) =>
        periodOf(s.validFor, `requestedTimeSlot[${i}].validFor`),
      );
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      const plan = planSearch(view, {
        ranges,
        now: at,
        riskNotice,
        ...(req.body.id ? { ignoreAppointmentId: req.body.id } : {}),
      });
      const result = await core.booking.searchSlots(req.principal, req.params.org, plan.input);
      return toSearchResponse(
        { id: req.body.id, view, requestedTimeSlot: req.body.requestedTimeSlot, tenant: req.params.org },
        plan,
        result,
        at,
      );
    },
  );

  app.get<{ Params: OrgParams; Querystring: S.ListQuery }>(
    '/:org/appointments',
    {
      schema: {
        tags,
        operationId: 'listAppointments',
        description:
          'Appointments filtered by status (comma-separated TMF states) and/or externalId (the work order), oldest ' +
          'first, paged by offset and limit; the X-Total-Count header holds the total.',
        summary: 'Appointments by status and/or work order (externalId); X-Total-Count holds the total',
        params: OrgParams,
        querystring: S.ListQuery,
        response: { 200: S.AppointmentList, ...errors },
      },
    },
    async (req, reply) => {
      const statuses = statusFilterOf(req.query.status);
      const page = await core.booking.listAppointments(req.principal, req.params.org, {
        ...(statuses ? { status: statuses } : {}),
        ...(req.query.externalId ? { externalRef: req.query.externalId } : {}),
        limit: req.query.limit ? Number(req.query.limit) : 50,
        offset: req.query.offset ? Number(req.query.offset) : 0,
        sort: 'createdAt',
        order: 'asc',
      });
      return reply.header('X-Total-Count', String(page.total)).send(page.items.map(toTmfAppointment));
    },
  );

  app.get<{ Params: OrgIdParams }>(
    '/:org/appointments/:id',
    {
      schema: {
        tags,
        operationId: 'getAppointment',
        description: 'One appointment by id; personal data is masked as the documents show.',
        summary: 'Request to get appointment in FSM',
        params: OrgIdParams,
        response: { 200: S.AppointmentResponse, ...errors },
      },
    },
    async (req) => toTmfAppointment(await core.booking.getAppointment(req.principal, req.params.org, req.params.id)),
  );

  app.patch<{ Params: OrgIdParams; Body: S.AppointmentPatch }>(
    '/:org/appointments/:id',
    {
      schema: {
        tags,
        operationId: 'patchAppointment',
        description:
          'Partial update: validFor moves the appointment (409 when the new window is taken), status changes its ' +
          'state (cancelled cancels it), notes are appended; other fields are kept as sent. An Idempotency-Key ' +
          'makes a retry safe: the same key and body answer the appointment again, the same key with another body ' +
          'is a 409.',
        summary:
          'Request to update appointment in FSM: validFor moves it, status changes its state, notes are appended',
        params: OrgIdParams,
        body: S.AppointmentPatch,
        response: { 200: S.AppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      const changed = await commands.changeAppointment(
        req.principal,
        req.params.org,
        req.params.id,
        (current) => tmfChangeRequest(current, req.body, now(), riskNotice),
        idempotencyOf(req),
      );
      return toTmfAppointment(changed);
    },
  );
};
