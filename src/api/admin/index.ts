import type { FastifyPluginAsync } from 'fastify';
import type { ApiFacade, FacadeOptions } from '../http/api-facade.ts';
import { sendAdminError } from './admin-error.ts';
import { refuseForeignCredentials } from '../http/tenant-credentials.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { schedulingRoutes } from './scheduling.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';
import { webhookRoutes } from './webhooks.routes.ts';
import { notificationRoutes } from './notifications.routes.ts';
import { applicationRoutes } from './applications.routes.ts';

/** The admin API, /admin/v1: our own design. Errors: { code, message, details[] }. */
const adminApi: FastifyPluginAsync<FacadeOptions> = async (app, { core }) => {
  app.setErrorHandler(sendAdminError);
  // Another tenant's path is refused before its body is even read; the core checks again in every use case.
  app.addHook('onRequest', async (req) =>
    refuseForeignCredentials(req, (req.params as { tenantId?: string }).tenantId),
  );
  await app.register(tenantRoutes, { core });
  await app.register(catalogRoutes, { core });
  await app.register(schedulingRoutes, { core });
  await app.register(webhookRoutes, { core });
  await app.register(notificationRoutes, { core });
  await app.register(applicationRoutes, { core });
};

export const adminFacade: ApiFacade = {
  name: 'admin',
  prefix: '/admin/v1',
  plugin: adminApi,
  renderError: sendAdminError,
  openapi: {
    title: 'Scheduling service: admin API',
    description:
      'Tenants, their API keys and configuration, the catalog (sites, services, resources and their schedules), ' +
      'slots, holds, a read view of appointments, and video-call applications. ' +
      'Authenticate with `Authorization: Bearer <ADMIN_TOKEN | tenant API key | JWT>`. Errors: `{ code, message, ' +
      'details[] }`.',
    tags: [
      { name: 'tenant', description: 'Tenants (operator only)' },
      { name: 'api-key', description: 'API keys of a tenant; a key is shown once' },
      { name: 'configuration', description: 'Whole-tenant configuration documents, applied idempotently' },
      { name: 'site', description: 'Sites of a tenant: time zone and service area' },
      { name: 'service', description: 'Bookable services: duration, buffers, seats, slot policy' },
      { name: 'resource', description: 'Technicians, agents, employees and rooms, with working hours and time off' },
      { name: 'scheduling', description: 'Slots, holds and appointments' },
      {
        name: 'notification',
        description: 'Notification templates of services (e-mail, SMS) and the messages sent for appointments',
      },
      {
        name: 'application',
        description: 'Video-call applications: the service and site a video call books, its join links and templates',
      },
    ],
  },
};
