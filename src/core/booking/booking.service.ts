import type { Queryable } from '../../db/database.ts';
import { requireAccess } from '../access/access.ts';
import { computeSlots } from '../availability/availability.service.ts';
import { getServices } from '../catalog/service.repository.ts';
import { getSite, listServiceAreaSites } from '../catalog/site.repository.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Appointment, AppointmentEvent, AppointmentEventType, CustomerInput, Page, Principal, Service, Site } from '../types.ts';
import { releaseAppointmentAllocations, transferHoldAllocation } from './allocation.repository.ts';
import * as appointments from './appointment.repository.ts';
import type {
  CreateAppointmentInput,
  ListAppointmentsInput,
  LocationInput,
  NoteInput,
  RescheduleInput,
  SlotSearchInput,
  SlotSearchResult,
  StatusChangeInput,
  UpdateAppointmentInput,
} from './booking.types.ts';
import { findCustomerIdByPersonalId, upsertCustomer } from './customer.repository.ts';
import { getHold, setHoldState } from './hold.repository.ts';
import { claimIdempotencyKey } from './idempotency.repository.ts';
import { allocateSlot } from './slot-allocator.ts';
import { canTransition } from './state-machine.ts';
import { pageBounds } from '../paging.ts';

const DAY_MS = 86_400_000;
const MAX_SEARCH_DAYS = 366;

export type BookingService = ReturnType<typeof createBookingService>;

/** Postgres unique violation: two requests created the same id at once. */
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

