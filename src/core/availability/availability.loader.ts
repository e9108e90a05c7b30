import type { Queryable } from '../../db/database.ts';
import { findBusy, type BusyRow } from './busy.repository.ts';
import type { TenantCatalog } from '../catalog/catalog.cache.ts';
import type { Resource, Service, Site } from '../types.ts';
import type { EngineResource, Interval, Slot } from './slot-engine.ts';
import { searchSlots } from './slot-engine.ts';

const DAY_MS = 86_400_000;

export interface AvailabilityQuery {
  tenantId: string;
  /** The tenant's catalog (where the eligible resources come from). */
  catalog: TenantCatalog;
  site: Site;
  /** In booking order. */
  services: Service[];
  from: Date;
  to: Date;
  now: Date;
  resourceId?: string;
  ignoreAppointmentId?: string;
  /** Skip minimum notice and horizon (moving an existing booking to another resource). */
  ignoreBookingRules?: boolean;
}

/** A slot with its seats: `freeSeats[i]` seats are left on `freeResourceIds[i]`. */
export interface AvailableSlot extends Slot {
  seats: number;
  freeSeats: number[];
  /** The session a seated booking joins (same service, same start); null for exclusive bookings. */
  sessionKey: string | null;
  seatCapacity: number;
  seatsFree: number;
}

/** The rules of a sequence are the strictest of its services. */
export function combinedRules(services: Service[]) {
  return {
    minNoticeMin: Math.max(...services.map((s) => s.rules.minNoticeMin)),
    horizonDays: Math.min(...services.map((s) => s.rules.horizonDays)),
  };
}

/** Only a single service can be seated; a sequence of services is always exclusive. */
const seatsOf = (services: Service[]) => (services.length === 1 ? services[0].seats : 1);

const sessionPrefix = (services: Service[]) => `${services.map((s) => s.id).join('+')}@`;
const sessionKeyOf = (services: Service[], start: number) => `${sessionPrefix(services)}${start}`;

function toEngineResource(r: Resource, busy: Interval[]): EngineResource {
  return {
    id: r.id,
    workingHours: r.workingHours,
    timeOff: r.timeOff.map((t) => ({ start: t.start.getTime(), end: t.end.getTime() })),
    busy,
  };
}

/**
 * Seats of one slot: a resource is open to a seated session when everything overlapping the slot
 * on it belongs to that very session, and fewer than `seats` of them exist.
 */
function withSeats(slot: Slot, seats: number, services: Service[], sessionRows: Map<string, BusyRow[]>): AvailableSlot {
  if (seats === 1) {
    const free = slot.freeResourceIds.length;
    return {
      ...slot,
      seats,
      freeSeats: slot.freeResourceIds.map(() => 1),
      sessionKey: null,
      seatCapacity: slot.capacity,
      seatsFree: free,
    };
  }
  const key = sessionKeyOf(services, slot.start);
  const freeResourceIds: string[] = [];
  const freeSeats: number[] = [];
  for (const id of slot.freeResourceIds) {
    let taken = 0;
    let blocked = false;
    for (const row of sessionRows.get(id) ?? []) {
      if (row.start >= slot.allocEnd || row.end <= slot.allocStart) continue;
      if (row.session_key === key) taken++;
      else blocked = true;
    }
    if (!blocked && taken < seats) {
      freeResourceIds.push(id);
      freeSeats.push(seats - taken);
    }
  }
  const seatsFree = freeSeats.reduce((a, b) => a + b, 0);
  const seatCapacity = slot.capacity * seats;
  return {
    ...slot,
    freeResourceIds,
    occupied: seatCapacity - seatsFree,
    seats,
    freeSeats,
    sessionKey: key,
    seatCapacity,
    seatsFree,
  };
}

/** Active resources at a site that deliver every one of the services, by id. */
export function eligibleResources(catalog: TenantCatalog, siteId: string, serviceIds: string[]): Resource[] {
  return catalog.resources.filter(
    (r) => r.siteIds.includes(siteId) && serviceIds.every((id) => r.serviceIds.includes(id)),
  );
}

/**
 * Runs the slot engine over the eligible resources (from the catalog in memory) and their live
 * allocations (one query). Used both by slot search and, inside a transaction, to re-check a slot.
 */
export async function computeSlots(
  q: Queryable,
  a: AvailabilityQuery,
): Promise<{ slots: AvailableSlot[]; resources: Resource[]; catalogVersion: number | null }> {
  const resources = queriedResources(a);
  // Allocations can start before a slot (buffers) or run past it (a job longer than its window).
  const margin = DAY_MS;
  const busy = resources.length
    ? await findBusy(
        q,
        a.tenantId,
        resources.map((r) => r.id),
        new Date(a.from.getTime() - margin),
        new Date(a.to.getTime() + margin),
        a.now,
        a.ignoreAppointmentId ?? null,
      )
    : null;
  // catalogVersion: the catalog's version as the statement saw it (null: no statement ran).
  return { slots: slotsOf(a, resources, busy?.rows ?? []), resources, catalogVersion: busy?.catalogVersion ?? null };
}

/** The eligible resources of a query (only the one asked for, when one is). */
function queriedResources(a: AvailabilityQuery): Resource[] {
  const resources = eligibleResources(
    a.catalog,
    a.site.id,
    a.services.map((s) => s.id),
  );
  return a.resourceId ? resources.filter((r) => r.id === a.resourceId) : resources;
}

/**
 * The slots as the catalog alone makes them (windows, working hours, time off), as if nothing
 * were booked: which resources could take a slot. The one-statement booking tries those and lets
 * the exclusion constraints say which is free.
 */
export function slotsIgnoringBookings(a: AvailabilityQuery): AvailableSlot[] {
  return slotsOf(a, queriedResources(a), []);
}

function slotsOf(a: AvailabilityQuery, resources: Resource[], busyRows: BusyRow[]): AvailableSlot[] {
  const seats = seatsOf(a.services);
  const prefix = sessionPrefix(a.services);
  // Seated sessions of this very service are judged per slot (withSeats); everything else blocks.
  const busyByResource = new Map<string, Interval[]>();
  const sessionRows = new Map<string, BusyRow[]>();
  for (const b of busyRows) {
    if (seats > 1 && b.session_key.startsWith(prefix)) {
      const rows = sessionRows.get(b.resource_id);
      if (rows) rows.push(b);
      else sessionRows.set(b.resource_id, [b]);
      continue;
    }
    const list = busyByResource.get(b.resource_id) ?? [];
    list.push({ start: b.start, end: b.end });
    busyByResource.set(b.resource_id, list);
  }
  const rules = a.ignoreBookingRules ? { minNoticeMin: 0, horizonDays: 36_500 } : combinedRules(a.services);
  const slots = searchSlots({
    services: a.services.map((s) => ({
      id: s.id,
      durationMin: s.durationMin,
      bufferBeforeMin: s.bufferBeforeMin,
      bufferAfterMin: s.bufferAfterMin,
    })),
    // A sequence follows the first service's policy: its windows or its grid.
    policy: a.services[0].slotPolicy,
    timeZone: a.site.timeZone,
    from: a.from.getTime(),
    to: a.to.getTime(),
    now: a.ignoreBookingRules ? 0 : a.now.getTime(),
    minNoticeMin: rules.minNoticeMin,
    horizonDays: rules.horizonDays,
    resources: resources.map((r) => toEngineResource(r, busyByResource.get(r.id) ?? [])),
  });
  return slots.map((s) => withSeats(s, seats, a.services, sessionRows));
}
