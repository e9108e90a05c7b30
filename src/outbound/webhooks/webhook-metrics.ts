import client from 'prom-client';
import { pendingStats } from '../../core/webhooks/delivery.repository.ts';
import type { Queryable } from '../../db/database.ts';

/**
 * Webhook metrics on the process registry: attempts by outcome (delivered, retry, failed), attempt
 * latency, and the pending queue's depth and the age of its oldest delivery, so an endpoint that
 * keeps failing shows as a growing queue rather than silently.
 */
export function registerWebhookMetrics(registry: client.Registry, db: Queryable, now: () => Date) {
  const attempts = new client.Counter({
    name: 'webhook_attempts_total',
    help: 'Webhook send attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'webhook_attempt_duration_seconds',
    help: 'Webhook send attempt latency, payload building included',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const oldest = new client.Gauge({
    name: 'webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest pending webhook delivery (0 when none)',
    registers: [],
  });
  // Registered after `oldest` is created and before it is registered, so one query sets both before either is written
  // out.
  new client.Gauge({
    name: 'webhook_pending_deliveries',
    help: 'Webhook deliveries waiting to be sent',
    registers: [registry],
    async collect() {
      try {
        const s = await pendingStats(db);
        this.set(s.pending);
        oldest.set(s.oldest ? Math.max(0, (now().getTime() - new Date(s.oldest).getTime()) / 1000) : 0);
      } catch {
        // The database is down: /health says so; the gauges keep their last values.
      }
    },
  });
  registry.registerMetric(oldest);
  return (outcome: 'delivered' | 'retry' | 'failed', seconds: number) => {
    attempts.inc({ outcome });
    latency.observe({ outcome }, seconds);
  };
}
