/**
 * The operator's field-service APIs (seeds 001 and 000) over the scheduling core:
 * - Appointments (TMF646 style), errors `{ componentMsg, id, msg, status }`;
 * - Appointments Extension, errors `{ code, status, message, detailMsg }`.
 * Each lives in its own encapsulated scope with its own error handler; both validate requests
 * without type coercion (validation.ts). Decisions where the documents are silent:
 * docs/field-service.md.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { unauthenticated } from '../../core/errors.ts';
import { appointmentsRoutes } from './appointments.routes.ts';
import { errorHandler, toExtError, toTmfError } from './errors.ts';
import { extRoutes } from './ext.routes.ts';
import { validatorCompiler } from './validation.ts';
import { createWorkOrderCommands } from './work-order.commands.ts';

/** Credentials first: a rejected token, or none at all, is answered before the body is even read. */
async function requireCredentials(req: { principal?: unknown; authError?: Error }) {
  if (req.authError) throw req.authError;
  if (!req.principal) throw unauthenticated('Missing credentials: send Authorization: Bearer <API key or JWT>');
}

export const fieldServiceApi: FastifyPluginAsync<{ core: Core }> = async (app: FastifyInstance, { core }) => {
  app.setValidatorCompiler(validatorCompiler);
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
};
