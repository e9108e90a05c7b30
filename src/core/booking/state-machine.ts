import type { AppointmentStatus } from '../types.ts';

/**
 * The one appointment state machine. `requested` has no time yet; it becomes `booked` only by
 * being given a time (reschedule). Reopening (cancelled / no_show → booked) re-checks availability.
 */
const TRANSITIONS: Record<AppointmentStatus, AppointmentStatus[]> = {
  requested: ['booked', 'cancelled'],
  booked: ['in_progress', 'completed', 'cancelled', 'no_show'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: ['booked'],
  no_show: ['booked'],
};

export const canTransition = (from: AppointmentStatus, to: AppointmentStatus) => TRANSITIONS[from].includes(to);

export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  'requested',
  'booked',
  'in_progress',
  'completed',
  'cancelled',
  'no_show',
];

/** Not finished yet: at most one of these per exclusive external reference (a work order). */
export const LIVE_STATUSES: ReadonlySet<AppointmentStatus> = new Set(['requested', 'booked', 'in_progress']);

/** Statuses that take a resource for their time (capacity). */
export const CAPACITY_STATUSES: ReadonlySet<AppointmentStatus> = new Set(['booked', 'in_progress']);

/** Statuses whose time (and place) can still change; moving a cancelled or no-show appointment reopens it. */
export const MOVABLE_STATUSES: ReadonlySet<AppointmentStatus> = new Set([
  'requested',
  'booked',
  'cancelled',
  'no_show',
]);

export const isLive = (status: AppointmentStatus) => LIVE_STATUSES.has(status);
