/**
 * Extension searchTimeSlots: its flat request as the TMF search echo, what to search, and the
 * answer (the TMF search response, as documented). MODIFICARCITA frees the live appointment's own
 * place and echoes its current window.
 */
import { personalIdField } from '../../core/privacy/personal-data.ts';
import { DateTime } from 'luxon';
import type { SlotSearchResult } from '../../core/booking/booking.types.ts';
import type { Appointment } from '../../core/types.ts';
import { viewOf } from './appointment.mapper.ts';
import type { SearchTimeSlots } from './ext.schemas.ts';
import { fiveDigits, type RiskNotice } from './field-service.rules.ts';
import { planSearch, toSearchResponse, type SearchPlan } from './slots.mapper.ts';
import { gescalPlace, upsertParties, upsertParty, type TmfView } from './tmf-view.ts';

type Value = string | number | undefined;

/** Local 'yyyy-MM-ddTHH:mm:ss - yyyy-MM-ddTHH:mm:ss' of the site, as the documented `validForAppointment`. */
export function localRange(a: Appointment, timeZone: string): string | undefined {
  if (!a.start || !a.end) return undefined;
  const f = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return `${f(a.start)} - ${f(a.end)}`;
}

/** The echo of an Extension search in the TMF search response shape. */
export function viewOfExtSearch(b: SearchTimeSlots, existing: Appointment | null): TmfView {
  const rp = (b.relatedParty ?? {}) as Record<string, string | number | boolean | undefined>;
  const cu = (b.customer ?? {}) as Record<string, string | number | undefined>;
  const str = (v: unknown): Value =>
    typeof v === 'string' || typeof v === 'number' ? v : typeof v === 'boolean' ? String(v) : undefined;
  const existingView = existing ? viewOf(existing) : undefined;
  const schema = b.productSpecification?.schema?.replace(/^id:/, '');
  const duration = existingView?.relatedParty?.find((p) => p.role === 'duration')?.id;
  const relatedParty = upsertParties(
    [],
    [
      ['user_code', str(rp.userCode)],
      ['user_profile', str(rp.userProfile)],
      ['segment', b.segment],
      ['tenant', str(rp.tenant)],
      ['category', b.category],
      ['firstName', str(cu.firstName)],
      ['middleName', str(cu.midName ?? cu.middleName)],
      ['documentNumber', str(personalIdField(cu))],
      ['email', b.contact?.emailAddress],
      ['phoneNumber', b.contact?.contactNumber],
      ['zipcode', b.contact?.postCode === undefined ? undefined : fiveDigits(b.contact.postCode)],
      ['language', str(cu.language)],
      ['scoring_result', b.scoringResult],
      ['scoring_level', b.scoringLevel],
      ['duration', duration],
      ['isNewAppointment', existing ? 'false' : 'true'],
    ],
  );
  const relatedEntity = upsertParties(
    [],
    [
      ['workorder', b.orderWorkId],
      ['orderType', schema],
      ['connectionInstallationFlow', str(rp.connectionInstallationFlow)],
      ['donorOperator', typeof rp.donorOperator === 'number' ? fiveDigits(rp.donorOperator) : str(rp.donorOperator)],
      ['linkState', str(rp.linkState)],
      ['territoryOwner', str(rp.territoryOwner)],
    ],
  );
  const view: TmfView = {
    category: b.category,
    relatedEntity,
    relatedParty,
    resourceOrderItem: existingView?.resourceOrderItem ?? [],
  };
  const place = gescalPlace(b.gescal) ?? existingView?.relatedPlace;
  if (place) view.relatedPlace = place;
  return view;
}

/**
 * The Extension search: its echo (as a TMF view) and what to search. MODIFICARCITA frees the live appointment's own
 * place.
 */
export function prepareExtSearch(
  b: SearchTimeSlots,
  live: Appointment | null,
  now: Date,
  riskNotice: RiskNotice = null,
) {
  const view = viewOfExtSearch(b, live);
  return { view, plan: planSearch(view, { now, riskNotice, ...(live ? { ignoreAppointmentId: live.id } : {}) }) };
}

export function toExtSearchResponse(
  b: SearchTimeSlots,
  s: { view: TmfView; plan: SearchPlan; live: Appointment | null; result: SlotSearchResult },
  tenant: string,
  now: Date,
) {
  const current = s.live ? localRange(s.live, s.result.site.timeZone) : undefined;
  const view = { ...s.view, relatedParty: upsertParty(s.view.relatedParty ?? [], 'validForAppointment', current) };
  return toSearchResponse({ id: b.orderWorkId, view, tenant }, s.plan, s.result, now);
}
