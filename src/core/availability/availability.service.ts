import type { Queryable } from '../../db/database.ts';
import { findBusy } from '../booking/allocation.repository.ts';
import { findEligibleResources } from '../catalog/resource.repository.ts';
import type { Resource, Service, Site } from '../types.ts';
import type { EngineResource, Interval, Slot } from './slot-engine.ts';
import { searchSlots } from './slot-engine.ts';

const DAY_MS = 86_400_000;

export interface AvailabilityQuery {
  tenantId: string;
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

/** The rules of a sequence are the strictest of its services. */
function combinedRules(services: Service[]) {
  return {
    minNoticeMin: Math.max(...services.map((s) => s.rules.minNoticeMin)),
    horizonDays: Math.min(...services.map((s) => s.rules.horizonDays)),
  };
}

function toEngineResource(r: Resource, busy: Interval[]): EngineResource {
  return {
    id: r.id,
    workingHours: r.workingHours,
    timeOff: r.timeOff.map((t) => ({ start: t.start.getTime(), end: t.end.getTime() })),
    busy,
  };
}

/**
 * Loads what the slot engine needs (eligible resources, their live allocations) in two queries and
 * runs it. Used both by slot search and, inside the booking transaction, to re-check a slot.
 */
export async function computeSlots(q: Queryable, a: AvailabilityQuery): Promise<{ slots: Slot[]; resources: Resource[] }> {
  const serviceIds = a.services.map((s) => s.id);
  let resources = await findEligibleResources(q, a.tenantId, a.site.id, serviceIds);
  if (a.resourceId) resources = resources.filter((r) => r.id === a.resourceId);
  // Allocations can start before a slot (buffers) or run past it (a job longer than its window).
  const margin = DAY_MS;
  const busyRows = resources.length
    ? await findBusy(q, a.tenantId, resources.map((r) => r.id), new Date(a.from.getTime() - margin), new Date(a.to.getTime() + margin), a.now, a.ignoreAppointmentId ?? null)
    : [];
  const busyByResource = new Map<string, Interval[]>();
  for (const b of busyRows) {
    const list = busyByResource.get(b.resource_id) ?? [];
    list.push({ start: b.start.getTime(), end: b.end.getTime() });
    busyByResource.set(b.resource_id, list);
  }
  const rules = a.ignoreBookingRules ? { minNoticeMin: 0, horizonDays: 36_500 } : combinedRules(a.services);
  const first = a.services[0].slotPolicy;
  const slots = searchSlots({
    services: a.services.map((s) => ({ id: s.id, durationMin: s.durationMin, bufferBeforeMin: s.bufferBeforeMin, bufferAfterMin: s.bufferAfterMin })),
    // A sequence follows the first service's policy: its windows or its grid.
    policy: first,
    timeZone: a.site.timeZone,
    from: a.from.getTime(),
    to: a.to.getTime(),
    now: a.ignoreBookingRules ? 0 : a.now.getTime(),
    minNoticeMin: rules.minNoticeMin,
    horizonDays: rules.horizonDays,
    resources: resources.map((r) => toEngineResource(r, busyByResource.get(r.id) ?? [])),
  });
  return { slots, resources };
}

export { combinedRules };
