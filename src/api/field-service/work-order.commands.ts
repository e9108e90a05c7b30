/**
 * The operations of these APIs addressed by work order instead of id, and the PATCH / PUT that
 * move, change state and append notes at once. Every rule is checked first (change-plan.ts); the
 * change itself is one core use case (changeAppointment), so it is all or nothing.
 */
import type { AppointmentChange, CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import type { Core } from '../../core/core.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { Appointment, AppointmentStatus, Principal } from '../../core/types.ts';
import { planChange, type ChangePlan, type ChangeRequest } from './change-plan.ts';
import type { SearchPlan } from './slots.mapper.ts';
import { locationOf } from './tmf-view.ts';

type Caller = Principal | null;

const ACTIVE: ReadonlySet<AppointmentStatus> = new Set(['requested', 'booked', 'in_progress']);

export type WorkOrderCommands = ReturnType<typeof createWorkOrderCommands>;

export function createWorkOrderCommands(core: Pick<Core, 'booking'>) {
  const { booking } = core;

  /** The work order's appointment: the live one, else the latest. */
  async function findByWorkOrder(p: Caller, tenantId: string, workOrderId: string): Promise<Appointment | null> {
    const page = await booking.listAppointments(p, tenantId, { externalRef: workOrderId, sort: 'createdAt', order: 'desc', limit: 50 });
    return page.items.find((a) => ACTIVE.has(a.status)) ?? page.items[0] ?? null;
  }

  /** The plan as one core change: one transaction, refused with 409 if the appointment changed since it was read. */
  async function apply(p: Caller, tenantId: string, current: Appointment, plan: ChangePlan, view: ChangeRequest['view']): Promise<Appointment> {
    const changes: AppointmentChange[] = [];
    // Moving a cancelled or no-show appointment reopens it at the new time: no separate reopen first.
    if (plan.status && plan.statusFirst && !plan.reschedule) changes.push({ kind: 'status', to: plan.status });
    if (plan.reschedule) {
      const location = locationOf(view);
      changes.push({ kind: 'reschedule', start: plan.reschedule.start, end: plan.reschedule.end, ...(location.addressId || location.postalCode ? { location } : {}) });
    }
    if (plan.status && !plan.statusFirst) changes.push({ kind: 'status', to: plan.status });
    if (plan.update) changes.push({ kind: 'update', ...plan.update });
    if (changes.length === 0) return current;
    return booking.changeAppointment(p, tenantId, current.id, { expectedVersion: current.version, changes });
  }

  async function change(p: Caller, tenantId: string, current: Appointment, request: ChangeRequest): Promise<Appointment> {
    return apply(p, tenantId, current, planChange(current, request), request.view);
  }

  return {
    findByWorkOrder,

    /** PATCH /appointments/{id}. */
    async changeAppointment(p: Caller, tenantId: string, id: string, request: (current: Appointment) => ChangeRequest): Promise<Appointment> {
      const current = await booking.getAppointment(p, tenantId, id);
      return change(p, tenantId, current, request(current));
    },

    /** PUT ext/appointments: the work order's appointment, or 404. */
    async changeWorkOrder(p: Caller, tenantId: string, workOrderId: string, request: (current: Appointment) => ChangeRequest): Promise<Appointment> {
      const current = await findByWorkOrder(p, tenantId, workOrderId);
      if (!current) throw notFound('Work order', workOrderId);
      return change(p, tenantId, current, request(current));
    },

    /** POST ext/appointments: a new appointment, or the work order's task given its time; 409 when it already has a live one. */
    async bookWorkOrder(
      p: Caller,
      tenantId: string,
      workOrderId: string,
      create: () => CreateAppointmentInput,
      convert: (task: Appointment) => ChangeRequest,
    ): Promise<Appointment> {
      const current = await findByWorkOrder(p, tenantId, workOrderId);
      if (current?.status === 'requested') return change(p, tenantId, current, convert(current));
      const input = create();
      // A retry carrying its Idempotency-Key is answered by the core (the same appointment, or a conflict).
      if (current && ACTIVE.has(current.status) && !input.idempotency) throw conflict(`Work order ${workOrderId} already has the appointment ${current.id}`);
      return (await booking.createAppointment(p, tenantId, input)).appointment;
    },

    /** Windows for a work order: moving its live appointment (MODIFICARCITA) counts that appointment's place as free. */
    async searchForWorkOrder<T extends { plan: SearchPlan }>(p: Caller, tenantId: string, workOrderId: string | null, prepare: (live: Appointment | null) => T) {
      const found = workOrderId ? await findByWorkOrder(p, tenantId, workOrderId) : null;
      const live = found && ACTIVE.has(found.status) ? found : null;
      const prepared = prepare(live);
      return { ...prepared, live, result: await booking.searchSlots(p, tenantId, prepared.plan.input) };
    },
  };
}
