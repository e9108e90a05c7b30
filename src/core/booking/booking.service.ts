import { computeSlots } from '../availability/availability.loader.ts';
import { tenantAccess } from '../access/tenant-access.ts';
import { mayReadAppointment } from '../access/access.ts';
import type { CatalogCache, TenantCatalog } from '../catalog/catalog.cache.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, CoreError, invalidInput, notFound } from '../errors.ts';
import type { Outbox } from '../events/outbox.ts';
import type { RecordedEvent } from '../events/event.types.ts';
import { listAppointmentEvents } from '../events/event.repository.ts';
import type { Queryable } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import type { Appointment, Page, Principal, Service, Site } from '../types.ts';
import * as appointments from './appointment.repository.ts';
import { loadServices, resolveSite } from './booking-inputs.loader.ts';
import { liveWorkOrderConflict } from './live-work-order.guard.ts';
import { createOneStatementBooking } from './one-statement-booking.ts';
import type {
  CreateAppointmentInput,
  ListAppointmentsInput,
  SlotSearchInput,
  SlotSearchResult,
} from './booking.types.ts';
import { saveCustomer } from './customer.writer.ts';
import { appointmentNotificationsOf } from '../notifications/appointment-notifications.ts';
import { putSnapshot } from '../notifications/notification.repository.ts';
import { convertHold } from './hold-conversion.ts';
import { claimForCreate } from './idempotency.repository.ts';
import { newAppointment } from './new-appointment.ts';
import { allocateSlot } from './slot-allocator.ts';
import { historyBounds, pageBounds } from '../paging.ts';
import { personalIdKey } from '../privacy/personal-data.ts';

const DAY_MS = 86_400_000;
const MAX_SEARCH_DAYS = 366;

export type BookingService = ReturnType<typeof createBookingService>;

