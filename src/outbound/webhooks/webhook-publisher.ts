import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, parseDelays, type Config } from '../../config.ts';
import type { Logger } from '../../core/deps.ts';
import { createWebhookConsumer } from '../../core/webhooks/webhook.consumer.ts';
import type { Database } from '../../db/database.ts';
import { createDeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.ts';
import { seedEventTypeOf } from './event-type.mapper.ts';

export const WEBHOOK_DEFAULTS: Config['webhooks'] = {
  retryScheduleMs: parseDelays(DEFAULT_WEBHOOK_RETRY_SCHEDULE)!,
  timeoutMs: 10_000,
  allowPrivateNetworks: false,
};

export type WebhookPublisher = ReturnType<typeof createWebhookPublisher>;

/**
 * The outgoing webhook publisher in seed 003's format: the outbox consumer that queues deliveries
 * inside the recording transaction, and the worker that sends them (start it in every process
 * that runs workers; several processes share the work safely).
 */
export function createWebhookPublisher(o: { db: Database; now: () => Date; newId: () => string; log: Logger; config?: Config['webhooks'] } & Partial<Pick<DeliveryWorkerOptions, 'pollIntervalMs' | 'batchSize' | 'random' | 'onAttempt'>>) {
  const { config = WEBHOOK_DEFAULTS, ...rest } = o;
  return {
    consumer: createWebhookConsumer({ eventTypeOf: seedEventTypeOf, newId: o.newId }),
    worker: createDeliveryWorker({ ...rest, ...config }),
  };
}
