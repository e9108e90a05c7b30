import client from 'prom-client';
import type { SendOutcome } from './notification-sender.ts';

/**
 * Notification send attempts by channel and outcome (sent, retry, failed, not_sent, skipped, withdrawn) on the process
 * registry.
 */
export function registerNotificationMetrics(registry: client.Registry) {
  const counter = new client.Counter({
    name: 'notifications_total',
    help: 'Notification messages handled, by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  return (channel: string, outcome: SendOutcome) => counter.inc({ channel, outcome });
}
