/**
 * Appointments Extension API -> the TMF view and core inputs. The Extension API is flat; the
 * documents answer it with the TMF appointment, so its fields become the same relatedParty /
 * relatedEntity / relatedPlace entries the Appointments API stores (order as documented).
 */
import { personalIdField } from '../../core/privacy/personal-data.ts';
import { DateTime } from 'luxon';
import type { CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Appointment, Period } from '../../core/types.ts';
import { createInputOf, notesOf, periodOf, viewOf } from './appointment.mapper.ts';
import type { ChangeRequest } from './change-plan.ts';
import type { CreateAppointment, CreateTaskAppointment, Customer, UpdateAppointment } from './ext.schemas.ts';
import {
  crmOf,
  DEFAULT_CATEGORY,
  DEFAULT_TIME_ZONE,
  fiveDigits,
  LOOK_AHEAD_DAYS,
  TIME_ZONE_IDS,
  type RiskNotice,
} from './field-service.rules.ts';
import { gescalPlace, locationOf, upsertParties, type TmfView } from './tmf-view.ts';

type ExtBody = CreateAppointment | CreateTaskAppointment | UpdateAppointment;

const TASK_DESCRIPTION = 'Tarea para conseguir una cita';

function contactMedium(c: Customer | undefined, base: TmfView['contactMedium']): TmfView['contactMedium'] {
  if (base?.length || (c?.phoneNumber === undefined && !c?.email)) return base;
  return [
    ...(c.phoneNumber !== undefined
      ? [{ characteristic: { key: 'mobile', value: c.phoneNumber }, mediumType: 'phoneNumber', preferred: true }]
      : []),
    ...(c.email ? [{ characteristic: { key: 'email', value: c.email }, mediumType: 'email' }] : []),
  ];
}

/** The TMF view of an Extension request, on top of the stored one (`base`) for an update. */
export function viewOfExt(b: ExtBody, base: TmfView = {}): TmfView {
  const c = b.customer;
  const category = 'category' in b && b.category ? b.category : (base.category ?? DEFAULT_CATEGORY);
  const relatedParty = upsertParties(base.relatedParty ?? [], [
    ['scoring_result', b.scoringResult],
    ['scoring_level', b.scoringLevel],
    ['firstName', c?.firstName],
    ['middleName', c?.middleName],
    // The document under whatever name it was sent (documentNumber, documentId, dni…), as the one documented role.
    ['documentNumber', personalIdField(c)],
    ['email', c?.email],
    ['phoneNumber', c?.phoneNumber],
    ['zipcode', c?.zipcode === undefined ? undefined : fiveDigits(c.zipcode)],
    ['sellchannel', b.sellChannel],
    ['user_role', b.userRole],
    ['user_code', 'userCode' in b ? b.userCode : undefined],
    ['segment', b.segment],
    ['language', c?.language],
    ['tenant', b.tenantId],
    ['duration', b.duration],
  ]);
  const relatedEntity = upsertParties(
    base.relatedEntity?.length ? base.relatedEntity : [{ id: b.workOrderId, name: 'ID of OT', role: 'workorder' }],
    [
      ['workorder', b.workOrderId],
      ['orderType', b.orderType],
      ['connectionInstallationFlow', b.connectionInstallationFlow],
      ['donorOperator', b.donorOperator === undefined ? undefined : fiveDigits(b.donorOperator)],
      ['linkState', b.linkState],
      ['ctoPoleDB', b.ctoPoleDB],
    ],
  );
  const gescal = 'gescalId' in b ? b.gescalId : undefined;
  const view: TmfView = {
    ...base,
    category,
    contactMedium: contactMedium(c, base.contactMedium),
    description: base.description ?? b.orderType,
    externalId: b.workOrderId,
    relatedEntity,
    relatedParty,
    relatedPlace: gescalPlace(gescal) ?? base.relatedPlace,
    // Not in the Extension API: an empty list, so that clients of the documented response can iterate it.
    resourceOrderItem: base.resourceOrderItem ?? [],
  };
  if (view.contactMedium === undefined) delete view.contactMedium;
  if (view.description === undefined) delete view.description;
  if (view.relatedPlace === undefined) delete view.relatedPlace;
  return view;
}

