import type { Queryable } from '../../db/database.ts';
import { tenantAccess } from '../access/tenant-access.ts';
import type { CatalogCache } from '../catalog/catalog.cache.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, idempotencyKeyReused, invalidInput, notFound } from '../errors.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Appointment, AppointmentEventType, Participant, Principal } from '../types.ts';
import { releaseAppointmentAllocations } from './allocation.repository.ts';
import * as appointments from './appointment.repository.ts';
import { loadServices, lockAppointment, siteOf } from './booking-inputs.loader.ts';
import { liveWorkOrderConflict } from './live-work-order.guard.ts';
import type { AppointmentChange, RescheduleInput, StatusChangeInput, UpdateAppointmentInput } from './booking.types.ts';
import { saveCustomer } from './customer.writer.ts';
import { convertHold } from './hold-conversion.ts';
import { claimIdempotencyKey, findIdempotencyKey } from './idempotency.repository.ts';
import { toNotes } from './notes.mapper.ts';
import { allocateSlot } from './slot-allocator.ts';
import { canTransition, CAPACITY_STATUSES, MOVABLE_STATUSES } from './state-machine.ts';
import { assertStorable } from '../limits.ts';

export type AppointmentChangeService = ReturnType<typeof createAppointmentChangeService>;

/** One change of an appointment: the event it is recorded as, and how it turns the old state into the new one. */
interface Step {
  type: AppointmentEventType;
  apply(tx: Queryable, a: Appointment, principal: Principal): Promise<Appointment>;
}

/** Idempotency keys of changes live in their own scope: a create's key never answers a change. */
const CHANGE_SCOPE = 'appointment.change';
type Idempotency = { key: string; fingerprint: string };

/** An earlier use of a key for a change: the same request (true), or another one (409). */
function sameRequest(earlier: { fingerprint: string; targetId: string }, id: string, idempotency: Idempotency): true {
  if (earlier.fingerprint !== idempotency.fingerprint || earlier.targetId !== id) throw idempotencyKeyReused();
  return true;
}

/** Participants one appointment may have: a bound on what a client can make us store. */
export const MAX_PARTICIPANTS = 100;
const tooManyParticipants = () =>
  invalidInput(`An appointment has at most ${MAX_PARTICIPANTS} participants`, [
    { field: 'participants', message: 'too many' },
  ]);

const immovable = (a: Appointment, verb: string) =>
  invalidInput(`A ${a.status} appointment cannot be ${verb}`, [{ field: 'status', message: a.status }]);

/**
 * Every change of an existing appointment: update, reschedule (to a time, or onto a hold),
 * reassign, status, participants, or several of them at once. Each runs in one transaction that
 * locks the row, checks the expected version, re-checks availability where time is taken, and
 * writes the new state with one event per step (recorded by the outbox).
 */
