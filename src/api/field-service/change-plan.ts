/**
 * A change of an existing appointment (TMF PATCH, Extension PUT, converting a task) as the list of
 * core use cases it needs, computed purely from the current state so that every rule is checked
 * before anything is written.
 */
import type { NoteInput, UpdateAppointmentInput } from '../../core/booking/booking.types.ts';
import { canTransition } from '../../core/booking/state-machine.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Appointment, AppointmentStatus, Period } from '../../core/types.ts';
import { checkWindow, viewOf, workOrderOf } from './appointment.mapper.ts';
import { toTmfStatus } from './status.mapper.ts';
import { customerOf, FACADE_KEY, type TmfView } from './tmf-view.ts';

export interface ChangePlan {
  /** New window (a requested appointment gets its first one and becomes booked). */
  reschedule?: Period;
  status?: AppointmentStatus;
  /** Reopening (cancelled / no_show -> accepted) happens before a move. */
  statusFirst: boolean;
  update?: UpdateAppointmentInput;
}

export interface ChangeRequest {
  view: TmfView;
  period?: Period;
  status?: AppointmentStatus;
  notes?: NoteInput[];
  ext?: Record<string, unknown>;
  now: Date;
}

const samePeriod = (a: Appointment, p: Period) => a.start?.getTime() === p.start.getTime() && a.end?.getTime() === p.end.getTime();

const sameNote = (a: Appointment['notes'][number], n: NoteInput) =>
  a.text === n.text && (a.author ?? null) === (n.author ?? null) && (!n.date || a.date.getTime() === n.date.getTime());

function illegal(from: AppointmentStatus, to: AppointmentStatus): never {
  const hint = from === 'requested' && to === 'booked' ? ' An initialized appointment is accepted by giving it a validFor.' : '';
  throw invalidInput(`The [status] attribute cannot change from ${toTmfStatus(from)} to ${toTmfStatus(to)}.${hint}`, [
    { field: 'status', message: `illegal transition ${from} -> ${to}` },
  ]);
}

export function planChange(current: Appointment, r: ChangeRequest): ChangePlan {
  const reopening = r.status === 'booked' && (current.status === 'cancelled' || current.status === 'no_show');
  // Cancelling, completing or failing an appointment keeps its last window: a validFor sent along is not a move.
  const closing = r.status === 'cancelled' || r.status === 'completed' || r.status === 'no_show';
  const reschedule = r.period && !closing && !samePeriod(current, r.period) ? r.period : undefined;
  if (reschedule) checkWindow(r.view, reschedule, r.now);

  const afterMove: AppointmentStatus = reschedule && !reopening ? 'booked' : current.status;
  let status: AppointmentStatus | undefined;
  if (r.status && r.status !== afterMove) {
    if (!canTransition(afterMove, r.status) || (afterMove === 'requested' && r.status === 'booked')) illegal(afterMove, r.status);
    status = r.status;
  }

  const notesToAdd = (r.notes ?? []).filter((n) => !current.notes.some((a) => sameNote(a, n)));
  const oldView = viewOf(current);
  const viewChanged = JSON.stringify(oldView) !== JSON.stringify(r.view);
  const extChanged = r.ext !== undefined && JSON.stringify(current.attributes.ext ?? null) !== JSON.stringify(r.ext);
  const customer = customerOf(r.view);
  const externalRef = workOrderOf(r.view, current.id);
  const update: UpdateAppointmentInput | undefined =
    viewChanged || extChanged || notesToAdd.length
      ? {
          attributes: { [FACADE_KEY]: r.view, ...(r.ext ? { ext: r.ext } : {}) },
          ...(notesToAdd.length ? { notesToAdd } : {}),
          ...(customer && JSON.stringify(customer) !== JSON.stringify(customerOf(oldView)) ? { customer } : {}),
          ...(externalRef !== current.externalRef ? { externalRef } : {}),
        }
      : undefined;

  return { reschedule, status, statusFirst: reopening, update };
}
