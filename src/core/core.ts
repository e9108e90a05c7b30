import { createAppointmentChangeService } from './booking/appointment-change.service.ts';
import { createBookingService } from './booking/booking.service.ts';
import { createBookingSupport } from './booking/booking.support.ts';
import { createHoldService } from './booking/hold.service.ts';
import { createCatalogService } from './catalog/catalog.service.ts';
import type { CoreDeps } from './deps.ts';
import { createWebhookService } from './webhooks/webhook.service.ts';

export type Core = ReturnType<typeof createCore>;

/** The use cases every API facade calls. Built from explicit dependencies; knows no HTTP. */
export function createCore(deps: CoreDeps) {
  const support = createBookingSupport(deps);
  return {
    catalog: createCatalogService(deps),
    /** Slot search and appointments: creating, reading, listing, and every change with its history. */
    booking: { ...createBookingService(deps, support), ...createAppointmentChangeService(deps, support) },
    holds: createHoldService(deps, support),
    /** Outgoing webhook subscriptions and their deliveries (sent by src/outbound/webhooks). */
    webhooks: createWebhookService(deps),
    /** The injected clock, for facades that speak of "now" (search dates, past windows). */
    now: deps.now,
  };
}
