import type { RecordedEvent } from '../../core/events/event.types.ts';

/** The seed's 11 event types (seed 003, data.eventType). */
export const SEED_EVENT_TYPES = [
  'ACCEPT',
  'REASSIGN',
  'CANCEL',
  'COMPLETE',
  'CREATE',
  'RESCHEDULE',
  'REQUEST_ALTERNATIVE_DATE',
  'CREATE_REQUEST',
  'RESCHEDULE_REQUEST',
  'REOPEN',
  'GENERIC_UPDATE',
] as const;
export type SeedEventType = (typeof SEED_EVENT_TYPES)[number];

const CLOSED = new Set(['cancelled', 'no_show']);

const sameTime = (a: RecordedEvent['previous'], b: RecordedEvent['current']) =>
  a !== null && a.start?.getTime() === b.start?.getTime() && a.end?.getTime() === b.end?.getTime();

/**
 * Every core event is exactly one seed event type (the table is in docs/webhooks.md). The status
 * before and after decides between accepting, reopening and rescheduling, since the core records
 * "booked by giving it a time" as a reschedule whatever the status it came from.
 * REQUEST_ALTERNATIVE_DATE and RESCHEDULE_REQUEST are produced by no flow today.
 */
export function seedEventTypeOf(e: Pick<RecordedEvent, 'type' | 'previous' | 'current'>): SeedEventType {
  const before = e.previous?.status ?? null;
  const after = e.current.status;
  switch (e.type) {
    case 'appointment.created':
      return after === 'requested' ? 'CREATE_REQUEST' : 'CREATE';
    case 'appointment.reassigned':
      return 'REASSIGN';
    case 'appointment.rescheduled':
    case 'appointment.status_changed':
      if (before !== after) {
        if (after === 'cancelled') return 'CANCEL';
        if (after === 'completed') return 'COMPLETE';
        if (before !== null && CLOSED.has(before) && !CLOSED.has(after)) return 'REOPEN';
        if (before === 'requested' && after === 'booked') return 'ACCEPT';
      }
      if (e.type !== 'appointment.rescheduled') return 'GENERIC_UPDATE';
      // Moved to another place at the same time (the field-service APIs re-resolve the territory):
      // what changed for the receiver is who comes, not when.
      return sameTime(e.previous, e.current) && e.previous?.resourceId !== e.current.resourceId
        ? 'REASSIGN'
        : 'RESCHEDULE';
    default:
      // Notes, attributes, participants, customer, reference, and any event type added later.
      return 'GENERIC_UPDATE';
  }
}

export const MESSAGES: Record<SeedEventType, string> = {
  ACCEPT: 'Appointment accepted',
  REASSIGN: 'Appointment reassigned',
  CANCEL: 'Appointment cancelled',
  COMPLETE: 'Appointment completed',
  CREATE: 'Appointment created',
  RESCHEDULE: 'Appointment rescheduled',
  REQUEST_ALTERNATIVE_DATE: 'Alternative date requested',
  CREATE_REQUEST: 'Appointment requested',
  RESCHEDULE_REQUEST: 'Reschedule requested',
  REOPEN: 'Appointment reopened',
  GENERIC_UPDATE: 'Appointment updated',
};
