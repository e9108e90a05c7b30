import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/database.ts';
import type { Metrics } from './metrics.ts';

const HealthBody = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]), database: Type.String() });
const PING_TIMEOUT_MS = 2000;

/** GET /health (200 when the database answers, 503 otherwise) and GET /metrics (Prometheus text). */
export const healthRoutes: FastifyPluginAsync<{ db: Database; metrics: Metrics }> = async (app, { db, metrics }) => {
  app.get(
    '/health',
    { schema: { tags: ['operations'], operationId: 'getHealth', summary: 'Liveness and database reachability', description: '200 when the database answers within 2 s, 503 otherwise. No credentials needed.', security: [], response: { 200: HealthBody, 503: HealthBody } } },
    async (_req, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          db.ping(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('ping timeout')), PING_TIMEOUT_MS))),
        ]);
        return { status: 'ok' as const, database: db.kind };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: `${db.kind} not answering` });
      } finally {
        clearTimeout(timer);
      }
    },
  );
  app.get('/metrics', { schema: { tags: ['operations'], operationId: 'getMetrics', summary: 'Prometheus metrics', description: 'Request, booking and job metrics in the Prometheus text format. No credentials needed.', security: [], produces: ['text/plain'], response: { 200: Type.String({ description: 'Prometheus text exposition format' }) } } }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
