/**
 * The two public counts of an application's calls (seed 002: no authorization). They answer the
 * numbers and the schedules' times, nothing else: no ids, no names, no agent.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { VIDEO_CALL } from './appointment.mapper.ts';
import { formatDuration, parseDuration } from './duration.ts';
import * as S from './video-call.schemas.ts';
import { applicationOf } from './video-call.context.ts';
import { MAX_COUNT_DAYS } from '../../core/booking/appointment-query.service.ts';

const tags = ['Video-call appointments'];
const errors = S.PUBLIC_ERRORS;
const MS = 1000;
/** The core's own bound on a counted period. */
const MAX_PERIOD_S = MAX_COUNT_DAYS * 86_400;
const APPLICATION = [VIDEO_CALL, 'applicationId'];

export const countsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.get<{ Querystring: S.CountQuery }>(
    '/appointments/count',
    {
      schema: {
        tags,
        security: [],
        operationId: 'count',
        summary: 'Count of distinct appointment schedules',
        description:
          'For the application, each distinct schedule (start and end) of its live calls starting inside ' +
          '[start, start + timeFrame], with the number of calls. timeFrame at most P366D; at most 1000 ' +
          'schedules, the earliest. timezone is the application’s. No credentials.',
        querystring: S.CountQuery,
        response: { 200: S.AppointmentCountResponse, ...errors },
      },
    },
    async (req) => {
      const application = await applicationOf(core, null, req.query.applicationId);
      const from = new Date(req.query.start);
      const frame = parseDuration(req.query.timeFrame, 'timeFrame', { max: MAX_PERIOD_S });
      const rows = await core.booking.countSchedules(application.tenantId, {
        path: APPLICATION,
        value: application.id,
        from,
        to: new Date(from.getTime() + frame * MS),
      });
      return rows.map((r) => ({
        count: r.count,
        duration: formatDuration(Math.round((r.end.getTime() - r.start.getTime()) / MS)),
        end: r.end.toISOString(),
        start: r.start.toISOString(),
        timezone: application.timezone,
      }));
    },
  );

  app.get<{ Querystring: S.OverlapQuery }>(
    '/appointments/overlap/count',
    {
      schema: {
        tags,
        security: [],
        operationId: 'overlapCount',
        summary: 'Get count of overlapping appointments',
        description:
          'How many live calls of the application overlap [start, start + duration) (duration at most P366D). ' +
          'No credentials.',
        querystring: S.OverlapQuery,
        response: { 200: S.AppointmentOverlapResponse, ...errors },
      },
    },
    async (req) => {
      const application = await applicationOf(core, null, req.query.applicationId);
      const from = new Date(req.query.start);
      const seconds = parseDuration(req.query.duration, 'duration', { max: MAX_PERIOD_S });
      const count = await core.booking.countOverlappingOf(application.tenantId, {
        path: APPLICATION,
        value: application.id,
        from,
        to: new Date(from.getTime() + seconds * MS),
      });
      return { count };
    },
  );
};
