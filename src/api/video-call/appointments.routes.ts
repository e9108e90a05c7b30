/** Appointments: find all, find, update, delete, end, reschedule, reassign (seed 002). */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { conflict } from '../../core/errors.ts';
import { parseDuration } from './duration.ts';
import { findAllInput, pageOf } from './find-all.mapper.ts';
import { agentIdOf, principalOf, requireRoles, tenantOf, videoRolesOf } from './roles.ts';
import * as S from './video-call.schemas.ts';
import { appointmentView, appointmentViews, changeAtVersion, dataChange, loadVideoCall } from './video-call.context.ts';

const tags = ['Video-call appointments'];
const errors = S.ERRORS;
const MS = 1000;

/** A text as a change keeps it: empty or null clears it, as the document says empty data is intentional. */
const text = (v: string | null | undefined) => (v ? v : null);

export const appointmentsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.get<{ Querystring: S.FindAllQuery }>(
    '/appointments/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'findAll',
        summary: 'Find all',
        description:
          'The tenant’s video calls (not deleted), filtered by organizerId (SUPERVISOR only; ignored otherwise), ' +
          'duration and range (both ends in UTC: appointments lying wholly inside), sorted by start, end, duration ' +
          'or id, paged from pageNumber 1. An AGENT (without SUPERVISOR or CLIENT_SERVICE) sees only the calls ' +
          'assigned to them or that they take part in.',
        querystring: S.FindAllQuery,
        response: { 200: S.FindAppointmentsResponsePaged, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      const principal = principalOf(req);
      const roles = videoRolesOf(principal);
      const onlyAgent = roles.has('AGENT') && !roles.has('SUPERVISOR') && !roles.has('CLIENT_SERVICE');
      const input = findAllInput(req.query, {
        supervisor: roles.has('SUPERVISOR'),
        agentId: onlyAgent ? (agentIdOf(principal) ?? '') : null,
      });
      const page = await core.booking.listAppointments(req.principal, tenantId, input.list);
      const content = await appointmentViews(core, req.principal, tenantId, page.items);
      return pageOf(content, page.total, input);
    },
  );

  app.get<{ Params: S.IdParams }>(
    '/appointments/:id',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CUSTOMER', 'CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'find',
        summary: 'Find',
        description:
          'One video call by id. A CUSTOMER token reads only the call its conferenceId claim names (404 otherwise).',
        params: S.IdParams,
        response: { 200: S.GetAppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment } = await loadVideoCall(core, req.principal, tenantOf(req), req.params.id);
      return appointmentView(core, req.principal, appointment);
    },
  );

  app.put<{ Body: S.UpdateAppointmentRequest }>(
    '/appointments/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'update',
        summary: 'Update',
        description:
          'Replaces title, notes, metadata and interaction: a field absent, null or empty is cleared, as the ' +
          'document says empty data is intentional. Time, agent and participants are changed by their own ' +
          'operations.',
        body: S.UpdateAppointmentRequest,
        response: { 200: S.GetAppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment, data } = await loadVideoCall(core, req.principal, tenantOf(req), req.body.id);
      const b = req.body;
      const changed = await changeAtVersion(core, req.principal, appointment, [
        dataChange(data, {
          title: text(b.title),
          notes: text(b.notes),
          metadata: b.metadata ?? null,
          interaction: b.interaction ?? null,
        }),
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );

  app.delete<{ Params: S.IdParams }>(
    '/appointments/:id',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'delete',
        summary: 'Delete',
        description:
          'Cancels the call in the core (its history, webhooks and CANCEL notification follow; the agent is free ' +
          'again). This API no longer finds it: a second delete is a 404.',
        params: S.IdParams,
        response: {
          204: { type: 'null', description: 'Deleted' },
          401: S.SpringError,
          403: S.SpringError,
          404: S.SpringError,
        },
      },
    },
    async (req, reply) => {
      const { appointment } = await loadVideoCall(core, req.principal, tenantOf(req), req.params.id);
      await core.booking.changeStatus(req.principal, appointment.tenantId, appointment.id, {
        expectedVersion: appointment.version,
        to: 'cancelled',
        reason: 'deleted through the video-call API',
      });
      return reply.code(204).send();
    },
  );

  app.put<{ Params: S.IdParams }>(
    '/appointments/:id/end',
    {
      onRequest: requireRoles('AGENT'),
      schema: {
        tags,
        operationId: 'end',
        summary: 'End appointment interaction state',
        description:
          'Ends the call: the appointment is completed in the core and its interaction state becomes ENDED; its ' +
          'ticket is no longer handed out (activation is refused). Ending an ended call is a 400.',
        params: S.IdParams,
        response: { 200: S.GetAppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment, data } = await loadVideoCall(core, req.principal, tenantOf(req), req.params.id);
      const changed = await changeAtVersion(core, req.principal, appointment, [
        { kind: 'status', to: 'completed' },
        dataChange(data, { interaction: { ...(data.interaction ?? {}), state: 'ENDED' } }),
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );

  app.put<{ Body: S.RescheduleAppointmentRequest }>(
    '/appointments/reschedule/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'reschedule',
        summary: 'Reschedule',
        description:
          'Moves the call to start (on the service’s grid, within notice and horizon: 400 otherwise). The agent is ' +
          'kept when free then; otherwise another free agent of the application takes it (the AGENT participant ' +
          'follows); no agent free → 409. duration, when given, must be the service’s. locale and timezone, when ' +
          'given, replace the stored ones.',
        body: S.RescheduleAppointmentRequest,
        response: { 200: S.GetAppointmentResponse, 409: S.SpringError, ...errors },
      },
    },
    async (req) => {
      const call = await loadVideoCall(core, req.principal, tenantOf(req), req.body.id);
      const { appointment, data } = call;
      const start = new Date(req.body.start);
      const seconds = req.body.duration === undefined ? null : parseDuration(req.body.duration, 'duration');
      const current = (call.end.getTime() - call.start.getTime()) / MS;
      const end = new Date(start.getTime() + (seconds ?? current) * MS);
      const changed = await changeAtVersion(core, req.principal, appointment, [
        { kind: 'reschedule', start, end },
        dataChange(data, {
          ...(req.body.locale !== undefined ? { locale: text(req.body.locale) } : {}),
          ...(req.body.timezone !== undefined ? { timezone: text(req.body.timezone) } : {}),
        }),
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );

  app.put<{ Body: S.AddParticipantAgentRequest }>(
    '/appointments/reassign/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR'),
      schema: {
        tags,
        operationId: 'reassign',
        summary: 'Reassign',
        description:
          'The agent userId (a resource of the tenant serving the application) replaces the assigned agent, at the ' +
          'same time: it must be free then (409 otherwise). The previous agent is free again.',
        body: S.AddParticipantAgentRequest,
        response: { 200: S.GetAppointmentResponse, 409: S.SpringError, ...errors },
      },
    },
    async (req) => {
      const { appointment, data } = await loadVideoCall(core, req.principal, tenantOf(req), req.body.id);
      if (appointment.resourceId === req.body.userId)
        throw conflict(`${req.body.userId} is already the agent of appointment ${appointment.id}`);
      // An agent who took part besides the assigned one becomes the assigned one: not listed twice.
      const participants = appointment.participants.filter((x) => x.id !== req.body.userId);
      const changed = await changeAtVersion(core, req.principal, appointment, [
        { kind: 'reassign', resourceId: req.body.userId },
        { ...dataChange(data, {}), participants },
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );
};
