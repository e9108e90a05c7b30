/**
 * The video-call appointments API (seed 002) over the scheduling core, under /api: agents are
 * resources, a call is an application's service on a start-time grid, an application
 * (core.applications) names the service, site, join-link base and templates. Errors are Spring
 * Boot's default body (errors.ts), for every path under /api. Roles per operation: roles.ts.
 * Decisions where the document is silent: docs/video-call.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiFacade, FacadeOptions } from '../http/api-facade.ts';
import { CoreError } from '../../core/errors.ts';
import { activationRoutes } from './activation.routes.ts';
import { appointmentsRoutes } from './appointments.routes.ts';
import { calendarRoutes } from './calendar.routes.ts';
import { countsRoutes } from './counts.routes.ts';
import { customerRoutes } from './customer.routes.ts';
import { sendSpringError } from './errors.ts';
import { notificationsRoutes } from './notifications.routes.ts';
import { participantsRoutes } from './participants.routes.ts';
import { VIDEO_TOKEN_ROLES } from './roles.ts';

const videoCallApi: FastifyPluginAsync<FacadeOptions> = async (app, { core }) => {
  app.setErrorHandler(sendSpringError);
  for (const routes of [
    appointmentsRoutes,
    participantsRoutes,
    activationRoutes,
    countsRoutes,
    calendarRoutes,
    customerRoutes,
    notificationsRoutes,
  ])
    await app.register(routes, { core });
  // Unknown routes and methods under /api: a 404 in the Spring body (the router answers an over-long id here too).
  app.all('/*', { schema: { hide: true } }, async (req) => {
    throw new CoreError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`);
  });
};

export const videoCallFacade: ApiFacade = {
  name: 'video-call',
  prefix: '/api',
  plugin: videoCallApi,
  renderError: sendSpringError,
  tokenRoles: VIDEO_TOKEN_ROLES,
  openapi: {
    title: 'Video-call appointments',
    description:
      'Video calls between an agent and a customer (seed 002). Authenticate with `Authorization: Bearer <JWT>` ' +
      '(claims tenant, sub, roles or authorities: AGENT, SUPERVISOR, CLIENT_SERVICE, ADMIN, CUSTOMER, with or ' +
      'without ROLE_) or a tenant API key; customers book with `Authorization: Basic base64(<email or ' +
      'phone>:<one-time code>)`. Errors are `{ timestamp, status, error, message, path }`.',
    tags: [
      {
        name: 'Video-call appointments',
        description: 'Video calls: find, update, delete, end, participants, activation, counts',
      },
      { name: 'Video-call events', description: 'Calendar links of a call (no credentials)' },
      { name: 'Video-call notifications', description: 'Sender verification and test messages of an application' },
    ],
  },
};
