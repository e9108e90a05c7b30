import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, parseDelays, type Config } from '../../config.ts';
import type { Logger, WebhookDeps } from '../../core/deps.ts';
import type { Database, Queryable } from '../../db/database.ts';
import { createDeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.ts';
import { seedEventTypeOf } from './event-type.mapper.ts';
import { destinationProblem } from './destination-guard.ts';

export const WEBHOOK_DEFAULTS: Config['webhooks'] = {
  retryScheduleMs: parseDelays(DEFAULT_WEBHOOK_RETRY_SCHEDULE)!,
  timeoutMs: 10_000,
  allowPrivateNetworks: false,
};

export type WebhookPublisher = ReturnType<typeof createWebhookPublisher>;

/**
 * The outgoing webhook publisher in seed 003's format. `format` goes into the core (CoreDeps):
 * the core's outbox consumer queues deliveries inside the recording transaction in seed words,
 * and subscriptions are refused at once for a URL the sender would always refuse;
 * `worker` sends them (start it in every process that runs workers; processes share the work
 * safely); `wakingAfterCommit(db)` is the database the core should write through, so that a
 * commit that queued deliveries wakes the worker at once instead of at its next poll.
 */
export function createWebhookPublisher(
  o: { db: Database; now: () => Date; newId: () => string; log: Logger; config?: Config['webhooks'] } & Partial<
    Pick<DeliveryWorkerOptions, 'pollIntervalMs' | 'batchSize' | 'concurrency' | 'random' | 'onAttempt'>
  >,
) {
  const { config = WEBHOOK_DEFAULTS, ...rest } = o;
  const worker = createDeliveryWorker({ ...rest, ...config });
  // Transactions that queued deliveries; a transaction's handle is its own object, dropped with it.
  const queuedIn = new WeakSet<Queryable>();
  const format: WebhookDeps = {
    eventTypeOf: seedEventTypeOf,
    destinationProblem: (url) => destinationProblem(url, config.allowPrivateNetworks),
    queued: (tx) => void queuedIn.add(tx),
  };
  return {
    format,
    worker,
    wakingAfterCommit(db: Database): Database {
      return {
        kind: db.kind,
        query: (sql, params) => db.query(sql, params),
        exec: (sql) => db.exec(sql),
        ping: () => db.ping(),
        close: () => db.close(),
        async transaction(fn) {
          let handle: Queryable | undefined;
          const result = await db.transaction((tx) => {
            handle = tx;
            return fn(tx);
          });
          if (handle && queuedIn.has(handle)) worker.kick();
          return result;
        },
      };
    },
  };
}
