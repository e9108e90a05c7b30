import { holdExpiryConsumer } from '../booking/hold-expiry.consumer.ts';
import type { CoreDeps } from '../deps.ts';
import { notificationConsumer } from '../notifications/notification.consumer.ts';
import { webhookConsumer } from '../webhooks/webhook.consumer.ts';
import type { Consumer } from './event.types.ts';

/**
 * Every consumer of recorded events, called in this order inside the transaction that records
 * each event. A new consumer is one file (next to the domain it serves) and one line here.
 */
export function createConsumers(deps: CoreDeps): Consumer[] {
  return [holdExpiryConsumer(deps.jobs), webhookConsumer(deps), notificationConsumer(deps)];
}
