/** Participants: add an agent, add a customer, get one, remove one (seed 002). */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { conflict, invalidInput } from '../../core/errors.ts';
import { coreCustomerOf, customerParticipant, participantDetails, participantsOf } from './appointment.mapper.ts';
import { requireRoles, tenantOf } from './roles.ts';
import * as S from './video-call.schemas.ts';
import { appointmentView, changeAtVersion, dataChange, loadVideoCall } from './video-call.context.ts';

const tags = ['Video-call appointments'];
const errors = S.ERRORS;

export const participantsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.post<{ Body: S.AddParticipantAgentRequest }>(
    '/appointments/participants/agents/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR'),
      schema: {
        tags,
        operationId: 'addAgent',
        summary: 'Add agent',
        description:
          'Adds the agent userId (a resource of the tenant) as an AGENT participant besides the assigned agent. ' +
          'An agent already taking part (or assigned) is a 409 StatusConflict. Only the assigned agent’s time is ' +
          'booked: an added agent joins the call without it being taken from their calendar.',
        body: S.AddParticipantAgentRequest,
        response: { 200: S.GetAppointmentResponse, 409: S.SpringError, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      const { appointment } = await loadVideoCall(core, req.principal, tenantId, req.body.id);
      if (appointment.resourceId === req.body.userId)
        throw conflict(`${req.body.userId} already takes part in appointment ${appointment.id}`);
      const agent = await core.catalog.getResource(req.principal, tenantId, req.body.userId).catch(() => null);
      if (agent?.kind !== 'agent')
        throw invalidInput(`userId ${req.body.userId} is not an agent of this tenant`, [
          { field: 'userId', message: 'not an agent' },
        ]);
      const changed = await core.booking.addParticipant(req.principal, tenantId, appointment.id, {
        participant: { role: 'agent', id: agent.id, name: agent.name },
        expectedVersion: appointment.version,
      });
      return appointmentView(core, req.principal, changed);
    },
  );

  app.post<{ Body: S.AddParticipantCustomerRequest }>(
    '/appointments/participants/customers/',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR'),
      schema: {
        tags,
        operationId: 'addCustomer',
        summary: 'Add customer',
        description:
          'Adds a CUSTOMER participant with a new id (in participantIds). The first customer of a call also ' +
          'becomes the one its notifications go to.',
        body: S.AddParticipantCustomerRequest,
        response: { 200: S.GetAppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment, data } = await loadVideoCall(core, req.principal, tenantOf(req), req.body.id);
      const pid = randomUUID();
      const changed = await changeAtVersion(core, req.principal, appointment, [
        {
          ...dataChange(data, { customers: { ...data.customers, [pid]: req.body.customer } }),
          participants: [...appointment.participants, customerParticipant(pid, req.body.customer)],
          ...(appointment.customerId ? {} : { customer: coreCustomerOf(req.body.customer) }),
        },
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );

  app.get<{ Params: S.ParticipantParams }>(
    '/appointments/:id/participants/:pid',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR', 'CUSTOMER'),
      schema: {
        tags,
        operationId: 'getParticipant',
        summary: 'Get participant details',
        description:
          'A participant of the call: a CUSTOMER’s name, contact, username and metadata; an AGENT’s id. A CUSTOMER ' +
          'token reads only the call its conferenceId claim names.',
        params: S.ParticipantParams,
        response: { 200: S.GetParticipantDetailsResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment } = await loadVideoCall(core, req.principal, tenantOf(req), req.params.id);
      return participantDetails(appointment, req.params.pid);
    },
  );

  app.delete<{ Params: S.ParticipantParams }>(
    '/appointments/:id/participants/:pid',
    {
      onRequest: requireRoles('AGENT', 'SUPERVISOR'),
      schema: {
        tags,
        operationId: 'deleteParticipant',
        summary: 'Delete participant',
        description:
          'Removes a participant (a customer’s details with it). The assigned agent is not removed but replaced ' +
          '(reassign): 400.',
        params: S.ParticipantParams,
        response: { 200: S.GetAppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const { appointment, data } = await loadVideoCall(core, req.principal, tenantOf(req), req.params.id);
      const pid = req.params.pid;
      if (!participantsOf(appointment).some((x) => x.id === pid)) participantDetails(appointment, pid); // 404
      if (appointment.resourceId === pid)
        throw invalidInput('The assigned agent is replaced with reassign, not removed', [
          { field: 'participantId', message: 'is the assigned agent' },
        ]);
      const { [pid]: _removed, ...customers } = data.customers;
      const changed = await changeAtVersion(core, req.principal, appointment, [
        { ...dataChange(data, { customers }), participants: appointment.participants.filter((x) => x.id !== pid) },
      ]);
      return appointmentView(core, req.principal, changed);
    },
  );
};
