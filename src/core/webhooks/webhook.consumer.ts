import type { EventConsumer, RecordedEvent } from '../events/event.types.ts';
import { insertDelivery, insertEvent } from './delivery.repository.ts';
import { activeSubscriptions } from './subscription.repository.ts';

/**
 * The outbox consumer of outgoing webhooks: inside the transaction that records an appointment
 * event, queues one pending delivery per active subscription of the tenant that wants the event's
 * type. Nothing is sent here, so a rolled-back change leaves nothing to send. `eventTypeOf` is the
 * wire format's word for the event (seed 003's eventType), given by the outbound mapping.
 */
export function createWebhookConsumer(deps: { eventTypeOf: (e: RecordedEvent) => string; newId: () => string }): EventConsumer {
  return {
    name: 'webhooks',
    async onEvent(tx, event) {
      const subscriptions = await activeSubscriptions(tx, event.tenantId);
      if (subscriptions.length === 0) return;
      const eventType = deps.eventTypeOf(event);
      const wanted = subscriptions.filter((s) => s.events === null || s.events.includes(eventType));
      if (wanted.length === 0) return;
      await insertEvent(tx, { ...event, eventType });
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
    },
  };
}
