import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { sendAdminError } from './admin-error.ts';
import { refuseForeignCredentials } from '../http/tenant-credentials.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { schedulingRoutes } from './scheduling.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';
import { webhookRoutes } from './webhooks.routes.ts';

/** The admin API, /admin/v1: our own design. Errors: { code, message, details[] }. */
export const adminApi: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(sendAdminError);
  // Another tenant's path is refused before its body is even read; the core checks again in every use case.
  app.addHook('onRequest', async (req) => refuseForeignCredentials(req, (req.params as { tenantId?: string }).tenantId));
  await app.register(tenantRoutes, { core });
  await app.register(catalogRoutes, { core });
  await app.register(schedulingRoutes, { core });
  await app.register(webhookRoutes, { core });
};

