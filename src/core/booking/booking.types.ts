/** Inputs and outputs of the booking use cases (slot search, holds, appointments). */
import type { AppointmentNotificationsInput } from '../notifications/notification.types.ts';
import type { AppointmentStatus, CustomerInput, Participant, Period, Service, Site } from '../types.ts';

/** Where the work happens: a site by id, or an address resolved to the territory (site) that serves it. */
export interface LocationInput {
  siteId?: string;
  postalCode?: string;
  /** An address identifier such as a gescal code; matched by prefix against site service areas. */
  addressId?: string;
}

export interface SlotSearchInput {
  serviceIds: string[];
  location: LocationInput;
  from: Date;
  to: Date;
  /** Only this resource. */
  resourceId?: string;
  /** Count this appointment's own place as free (searching to move it). */
  ignoreAppointmentId?: string;
}

export interface SlotView {
  start: Date;
  end: Date;
  capacity: number;
  free: number;
  occupied: number;
}

export interface SlotSearchResult {
  site: Site;
  services: Service[];
  slots: SlotView[];
}

export interface NoteInput {
  author?: string | null;
  date?: Date;
  text: string;
}

export interface CreateAppointmentInput {
  /** Client-chosen id; a conflict when it exists. Generated when absent. */
  id?: string;
  serviceIds: string[];
  location: LocationInput;
  /** Required unless status is 'requested'. Must be a slot start of the service's policy. */
  start?: Date;
  /** When given, must equal the slot's end. */
  end?: Date;
  resourceId?: string;
  /**
   * Without resourceId: among the free resources, the one with the fewest live appointments that local day (the
   * site's zone) first, ties by id; otherwise any free one, in a random rotation.
   */
  spreadLoad?: boolean;
  /** Convert this hold (same services) instead of allocating anew. */
  holdId?: string;
  /** 'requested': a request with no time yet (a back-office task), no capacity taken. Default 'booked'. */
  status?: 'booked' | 'requested';
  requestedPeriod?: Period;
  customer?: CustomerInput;
  participants?: Participant[];
  notes?: NoteInput[];
  externalRef?: string | null;
  /** At most one live (requested, booked, in progress) appointment per externalRef: a second one is a conflict. */
  exclusiveExternalRef?: boolean;
  attributes?: Record<string, unknown>;
  /** Same key and fingerprint: the same appointment back; same key, other fingerprint: a conflict. */
  idempotency?: { key: string; fingerprint: string };
  /**
   * The appointment's own notification templates, switch and placeholder values (the video-call API passes its
   * application's); absent: the snapshot of its service's templates.
   */
  notifications?: AppointmentNotificationsInput;
}

export interface UpdateAppointmentInput {
  expectedVersion?: number;
  notesToAdd?: NoteInput[];
  /** Shallow-merged into `attributes` by facade name. */
  attributes?: Record<string, unknown>;
  participants?: Participant[];
  customer?: CustomerInput;
  externalRef?: string | null;
}

export interface RescheduleInput {
  expectedVersion?: number;
  start: Date;
  end?: Date;
  /** Keep the current resource when it is free, else any eligible one; or exactly this one. */
  resourceId?: string;
  /** Move to another site / territory. */
  location?: LocationInput;
}

export interface StatusChangeInput {
  expectedVersion?: number;
  to: AppointmentStatus;
  reason?: string | null;
}

export type AppointmentSortField = 'start' | 'end' | 'duration' | 'id' | 'createdAt' | 'updatedAt';

/** A facade's own data (Appointment.attributes) at `path`: present, or equal to one of `values`. */
export interface AttributeFilter {
  path: string[];
  values?: string[];
}

export interface ListAppointmentsInput {
  status?: AppointmentStatus[];
  from?: Date;
  to?: Date;
  resourceId?: string;
  customerId?: string;
  externalRef?: string;
  siteId?: string;
  serviceId?: string;
  /** Customers whose personal identifier is this value. */
  customerPersonalId?: string;
  /** Appointments of this resource, or with a participant of this id. */
  involving?: string;
  /** Appointments lying wholly inside the period (start >= from, end <= to). */
  within?: Period;
  /** Appointments lasting one of these numbers of seconds. */
  durationsSec?: number[];
  /** Each filter must hold. */
  attributes?: AttributeFilter[];
  limit?: number;
  offset?: number;
  sort?: AppointmentSortField;
  order?: 'asc' | 'desc';
}

export interface CreateHoldInput {
  serviceIds: string[];
  location: LocationInput;
  start: Date;
  end?: Date;
  resourceId?: string;
  ttlSec?: number;
  /** The appointment the hold is taken to move (it must exist): only a reschedule of it may then use the hold. */
  forAppointmentId?: string;
  /** Same key and fingerprint: the hold the first request took, as it is now; same key, other fingerprint: a conflict. */
  idempotency?: { key: string; fingerprint: string };
}

/** One step of a combined change (changeAppointment), applied in the order given. */
export type AppointmentChange =
  | ({ kind: 'update' } & Omit<UpdateAppointmentInput, 'expectedVersion'>)
  | ({ kind: 'reschedule' } & Omit<RescheduleInput, 'expectedVersion'>)
  | { kind: 'reassign'; resourceId: string }
  | ({ kind: 'status' } & Omit<StatusChangeInput, 'expectedVersion'>);
