import type { Queryable } from '../../db/database.ts';
import { systemPrincipal } from '../access/access.ts';
import { tenantAccess } from '../access/tenant-access.ts';
import type { CatalogCache } from '../catalog/catalog.cache.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { HoldEventType } from '../events/event.types.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Hold, Principal } from '../types.ts';
import { extendHoldAllocation, releaseHoldAllocation } from './allocation.repository.ts';
import { loadServices, resolveSite } from './booking-inputs.loader.ts';
import type { CreateHoldInput } from './booking.types.ts';
import { getHold, insertHold, markHoldExpired, setHoldState } from './hold.repository.ts';
import { allocateSlot } from './slot-allocator.ts';
import { getAppointment } from './appointment.repository.ts';
import { claimForCreate } from './idempotency.repository.ts';
import { MOVABLE_STATUSES } from './state-machine.ts';
const MIN_TTL_SEC = 10;
const MAX_TTL_SEC = 86_400;

export type HoldService = ReturnType<typeof createHoldService>;

/**
 * Holds claim a slot until an expiry. The claim is a real allocation, so the exclusion constraint
 * protects it like a booking; an expired hold stops counting at once (readers and bookers ignore
 * it), and the expiry job only tidies up after it. Every change is a hold event (its expiry job
 * is enqueued by the hold-expiry consumer of `hold.created` / `hold.extended`).
 */
export function createHoldService(deps: CoreDeps, outbox: Outbox, catalogs: CatalogCache) {
  const { db } = deps;
  const access = tenantAccess(db);

  const record = (tx: Queryable, type: HoldEventType, principal: Principal, hold: Hold) =>
    outbox.recordHoldEvent(tx, {
      type,
      actor: principal.subject,
      correlationId: principal.correlationId ?? null,
      at: deps.now(),
      hold,
    });

  function ttlOf(ttlSec: number | undefined, fallback: number): number {
    const ttl = ttlSec ?? fallback;
    if (!Number.isInteger(ttl) || ttl < MIN_TTL_SEC || ttl > MAX_TTL_SEC)
      throw invalidInput(`A hold lives from ${MIN_TTL_SEC} to ${MAX_TTL_SEC} seconds`, [
        { field: 'ttlSec', message: 'out of range' },
      ]);
    return ttl;
  }

  async function lockActive(tx: Queryable, tenantId: string, holdId: string): Promise<Hold> {
    const hold = await getHold(tx, tenantId, holdId, deps.now(), true);
    if (!hold) throw notFound('Hold', holdId);
    if (hold.status !== 'active') throw conflict(`Hold ${holdId} is ${hold.status}`);
    return hold;
  }

  return {
    async createHold(p: Principal | null, tenantId: string, input: CreateHoldInput): Promise<Hold> {
      const principal = await access(p, tenantId, 'appointments:write');
      return db.transaction(async (tx) => {
        const id = deps.newId();
        const now = deps.now();
        if (input.idempotency) {
          // Claimed first: a concurrent retry waits here for the first request's transaction, then takes nothing.
          const earlier = await claimForCreate(tx, {
            tenantId,
            scope: 'hold.create',
            ...input.idempotency,
            targetId: id,
            at: now,
          });
          if (earlier) {
            const first = await getHold(tx, tenantId, earlier, now);
            if (!first) throw notFound('Hold', earlier);
            return first;
          }
        }
        if (input.forAppointmentId !== undefined) {
          const moved = await getAppointment(tx, tenantId, input.forAppointmentId);
          if (!moved) throw notFound('Appointment', input.forAppointmentId);
          // A time nobody could use: the appointment cannot be rescheduled, and the hold is its alone.
          if (!MOVABLE_STATUSES.has(moved.status))
            throw invalidInput(`A ${moved.status} appointment cannot be rescheduled`, [
              { field: 'appointmentId', message: moved.status },
            ]);
        }
        const catalog = await catalogs.current(tx, tenantId);
        const services = loadServices(catalog, input.serviceIds);
        const site = resolveSite(catalog, input.location);
        const ttl = ttlOf(input.ttlSec, Math.min(...services.map((s) => s.rules.holdTtlSec)));
        const expiresAt = new Date(now.getTime() + ttl * 1000);
        const { resourceId, slot } = await allocateSlot(
          tx,
          {
            tenantId,
            catalog,
            site,
            services,
            start: input.start,
            end: input.end,
            now,
            resourceId: input.resourceId,
            owner: { holdId: id, expiresAt },
            enforceBookingRules: true,
          },
          deps.newId,
        );
        const hold: Hold = {
          tenantId,
          id,
          serviceIds: input.serviceIds,
          siteId: site.id,
          resourceId,
          start: new Date(slot.start),
          end: new Date(slot.end),
          expiresAt,
          status: 'active',
          appointmentId: null,
          forAppointmentId: input.forAppointmentId ?? null,
          createdAt: now,
        };
        await insertHold(tx, hold);
        await record(tx, 'hold.created', principal, hold);
        return hold;
      });
    },

    async getHold(p: Principal | null, tenantId: string, holdId: string): Promise<Hold> {
      await access(p, tenantId, 'appointments:read');
      const hold = await getHold(db, tenantId, holdId, deps.now());
      if (!hold) throw notFound('Hold', holdId);
      return hold;
    },

    async extendHold(p: Principal | null, tenantId: string, holdId: string, ttlSec: number): Promise<Hold> {
      const principal = await access(p, tenantId, 'appointments:write');
      return db.transaction(async (tx) => {
        const hold = await lockActive(tx, tenantId, holdId);
        const expiresAt = new Date(deps.now().getTime() + ttlOf(ttlSec, ttlSec) * 1000);
        await extendHoldAllocation(tx, tenantId, holdId, expiresAt);
        await setHoldState(tx, tenantId, holdId, { status: 'active', expiresAt });
        const extended = { ...hold, expiresAt };
        await record(tx, 'hold.extended', principal, extended);
        return extended;
      });
    },

    async releaseHold(p: Principal | null, tenantId: string, holdId: string): Promise<Hold> {
      const principal = await access(p, tenantId, 'appointments:write');
      return db.transaction(async (tx) => {
        const hold = await lockActive(tx, tenantId, holdId);
        await releaseHoldAllocation(tx, tenantId, holdId);
        await setHoldState(tx, tenantId, holdId, { status: 'released' });
        const released = { ...hold, status: 'released' as const };
        await record(tx, 'hold.released', principal, released);
        return released;
      });
    },

    /**
     * The expiry job: frees the allocation of a hold past its expiry and records `hold.expired`,
     * once. True the first time; false for a hold extended, released or converted meanwhile, and
     * for a second run.
     */
    async expireHold(tenantId: string, holdId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const hold = await getHold(tx, tenantId, holdId, deps.now(), true);
        if (!hold || hold.status !== 'expired') return false;
        await releaseHoldAllocation(tx, tenantId, holdId);
        if (!(await markHoldExpired(tx, tenantId, holdId, deps.now()))) return false;
        await record(tx, 'hold.expired', systemPrincipal, hold);
        return true;
      });
    },
  };
}