/** The Extension fields kept as sent (personal data lives in the TMF view only), with the CRM of the work order. */
export function extAttributes(b: ExtBody, base: Record<string, unknown> = {}): Record<string, unknown> {
  const { customer: _c, validFor: _v, note: _n, ...rest } = b as ExtBody & { note?: unknown; validFor?: unknown };
  return { ...base, ...rest, crm: crmOf(b.workOrderId) };
}

export function toExtCreateInput(
  b: CreateAppointment,
  now: Date,
  riskNotice: RiskNotice = null,
): CreateAppointmentInput {
  return createInputOf(viewOfExt(b), {
    id: b.workOrderId,
    period: periodOf(b.validFor),
    requested: false,
    notes: [],
    now,
    riskNotice,
    ext: extAttributes(b),
  });
}

/**
 * The period a task asks for: whole local days startDate..endDate in `timeZone` (default: today +
 * 30 days). It starts today at the earliest and ends at most LOOK_AHEAD_DAYS ahead.
 */
export function taskPeriod(b: CreateTaskAppointment, now: Date): Period {
  const zone = b.timeZone ? TIME_ZONE_IDS[b.timeZone] : DEFAULT_TIME_ZONE;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const lastDay = today.plus({ days: LOOK_AHEAD_DAYS });
  const tooFar = (field: string) =>
    invalidInput(
      `The [${field}] attribute must not be after ${lastDay.toISODate()} (a task asks for at most ` +
        `${LOOK_AHEAD_DAYS} days ahead).`,
      [{ field, message: 'beyond the horizon' }],
    );
  const first = b.startDate ? DateTime.fromISO(b.startDate, { zone }) : today;
  if (first < today)
    throw invalidInput(`The [startDate] attribute must not be in the past (today is ${today.toISODate()}).`, [
      { field: 'startDate', message: 'in the past' },
    ]);
  if (first > lastDay) throw tooFar('startDate');
  const last = b.endDate ? DateTime.fromISO(b.endDate, { zone }) : DateTime.min(first.plus({ days: 30 }), lastDay);
  if (last < first)
    throw invalidInput('The [endDate] attribute must not be before startDate.', [
      { field: 'endDate', message: 'before startDate' },
    ]);
  if (last > lastDay) throw tooFar('endDate');
  return { start: first.toJSDate(), end: last.plus({ days: 1 }).startOf('day').toJSDate() };
}

/** A task must say where (a gescal address or a postal code): without one it could never be booked. */
function requireTaskPlace(view: TmfView): void {
  const loc = locationOf(view);
  if (!loc.addressId && !loc.postalCode) {
    throw invalidInput(
      'The [gescalId] attribute is required when customer.zipcode is absent: a task needs an address to be booked.',
      [{ field: 'gescalId', message: 'or customer.zipcode' }],
    );
  }
}

export function toTaskInput(b: CreateTaskAppointment, now: Date): CreateAppointmentInput {
  const view = { ...viewOfExt(b), description: TASK_DESCRIPTION };
  requireTaskPlace(view);
  return createInputOf(view, {
    id: b.workOrderId,
    period: taskPeriod(b, now),
    requested: true,
    notes: notesOf(b.note),
    now,
    ext: extAttributes(b),
  });
}

/** A create that asks for exactly what the work order's live appointment is (same id, same window): a retry. */
export function repeatsBooking(live: Appointment, b: CreateAppointment): boolean {
  const asked = periodOf(b.validFor);
  return (
    live.id === b.workOrderId &&
    live.start?.getTime() === asked.start.getTime() &&
    live.end?.getTime() === asked.end.getTime()
  );
}

/** PUT ext/appointments, or a create on a work order whose task waits for a time: new window, refreshed fields. */
export function extChangeRequest(
  current: Appointment,
  b: CreateAppointment | UpdateAppointment,
  now: Date,
  riskNotice: RiskNotice = null,
): ChangeRequest {
  return {
    view: viewOfExt(b, viewOf(current)),
    period: periodOf(b.validFor),
    ext: extAttributes(b, (current.attributes.ext ?? {}) as Record<string, unknown>),
    now,
    riskNotice,
  };
}
