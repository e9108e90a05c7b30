import type { Appointment, AppointmentStatus } from '../types.ts';
import type { CreateAppointmentInput } from './booking.types.ts';
import { toNotes } from './notes.mapper.ts';

/** What the booking path decided for a new appointment; the rest comes from the request. */
export interface NewAppointmentFacts {
  tenantId: string;
  id: string;
  now: Date;
  status: AppointmentStatus;
  siteId: string | null;
  resourceId: string | null;
  start: Date | null;
  end: Date | null;
  customerId: string | null;
}

/** A new appointment (version 1) from a create request: the one shape both booking paths store. */
export const newAppointment = (input: CreateAppointmentInput, f: NewAppointmentFacts): Appointment => ({
  tenantId: f.tenantId,
  id: f.id,
  serviceIds: input.serviceIds,
  siteId: f.siteId,
  resourceId: f.resourceId,
  status: f.status,
  start: f.start,
  end: f.end,
  requestedPeriod: input.requestedPeriod ?? null,
  customerId: f.customerId,
  externalRef: input.externalRef ?? null,
  participants: input.participants ?? [],
  notes: toNotes(input.notes, f.now),
  attributes: input.attributes ?? {},
  cancelReason: null,
  version: 1,
  createdAt: f.now,
  updatedAt: f.now,
});
