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

export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['requested', 'booked', 'in_progress', 'completed', 'cancelled', 'no_show'];
