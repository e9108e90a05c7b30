/**
 * Every other request under `/v1/orgs/`: an unknown route or method is a 404, a path segment longer
 * than the router takes (an id of 101+ characters) a 414 — in the documented error body of the API
 * the path belongs to (errors.ts), not in the admin shape nor Fastify's. A wildcard route (`/*`
 * under the facade's /v1/orgs mount) rather than the application's not-found handler: the router
 * falls back to it when a parameter is too long, where it would otherwise answer 414 itself, in its
 * own shape, and it runs this facade's credential check first (401 before 404).
 */
import { errorCodes, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.ts';

const DEFAULT_MAX_PARAM_LENGTH = 100; // Fastify's default

const pathOf = (req: FastifyRequest) => req.url.split('?')[0];

function unmatched(req: FastifyRequest): Error {
  const path = pathOf(req);
  const max = req.server.initialConfig.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  if (path.split('/').some((segment) => segment.length > max)) return new errorCodes.FST_ERR_MAX_PARAM_LENGTH(path);
  return new CoreError('NOT_FOUND', `No route ${req.method} ${path}`);
}

export const fallbackRoutes: FastifyPluginAsync = async (app) => {
  app.all('/*', { schema: { hide: true } }, async (req) => {
    throw unmatched(req);
  });
};
