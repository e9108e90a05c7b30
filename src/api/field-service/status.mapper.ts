/**
 * The operator's status words <-> the core state machine (docs/field-service.md, "Status").
 * The documents only show `accepted`; the other words are TMF646's AppointmentStateType plus
 * `inProgress` for a technician on site.
 */
import type { AppointmentStatus } from '../../core/types.ts';

export const TMF_STATUS_INPUTS = ['initialized', 'accepted', 'confirmed', 'inProgress', 'completed', 'cancelled', 'failed', 'missed'] as const;
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
  const words = value.split(',').map((w) => w.trim()).filter(Boolean);
  const unknown = words.filter((w) => !(w in TO_CORE));
  return { statuses: [...new Set(words.filter((w) => w in TO_CORE).map((w) => TO_CORE[w as TmfStatusInput]))], unknown };
}
