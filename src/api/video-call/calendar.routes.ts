/**
 * Calendar links of a call (seed 002: no authorization): a Google Calendar template link and an
 * iCalendar document. The call's id (a random UUID) is the only key; they show its times and its
 * service's name, nothing personal, with the same UID and SEQUENCE as the e-mailed invitations.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/core.ts';
import { calendarDocument } from '../../outbound/notifications/calendar-invite.ts';
import { VIDEO_CALL } from './appointment.mapper.ts';
import * as S from './video-call.schemas.ts';

const tags = ['Video-call events'];
const errors = S.PUBLIC_ERRORS;

export const calendarRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.get<{ Params: S.IdParams }>(
    '/cal/events/google/:id/event',
    {
      schema: {
        tags,
        security: [],
        operationId: 'getGoogleEventUrl',
        summary: 'Get google event url',
        description: 'A 302 to the Google Calendar template link of the call (its title and times). No credentials.',
        params: S.IdParams,
        response: { 302: Type.Null({ description: 'Found: Location is the Google Calendar link' }), ...errors },
      },
    },
    async (req, reply) => {
      const e = await core.notifications.findCalendarEntry(req.params.id, VIDEO_CALL);
      return reply.code(302).header('location', e.googleLink).send(null);
    },
  );

  app.get<{ Params: S.IdParams }>(
    '/cal/events/ical/:id/event',
    {
      schema: {
        tags,
        security: [],
        operationId: 'getIcalEvent',
        summary: 'Get ical event',
        description:
          'The call as text/calendar: a stable UID, SEQUENCE increasing with each change, STATUS:CANCELLED once ' +
          'deleted. No credentials.',
        params: S.IdParams,
        response: { 200: Type.String({ description: 'text/calendar' }), ...errors },
      },
    },
    async (req, reply) => {
      const e = await core.notifications.findCalendarEntry(req.params.id, VIDEO_CALL);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(calendarDocument({ ...e, now: core.now() }));
    },
  );
};
