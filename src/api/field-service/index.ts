/**
 * The operator's field-service APIs (seeds 001 and 000) over the scheduling core:
 * - Appointments (TMF646 style), errors `{ componentMsg, id, msg, status }`;
 * - Appointments Extension, errors `{ code, status, message, detailMsg }`.
 * Each lives in its own encapsulated scope with its own error handler, wording validation problems
 * in the operator's words (validation.ts); any other path under /v1/orgs/ is answered in the body
 * of the API it belongs to (fallback.routes.ts). Decisions where the documents are silent:
 * docs/field-service.md.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiFacade, FacadeOptions } from '../http/api-facade.ts';
import { unauthenticated } from '../../core/errors.ts';
import { refuseForeignCredentials } from '../http/tenant-credentials.ts';
import { appointmentsRoutes } from './appointments.routes.ts';
import { errorHandler, renderForPath, toExtError, toTmfError } from './errors.ts';
import { extRoutes } from './ext.routes.ts';
import { fallbackRoutes } from './fallback.routes.ts';
import { createWorkOrderCommands } from './work-order.commands.ts';

/** The `{org}` of the path: the route's parameter, or (unknown routes) the segment after /v1/orgs/. */
function orgOf(req: FastifyRequest): string | undefined {
  const params = req.params as { org?: string; '*'?: string } | undefined;
  return params?.org ?? params?.['*']?.split('/')[0];
}

/**
 * Credentials first: a rejected token, or none at all, is answered before the body is even read;
 * so are valid credentials of another tenant (403), before the body is validated. The core checks
 * the tenant again in every use case.
 */
async function requireCredentials(req: FastifyRequest) {
  refuseForeignCredentials(req, orgOf(req));
  if (!req.principal) throw unauthenticated('Missing credentials: send Authorization: Bearer <API key or JWT>');
}

/** Mounted at /v1/orgs: route paths start at /:org. */
const fieldServiceApi: FastifyPluginAsync<FacadeOptions> = async (app, { core }) => {
  const commands = createWorkOrderCommands(core);

  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(toTmfError));
    scope.addHook('onRequest', requireCredentials);
    await scope.register(appointmentsRoutes, { core, commands });
  });

  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(toExtError));
    scope.addHook('onRequest', requireCredentials);
    await scope.register(extRoutes, { core, commands });
  });

  // Unknown routes and over-long path segments under /v1/orgs/, in the body of the API of that path.
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderForPath));
    scope.addHook('onRequest', requireCredentials);
    await scope.register(fallbackRoutes);
  });
};

export const fieldServiceFacade: ApiFacade = {
  name: 'field-service',
  prefix: '/v1/orgs',
  plugin: fieldServiceApi,
  // Requests outside both APIs' routes (unknown paths, errors Fastify raises before routing) in the body of the API of
  // that path.
  renderError: errorHandler(renderForPath),
  openapi: {
    title: 'Field-service appointments',
    description:
      'The operator’s two appointment APIs over the scheduling core: Appointments (TMF646 style; ' +
      'errors `{ componentMsg, id, msg, status }`) ' +
      'and Appointments Extension (errors `{ code, status, message, detailMsg }`). Authenticate with ' +
      '`Authorization: Bearer <tenant API key | JWT>`; ' +
      '`{org}` is the tenant.',
    tags: [
      { name: 'Appointments', description: 'TMF646-style appointments: create, search time slots, get, list, patch' },
      {
        name: 'Appointments Extension',
        description:
          'Flat create / update by work order, time-slot search for the booking component, back-office tasks',
      },
    ],
  },
};
