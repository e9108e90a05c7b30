import type { Queryable } from '../../db/database.ts';
import { combinedRules, computeSlots, slotsIgnoringBookings } from '../availability/availability.loader.ts';
import type { AvailableSlot } from '../availability/availability.loader.ts';
import { invalidInput, slotUnavailable } from '../errors.ts';
import type { TenantCatalog } from '../catalog/catalog.cache.ts';
import type { Service, Site } from '../types.ts';
import { expireStaleHolds, tryAllocate } from './allocation.repository.ts';
import { countLiveByResource } from './appointment.repository.ts';
import { DateTime } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface AllocationRequest {
  tenantId: string;
  catalog: TenantCatalog;
  site: Site;
  services: Service[];
  start: Date;
  end?: Date;
  now: Date;
  /** Exactly this resource; otherwise any free eligible one. */
  resourceId?: string;
  /** Try this resource first (keep a moved appointment with its technician when possible). */
  preferResourceId?: string | null;
  owner: { appointmentId: string } | { holdId: string; expiresAt: Date };
  /** False for a reassignment of an appointment already booked: notice and horizon were checked when it was booked. */
  enforceBookingRules: boolean;
  /** The least busy free resource that local day first (CreateAppointmentInput.spreadLoad). */
  spreadLoad?: boolean;
}

/** The free candidates, the fewest live appointments on the slot's local day (the site's zone) first, ties by id. */
async function leastBusyFirst(tx: Queryable, req: AllocationRequest, candidates: string[]): Promise<string[]> {
  if (candidates.length < 2) return candidates;
  const day = DateTime.fromJSDate(req.start, { zone: req.site.timeZone }).startOf('day');
  const loads = await countLiveByResource(
    tx,
    req.tenantId,
    candidates,
    day.toJSDate(),
    day.plus({ days: 1 }).toJSDate(),
  );
  return [...candidates].sort((a, b) => (loads.get(a) ?? 0) - (loads.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface Allocated {
  resourceId: string;
  slot: AvailableSlot;
}

/** Start-time rules with a precise message, checked before the engine says "no such slot". */
function checkBookingRules(services: Service[], start: Date, now: Date): void {
  const rules = combinedRules(services);
  if (start.getTime() < now.getTime())
    throw invalidInput('The requested time is in the past', [{ field: 'start', message: 'is in the past' }]);
  if (start.getTime() < now.getTime() + rules.minNoticeMin * MINUTE_MS)
    throw invalidInput(`The requested time needs at least ${rules.minNoticeMin} minutes notice`, [
      { field: 'start', message: 'too soon' },
    ]);
  if (start.getTime() >= now.getTime() + rules.horizonDays * DAY_MS)
    throw invalidInput(`The requested time is more than ${rules.horizonDays} days ahead`, [
      { field: 'start', message: 'beyond the booking horizon' },
    ]);
}

/**
 * Free resources first in a rotating order, so concurrent bookings of one slot spread over resources instead of
 * queueing on one row.
 */
export function candidateOrder(slot: AvailableSlot, req: AllocationRequest): string[] {
  if (req.resourceId) {
    if (!slot.freeResourceIds.includes(req.resourceId))
      throw slotUnavailable(`Resource ${req.resourceId} is not available at that time`);
    return [req.resourceId];
  }
  const free = slot.freeResourceIds;
  const offset = free.length > 1 ? Math.floor(Math.random() * free.length) : 0;
  const rotated = [...free.slice(offset), ...free.slice(0, offset)];
  const preferred = req.preferResourceId && free.includes(req.preferResourceId) ? [req.preferResourceId] : [];
  return [...preferred, ...rotated.filter((id) => id !== req.preferResourceId)];
}

/**
 * Seats to try on a resource: the first one that looked free, then the others (a concurrent booking may have taken it).
 */
function seatOrder(slot: AvailableSlot, resourceId: string): number[] {
  if (slot.seats === 1) return [1];
  const i = slot.freeResourceIds.indexOf(resourceId);
  const firstFree = i < 0 ? 1 : slot.seats - slot.freeSeats[i] + 1;
  return Array.from({ length: slot.seats }, (_, k) => ((firstFree - 1 + k) % slot.seats) + 1);
}

/** The slot starting at the requested time (and ending at the requested end, when one is given). */
function slotAt(slots: AvailableSlot[], req: AllocationRequest): AvailableSlot {
  const slot = slots.find((s) => s.start === req.start.getTime());
  if (!slot) {
    throw invalidInput(
      'The requested start is not a bookable time of this service (outside its windows, grid or working hours)',
      [{ field: 'start', message: 'not a slot start' }],
    );
  }
  if (req.end && req.end.getTime() !== slot.end) {
    throw invalidInput(`The requested end does not match the slot, which ends at ${new Date(slot.end).toISOString()}`, [
      { field: 'end', message: 'does not match the slot' },
    ]);
  }
  return slot;
}

/**
 * The slot of a request and the resources that could take it, from the catalog alone (no
 * statement): what the one-statement booking tries, in this order.
 */
export function planSlot(req: AllocationRequest): { slot: AvailableSlot; candidates: string[] } {
  if (req.enforceBookingRules) checkBookingRules(req.services, req.start, req.now);
  const slot = slotAt(
    slotsIgnoringBookings({
      tenantId: req.tenantId,
      catalog: req.catalog,
      site: req.site,
      services: req.services,
      from: req.start,
      to: new Date(req.start.getTime() + 1),
      now: req.now,
      ignoreBookingRules: !req.enforceBookingRules,
    }),
    req,
  );
  return { slot, candidates: candidateOrder(slot, req) };
}

/**
 * Re-checks a slot inside the booking transaction and claims a resource for it. The slot engine
 * says which resources look free; the exclusion constraint decides, one candidate at a time.
 */
export async function allocateSlot(tx: Queryable, req: AllocationRequest, newId: () => string): Promise<Allocated> {
  if (req.enforceBookingRules) checkBookingRules(req.services, req.start, req.now);
  const { slots } = await computeSlots(tx, {
    tenantId: req.tenantId,
    catalog: req.catalog,
    site: req.site,
    services: req.services,
    from: req.start,
    to: new Date(req.start.getTime() + 1),
    now: req.now,
    ignoreBookingRules: !req.enforceBookingRules,
  });
  const slot = slotAt(slots, req);
  const allocStart = new Date(slot.allocStart);
  const allocEnd = new Date(slot.allocEnd);
  const candidates = candidateOrder(slot, req);
  const ordered = req.spreadLoad && !req.resourceId ? await leastBusyFirst(tx, req, candidates) : candidates;
  for (const resourceId of ordered) {
    await expireStaleHolds(tx, req.tenantId, resourceId, allocStart, allocEnd, req.now);
    for (const seat of seatOrder(slot, resourceId)) {
      const allocationId = newId();
      const claimed = await tryAllocate(tx, {
        tenantId: req.tenantId,
        allocationId,
        resourceId,
        start: allocStart,
        end: allocEnd,
        // An exclusive booking is a session of its own; seated bookings share the slot's session.
        sessionKey: slot.sessionKey ?? allocationId,
        seat,
        appointmentId: 'appointmentId' in req.owner ? req.owner.appointmentId : null,
        holdId: 'holdId' in req.owner ? req.owner.holdId : null,
        expiresAt: 'holdId' in req.owner ? req.owner.expiresAt : null,
      });
      if (claimed) return { resourceId, slot };
    }
  }
  throw slotUnavailable();
}
