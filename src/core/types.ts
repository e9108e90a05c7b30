/**
 * Core vocabulary. Every API facade maps its vendor words onto these.
 *
 * - tenant: the isolation boundary (org, X-TENANT-ID, tenantId…). Nothing crosses it.
 * - site: where it happens (office, branch, or a territory given by postal codes / address ids), with an IANA zone.
 * - service: what is booked (duration, buffers, localized names, booking rules, slot policy).
 * - resource: who or what delivers it (technician, agent, room), with working hours and time off.
 * - slot: a bookable interval with free / occupied capacity.
 * - hold: a slot claimed until an expiry, converted atomically into an appointment.
 * - appointment: the booking, with a status from one state machine, participants, notes and history.
 * - event: every change of an appointment (or a hold), in order, with the previous and the new state;
 *   recorded by the outbox (core/events), which hands it to every consumer in the same transaction.
 *
 * Instants are `Date` (UTC); local wall times are 'HH:mm' strings in the site's zone.
 */
import type { LocalRange, SlotPolicy, WorkingHours } from './availability/slot-engine.ts';

export type { LocalRange, SlotPolicy, WorkingHours };

/** Who is calling. `tenantId` null means the operator of the whole service (ADMIN_TOKEN). */
export interface Principal {
  /** one-time-code: a customer who proved an address with a code (the video-call API's customer booking). */
  kind: 'admin' | 'api-key' | 'jwt' | 'system' | 'one-time-code';
  tenantId: string | null;
  subject: string;
  /** Core roles (src/core/access/access.ts): what the principal may do. */
  roles: string[];
  /**
   * The roles as the credential named them, when an API reads its own (a JWT of the video-call API's identity
   * provider: AGENT, CUSTOMER, …); absent when they are the core roles themselves.
   */
  grantedRoles?: string[];
  /** The user's own id as the issuer wrote it (a JWT's `sub`): an agent's resource id. */
  userId?: string;
  /** The one appointment an appointment guest's token is for (its `conferenceId` claim). */
  conferenceId?: string;
  /** The id of the request acting (x-request-id), recorded with the events it causes. */
  correlationId?: string;
}

/**
 * A tenant's own booking rules, beyond what its services say. Each is off unless the tenant's
 * configuration sets it: the service invents no rule a tenant did not ask for.
 */
export interface TenantSettings {
  /**
   * Customers whose fraud-risk scoring is one of `scorings` (compared case-insensitively) can
   * only be booked `hours` ahead, to leave time for the check. null: no such rule.
   */
  riskNotice: { scorings: string[]; hours: number } | null;
  /**
   * ISO 3166 country (e.g. 'ES') in which a customer phone number written without its country prefix is read: such a
   * number is then checked at booking and sent to in E.164. null: such numbers are read in the site's country when
   * an SMS is sent.
   */
  defaultPhoneCountry: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  settings: TenantSettings;
  createdAt: Date;
  updatedAt: Date;
}

export interface Address {
  line1?: string;
  city?: string;
  postalCode?: string;
  region?: string;
  country?: string;
}

export interface ServiceArea {
  postalCodes: string[];
  /** Address identifiers (e.g. gescal codes) served: an address belongs when its id starts with one of them. */
  addressPrefixes: string[];
}

export interface Site {
  tenantId: string;
  id: string;
  name: string;
  timeZone: string;
  address: Address | null;
  geo: { lat: number; lon: number } | null;
  serviceArea: ServiceArea | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface BookingRules {
  minNoticeMin: number;
  horizonDays: number;
  /** How long a hold lives when the caller does not say. */
  holdTtlSec: number;
}

export interface Service {
  tenantId: string;
  id: string;
  name: string;
  /** Localized names by BCP 47 language tag, e.g. { es: 'Instalación', en: 'Installation' }. */
  names: Record<string, string>;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  /** How many customers one resource takes in the same slot (a class, a group visit); 1 = exclusive. */
  seats: number;
  /** The most people one booking may bring (numberOfReservations); null: the service sets no limit. */
  maxNumberOfReservations: number | null;
  rules: BookingRules;
  slotPolicy: SlotPolicy;
  createdAt: Date;
  updatedAt: Date;
}

export type ResourceKind = 'technician' | 'agent' | 'employee' | 'room';

export interface TimeOff {
  id: string;
  start: Date;
  end: Date;
  reason: string | null;
}

export interface Resource {
  tenantId: string;
  id: string;
  kind: ResourceKind;
  name: string;
  serviceIds: string[];
  siteIds: string[];
  workingHours: WorkingHours;
  timeOff: TimeOff[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Customer {
  tenantId: string;
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  /** True when a personal identifier (e.g. a national id) is on file. It is stored as a keyed hash only. */
  hasPersonalId: boolean;
}

export interface CustomerInput {
  id?: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  personalId?: string | null;
}

/**
 * The one state machine. Facades map their words onto it (accepted → booked, ENDED → completed, …).
 * Capacity is consumed by `booked` and `in_progress` (and by live holds).
 */
export type AppointmentStatus = 'requested' | 'booked' | 'in_progress' | 'completed' | 'cancelled' | 'no_show';

export type ParticipantRole = 'customer' | 'agent' | 'organizer' | 'technician' | 'employee' | 'guest';

export interface Participant {
  role: ParticipantRole;
  id: string;
  name?: string | null;
  email?: string | null;
}

export interface Note {
  author: string | null;
  date: Date;
  text: string;
}

export interface Period {
  start: Date;
  end: Date;
}

export interface Appointment {
  tenantId: string;
  id: string;
  serviceIds: string[];
  siteId: string | null;
  resourceId: string | null;
  status: AppointmentStatus;
  /** Customer-facing interval (a window, or start..start+duration). Null while `requested` without a time. */
  start: Date | null;
  end: Date | null;
  /** For a request without a time: the period the customer asked for. */
  requestedPeriod: Period | null;
  customerId: string | null;
  /** The client's own reference (e.g. a work order id), searchable. */
  externalRef: string | null;
  participants: Participant[];
  notes: Note[];
  /** Facade-owned data kept verbatim, by facade name: { tmf646: {...}, ext: {...} }. The core never reads inside. */
  attributes: Record<string, unknown>;
  cancelReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Hold {
  tenantId: string;
  id: string;
  serviceIds: string[];
  siteId: string;
  resourceId: string;
  start: Date;
  end: Date;
  expiresAt: Date;
  status: 'active' | 'released' | 'converted' | 'expired';
  appointmentId: string | null;
  /** The appointment this hold was taken to move: only a reschedule of it may use the hold (null: any booking). */
  forAppointmentId: string | null;
  createdAt: Date;
}

export type AppointmentEventType =
  | 'appointment.created'
  | 'appointment.updated'
  | 'appointment.rescheduled'
  | 'appointment.reassigned'
  | 'appointment.status_changed'
  | 'appointment.participant_added'
  | 'appointment.participant_removed';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