/** Slot search, creating appointments (directly or from a hold), reading and listing them, and their history. */
export function createBookingService(deps: CoreDeps, outbox: Outbox, catalogs: CatalogCache) {
  const { db } = deps;
  const access = tenantAccess(db);
  const bookInOneStatement = createOneStatementBooking(deps, outbox, catalogs);

  /** The time a new booked appointment takes: its hold's, converted in place, or a slot allocated now. */
  async function claimTime(
    tx: Queryable,
    a: {
      tenantId: string;
      id: string;
      input: CreateAppointmentInput;
      catalog: TenantCatalog;
      services: Service[];
      site: Site;
      now: Date;
      principal: Principal;
    },
  ): Promise<{ resourceId: string; start: Date; end: Date }> {
    const { tenantId, id, input, now } = a;
    if (!input.holdId) {
      const { resourceId, slot } = await allocateSlot(
        tx,
        {
          tenantId,
          catalog: a.catalog,
          site: a.site,
          services: a.services,
          start: input.start!,
          end: input.end,
          now,
          resourceId: input.resourceId,
          owner: { appointmentId: id },
          enforceBookingRules: true,
          spreadLoad: input.spreadLoad,
        },
        deps.newId,
      );
      return { resourceId, start: new Date(slot.start), end: new Date(slot.end) };
    }
    const hold = await convertHold(
      tx,
      outbox,
      { tenantId, holdId: input.holdId, appointmentId: id, now, principal: a.principal },
      (h) => {
        if (
          h.serviceIds.join() !== input.serviceIds.join() ||
          (input.start && input.start.getTime() !== h.start.getTime())
        )
          throw invalidInput('The hold was taken for other services or another time', [
            { field: 'holdId', message: 'does not match' },
          ]);
      },
    );
    return { resourceId: hold.resourceId, start: hold.start, end: hold.end };
  }

  return {
    async searchSlots(p: Principal | null, tenantId: string, input: SlotSearchInput): Promise<SlotSearchResult> {
      await access(p, tenantId, 'appointments:read');
      if (!(input.to.getTime() > input.from.getTime()))
        throw invalidInput('The period must end after it starts', [{ field: 'to', message: 'before from' }]);
      if (input.to.getTime() - input.from.getTime() > MAX_SEARCH_DAYS * DAY_MS)
        throw invalidInput(`The period may span at most ${MAX_SEARCH_DAYS} days`, [
          { field: 'to', message: 'period too long' },
        ]);
      // The catalog in memory as it is; the busy statement reads its version too. Only a copy found
      // behind (or a refusal on it) costs a second look, on the current catalog.
      for (const fresh of [false, true]) {
        const catalog = fresh ? await catalogs.current(db, tenantId) : await catalogs.cached(db, tenantId);
        let services: Service[];
        let site: Site;
        try {
          services = loadServices(catalog, input.serviceIds);
          site = resolveSite(catalog, input.location);
        } catch (e) {
          if (!fresh && e instanceof CoreError) continue;
          throw e;
        }
        const { slots, catalogVersion } = await computeSlots(db, {
          tenantId,
          catalog,
          site,
          services,
          ...input,
          now: deps.now(),
        });
        if (!fresh && catalogVersion !== catalog.version) {
          catalogs.forget(tenantId);
          continue;
        }
        return {
          site,
          services,
          slots: slots.map((s) => ({
            start: new Date(s.start),
            end: new Date(s.end),
            capacity: s.seatCapacity,
            free: s.seatsFree,
            occupied: s.occupied,
          })),
        };
      }
      throw new Error('unreachable: the second look uses the current catalog');
    },

    async createAppointment(
      p: Principal | null,
      tenantId: string,
      input: CreateAppointmentInput,
    ): Promise<{ appointment: Appointment; replayed: boolean }> {
      // appointments:book: a customer who proved an address with a one-time code books, and writes nothing else.
      const principal = await access(p, tenantId, ['appointments:write', 'appointments:book']);
      const status = input.status ?? 'booked';
      if (status === 'booked' && !input.start && !input.holdId)
        throw invalidInput('A start time or a hold is required', [{ field: 'start', message: 'is required' }]);
      const id = input.id ?? deps.newId();
      const now = deps.now();
      const ownNotifications = input.notifications ? appointmentNotificationsOf(input.notifications, deps) : null;
      // The common case, a time and no hold, in one round trip; the general path below does the rest.
      if (status === 'booked' && !input.holdId && !ownNotifications && !input.spreadLoad) {
        const booked = await bookInOneStatement(principal, tenantId, input, id, now);
        if (booked) return booked;
      }
      try {
        return await db.transaction(async (tx) => {
          if (input.idempotency) {
            const earlier = await claimForCreate(tx, {
              tenantId,
              scope: 'appointment.create',
              ...input.idempotency,
              targetId: id,
              at: now,
            });
            if (earlier)
              return { appointment: (await appointments.getAppointment(tx, tenantId, earlier))!, replayed: true };
          }
          if (input.id && (await appointments.getAppointment(tx, tenantId, input.id)))
            throw conflict(`Appointment ${input.id} already exists`);
          const catalog = await catalogs.current(tx, tenantId);
          const services = loadServices(catalog, input.serviceIds);
          const hasLocation = Boolean(input.location.siteId || input.location.addressId || input.location.postalCode);
          const site = status === 'booked' || hasLocation ? resolveSite(catalog, input.location) : null;
          const { resourceId, start, end } =
            status === 'booked'
              ? await claimTime(tx, { tenantId, id, input, catalog, services, site: site!, now, principal })
              : { resourceId: null, start: null, end: null };
          const appointment = newAppointment(input, {
            tenantId,
            id,
            now,
            status,
            siteId: site?.id ?? null,
            resourceId,
            start,
            end,
            customerId: await saveCustomer(tx, deps, tenantId, input.customer, catalog.defaultPhoneCountry),
          });
          await appointments.insertAppointment(
            tx,
            appointment,
            Boolean(input.exclusiveExternalRef && input.externalRef),
          );
          // Before the event: the notifications consumer then takes this snapshot instead of the service's.
          if (ownNotifications) await putSnapshot(tx, tenantId, id, ownNotifications, now, 'keep');
          await outbox.recordEvent(tx, {
            type: 'appointment.created',
            actor: principal.subject,
            correlationId: principal.correlationId ?? null,
            at: now,
            previous: null,
            current: appointment,
          });
          deps.log.info({ tenantId, appointmentId: id, status, resourceId, start }, 'appointment created');
          return { appointment, replayed: false };
        });
      } catch (e) {
        const live = await liveWorkOrderConflict(db, e, tenantId, input.externalRef ?? null);
        if (live) throw live;
        if (isUniqueViolation(e)) throw conflict(`Appointment ${id} already exists`);
        throw e;
      }
    },

    async getAppointment(p: Principal | null, tenantId: string, id: string): Promise<Appointment> {
      const principal = await access(p, tenantId, ['appointments:read', 'appointments:own']);
      // A principal bound to one appointment learns nothing of the others, not even that they exist.
      if (!mayReadAppointment(principal, id)) throw notFound('Appointment', id);
      const a = await appointments.getAppointment(db, tenantId, id);
      if (!a) throw notFound('Appointment', id);
      return a;
    },

    async listAppointments(
      p: Principal | null,
      tenantId: string,
      input: ListAppointmentsInput = {},
    ): Promise<Page<Appointment>> {
      await access(p, tenantId, 'appointments:read');
      const { limit, offset } = pageBounds(input);
      const personalIdHash = input.customerPersonalId
        ? deps.hashPersonalId(personalIdKey(input.customerPersonalId))
        : undefined;
      const { items, total } = await appointments.listAppointments(db, tenantId, {
        ...input,
        limit,
        offset,
        personalIdHash,
      });
      return { items, total, limit, offset };
    },

    /**
     * One page of the appointment's events, oldest first (DEFAULT_HISTORY_PAGE unless asked, at most MAX_HISTORY_PAGE).
     */
    async getHistory(
      p: Principal | null,
      tenantId: string,
      id: string,
      page: { limit?: number; offset?: number } = {},
    ): Promise<Page<RecordedEvent>> {
      await access(p, tenantId, 'appointments:read');
      const { limit, offset } = historyBounds(page);
      const { items, total } = await listAppointmentEvents(db, tenantId, id, { limit, offset });
      if (total === 0) throw notFound('Appointment', id);
      return { items, total, limit, offset };
    },
  };
}
