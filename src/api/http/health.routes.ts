import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/database.ts';
import { pendingMigrations } from '../../db/migrate.ts';
import type { JobRunner } from '../../jobs/job-queue.ts';
import type { Metrics } from './metrics.ts';

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.String(),
});
const LiveBody = Type.Object({ status: Type.Literal('ok') });
const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.String({ description: 'the kind of database, or why it does not answer' }),
  migrations: Type.String({ description: '"applied", or the files not applied yet' }),
  jobs: Type.String({ description: '"running" (with the queues this process works), or "stopped"' }),
});
const PING_TIMEOUT_MS = 2000;

/**
 * Probes are never shed (src/api/http/security.ts sheds load with a 503): they are cheap, and a busy process must
 * still say it is alive and what it can do; a shed liveness probe would get a merely busy process restarted.
 * under-pressure reads this per-route handler; returning nothing lets the request through.
 */
const NOT_SHED = { pressureHandler: () => undefined };

export interface HealthOptions {
  db: Database;
  metrics: Metrics;
  jobs: Pick<JobRunner, 'status'>;
}

/** Rejects when `work` takes longer than the probe may wait: a hung database must not hang the probe. */
async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /health (200 when the database answers, 503 otherwise; kept as it was for existing monitors),
 * GET /health/live (the process answers: restart it when this fails), GET /health/ready (send it
 * traffic: database reachable, migrations applied, job queue running) and GET /metrics.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { db, metrics, jobs }) => {
  app.get(
    '/health',
    {
      config: NOT_SHED,
      schema: {
        tags: ['operations'],
        operationId: 'getHealth',
        summary: 'Database reachability (kept for compatibility; see /health/live and /health/ready)',
        description: '200 when the database answers within 2 s, 503 otherwise. No credentials needed.',
        security: [],
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (_req, reply) => {
      try {
        await withinTimeout(db.ping());
        return { status: 'ok' as const, database: db.kind };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: `${db.kind} not answering` });
      }
    },
  );
  app.get(
    '/health/live',
    {
      config: NOT_SHED,
      schema: {
        tags: ['operations'],
        operationId: 'getLiveness',
        summary: 'Liveness: the process answers',
        description:
          'Always 200 while the process serves requests; no dependency is checked. Restart the process when it fails.',
        security: [],
        response: { 200: LiveBody },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      config: NOT_SHED,
      schema: {
        tags: ['operations'],
        operationId: 'getReadiness',
        summary: 'Readiness: database reachable, migrations applied, job queue running',
        description:
          '200 when this process can serve traffic, 503 (with the reason in each field) otherwise. No credentials ' +
          'needed.',
        security: [],
        response: { 200: ReadyBody, 503: ReadyBody },
      },
    },
    async (_req, reply) => {
      let database: string = db.kind;
      let migrations = 'unknown (database not answering)';
      let ok = true;
      try {
        const pending = await withinTimeout(pendingMigrations(db));
        migrations = pending.length === 0 ? 'applied' : `pending: ${pending.join(', ')}`;
        ok = pending.length === 0;
      } catch {
        database = `${db.kind} not answering`;
        ok = false;
      }
      const { running, working } = jobs.status();
      const body = {
        status: ok && running ? ('ok' as const) : ('unavailable' as const),
        database,
        migrations,
        jobs: running
          ? `running${working.length ? ` (working: ${working.join(', ')})` : ' (no workers in this process)'}`
          : 'stopped',
      };
      return reply.code(body.status === 'ok' ? 200 : 503).send(body);
    },
  );
  app.get(
    '/metrics',
    {
      config: NOT_SHED,
      schema: {
        tags: ['operations'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'Request, booking and job metrics in the Prometheus text format. Bearer METRICS_TOKEN or ADMIN_TOKEN.',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_req, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
};
