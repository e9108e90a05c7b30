/** Appointments API (TMF646 style) <-> core: requests to use-case inputs, appointments to responses. */
import type { CreateAppointmentInput, NoteInput } from '../../core/booking/booking.types.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Appointment, Period } from '../../core/types.ts';
import type { AppointmentCreate, AppointmentPatch, AppointmentResponse } from './appointment.schemas.ts';
import type { ChangeRequest } from './change-plan.ts';
import type { Note, RangePeriod } from './common.schemas.ts';
import { assertDurationFits, assertRiskNotice, DEFAULT_CATEGORY, type RiskNotice } from './field-service.rules.ts';
import { toCoreStatus, toTmfStatus } from './status.mapper.ts';
import {
  customerOf,
  durationOf,
  FACADE_KEY,
  locationOf,
  maskPersonalData,
  normalizeParties,
  normalizePlace,
  partyValue,
  requireLocation,
  scoringOf,
  withTenantParty,
  type TmfView,
} from './tmf-view.ts';

/** RFC 3339 in UTC, without a zero millisecond part ('2030-08-18T13:00:00Z', as documented). */
export const formatInstant = (d: Date) => d.toISOString().replace('.000Z', 'Z');

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The vendor fields of a TMF request, kept verbatim (party and place ids as strings). */
export function viewOfTmfRequest(body: AppointmentCreate | AppointmentPatch): TmfView {
  const {
    id: _id,
    note: _note,
    status: _status,
    validFor: _validFor,
    creationDate: _c,
    lastUpdate: _l,
    ...rest
  } = body as AppointmentCreate & Record<string, unknown>;
  return defined({
    ...rest,
    relatedParty: normalizeParties(body.relatedParty),
    relatedEntity: normalizeParties(body.relatedEntity),
    relatedPlace: normalizePlace(body.relatedPlace),
  }) as TmfView;
}

export function periodOf(validFor: RangePeriod, field = 'validFor'): Period {
  const start = new Date(validFor.startDateTime);
  const end = new Date(validFor.endDateTime);
  if (!(end.getTime() > start.getTime())) {
    throw invalidInput(`The [${field}.endDateTime] attribute must be after ${field}.startDateTime.`, [
      { field: `${field}.endDateTime`, message: 'not after the start' },
    ]);
  }
  return { start, end };
}

export const notesOf = (notes: Note[] | undefined): NoteInput[] =>
  (notes ?? []).map((n) => ({ author: n.author ?? null, ...(n.date ? { date: new Date(n.date) } : {}), text: n.text }));

export const categoryOf = (view: TmfView) =>
  view.category ?? partyValue(view.relatedParty, 'category') ?? DEFAULT_CATEGORY;

/** The work order: externalId, else the relatedEntity of role workorder, else the appointment id. */
export const workOrderOf = (view: TmfView, id?: string) =>
  view.externalId ?? view.relatedEntity?.find((e) => e.role === 'workorder')?.id ?? id ?? null;

/** Checks of the operator's own rules before a window is booked (duration, fraud scoring). */
export function checkWindow(view: TmfView, period: Period, now: Date, riskNotice: RiskNotice = null): void {
  assertDurationFits(durationOf(view), period.start, period.end);
  assertRiskNotice(scoringOf(view), period.start, now, riskNotice);
}

/** What to create from a view: booked in `period`, or (status initialized) a request for it. */
export function createInputOf(
  view: TmfView,
  o: {
    id?: string;
    period: Period;
    requested: boolean;
    notes: NoteInput[];
    now: Date;
    riskNotice?: RiskNotice;
    ext?: object;
  },
): CreateAppointmentInput {
  if (!o.requested) checkWindow(view, o.period, o.now, o.riskNotice ?? null);
  return {
    ...(o.id ? { id: o.id } : {}),
    serviceIds: [categoryOf(view)],
    location: o.requested ? locationOf(view) : requireLocation(view),
    ...(o.requested
      ? { status: 'requested' as const, requestedPeriod: o.period }
      : { start: o.period.start, end: o.period.end }),
    customer: customerOf(view),
    notes: o.notes,
    externalRef: workOrderOf(view, o.id),
    // At most one live appointment per work order, checked by the core inside the create.
    exclusiveExternalRef: true,
    attributes: { [FACADE_KEY]: maskPersonalData(view), ...(o.ext ? { ext: o.ext } : {}) },
  };
}

export function toCreateInput(
  body: AppointmentCreate,
  now: Date,
  riskNotice: RiskNotice = null,
): CreateAppointmentInput {
  const status = body.status ? toCoreStatus(body.status) : 'booked';
  if (status !== 'booked' && status !== 'requested') {
    throw invalidInput('The [status] attribute must be one of [accepted, confirmed, initialized] when creating.', [
      { field: 'status', message: body.status! },
    ]);
  }
  return createInputOf(viewOfTmfRequest(body), {
    id: body.id,
    period: periodOf(body.validFor),
    requested: status === 'requested',
    notes: notesOf(body.note),
    now,
    riskNotice,
  });
}

export const viewOf = (a: Appointment): TmfView => (a.attributes[FACADE_KEY] ?? {}) as TmfView;

export function toTmfAppointment(a: Appointment): AppointmentResponse {
  const view = maskPersonalData(viewOf(a));
  const period = a.start && a.end ? { start: a.start, end: a.end } : a.requestedPeriod;
  return defined({
    ...view,
    category: view.category ?? a.serviceIds[0],
    creationDate: formatInstant(a.createdAt),
    externalId: view.externalId ?? a.externalRef ?? undefined,
    id: a.id,
    lastUpdate: formatInstant(a.updatedAt),
    note: a.notes.map((n) => defined({ author: n.author ?? undefined, date: formatInstant(n.date), text: n.text })),
    relatedParty: withTenantParty(view.relatedParty ?? [], a.tenantId),
    status: toTmfStatus(a.status),
    validFor: period
      ? { endDateTime: formatInstant(period.end), startDateTime: formatInstant(period.start) }
      : undefined,
  }) as AppointmentResponse;
}

/**
 * PATCH body -> the change it asks for: fields merged over the stored ones, notes appended, validFor moves, status
 * transitions.
 */
export function tmfChangeRequest(
  current: Appointment,
  body: AppointmentPatch,
  now: Date,
  riskNotice: RiskNotice = null,
): ChangeRequest {
  return {
    view: { ...viewOf(current), ...viewOfTmfRequest(body) },
    ...(body.validFor ? { period: periodOf(body.validFor) } : {}),
    ...(body.status ? { status: toCoreStatus(body.status) } : {}),
    notes: notesOf(body.note),
    now,
    riskNotice,
  };
}
