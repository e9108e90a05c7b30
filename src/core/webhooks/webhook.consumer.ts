import type { CoreDeps } from '../deps.ts';
import type { EventConsumer } from '../events/event.types.ts';
import { insertDelivery } from './delivery.repository.ts';
import { activeSubscriptions } from './subscription.repository.ts';

/**
 * The outbox consumer of outgoing webhooks: inside the transaction that records an appointment
 * event, queues one pending delivery per active subscription of the tenant that wants the event's
 * type. Nothing is sent here, so a rolled-back change leaves nothing to send; the payload is built
 * at send time from the outbox's own row (appointment_events), found by the event id.
 */
export function webhookConsumer(deps: Pick<CoreDeps, 'newId' | 'webhooks'>): EventConsumer {
  return {
    name: 'webhooks',
    mayWant: (catalog) => catalog.hasWebhookSubscribers,
    async onEvent(tx, event) {
      const subscriptions = await activeSubscriptions(tx, event.tenantId);
      if (subscriptions.length === 0) return;
      const eventType = deps.webhooks.eventTypeOf(event);
      const wanted = subscriptions.filter((s) => s.events === null || s.events.includes(eventType));
      if (wanted.length === 0) return;
      for (const s of wanted) {
        await insertDelivery(tx, {
          tenantId: event.tenantId,
          id: deps.newId(),
          subscriptionId: s.id,
          kind: 'event',
          eventId: event.id,
          eventType,
          appointmentId: event.appointmentId,
          seq: event.seq,
          now: event.at,
        });
      }
      deps.webhooks.queued?.(tx);
    },
  };
}