export function createBookingService(deps: CoreDeps) {
  const { db } = deps;

  async function loadServices(q: Queryable, tenantId: string, serviceIds: string[]): Promise<Service[]> {
    if (serviceIds.length === 0) throw invalidInput('At least one service is required', [{ field: 'serviceIds', message: 'is empty' }]);
    const found = await getServices(q, tenantId, serviceIds);
    const byId = new Map(found.map((s) => [s.id, s]));
    const missing = serviceIds.filter((id) => !byId.has(id));
    if (missing.length) throw invalidInput(`Unknown service ${missing.join(', ')}`, [{ field: 'serviceIds', message: `unknown ${missing.join(', ')}` }]);
    return serviceIds.map((id) => byId.get(id)!);
  }

  /** A site by id, or the territory whose service area holds the address (longest address-id prefix first, then postal code). */
  async function resolveSite(q: Queryable, tenantId: string, loc: LocationInput): Promise<Site> {
    if (loc.siteId) {
      const site = await getSite(q, tenantId, loc.siteId);
      if (!site) throw invalidInput(`Unknown site ${loc.siteId}`, [{ field: 'siteId', message: 'unknown' }]);
      return site;
    }
    if (!loc.addressId && !loc.postalCode) throw invalidInput('A site or an address is required', [{ field: 'location', message: 'missing' }]);
    const areas = await listServiceAreaSites(q, tenantId);
    const compact = (s: string) => s.replace(/\s+/g, '');
    if (loc.addressId) {
      const id = compact(loc.addressId);
      let best: { site: Site; len: number } | null = null;
      for (const site of areas)
        for (const prefix of site.serviceArea!.addressPrefixes)
          if (id.startsWith(compact(prefix)) && (!best || prefix.length > best.len)) best = { site, len: prefix.length };
      if (best) return best.site;
    }
    if (loc.postalCode) {
      const site = areas.find((s) => s.serviceArea!.postalCodes.includes(loc.postalCode!.trim()));
      if (site) return site;
    }
    throw invalidInput('No site serves this address', [{ field: 'location', message: 'not in any service area' }]);
  }

  async function saveCustomer(q: Queryable, tenantId: string, c: CustomerInput | undefined): Promise<string | null> {
    if (!c) return null;
    const hash = c.personalId ? deps.hashPersonalId(c.personalId.trim().toUpperCase()) : c.personalId === null ? null : undefined;
    const id = c.id ?? (hash ? await findCustomerIdByPersonalId(q, tenantId, hash) : null) ?? deps.newId();
    await upsertCustomer(q, { tenantId, id, name: c.name, email: c.email, phone: c.phone, language: c.language, personalIdHash: hash }, deps.now());
    return id;
  }

  const toNotes = (notes: NoteInput[] | undefined) =>
    (notes ?? []).map((n) => ({ author: n.author ?? null, date: n.date ?? deps.now(), text: n.text }));

  async function lockAppointment(tx: Queryable, tenantId: string, id: string, expectedVersion?: number): Promise<Appointment> {
    const a = await appointments.getAppointment(tx, tenantId, id, true);
    if (!a) throw notFound('Appointment', id);
    if (expectedVersion !== undefined && expectedVersion !== a.version)
      throw conflict(`Appointment ${id} was changed meanwhile (version ${a.version}, expected ${expectedVersion})`);
    return a;
  }

  /** Writes the new state and its event in the caller's transaction. */
  async function saveChange(tx: Queryable, p: Principal, type: AppointmentEventType, previous: Appointment, next: Appointment): Promise<Appointment> {
    const current = { ...next, version: previous.version + 1, updatedAt: deps.now() };
    await appointments.updateAppointment(tx, current);
    await appointments.appendEvent(tx, { type, actor: p.subject, at: current.updatedAt, previous, current });
    return current;
  }

  /** Locks, checks the version, applies `change`, stores it with its event: one transaction. */
  async function change(
    p: Principal | null,
    tenantId: string,
    id: string,
    expectedVersion: number | undefined,
    type: AppointmentEventType,
    apply: (tx: Queryable, a: Appointment) => Promise<Appointment>,
  ): Promise<Appointment> {
    const principal = requireAccess(p, tenantId, 'appointments:write');
    return db.transaction(async (tx) => {
      const previous = await lockAppointment(tx, tenantId, id, expectedVersion);
      return saveChange(tx, principal, type, previous, await apply(tx, previous));
    });
  }

  async function siteOf(tx: Queryable, a: Appointment, loc?: LocationInput): Promise<Site> {
    if (loc && (loc.siteId || loc.addressId || loc.postalCode)) return resolveSite(tx, a.tenantId, loc);
    if (!a.siteId) throw invalidInput('The appointment has no site: give a location', [{ field: 'location', message: 'missing' }]);
    return (await getSite(tx, a.tenantId, a.siteId))!;
  }

  return {
    resolveSite,
    loadServices,

    async searchSlots(p: Principal | null, tenantId: string, input: SlotSearchInput): Promise<SlotSearchResult> {
      requireAccess(p, tenantId, 'appointments:read');
      if (!(input.to.getTime() > input.from.getTime())) throw invalidInput('The period must end after it starts', [{ field: 'to', message: 'before from' }]);
      if (input.to.getTime() - input.from.getTime() > MAX_SEARCH_DAYS * DAY_MS)
        throw invalidInput(`The period may span at most ${MAX_SEARCH_DAYS} days`, [{ field: 'to', message: 'period too long' }]);
      const services = await loadServices(db, tenantId, input.serviceIds);
      const site = await resolveSite(db, tenantId, input.location);
      const { slots } = await computeSlots(db, { tenantId, site, services, ...input, now: deps.now() });
      return {
        site,
        services,
        slots: slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end), capacity: s.seatCapacity, free: s.seatsFree, occupied: s.occupied })),
      };
    },

    async createAppointment(p: Principal | null, tenantId: string, input: CreateAppointmentInput): Promise<{ appointment: Appointment; replayed: boolean }> {
      const principal = requireAccess(p, tenantId, 'appointments:write');
      const status = input.status ?? 'booked';
      if (status === 'booked' && !input.start && !input.holdId) throw invalidInput('A start time or a hold is required', [{ field: 'start', message: 'is required' }]);
      const id = input.id ?? deps.newId();
      const now = deps.now();
      try {
        return await db.transaction(async (tx) => {
          if (input.idempotency) {
            const earlier = await claimIdempotencyKey(tx, { tenantId, scope: 'appointment.create', ...input.idempotency, appointmentId: id, at: now });
            if (earlier) {
              if (earlier.fingerprint !== input.idempotency.fingerprint) throw conflict('This Idempotency-Key was used with a different request');
              return { appointment: (await appointments.getAppointment(tx, tenantId, earlier.appointmentId))!, replayed: true };
            }
          }
          if (input.id && (await appointments.getAppointment(tx, tenantId, input.id))) throw conflict(`Appointment ${input.id} already exists`);
          const services = await loadServices(tx, tenantId, input.serviceIds);
          const hasLocation = Boolean(input.location.siteId || input.location.addressId || input.location.postalCode);
          const site = status === 'booked' || hasLocation ? await resolveSite(tx, tenantId, input.location) : null;
          let resourceId: string | null = null;
          let start: Date | null = null;
          let end: Date | null = null;
          if (status === 'booked' && input.holdId) {
            const hold = await getHold(tx, tenantId, input.holdId, now, true);
            if (!hold) throw notFound('Hold', input.holdId);
            if (hold.status !== 'active') throw conflict(`Hold ${hold.id} is ${hold.status}`);
            if (hold.serviceIds.join() !== input.serviceIds.join() || (input.start && input.start.getTime() !== hold.start.getTime()))
              throw invalidInput('The hold was taken for other services or another time', [{ field: 'holdId', message: 'does not match' }]);
            await transferHoldAllocation(tx, tenantId, hold.id, id);
            await setHoldState(tx, tenantId, hold.id, { status: 'converted', appointmentId: id });
            ({ resourceId, start, end } = hold);
          } else if (status === 'booked') {
            const allocated = await allocateSlot(
              tx,
              { tenantId, site: site!, services, start: input.start!, end: input.end, now, resourceId: input.resourceId, owner: { appointmentId: id }, enforceBookingRules: true },
              deps.newId,
            );
            resourceId = allocated.resourceId;
            start = new Date(allocated.slot.start);
            end = new Date(allocated.slot.end);
          }
          const appointment: Appointment = {
            tenantId,
            id,
            serviceIds: input.serviceIds,
            siteId: site?.id ?? null,
            resourceId,
            status,
            start,
            end,
            requestedPeriod: input.requestedPeriod ?? null,
            customerId: await saveCustomer(tx, tenantId, input.customer),
            externalRef: input.externalRef ?? null,
            participants: input.participants ?? [],
            notes: toNotes(input.notes),
            attributes: input.attributes ?? {},
            cancelReason: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
          await appointments.insertAppointment(tx, appointment);
          await appointments.appendEvent(tx, { type: 'appointment.created', actor: principal.subject, at: now, previous: null, current: appointment });
          deps.log.info({ tenantId, appointmentId: id, status, resourceId, start }, 'appointment created');
          return { appointment, replayed: false };
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict(`Appointment ${id} already exists`);
        throw e;
      }
    },

    async getAppointment(p: Principal | null, tenantId: string, id: string): Promise<Appointment> {
      requireAccess(p, tenantId, 'appointments:read');
      const a = await appointments.getAppointment(db, tenantId, id);
      if (!a) throw notFound('Appointment', id);
      return a;
    },

    async listAppointments(p: Principal | null, tenantId: string, input: ListAppointmentsInput = {}): Promise<Page<Appointment>> {
      requireAccess(p, tenantId, 'appointments:read');
      const { limit, offset } = pageBounds(input);
      const personalIdHash = input.customerPersonalId ? deps.hashPersonalId(input.customerPersonalId.trim().toUpperCase()) : undefined;
      const { items, total } = await appointments.listAppointments(db, tenantId, { ...input, limit, offset, personalIdHash });
      return { items, total, limit, offset };
    },

    async updateAppointment(p: Principal | null, tenantId: string, id: string, input: UpdateAppointmentInput): Promise<Appointment> {
      return change(p, tenantId, id, input.expectedVersion, 'appointment.updated', async (tx, a) => ({
        ...a,
        notes: [...a.notes, ...toNotes(input.notesToAdd)],
        attributes: { ...a.attributes, ...input.attributes },
        participants: input.participants ?? a.participants,
        externalRef: input.externalRef === undefined ? a.externalRef : input.externalRef,
        customerId: input.customer ? await saveCustomer(tx, tenantId, { id: a.customerId ?? undefined, ...input.customer }) : a.customerId,
      }));
    },

    /** Same id, new time (and possibly place), re-checked; a `requested` appointment becomes `booked`. */
    async rescheduleAppointment(p: Principal | null, tenantId: string, id: string, input: RescheduleInput): Promise<Appointment> {
      return change(p, tenantId, id, input.expectedVersion, 'appointment.rescheduled', async (tx, a) => {
        if (a.status !== 'booked' && a.status !== 'requested')
          throw invalidInput(`A ${a.status} appointment cannot be rescheduled`, [{ field: 'status', message: a.status }]);
        const site = await siteOf(tx, a, input.location);
        const services = await loadServices(tx, tenantId, a.serviceIds);
        await releaseAppointmentAllocations(tx, tenantId, id);
        const allocated = await allocateSlot(
          tx,
          { tenantId, site, services, start: input.start, end: input.end, now: deps.now(), resourceId: input.resourceId, preferResourceId: a.resourceId, owner: { appointmentId: id }, enforceBookingRules: true },
          deps.newId,
        );
        return { ...a, status: 'booked', siteId: site.id, resourceId: allocated.resourceId, start: new Date(allocated.slot.start), end: new Date(allocated.slot.end) };
      });
    },

    /** Same time, another resource (which must be free and eligible). */
    async reassignAppointment(p: Principal | null, tenantId: string, id: string, input: { resourceId: string; expectedVersion?: number }): Promise<Appointment> {
      return change(p, tenantId, id, input.expectedVersion, 'appointment.reassigned', async (tx, a) => {
        if ((a.status !== 'booked' && a.status !== 'in_progress') || !a.start)
          throw invalidInput(`A ${a.status} appointment cannot be reassigned`, [{ field: 'status', message: a.status }]);
        const site = await siteOf(tx, a);
        const services = await loadServices(tx, tenantId, a.serviceIds);
        await releaseAppointmentAllocations(tx, tenantId, id);
        const allocated = await allocateSlot(
          tx,
          { tenantId, site, services, start: a.start, now: deps.now(), resourceId: input.resourceId, owner: { appointmentId: id }, enforceBookingRules: false },
          deps.newId,
        );
        return { ...a, resourceId: allocated.resourceId };
      });
    },

    /** Cancel, start, complete, no-show, reopen: one state machine. Leaving a capacity status frees the time; reopening re-checks it. */
    async changeStatus(p: Principal | null, tenantId: string, id: string, input: StatusChangeInput): Promise<Appointment> {
      return change(p, tenantId, id, input.expectedVersion, 'appointment.status_changed', async (tx, a) => {
        if (!canTransition(a.status, input.to))
          throw invalidInput(`An appointment cannot go from ${a.status} to ${input.to}`, [{ field: 'status', message: `illegal transition ${a.status} -> ${input.to}` }]);
        if (input.to === 'booked') {
          if (!a.start) throw invalidInput('A requested appointment is booked by giving it a time (reschedule)', [{ field: 'start', message: 'is required' }]);
          const site = await siteOf(tx, a);
          const services = await loadServices(tx, tenantId, a.serviceIds);
          const allocated = await allocateSlot(
            tx,
            { tenantId, site, services, start: a.start, now: deps.now(), preferResourceId: a.resourceId, owner: { appointmentId: id }, enforceBookingRules: true },
            deps.newId,
          );
          return { ...a, status: 'booked', resourceId: allocated.resourceId, cancelReason: null };
        }
        if (input.to === 'cancelled' || input.to === 'completed' || input.to === 'no_show') await releaseAppointmentAllocations(tx, tenantId, id);
        return { ...a, status: input.to, cancelReason: input.to === 'cancelled' ? (input.reason ?? null) : a.cancelReason };
      });
    },

    async getHistory(p: Principal | null, tenantId: string, id: string): Promise<AppointmentEvent[]> {
      requireAccess(p, tenantId, 'appointments:read');
      const events = await appointments.listEvents(db, tenantId, id);
      if (events.length === 0) throw notFound('Appointment', id);
      return events;
    },
  };
}

