import type { Queryable } from '../../db/database.ts';
import type { CoreDeps } from '../deps.ts';
import { invalidInput } from '../errors.ts';
import type { Appointment, AppointmentEventType, Principal } from '../types.ts';
import { releaseAppointmentAllocations } from './allocation.repository.ts';
import * as appointments from './appointment.repository.ts';
import type { BookingSupport } from './booking.support.ts';
import type { AppointmentChange, RescheduleInput, StatusChangeInput, UpdateAppointmentInput } from './booking.types.ts';
import { allocateSlot } from './slot-allocator.ts';
import { canTransition } from './state-machine.ts';

export type AppointmentChangeService = ReturnType<typeof createAppointmentChangeService>;

/** One change of an appointment: the event it is recorded as, and how it turns the old state into the new one. */
interface Step {
  type: AppointmentEventType;
  apply(tx: Queryable, a: Appointment): Promise<Appointment>;
}

/** Statuses an appointment can be moved from; moving a cancelled or no-show one reopens it at the new time. */
const MOVABLE = new Set(['requested', 'booked', 'cancelled', 'no_show']);

/**
 * Every change of an existing appointment: update, reschedule, reassign, status, or several of
 * them at once. Each runs in one transaction that locks the row, checks the expected version,
 * re-checks availability where time is taken, and writes the new state with one event per step.
 */
export function createAppointmentChangeService(deps: CoreDeps, support: BookingSupport) {
  const { db } = deps;
  const { loadServices, saveCustomer, siteOf, toNotes } = support;

  const updateStep = (input: Omit<UpdateAppointmentInput, 'expectedVersion'>): Step => ({
    type: 'appointment.updated',
    apply: async (tx, a) => ({
      ...a,
      notes: [...a.notes, ...toNotes(input.notesToAdd)],
      attributes: { ...a.attributes, ...input.attributes },
      participants: input.participants ?? a.participants,
      externalRef: input.externalRef === undefined ? a.externalRef : input.externalRef,
      customerId: input.customer ? await saveCustomer(tx, a.tenantId, { id: a.customerId ?? undefined, ...input.customer }) : a.customerId,
    }),
  });

  const rescheduleStep = (input: Omit<RescheduleInput, 'expectedVersion'>): Step => ({
    type: 'appointment.rescheduled',
    async apply(tx, a) {
      if (!MOVABLE.has(a.status)) throw invalidInput(`A ${a.status} appointment cannot be rescheduled`, [{ field: 'status', message: a.status }]);
      const site = await siteOf(tx, a, input.location);
      const services = await loadServices(tx, a.tenantId, a.serviceIds);
      await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      const { resourceId, slot } = await allocateSlot(
        tx,
        {
          tenantId: a.tenantId,
          site,
          services,
          start: input.start,
          end: input.end,
          now: deps.now(),
          resourceId: input.resourceId,
          preferResourceId: a.resourceId,
          owner: { appointmentId: a.id },
          enforceBookingRules: true,
        },
        deps.newId,
      );
      return { ...a, status: 'booked', siteId: site.id, resourceId, start: new Date(slot.start), end: new Date(slot.end), cancelReason: null };
    },
  });

  const reassignStep = (resourceId: string): Step => ({
    type: 'appointment.reassigned',
    async apply(tx, a) {
      if ((a.status !== 'booked' && a.status !== 'in_progress') || !a.start)
        throw invalidInput(`A ${a.status} appointment cannot be reassigned`, [{ field: 'status', message: a.status }]);
      const site = await siteOf(tx, a);
      const services = await loadServices(tx, a.tenantId, a.serviceIds);
      await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      // Same time, so notice and horizon were settled when it was booked.
      const allocated = await allocateSlot(
        tx,
        { tenantId: a.tenantId, site, services, start: a.start, now: deps.now(), resourceId, owner: { appointmentId: a.id }, enforceBookingRules: false },
        deps.newId,
      );
      return { ...a, resourceId: allocated.resourceId };
    },
  });

  const statusStep = (input: Omit<StatusChangeInput, 'expectedVersion'>): Step => ({
    type: 'appointment.status_changed',
    async apply(tx, a) {
      if (!canTransition(a.status, input.to))
        throw invalidInput(`An appointment cannot go from ${a.status} to ${input.to}`, [{ field: 'status', message: `illegal transition ${a.status} -> ${input.to}` }]);
      if (input.to === 'booked') {
        if (!a.start) throw invalidInput('A requested appointment is booked by giving it a time (reschedule)', [{ field: 'start', message: 'is required' }]);
        return { ...(await rescheduleStep({ start: a.start }).apply(tx, a)), cancelReason: null };
      }
      if (input.to === 'cancelled' || input.to === 'completed' || input.to === 'no_show') await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      return { ...a, status: input.to, cancelReason: input.to === 'cancelled' ? (input.reason ?? null) : a.cancelReason };
    },
  });

  const stepOf = (c: AppointmentChange): Step =>
    c.kind === 'update' ? updateStep(c) : c.kind === 'reschedule' ? rescheduleStep(c) : c.kind === 'reassign' ? reassignStep(c.resourceId) : statusStep(c);

  /** Locks, checks the version, applies the steps in order, each stored with its event: one transaction. */
  async function run(p: Principal | null, tenantId: string, id: string, expectedVersion: number | undefined, steps: Step[]): Promise<Appointment> {
    const principal = await support.access(p, tenantId, 'appointments:write');
    return db.transaction(async (tx) => {
      let a = await support.lockAppointment(tx, tenantId, id, expectedVersion);
      for (const step of steps) {
        const next = await step.apply(tx, a);
        const current = { ...next, version: a.version + 1, updatedAt: deps.now() };
        await appointments.updateAppointment(tx, current);
        await appointments.appendEvent(tx, { type: step.type, actor: principal.subject, at: current.updatedAt, previous: a, current });
        a = current;
      }
      return a;
    });
  }

  return {
    updateAppointment: (p: Principal | null, tenantId: string, id: string, input: UpdateAppointmentInput) =>
      run(p, tenantId, id, input.expectedVersion, [updateStep(input)]),

    /** Same id, new time (and possibly place), re-checked; a requested, cancelled or no-show appointment becomes booked. */
    rescheduleAppointment: (p: Principal | null, tenantId: string, id: string, input: RescheduleInput) =>
      run(p, tenantId, id, input.expectedVersion, [rescheduleStep(input)]),

    /** Same time, another resource (which must be free and eligible). */
    reassignAppointment: (p: Principal | null, tenantId: string, id: string, input: { resourceId: string; expectedVersion?: number }) =>
      run(p, tenantId, id, input.expectedVersion, [reassignStep(input.resourceId)]),

    /** Cancel, start, complete, no-show, reopen: one state machine. Leaving a capacity status frees the time; reopening re-checks it. */
    changeStatus: (p: Principal | null, tenantId: string, id: string, input: StatusChangeInput) =>
      run(p, tenantId, id, input.expectedVersion, [statusStep(input)]),

    /** Several changes (e.g. move, then change status, then add notes) as one transaction: all or nothing. */
    changeAppointment: (p: Principal | null, tenantId: string, id: string, input: { expectedVersion?: number; changes: AppointmentChange[] }) =>
      run(p, tenantId, id, input.expectedVersion, input.changes.map(stepOf)),
  };
}
