/**
 * A change of an existing appointment (TMF PATCH, Extension PUT, converting a task) as the list of
 * core use cases it needs, computed purely from the current state so that every rule is checked
 * before anything is written.
 */
import type { NoteInput, UpdateAppointmentInput } from '../../core/booking/booking.types.ts';
import { canTransition, CAPACITY_STATUSES, MOVABLE_STATUSES } from '../../core/booking/state-machine.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Appointment, AppointmentStatus, Period } from '../../core/types.ts';
import { checkWindow, viewOf, workOrderOf } from './appointment.mapper.ts';
import { assertDurationFits, type RiskNotice } from './field-service.rules.ts';
import { toTmfStatus } from './status.mapper.ts';
import {
  customerOf,
  durationOf,
  FACADE_KEY,
  locationOf,
  maskPersonalData,
  requireLocation,
  type TmfView,
} from './tmf-view.ts';

export interface ChangePlan {
  /** New window (a requested appointment gets its first one and becomes booked), or the same one at a new place. */
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
  /** The tenant's fraud-risk rule, if it has one. */
  riskNotice?: RiskNotice;
}

const samePeriod = (a: Appointment, p: Period) =>
  a.start?.getTime() === p.start.getTime() && a.end?.getTime() === p.end.getTime();

const sameNote = (a: Appointment['notes'][number], n: NoteInput) =>
  a.text === n.text && (a.author ?? null) === (n.author ?? null) && (!n.date || a.date.getTime() === n.date.getTime());

const samePlace = (a: TmfView, b: TmfView) => {
  const x = locationOf(a);
  const y = locationOf(b);
  return x.addressId === y.addressId && x.postalCode === y.postalCode;
};

function illegal(from: AppointmentStatus, to: AppointmentStatus): never {
  const hint =
    from === 'requested' && to === 'booked' ? ' An initialized appointment is accepted by giving it a validFor.' : '';
  throw invalidInput(`The [status] attribute cannot change from ${toTmfStatus(from)} to ${toTmfStatus(to)}.${hint}`, [
    { field: 'status', message: `illegal transition ${from} -> ${to}` },
  ]);
}

function immovable(status: AppointmentStatus): never {
  throw invalidInput(
    `The [status] attribute is ${toTmfStatus(status)}: an appointment in that state cannot be moved to another ` +
      `window or place.`,
    [{ field: 'validFor', message: `cannot move a ${status} appointment` }],
  );
}

export function planChange(current: Appointment, r: ChangeRequest): ChangePlan {
  const reopening = r.status === 'booked' && (current.status === 'cancelled' || current.status === 'no_show');
  // Cancelling, completing or failing an appointment keeps its last window: a validFor sent along is not a move.
  const closing = r.status === 'cancelled' || r.status === 'completed' || r.status === 'no_show';
  const oldView = viewOf(current);
  const moveTo = r.period && !closing && !samePeriod(current, r.period) ? r.period : undefined;
  const window = moveTo ?? (current.start && current.end ? { start: current.start, end: current.end } : undefined);
  // Whether, once changed, it takes a technician in `window`: then its place and duration must fit it.
  const holdsWindow =
    !closing && window !== undefined && (moveTo !== undefined || reopening || CAPACITY_STATUSES.has(current.status));
  const placeChanged = !samePlace(oldView, r.view);
  // A new address re-resolves the territory and takes a technician there for the same window.
  const reschedule = moveTo ?? (holdsWindow && placeChanged ? window : undefined);

  // The core's own rule (MOVABLE_STATUSES), said first in this API's words.
  if (reschedule && !MOVABLE_STATUSES.has(current.status)) immovable(current.status);
  if (reopening && !reschedule && !current.start) {
    throw invalidInput('The [validFor] attribute is required to reopen an appointment that never had a window.', [
      { field: 'validFor', message: 'is required' },
    ]);
  }
  if (holdsWindow && placeChanged) requireLocation(r.view);
  if (moveTo) checkWindow(r.view, moveTo, r.now, r.riskNotice ?? null);
  else if (holdsWindow) assertDurationFits(durationOf(r.view), window.start, window.end);

  const afterMove: AppointmentStatus = reschedule && !reopening ? 'booked' : current.status;
  let status: AppointmentStatus | undefined;
  if (r.status && r.status !== afterMove) {
    if (!canTransition(afterMove, r.status) || (afterMove === 'requested' && r.status === 'booked'))
      illegal(afterMove, r.status);
    status = r.status;
  }

  const notesToAdd = (r.notes ?? []).filter((n) => !current.notes.some((a) => sameNote(a, n)));
  // What is stored never holds the document number in clear (it is compared masked, too).
  const view = maskPersonalData(r.view);
  const viewChanged = JSON.stringify(oldView) !== JSON.stringify(view);
  const extChanged = r.ext !== undefined && JSON.stringify(current.attributes.ext ?? null) !== JSON.stringify(r.ext);
  const customer = customerOf(r.view);
  const externalRef = workOrderOf(r.view, current.id);
  const update: UpdateAppointmentInput | undefined =
    viewChanged || extChanged || notesToAdd.length
      ? {
          attributes: { [FACADE_KEY]: view, ...(r.ext ? { ext: r.ext } : {}) },
          ...(notesToAdd.length ? { notesToAdd } : {}),
          ...(customer && JSON.stringify(customer) !== JSON.stringify(customerOf(oldView)) ? { customer } : {}),
          ...(externalRef !== current.externalRef ? { externalRef } : {}),
        }
      : undefined;

  return { reschedule, status, statusFirst: reopening, update };
}
