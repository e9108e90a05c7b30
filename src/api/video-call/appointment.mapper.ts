/**
 * A core appointment as the video-call API shows it. What the core has no word for (the
 * application, title, notes, metadata, interaction, locale, zone, organizer, customers' details)
 * is kept under `attributes['video-call']`. The assigned agent is the core's resource: it is the
 * AGENT participant; agents added besides it and the customers are core participants.
 */
import { notFound } from '../../core/errors.ts';
import type { Appointment, Participant } from '../../core/types.ts';
import type { NotificationTemplate } from '../../core/notifications/notification.types.ts';
import { formatDuration } from './duration.ts';
import type { Customer, GetAppointmentResponse, GetParticipantDetailsResponse } from './video-call.schemas.ts';

/** The key of this API's data in an appointment's attributes. */
export const VIDEO_CALL = 'video-call';

export type ParticipantType = 'AGENT' | 'CUSTOMER';

export interface VideoCallData {
  applicationId: string;
  title: string | null;
  notes: string | null;
  metadata: Record<string, unknown> | null;
  interaction: Record<string, unknown> | null;
  locale: string | null;
  timezone: string | null;
  organizer: { id: string; type: ParticipantType };
  /** The details of each CUSTOMER participant, by participant id. */
  customers: Record<string, Customer>;
}

/** The appointment's snapshot of notifications, as the core keeps it (null: none). */
export interface NotificationsView {
  active: boolean;
  templates: NotificationTemplate[];
}

/** This API's data of an appointment; null when it was not made through this API. */
const videoCallOf = (a: Appointment): VideoCallData | null =>
  (a.attributes[VIDEO_CALL] as VideoCallData | undefined) ?? null;

/** A call of this API: its data and its times (a call always has them). */
export interface VisibleCall {
  data: VideoCallData;
  start: Date;
  end: Date;
}

/** Cancelled appointments are deleted ones for this API; others' appointments do not exist here. */
export function visibleVideoCall(a: Appointment): VisibleCall {
  const data = videoCallOf(a);
  if (!data || a.status === 'cancelled' || !a.start || !a.end) throw notFound('Appointment', a.id);
  return { data, start: a.start, end: a.end };
}

export function participantsOf(a: Appointment): Array<{ id: string; type: ParticipantType }> {
  const customers = a.participants
    .filter((p) => p.role === 'customer')
    .map((p) => ({ id: p.id, type: 'CUSTOMER' as const }));
  const owner = a.resourceId ? [{ id: a.resourceId, type: 'AGENT' as const }] : [];
  const agents = a.participants
    .filter((p) => p.role === 'agent' && p.id !== a.resourceId)
    .map((p) => ({ id: p.id, type: 'AGENT' as const }));
  return [...customers, ...owner, ...agents];
}

export function toAppointmentResponse(a: Appointment, n: NotificationsView | null): GetAppointmentResponse {
  const { data: v, start, end } = visibleVideoCall(a);
  return {
    applicationId: v.applicationId,
    duration: formatDuration(Math.round((end.getTime() - start.getTime()) / 1000)),
    end: end.toISOString(),
    id: a.id,
    interaction: v.interaction,
    locale: v.locale,
    metadata: v.metadata,
    notes: v.notes,
    notifications: n?.templates ?? [],
    notificationsActive: n?.active ?? false,
    organizer: v.organizer,
    participantIds: participantsOf(a),
    start: start.toISOString(),
    timezone: v.timezone,
    title: v.title,
  };
}

/** A customer participant of the core, from the document's customer. */
export function customerParticipant(id: string, c: Customer): Participant {
  const name = [c.name?.firstName, c.name?.lastName].filter(Boolean).join(' ');
  return { role: 'customer', id, name: name || null, email: c.contact?.primaryEmail ?? null };
}

/** The core's customer record (who the notifications go to), from the document's customer. */
export function coreCustomerOf(c: Customer) {
  const name = [c.name?.firstName, c.name?.lastName].filter(Boolean).join(' ');
  return {
    name: name || null,
    email: c.contact?.primaryEmail ?? null,
    phone: c.contact?.primaryPhone ?? null,
  };
}

export function participantDetails(a: Appointment, pid: string): GetParticipantDetailsResponse {
  const v = visibleVideoCall(a).data;
  const p = participantsOf(a).find((x) => x.id === pid);
  if (!p) throw notFound('Participant', pid);
  if (p.type === 'AGENT') return { id: p.id, type: 'AGENT' };
  return { ...(v.customers[pid] ?? {}), id: pid, type: 'CUSTOMER' };
}
