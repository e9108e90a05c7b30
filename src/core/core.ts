import { createApplicationService } from './applications/application.service.ts';
import { createAppointmentChangeService } from './booking/appointment-change.service.ts';
import { createAppointmentQueryService } from './booking/appointment-query.service.ts';
import { createBookingService } from './booking/booking.service.ts';
import { createHoldService } from './booking/hold.service.ts';
import { createCatalogCache } from './catalog/catalog.cache.ts';
import { createCatalogService } from './catalog/catalog.service.ts';
import { createCustomerCodeService } from './customer-codes/customer-code.service.ts';
import type { CoreDeps } from './deps.ts';
import { createConsumers } from './events/consumers.ts';
import { createOutbox } from './events/outbox.ts';
import { createNotificationService } from './notifications/notification.service.ts';
import { createWebhookService } from './webhooks/webhook.service.ts';

export type Core = ReturnType<typeof createCore>;

/** The use cases every API facade calls. Built from explicit dependencies; knows no HTTP. */
export function createCore(deps: CoreDeps) {
  // The only way a change is recorded: every use case below writes its events through it.
  const outbox = createOutbox({ newId: deps.newId, consumers: createConsumers(deps) });
  // The catalog in memory, per tenant, shared by every use case that books or searches.
  const catalogs = createCatalogCache();
  return {
    catalog: createCatalogService(deps),
    /** Slot search and appointments: creating, reading, finding, counting, and every change with its history. */
    booking: {
      ...createBookingService(deps, outbox, catalogs),
      ...createAppointmentChangeService(deps, outbox, catalogs),
      ...createAppointmentQueryService(deps),
    },
    holds: createHoldService(deps, outbox, catalogs),
    /** Outgoing webhook subscriptions and their deliveries (sent by src/outbound/webhooks). */
    webhooks: createWebhookService(deps),
    /** Notification templates of services and the messages of appointments (sent by src/outbound/notifications). */
    notifications: createNotificationService(deps),
    /** Video-call applications (issue 11): a tenant's configured video-call offerings, found by id alone too. */
    applications: createApplicationService(deps),
    /** One-time codes sent to customers by e-mail or SMS, verified once (the video-call API's OTP). */
    customerCodes: createCustomerCodeService(deps),
    /** The injected clock, for facades that speak of "now" (search dates, past windows). */
    now: deps.now,
  };
}
