import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Core } from './core/core.ts';
import type { CoreError } from './core/errors.ts';
import type { Principal } from './core/types.ts';
import type { Database } from './db/database.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { adminApi } from './api/admin/index.ts';
import { fieldServiceApi, ownsPath, renderFrameworkError } from './api/field-service/index.ts';
import { sendAdminError } from './api/admin/admin-error.ts';
import { healthRoutes } from './api/http/health.routes.ts';
import { guardInput } from './api/http/input-guard.ts';
import { instrumentBooking } from './api/http/instrument-booking.ts';
import type { Metrics } from './api/http/metrics.ts';

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
  /** The process logger (pino); none in tests. */
  logger?: FastifyBaseLogger;
  bodyLimitBytes: number;
}

/** Builds the whole HTTP application from explicit dependencies. It never listens: server.ts and tests do. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One line per request (onResponse below) instead of Fastify's two.
    disableRequestLogging: true,
    bodyLimit: deps.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Unknown fields are refused where a schema says additionalProperties: false, not silently dropped.
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    // Errors Fastify raises before routing (malformed URL encoding, …) in the caller's API's format.
    frameworkErrors: (err, req, reply) => (ownsPath(req.url) ? renderFrameworkError(err, req, reply) : sendAdminError(err, req, reply as FastifyReply)),
  });
  const core = instrumentBooking(deps.core, deps.metrics);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Scheduling service',
        version: '0.1.0',
        description: 'One scheduling core behind several appointment APIs. Authenticate with `Authorization: Bearer <tenant API key | JWT | ADMIN_TOKEN>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const { principal, error } = await deps.authenticate(req.headers.authorization);
    req.principal = principal && { ...principal, correlationId: req.id };
    req.authError = error;
  });
  app.addHook('preValidation', guardInput);
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.observeRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    req.log.info({ method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });
  app.setErrorHandler(sendAdminError);
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}`, details: [] }),
  );

  await app.register(healthRoutes, { db: deps.db, metrics: deps.metrics });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(adminApi, { prefix: '/admin/v1', core });
  await app.register(fieldServiceApi, { core });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
