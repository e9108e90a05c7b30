/**
 * When a call of an application may be activated (its join link handed out): from start − the application's
 * activation lead time until the call's end. Pure, with the caller's `now`.
 */
import { invalidInput } from '../errors.ts';
import type { AppointmentStatus } from '../types.ts';
import { periodSeconds } from '../notifications/notification-period.ts';
import { DEFAULT_ACTIVATION_LEAD_TIME, type VideoApplication } from './application.types.ts';

const MS = 1000;
const DEFAULT_LEAD_SECONDS = periodSeconds(DEFAULT_ACTIVATION_LEAD_TIME) as number;

/** Seconds before the start from which a call may be activated (the stored lead time was checked when saved). */
export const activationLeadSeconds = (app: Pick<VideoApplication, 'activationLeadTime'>): number =>
  periodSeconds(app.activationLeadTime) ?? DEFAULT_LEAD_SECONDS;

/** The moment from which a call starting at `start` may be activated; `leadSeconds` overrides the application's. */
export const eligibleFrom = (start: Date, leadSeconds: number): Date => new Date(start.getTime() - leadSeconds * MS);

/** A 400 unless the call is booked or under way: the call's own state, whatever became of its application. */
export function assertActivatableStatus(status: AppointmentStatus): void {
  if (status !== 'booked' && status !== 'in_progress')
    throw invalidInput(`The call is ${status}: it can no longer be activated`, [{ field: 'id', message: status }]);
}

/** A 400 saying why, unless `now` is inside the call's activation window (its status is judged apart, first). */
export function assertInActivationWindow(
  app: Pick<VideoApplication, 'activationLeadTime'>,
  call: { start: Date; end: Date },
  now: Date,
): void {
  const from = eligibleFrom(call.start, activationLeadSeconds(app));
  if (now < from)
    throw invalidInput(`The call can be activated from ${from.toISOString()}`, [
      { field: 'id', message: 'not eligible yet' },
    ]);
  if (now >= call.end)
    throw invalidInput(`The call ended at ${call.end.toISOString()}: it can no longer be activated`, [
      { field: 'id', message: 'ended' },
    ]);
}
