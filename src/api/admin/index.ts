import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { sendAdminError } from './admin-error.ts';
import { notAllowed, unauthenticated } from '../../core/errors.ts';
import type { Principal } from '../../core/types.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { schedulingRoutes } from './scheduling.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';

/** The admin API, /admin/v1: our own design. Errors: { code, message, details[] }. */
export const adminApi: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(sendAdminError);
  app.addHook('onRequest', async (req) => {
    // Credentials that were presented but invalid are refused even where a route could be read anonymously.
    if (req.authError) throw req.authError;
    // Another tenant's path is refused before its body is even read; the core checks again in every use case.
    const { tenantId } = req.params as { tenantId?: string };
    if (tenantId !== undefined) requireTenantPath(req.principal, tenantId);
  });
  await app.register(tenantRoutes, { core });
  await app.register(catalogRoutes, { core });
  await app.register(schedulingRoutes, { core });
};

function requireTenantPath(principal: Principal | null, tenantId: string): void {
  if (!principal) throw unauthenticated();
  if (principal.tenantId !== null && principal.tenantId !== tenantId) throw notAllowed('These credentials do not give access to this tenant');
}
