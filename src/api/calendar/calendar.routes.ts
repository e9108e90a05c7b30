import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FacadeOptions } from '../http/api-facade.ts';
import { ErrorBody } from '../admin/admin.schemas.ts';
import { calendarDocument } from '../../outbound/notifications/calendar-invite.ts';

const Params = Type.Object({
  token: Type.String({
    minLength: 10,
    maxLength: 400,
    description: 'the unguessable id given by the admin API (GET …/appointments/{id}/calendar)',
  }),
});

/** An appointment's public calendar entry, reachable without credentials through its unguessable id. */
export const calendarRoutes: FastifyPluginAsync<FacadeOptions> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['calendar'];
  app.get(
    '/:token/event.ics',
    {
      schema: {
        tags,
        security: [],
        operationId: 'getCalendarDocument',
        summary: 'The appointment as an iCalendar document',
        description:
          'text/calendar with the same UID and SEQUENCE as the e-mailed invitations; STATUS:CANCELLED once ' +
          'cancelled. Nothing personal.',
        params: Params,
        response: { 200: Type.String({ description: 'text/calendar' }), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const e = await core.notifications.getCalendarEntry(req.params.token);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(calendarDocument({ ...e, now: core.now() }));
    },
  );
  app.get(
    '/:token/google',
    {
      schema: {
        tags,
        security: [],
        operationId: 'getGoogleCalendarLink',
        summary: 'Redirect to Google Calendar',
        description: 'A 302 to the Google Calendar "add event" page for the appointment (title, times, reference).',
        params: Params,
        response: { 302: Type.Null(), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const e = await core.notifications.getCalendarEntry(req.params.token);
      return reply.code(302).header('location', e.googleLink).send(null);
    },
  );
};
