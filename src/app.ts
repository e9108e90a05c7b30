import Fastify, { LogController, type FastifyBaseLogger, type FastifyError } from 'fastify';
import type { Core } from './core/core.ts';
import { CoreError } from './core/errors.ts';
import type { Principal } from './core/types.ts';
import type { Database } from './db/database.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { API_FACADES, facadeFor } from './api/registry.ts';
import { registerOpenApi } from './api/http/openapi.ts';
import { validatorCompiler } from './api/http/request-validator.ts';
import { registerSchemaTypes } from './api/http/schema-types.ts';
import { healthRoutes } from './api/http/health.routes.ts';
import { guardInput } from './api/http/input-guard.ts';
import { instrumentBooking } from './api/http/instrument-booking.ts';
import type { Metrics } from './api/http/metrics.ts';
import { security, serverOptions, withRequestId, type SecuritySettings } from './api/http/security.ts';
import type { JobRunner } from './jobs/job-queue.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, from the Authorization header; null when no credentials were sent. */
    principal: Principal | null;
    /** Set when credentials were sent but are invalid; each facade renders it in its own error format. */
    authError?: CoreError;
  }
}

export interface AppDeps {
  core: Core;
  db: Database;
  authenticate: Authenticator;
  metrics: Metrics;
  jobs: Pick<JobRunner, 'status'>;
  /** The process logger (pino); none in tests. */
  logger?: FastifyBaseLogger;
  bodyLimitBytes: number;
  security: SecuritySettings;
}

/** Builds the whole HTTP application from explicit dependencies. It never listens: server.ts and tests do. */
export async function buildApp(deps: AppDeps) {
  registerSchemaTypes();
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    ...serverOptions(deps.security),
    // Errors Fastify raises before routing (malformed URL encoding, …) in the format of the API owning the path.
    frameworkErrors: withRequestId((err, req, reply) => facadeFor(req.url).renderError(err, req, reply)),
  });
  // One validator for every API (TypeBox); each API words its failures in its own error renderer.
  app.setValidatorCompiler(validatorCompiler);
  const core = instrumentBooking(deps.core, deps.metrics);

  await registerOpenApi(app, API_FACADES, '0.1.0');

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const { principal, error } = await deps.authenticate(req.headers.authorization);
    req.principal = principal && { ...principal, correlationId: req.id };
    req.authError = error;
  });
  await app.register(security, deps.security); // after authentication: the rate limit counts per credential
  app.addHook('preValidation', guardInput);
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    req.log.info(
      { method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  // Whatever no route of an API handles (unknown routes, errors in hooks before routing) is answered
  // in the format of the API owning the path; paths no API owns in the admin format.
  app.setErrorHandler<FastifyError>((err, req, reply) => facadeFor(req.url).renderError(err, req, reply));
  app.setNotFoundHandler((req, reply) =>
    facadeFor(req.url).renderError(new CoreError('NOT_FOUND', `No route ${req.method} ${req.url}`), req, reply),
  );

  await app.register(healthRoutes, { db: deps.db, metrics: deps.metrics, jobs: deps.jobs });
  for (const api of API_FACADES) await app.register(api.plugin, { prefix: api.prefix, core });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
