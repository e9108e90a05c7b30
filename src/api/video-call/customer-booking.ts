/**
 * A customer's own booking (seed 002 "BASIC using OTP verification"): the one-time code sent to an
 * address or number is checked by the core, then the customer books as a principal that may book
 * and read its own call, nothing else. The application names the tenant, the service and the site;
 * the core assigns a free agent; the application's templates are the call's notifications, with
 * the call's join link as {{roomLink}}.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '../../core/core.ts';
import { VERIFIED_CUSTOMER_ROLE } from '../../core/access/access.ts';
import type { CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import { withNotifications } from './notifications-snapshot.ts';
import { unauthenticated } from '../../core/errors.ts';
import type { Principal } from '../../core/types.ts';
import type { VideoApplication } from '../../core/applications/application.types.ts';
import { coreCustomerOf, customerParticipant, VIDEO_CALL, type VideoCallData } from './appointment.mapper.ts';
import { parseDuration } from './duration.ts';
import type { Customer, ScheduleAppointmentRequest } from './video-call.schemas.ts';
import { newTicket } from './video-call.context.ts';

const MS = 1000;
const EMAIL = /@/;

/** `Authorization: Basic base64(<email or phone>:<code>)`; 401 for anything else. */
export function basicCredentials(header: string | undefined): { recipient: string; code: string } {
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,400})\s*$/i.exec(header ?? '');
  if (!m) throw unauthenticated('Send Authorization: Basic base64(<email or phone>:<one-time code>)');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  if (colon <= 0 || colon === decoded.length - 1)
    throw unauthenticated('The Basic credentials must be <email or phone>:<one-time code>');
  return { recipient: decoded.slice(0, colon), code: decoded.slice(colon + 1) };
}

/** The principal of a customer whose code the core accepted. */
export async function verifiedCustomer(
  core: Core,
  tenantId: string,
  credentials: { recipient: string; code: string },
  correlationId: string,
): Promise<Principal> {
  await core.customerCodes.verify({ tenantId, ...credentials, now: core.now() });
  return {
    kind: 'one-time-code',
    tenantId,
    subject: `customer:${credentials.recipient.slice(0, 254)}`,
    roles: [VERIFIED_CUSTOMER_ROLE],
    correlationId,
  };
}

/**
 * The verified address or number is the customer's contact of its kind: notifications go where
 * the code went, whatever the body says.
 */
export function customerWithContact(c: Customer | undefined, recipient: string): Customer {
  const kind = EMAIL.test(recipient) ? 'primaryEmail' : 'primaryPhone';
  return { ...c, contact: { ...c?.contact, [kind]: recipient } };
}

/** The core's create request of a customer's booking, and the call's join link. */
export function customerBookingInput(
  body: ScheduleAppointmentRequest,
  application: VideoApplication,
  customer: Customer,
): { input: CreateAppointmentInput; roomLink: string } {
  const start = new Date(body.start);
  // The slot's end, when the client says it: the core refuses a duration that is not the service's.
  const seconds = body.duration === undefined ? null : parseDuration(body.duration, 'duration');
  const pid = randomUUID();
  const roomLink = `${application.videoBaseUrl}${newTicket()}`;
  const data: VideoCallData = {
    applicationId: application.id,
    title: body.title || null,
    notes: body.notes || null,
    metadata: body.metadata ?? null,
    interaction: body.interaction ?? null,
    locale: body.locale ?? application.locale,
    timezone: body.timezone ?? application.timezone,
    organizer: { id: pid, type: 'CUSTOMER' },
    customers: { [pid]: customer },
  };
  const input = withNotifications(
    {
      serviceIds: [application.serviceId],
      location: { siteId: application.siteId },
      start,
      // The least busy free agent that day takes the call.
      spreadLoad: true,
      ...(seconds !== null ? { end: new Date(start.getTime() + seconds * MS) } : {}),
      customer: { ...coreCustomerOf(customer), ...(data.locale ? { language: data.locale } : {}) },
      participants: [customerParticipant(pid, customer)],
      attributes: { [VIDEO_CALL]: data },
    },
    {
      active: application.notificationsActive,
      senderEmail: application.senderEmail,
      templates: application.notifications,
      values: { roomLink },
    },
  );
  return { input, roomLink };
}
