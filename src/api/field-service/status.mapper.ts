/**
 * The operator's status words <-> the core state machine (docs/field-service.md, "Status").
 * The documents only show `accepted`; the other words are TMF646's AppointmentStateType plus
 * `inProgress` for a technician on site.
 */
import { invalidInput } from '../../core/errors.ts';
import type { AppointmentStatus } from '../../core/types.ts';

export const TMF_STATUS_INPUTS = [
  'initialized',
  'accepted',
  'confirmed',
  'inProgress',
  'completed',
  'cancelled',
  'failed',
  'missed',
] as const;
export type TmfStatusInput = (typeof TMF_STATUS_INPUTS)[number];

const TO_CORE: Record<TmfStatusInput, AppointmentStatus> = {
  initialized: 'requested',
  accepted: 'booked',
  confirmed: 'booked',
  inProgress: 'in_progress',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'no_show',
  missed: 'no_show',
};

const FROM_CORE: Record<AppointmentStatus, string> = {
  requested: 'initialized',
  booked: 'accepted',
  in_progress: 'inProgress',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'failed',
};

export const toCoreStatus = (word: TmfStatusInput): AppointmentStatus => TO_CORE[word];
export const toTmfStatus = (status: AppointmentStatus): string => FROM_CORE[status];

/** `status` query values ('initialized,accepted') -> core statuses; unknown words are reported by name. */
export function parseStatusFilter(value: string | undefined): { statuses?: AppointmentStatus[]; unknown: string[] } {
  if (!value) return { unknown: [] };
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  // Own keys only: `in` would also accept toString, constructor, __proto__…
  const known = (w: string): w is TmfStatusInput => Object.hasOwn(TO_CORE, w);
  const unknown = words.filter((w) => !known(w));
  return { statuses: [...new Set(words.filter(known).map((w) => TO_CORE[w]))], unknown };
}

/** The `status` filter of a list, or a 400 naming the unknown words and the accepted ones. */
export function statusFilterOf(value: string | undefined): AppointmentStatus[] | undefined {
  const { statuses, unknown } = parseStatusFilter(value);
  if (unknown.length) {
    throw invalidInput(
      `The [status] attribute has unknown values: ${unknown.join(', ')} (accepted: ${TMF_STATUS_INPUTS.join(', ')}).`,
      [{ field: 'status', message: unknown.join(', ') }],
    );
  }
  return statuses;
}
