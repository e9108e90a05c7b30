import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface InviteInput {
  /** Stable for the life of the appointment. */
  uid: string;
  /** Increases with each change of the appointment (its version). */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  start: Date;
  end: Date;
  summary: string;
  organizer: { name: string; email: string };
  attendee: { name: string | null; email: string };
  now: Date;
}

/** An iCalendar invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL), built by ical-generator. */
export function calendarInvite(i: InviteInput): string {
  const cal = ical({
    prodId: { company: 'scheduling-service', product: 'notifications' },
    method: i.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  cal.createEvent({
    id: i.uid,
    sequence: i.sequence,
    stamp: i.now,
    start: i.start,
    end: i.end,
    summary: i.summary,
    status: i.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: i.organizer,
    attendees: [{ email: i.attendee.email, name: i.attendee.name ?? undefined, rsvp: true }],
  });
  return cal.toString();
}

/**
 * A published calendar entry (no METHOD, no attendee): the public .ics of an appointment; STATUS:CANCELLED once
 * cancelled.
 */
export function calendarDocument(e: {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  title: string;
  cancelled: boolean;
  now: Date;
}): string {
  const cal = ical({ prodId: { company: 'scheduling-service', product: 'calendar' } });
  cal.createEvent({
    id: e.uid,
    sequence: e.sequence,
    stamp: e.now,
    start: e.start,
    end: e.end,
    summary: e.title,
    status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return cal.toString();
}
