import type { Core } from '../../core/core.ts';
import { isCoreError } from '../../core/errors.ts';
import type { Metrics } from './metrics.ts';

/** Counts every booking and hold attempt by outcome, whichever API it came through. */
export function instrumentBooking(core: Core, metrics: Metrics): Core {
  const count =
    <A extends unknown[], R>(operation: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await fn(...args);
        metrics.countBooking(operation, 'booked');
        return result;
      } catch (e) {
        metrics.countBooking(operation, isCoreError(e) ? e.code.toLowerCase() : 'error');
        throw e;
      }
    };
  return {
    ...core,
    booking: {
      ...core.booking,
      createAppointment: count('create_appointment', core.booking.createAppointment),
      rescheduleAppointment: count('reschedule_appointment', core.booking.rescheduleAppointment),
      rescheduleOntoHold: count('reschedule_onto_hold', core.booking.rescheduleOntoHold),
    },
    holds: { ...core.holds, createHold: count('create_hold', core.holds.createHold) },
  };
}