export function createAppointmentChangeService(deps: CoreDeps, outbox: Outbox, catalogs: CatalogCache) {
  const { db } = deps;
  const access = tenantAccess(db);

  const updateStep = (input: Omit<UpdateAppointmentInput, 'expectedVersion'>): Step => ({
    type: 'appointment.updated',
    async apply(tx, a) {
      const notes = [...a.notes, ...toNotes(input.notesToAdd, deps.now())];
      const attributes = { ...a.attributes, ...input.attributes };
      // Only the step that adds notes or fields is bounded: an appointment stored before the limits can still be moved
      // or cancelled.
      if (input.attributes || input.notesToAdd?.length) assertStorable({ attributes, notes });
      if (input.participants && input.participants.length > MAX_PARTICIPANTS) throw tooManyParticipants();
      return {
        ...a,
        notes,
        attributes,
        participants: input.participants ?? a.participants,
        externalRef: input.externalRef === undefined ? a.externalRef : input.externalRef,
        customerId: input.customer
          ? await saveCustomer(
              tx,
              deps,
              a.tenantId,
              { id: a.customerId ?? undefined, ...input.customer },
              (await catalogs.current(tx, a.tenantId)).defaultPhoneCountry,
            )
          : a.customerId,
      };
    },
  });

  const rescheduleStep = (input: Omit<RescheduleInput, 'expectedVersion'>): Step => ({
    type: 'appointment.rescheduled',
    async apply(tx, a) {
      if (!MOVABLE_STATUSES.has(a.status)) throw immovable(a, 'rescheduled');
      const catalog = await catalogs.current(tx, a.tenantId);
      const site = siteOf(catalog, a, input.location);
      const services = loadServices(catalog, a.serviceIds);
      await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      const { resourceId, slot } = await allocateSlot(
        tx,
        {
          tenantId: a.tenantId,
          catalog,
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
      return {
        ...a,
        status: 'booked',
        siteId: site.id,
        resourceId,
        start: new Date(slot.start),
        end: new Date(slot.end),
        cancelReason: null,
      };
    },
  });

  /**
   * The hold's time, resource and site replace the appointment's: its old time is freed and the hold's taken over at
   * once. With `takeServices`, so do the hold's services (a visit rebooked with other services); otherwise a hold for
   * other services is refused.
   */
  const rescheduleOntoHoldStep = (holdId: string, takeServices: boolean): Step => ({
    type: 'appointment.rescheduled',
    async apply(tx, a, principal) {
      if (!MOVABLE_STATUSES.has(a.status)) throw immovable(a, 'rescheduled');
      await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      const hold = await convertHold(
        tx,
        outbox,
        { tenantId: a.tenantId, holdId, appointmentId: a.id, now: deps.now(), principal },
        (h) => {
          if (!takeServices && h.serviceIds.join() !== a.serviceIds.join())
            throw invalidInput('The hold was taken for other services', [
              { field: 'holdId', message: 'does not match' },
            ]);
        },
      );
      return {
        ...a,
        status: 'booked',
        serviceIds: takeServices ? hold.serviceIds : a.serviceIds,
        siteId: hold.siteId,
        resourceId: hold.resourceId,
        start: hold.start,
        end: hold.end,
        cancelReason: null,
      };
    },
  });

  const reassignStep = (resourceId: string): Step => ({
    type: 'appointment.reassigned',
    async apply(tx, a) {
      if (!CAPACITY_STATUSES.has(a.status) || !a.start) throw immovable(a, 'reassigned');
      const catalog = await catalogs.current(tx, a.tenantId);
      const site = siteOf(catalog, a);
      const services = loadServices(catalog, a.serviceIds);
      await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      // Same time, so notice and horizon were settled when it was booked.
      const allocated = await allocateSlot(
        tx,
        {
          tenantId: a.tenantId,
          catalog,
          site,
          services,
          start: a.start,
          now: deps.now(),
          resourceId,
          owner: { appointmentId: a.id },
          enforceBookingRules: false,
        },
        deps.newId,
      );
      return { ...a, resourceId: allocated.resourceId };
    },
  });

  const statusStep = (input: Omit<StatusChangeInput, 'expectedVersion'>): Step => ({
    type: 'appointment.status_changed',
    async apply(tx, a, principal) {
      if (!canTransition(a.status, input.to))
        throw invalidInput(`An appointment cannot go from ${a.status} to ${input.to}`, [
          { field: 'status', message: `illegal transition ${a.status} -> ${input.to}` },
        ]);
      if (input.to === 'booked') {
        if (!a.start)
          throw invalidInput('A requested appointment is booked by giving it a time (reschedule)', [
            { field: 'start', message: 'is required' },
          ]);
        return { ...(await rescheduleStep({ start: a.start }).apply(tx, a, principal)), cancelReason: null };
      }
      if (!CAPACITY_STATUSES.has(input.to)) await releaseAppointmentAllocations(tx, a.tenantId, a.id);
      return {
        ...a,
        status: input.to,
        cancelReason: input.to === 'cancelled' ? (input.reason ?? null) : a.cancelReason,
      };
    },
  });

  const addParticipantStep = (participant: Participant): Step => ({
    type: 'appointment.participant_added',
    async apply(_tx, a) {
      if (a.participants.some((x) => x.id === participant.id))
        throw conflict(`${participant.id} already takes part in appointment ${a.id}`);
      if (a.participants.length >= MAX_PARTICIPANTS) throw tooManyParticipants();
      return { ...a, participants: [...a.participants, participant] };
    },
  });

  const removeParticipantStep = (participantId: string): Step => ({
    type: 'appointment.participant_removed',
    async apply(_tx, a) {
      if (!a.participants.some((x) => x.id === participantId)) throw notFound('Participant', participantId);
      return { ...a, participants: a.participants.filter((x) => x.id !== participantId) };
    },
  });

  const stepOf = (c: AppointmentChange): Step =>
    c.kind === 'update'
      ? updateStep(c)
      : c.kind === 'reschedule'
        ? rescheduleStep(c)
        : c.kind === 'reassign'
          ? reassignStep(c.resourceId)
          : statusStep(c);

  /** Locks, checks the version, applies the steps in order, each stored with its event: one transaction. */
  async function run(
    p: Principal | null,
    tenantId: string,
    id: string,
    expectedVersion: number | undefined,
    steps: Step[],
    idempotency?: Idempotency,
  ): Promise<Appointment> {
    const principal = await access(p, tenantId, 'appointments:write');
    // The reference last written: a change of work order or a reopening may meet its live appointment.
    let externalRef: string | null = null;
    try {
      return await db.transaction(async (tx) => {
        if (idempotency) {
          // Claimed first: a concurrent retry waits here, then finds the claim and changes nothing.
          const earlier = await claimIdempotencyKey(tx, {
            tenantId,
            scope: CHANGE_SCOPE,
            ...idempotency,
            targetId: id,
            at: deps.now(),
          });
          if (earlier && sameRequest(earlier, id, idempotency)) {
            const a = await appointments.getAppointment(tx, tenantId, id);
            if (!a) throw notFound('Appointment', id);
            return a;
          }
        }
        let a = await lockAppointment(tx, tenantId, id, expectedVersion);
        for (const step of steps) {
          const next = await step.apply(tx, a, principal);
          const current = { ...next, version: a.version + 1, updatedAt: deps.now() };
          externalRef = current.externalRef;
          await appointments.updateAppointment(tx, current);
          await outbox.recordEvent(tx, {
            type: step.type,
            actor: principal.subject,
            correlationId: principal.correlationId ?? null,
            at: current.updatedAt,
            previous: a,
            current,
          });
          a = current;
        }
        return a;
      });
    } catch (e) {
      throw (await liveWorkOrderConflict(db, e, tenantId, externalRef)) ?? e;
    }
  }

  return {
    updateAppointment: (p: Principal | null, tenantId: string, id: string, input: UpdateAppointmentInput) =>
      run(p, tenantId, id, input.expectedVersion, [updateStep(input)]),

    /**
     * Same id, new time (and possibly place), re-checked; a requested, cancelled or no-show appointment becomes booked.
     */
    rescheduleAppointment: (p: Principal | null, tenantId: string, id: string, input: RescheduleInput) =>
      run(p, tenantId, id, input.expectedVersion, [rescheduleStep(input)]),

    /**
     * Same id, the time, resource and site of a live hold taken for the same services (or, with
     * `takeServices`, for any services, which the appointment then takes): the hold is converted and
     * the appointment's old time freed, atomically, with one `appointment.rescheduled`.
     */
    rescheduleOntoHold: (
      p: Principal | null,
      tenantId: string,
      id: string,
      input: { holdId: string; expectedVersion?: number; takeServices?: boolean },
    ) =>
      run(p, tenantId, id, input.expectedVersion, [rescheduleOntoHoldStep(input.holdId, input.takeServices ?? false)]),

    /** Same time, another resource (which must be free and eligible). */
    reassignAppointment: (
      p: Principal | null,
      tenantId: string,
      id: string,
      input: { resourceId: string; expectedVersion?: number },
    ) => run(p, tenantId, id, input.expectedVersion, [reassignStep(input.resourceId)]),

    /**
     * Cancel, start, complete, no-show, reopen: one state machine. Leaving a capacity status frees the time; reopening
     * re-checks it.
     */
    changeStatus: (p: Principal | null, tenantId: string, id: string, input: StatusChangeInput) =>
      run(p, tenantId, id, input.expectedVersion, [statusStep(input)]),

    /** Adds a participant (identified by its id within the appointment; a second one with that id is a conflict). */
    addParticipant: (
      p: Principal | null,
      tenantId: string,
      id: string,
      input: { participant: Participant; expectedVersion?: number },
    ) => run(p, tenantId, id, input.expectedVersion, [addParticipantStep(input.participant)]),

    /** Removes the participant with this id (not found when it takes no part). */
    removeParticipant: (
      p: Principal | null,
      tenantId: string,
      id: string,
      input: { participantId: string; expectedVersion?: number },
    ) => run(p, tenantId, id, input.expectedVersion, [removeParticipantStep(input.participantId)]),

    /** Several changes (e.g. move, then change status, then add notes) as one transaction: all or nothing. */
    changeAppointment: (
      p: Principal | null,
      tenantId: string,
      id: string,
      input: { expectedVersion?: number; changes: AppointmentChange[]; idempotency?: Idempotency },
    ) => run(p, tenantId, id, input.expectedVersion, input.changes.map(stepOf), input.idempotency),

    /**
     * A change already made under this Idempotency-Key: the appointment as it is now (same request),
     * a conflict (another request under that key), or null (the key is new). Lets a facade answer a
     * retry before planning the change again against the changed appointment.
     */
    async replayedChange(
      p: Principal | null,
      tenantId: string,
      id: string,
      idempotency: Idempotency,
    ): Promise<Appointment | null> {
      await access(p, tenantId, 'appointments:write');
      const earlier = await findIdempotencyKey(db, { tenantId, scope: CHANGE_SCOPE, key: idempotency.key });
      if (!earlier || !sameRequest(earlier, id, idempotency)) return null;
      const a = await appointments.getAppointment(db, tenantId, id);
      if (!a) throw notFound('Appointment', id);
      return a;
    },
  };
}
