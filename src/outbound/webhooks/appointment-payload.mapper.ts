import { DateTime } from 'luxon';
import type { StoredEvent } from '../../core/webhooks/delivery.repository.ts';
import type { Address, Appointment, AppointmentStatus, Customer, Resource, Service, Site } from '../../core/types.ts';
import { MESSAGES, type SeedEventType } from './event-type.mapper.ts';

/**
 * Our appointment in seed 003's shape. Required fields are always sent; optional ones we do not
 * hold are left out rather than invented. The customer's personal identifier is never read here
 * (the core keeps only its hash and `attributes` hold it masked).
 */

export const PAYLOAD_VERSION = '1';

/** What the sender loads (outside the recording transaction) to describe the appointment. */
export interface PayloadContext {
  service: Service | null;
  site: Site | null;
  resource: Resource | null;
  customer: Customer | null;
  /** Language tag of texts we hold in one language only (site names, addresses). */
  language: string;
}

const STATUS: Record<AppointmentStatus, string> = {
  requested: 'INCOMING_REQUEST',
  booked: 'ACCEPTED',
  in_progress: 'ACCEPTED',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  no_show: 'NO_SHOW',
};

/** Which API made an appointment, known by the facade data it keeps; an appointment made elsewhere is at a site. */
const MEETING_TYPE_BY_FACADE: Record<string, string> = { tmf646: 'ON_LOCATION', ext: 'ON_LOCATION' };

export function meetingTypeOf(a: Appointment): string {
  for (const key of Object.keys(a.attributes)) if (MEETING_TYPE_BY_FACADE[key]) return MEETING_TYPE_BY_FACADE[key];
  return 'OFFICE';
}

/** ISO 8601 with the offset of the site's zone (UTC when the site is unknown), as the seed's examples write it. */
const iso = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

/** Two-letter language ('es-ES' → 'es'), the longest the seed allows. */
const lang2 = (tag: string) => tag.slice(0, 2).toLowerCase();

const translated = (value: string, language: string) => [{ value, language: lang2(language) }];

function subjectOf(service: Service | null, serviceId: string, language: string, zone: string) {
  if (!service) return { id: serviceId };
  const names = Object.entries(service.names);
  const seen = new Set<string>();
  const name = (names.length ? names : [[language, service.name]])
    .map(([l, value]) => ({ value, language: lang2(l) }))
    .filter((t) => !seen.has(t.language) && seen.add(t.language));
  return {
    id: service.id,
    translations: { name: name },
    createdAt: iso(service.createdAt, zone),
    updatedAt: iso(service.updatedAt, zone),
  };
}

function locationOf(address: Address | null, geo: Site['geo'], language: string) {
  if (!address && !geo) return undefined;
  const t: Record<string, Array<{ value: string; language: string }>> = {};
  if (address?.city) t.city = translated(address.city, language);
  if (address?.line1) t.street1 = translated(address.line1, language);
  if (address?.region) t.state = translated(address.region, language);
  return {
    ...(address?.postalCode ? { postalCode: address.postalCode } : {}),
    ...(address?.country && /^[A-Za-z]{2}$/.test(address.country)
      ? { countryCode: address.country.toUpperCase() }
      : {}),
    ...(geo ? { geolocation: { latitude: geo.lat, longitude: geo.lon } } : {}),
    ...(Object.keys(t).length ? { translations: t } : {}),
  };
}

function officeOf(site: Site | null, siteId: string | null, language: string) {
  if (!site) return siteId ? { id: siteId } : undefined;
  const location = locationOf(site.address, site.geo, language);
  return {
    id: site.id,
    timeZone: site.timeZone,
    ...(location ? { location } : {}),
    translations: { name: translated(site.name, language) },
    createdAt: iso(site.createdAt, site.timeZone),
    updatedAt: iso(site.updatedAt, site.timeZone),
  };
}

