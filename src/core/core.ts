import { createBookingService } from './booking/booking.service.ts';
import { createHoldService } from './booking/hold.service.ts';
import { createCatalogService } from './catalog/catalog.service.ts';
import type { CoreDeps } from './deps.ts';

export type Core = ReturnType<typeof createCore>;

/** The use cases every API facade calls. Built from explicit dependencies; knows no HTTP. */
export function createCore(deps: CoreDeps) {
  const booking = createBookingService(deps);
  return {
    catalog: createCatalogService(deps),
    booking,
    holds: createHoldService(deps, booking),
    deps,
  };
}
