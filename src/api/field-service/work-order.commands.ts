/**
 * The operations of these APIs addressed by work order instead of id, and the PATCH / PUT that
 * move, change state and append notes at once. Every rule is checked first (change-plan.ts); the
 * change itself is one core use case (changeAppointment), so it is all or nothing.
 */
import type { AppointmentChange, CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import type { Core } from '../../core/core.ts';
import { conflict, IDEMPOTENCY_KEY_REUSED, isCoreError, notFound } from '../../core/errors.ts';
import { LIVE_STATUSES as LIVE } from '../../core/booking/state-machine.ts';
import type { Appointment, Principal } from '../../core/types.ts';
import { planChange, type ChangePlan, type ChangeRequest } from './change-plan.ts';
import type { SearchPlan } from './slots.mapper.ts';
import { locationOf } from './tmf-view.ts';

type Caller = Principal | null;
type Idempotency = { key: string; fingerprint: string };

const liveConflict = (workOrderId: string, id: string) =>
  conflict(`Work order ${workOrderId} already has the live appointment ${id}`);

export type WorkOrderCommands = ReturnType<typeof createWorkOrderCommands>;

export interface BookWorkOrder {
  /** The create input (with its Idempotency-Key, if any). */
  create: () => CreateAppointmentInput;
  /** The change that gives the work order's waiting task this window. */
  convert: (task: Appointment) => ChangeRequest;
  /** Whether the request asks for exactly what the work order's live appointment already is (a retry). */
  repeats: (live: Appointment) => boolean;
}

export function createWorkOrderCommands(core: Pick<Core, 'booking'>) {
  const { booking } = core;

  async function byId(p: Caller, tenantId: string, id: string): Promise<Appointment | null> {
    try {
      return await booking.getAppointment(p, tenantId, id);
    } catch (e) {
      if (isCoreError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /**
   * The work order's appointment. The Extension API uses the work order as the id, so the
   * appointment of that id comes first when it is live; then the live one of that reference
   * (externalId); then the one of that id, else the latest of that reference.
   */
  async function findByWorkOrder(p: Caller, tenantId: string, workOrderId: string): Promise<Appointment | null> {
    const own = await byId(p, tenantId, workOrderId);
    if (own && LIVE.has(own.status)) return own;
    const byRef = await booking.findByExternalRef(p, tenantId, workOrderId);
    return (byRef && LIVE.has(byRef.status) ? byRef : null) ?? own ?? byRef;
  }

  /**
   * A create with an Idempotency-Key for a work order that is already booked. A retry of a create
   * is the core's to answer (the same appointment, or 409 for another request under that key). A
   * retry of a task's conversion, which the core did not record under the key, is answered when it
   * asks for exactly what the work order already has; anything else is the work order's 409.
   */
  async function retryOnLive(
    p: Caller,
    tenantId: string,
    workOrderId: string,
    live: Appointment,
    input: CreateAppointmentInput,
    repeats: BookWorkOrder['repeats'],
  ): Promise<Appointment> {
    try {
      return (await booking.createAppointment(p, tenantId, input)).appointment;
    } catch (e) {
      if (!isCoreError(e) || e.code !== 'CONFLICT' || e.reason === IDEMPOTENCY_KEY_REUSED) throw e;
    }
    if (repeats(live)) return live;
    throw liveConflict(workOrderId, live.id);
  }

  /** The plan as one core change: one transaction, refused with 409 if the appointment changed since it was read. */
  async function apply(
    p: Caller,
    tenantId: string,
    current: Appointment,
    plan: ChangePlan,
    view: ChangeRequest['view'],
    idempotency?: Idempotency,
  ): Promise<Appointment> {
    const changes: AppointmentChange[] = [];
    // Moving a cancelled or no-show appointment reopens it at the new time: no separate reopen first.
    if (plan.status && plan.statusFirst && !plan.reschedule) changes.push({ kind: 'status', to: plan.status });
    if (plan.reschedule) {
      const location = locationOf(view);
      changes.push({
        kind: 'reschedule',
        start: plan.reschedule.start,
        end: plan.reschedule.end,
        ...(location.addressId || location.postalCode ? { location } : {}),
      });
    }
    if (plan.status && !plan.statusFirst) changes.push({ kind: 'status', to: plan.status });
    if (plan.update) changes.push({ kind: 'update', ...plan.update });
    // With a key, even "nothing to change" goes to the core: the key is recorded for this request.
    if (changes.length === 0 && !idempotency) return current;
    return booking.changeAppointment(p, tenantId, current.id, {
      expectedVersion: current.version,
      changes,
      ...(idempotency ? { idempotency } : {}),
    });
  }

  async function change(
    p: Caller,
    tenantId: string,
    current: Appointment,
    request: ChangeRequest,
  ): Promise<Appointment> {
    return apply(p, tenantId, current, planChange(current, request), request.view);
  }

  return {
    findByWorkOrder,

    /**
     * PATCH /appointments/{id}; with an Idempotency-Key a retry answers the appointment again (checked before planning
     * anew).
     */
    async changeAppointment(
      p: Caller,
      tenantId: string,
      id: string,
      request: (current: Appointment) => ChangeRequest,
      idempotency?: Idempotency,
    ): Promise<Appointment> {
      if (idempotency) {
        const replayed = await booking.replayedChange(p, tenantId, id, idempotency);
        if (replayed) return replayed;
      }
      const current = await booking.getAppointment(p, tenantId, id);
      const r = request(current);
      return apply(p, tenantId, current, planChange(current, r), r.view, idempotency);
    },

    /** PUT ext/appointments: the work order's appointment, or 404. */
    async changeWorkOrder(
      p: Caller,
      tenantId: string,
      workOrderId: string,
      request: (current: Appointment) => ChangeRequest,
    ): Promise<Appointment> {
      const current = await findByWorkOrder(p, tenantId, workOrderId);
      if (!current) throw notFound('Work order', workOrderId);
      return change(p, tenantId, current, request(current));
    },

    /**
     * POST ext/appointments: a new appointment, or the work order's waiting task given its time;
     * 409 when it already has a live one (the core refuses a second one inside the create, race-free;
     * this read only says it in the work order's words and answers retries).
     */
    async bookWorkOrder(p: Caller, tenantId: string, workOrderId: string, o: BookWorkOrder): Promise<Appointment> {
      const current = await findByWorkOrder(p, tenantId, workOrderId);
      if (current?.status === 'requested') return change(p, tenantId, current, o.convert(current));
      const input = o.create();
      if (current && LIVE.has(current.status)) {
        if (input.idempotency) return retryOnLive(p, tenantId, workOrderId, current, input, o.repeats);
        throw liveConflict(workOrderId, current.id);
      }
      return (await booking.createAppointment(p, tenantId, input)).appointment;
    },

    /**
     * Windows for a work order: moving its live appointment (MODIFICARCITA) counts that appointment's place as free.
     */
    async searchForWorkOrder<T extends { plan: SearchPlan }>(
      p: Caller,
      tenantId: string,
      workOrderId: string | null,
      prepare: (live: Appointment | null) => T,
    ) {
      const found = workOrderId ? await findByWorkOrder(p, tenantId, workOrderId) : null;
      const live = found && LIVE.has(found.status) ? found : null;
      const prepared = prepare(live);
      return { ...prepared, live, result: await booking.searchSlots(p, tenantId, prepared.plan.input) };
    },
  };
}