function participantsOf(a: Appointment, ctx: PayloadContext) {
  const out: object[] = [];
  if (a.resourceId) {
    const r = ctx.resource?.id === a.resourceId ? ctx.resource : null;
    // We hold one display name; it is sent whole as firstName rather than split by guesswork.
    out.push({
      role: 'PRIMARY',
      type: 'EMPLOYEE',
      employee: {
        id: a.resourceId,
        ...(r ? { firstName: r.name } : {}),
        status: r && !r.active ? 'SUSPENDED' : 'ACTIVE',
      },
    });
  }
  if (a.customerId) {
    const c = ctx.customer?.id === a.customerId ? ctx.customer : null;
    out.push({
      role: 'PRIMARY',
      type: 'CUSTOMER',
      customer: {
        id: a.customerId,
        ...(c?.name ? { firstName: c.name.slice(0, 255) } : {}),
        ...(c?.email && c.email.length <= 320 ? { email: c.email } : {}),
        ...(c?.phone ? { phoneNumber: c.phone } : {}),
        ...(c?.language ? { language: lang2(c.language) } : {}),
      },
    });
  }
  return out;
}

/** Who made a change: our credentials are integrations and operators, never a customer or an employee app, so OTHER. */
const ORIGIN = { byType: 'OTHER', from: 'OTHER' } as const;

/** The interval sent as start/end: the booked one, or for a request without a time the period asked for. */
const intervalOf = (a: Appointment) => (a.start && a.end ? { start: a.start, end: a.end } : a.requestedPeriod);

export function toSeedAppointment(a: Appointment, e: StoredEvent, ctx: PayloadContext) {
  const zone = ctx.site?.timeZone ?? 'UTC';
  const interval = intervalOf(a);
  const office = officeOf(ctx.site, a.siteId, ctx.language);
  return {
    id: a.id,
    subject: subjectOf(ctx.service, a.serviceIds[0], ctx.language, zone),
    ...(office ? { office } : {}),
    participants: participantsOf(a, ctx),
    meetingType: meetingTypeOf(a),
    ...(a.externalRef ? { externalId: a.externalRef.slice(0, 255) } : {}),
    // Facade data stays out (it is the facade's, and may be large); the core's own status survives here since ACCEPTED
    // covers two of ours.
    metadata: { status: a.status, version: a.version },
    callbackRequest: false,
    createdAt: iso(a.createdAt, zone),
    ...(e.seq === 1 ? { createdById: e.actor } : {}),
    createdByType: ORIGIN.byType,
    createdFrom: ORIGIN.from,
    updatedAt: iso(a.updatedAt, zone),
    updatedById: e.actor,
    updatedByType: ORIGIN.byType,
    updatedFrom: ORIGIN.from,
    status: STATUS[a.status],
    ...(interval ? { start: iso(interval.start, zone), end: iso(interval.end, zone) } : {}),
  };
}

/** The seed's reduced previous state: ids of what was linked, status and time. */
export function toSeedPreviousAppointment(a: Appointment, zone: string) {
  const interval = intervalOf(a);
  return {
    subject: { id: a.serviceIds[0] },
    ...(a.siteId ? { office: { id: a.siteId } } : {}),
    participants: a.resourceId ? [{ role: 'PRIMARY', type: 'EMPLOYEE', employee: { id: a.resourceId } }] : [],
    ...(a.externalRef ? { externalId: a.externalRef.slice(0, 255) } : {}),
    status: STATUS[a.status],
    ...(interval ? { start: iso(interval.start, zone), end: iso(interval.end, zone) } : {}),
  };
}

/** The envelope a subscriber receives (seed 003). */
export function toSeedEnvelope(e: StoredEvent, subscriptionId: string, ctx: PayloadContext) {
  const zone = ctx.site?.timeZone ?? 'UTC';
  const eventType = e.eventType as SeedEventType;
  return {
    id: e.id,
    correlationId: e.correlationId,
    webhookConfigurationId: subscriptionId,
    version: PAYLOAD_VERSION,
    entity: 'Appointment',
    data: {
      eventType,
      message: MESSAGES[eventType] ?? 'Appointment updated',
      appointment: toSeedAppointment(e.current, e, ctx),
      previousAppointment: e.previous ? toSeedPreviousAppointment(e.previous, zone) : null,
    },
  };
}

/** A ping: a signed test message that is not an appointment event. */
export const toPingEnvelope = (id: string, subscriptionId: string) => ({
  id,
  correlationId: null,
  webhookConfigurationId: subscriptionId,
  version: PAYLOAD_VERSION,
  entity: 'Ping',
  data: { message: 'Test event: this endpoint is subscribed to appointment webhooks' },
});
