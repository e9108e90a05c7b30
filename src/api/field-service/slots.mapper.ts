/** Time-slot searches of both APIs -> core slot search; core slots -> `availableTimeSlot[]`. */
import type { SlotSearchInput, SlotSearchResult, SlotView } from '../../core/booking/booking.types.ts';
import type { Period } from '../../core/types.ts';
import { categoryOf, formatInstant } from './appointment.mapper.ts';
import type { SearchTimeSlotResponse } from './appointment.schemas.ts';
import { earliestStart, fitsDuration, LOOK_AHEAD_DAYS, type RiskNotice } from './field-service.rules.ts';
import {
  durationOf,
  maskPersonalData,
  requireLocation,
  scoringOf,
  upsertParty,
  withTenantParty,
  type TmfView,
} from './tmf-view.ts';

const DAY_MS = 86_400_000;

export interface SearchPlan {
  input: SlotSearchInput;
  /**
   * Nothing can be offered (the requested periods lie before this customer's first window or past the horizon): the
   * core still checks access, place and service.
   */
  empty: boolean;
  /** Only windows that start inside one of these (TMF requestedTimeSlot, clipped to what can be searched). */
  ranges?: Period[];
  durationMin?: number;
}

/**
 * What to search: from this customer's earliest start to LOOK_AHEAD_DAYS ahead, or, with
 * requestedTimeSlot, each requested range clipped to that span. The clipped ranges are searched as
 * one period (their union fits in the span, so however long or far apart the ranges are), and only
 * the windows starting inside one of them are offered.
 */
export function planSearch(
  view: TmfView,
  o: { ranges?: Period[]; now: Date; riskNotice?: RiskNotice; ignoreAppointmentId?: string },
): SearchPlan {
  const location = requireLocation(view);
  const durationMin = durationOf(view);
  const earliest = earliestStart(scoringOf(view), o.now, o.riskNotice ?? null).getTime();
  const horizon = o.now.getTime() + LOOK_AHEAD_DAYS * DAY_MS;
  const ranges = o.ranges?.length
    ? o.ranges
        .map((r) => ({
          start: new Date(Math.max(r.start.getTime(), earliest)),
          end: new Date(Math.min(r.end.getTime(), horizon)),
        }))
        .filter((r) => r.end.getTime() > r.start.getTime())
    : undefined;
  const from = ranges?.length ? Math.min(...ranges.map((r) => r.start.getTime())) : earliest;
  const to = ranges ? Math.max(from, ...ranges.map((r) => r.end.getTime())) : horizon;
  const empty = to <= from;
  const input: SlotSearchInput = {
    serviceIds: [categoryOf(view)],
    location,
    from: new Date(from),
    to: new Date(empty ? from + 1 : to),
    ...(o.ignoreAppointmentId ? { ignoreAppointmentId: o.ignoreAppointmentId } : {}),
  };
  return { input, empty, ranges, durationMin };
}

const inRanges = (s: SlotView, ranges: Period[] | undefined) =>
  !ranges || ranges.some((r) => s.start.getTime() >= r.start.getTime() && s.start.getTime() < r.end.getTime());

/** Windows with a free technician, long enough for the job, with their counts as documented (`ocuppiedSlots` sic). */
export function toAvailableTimeSlots(plan: SearchPlan, slots: SlotView[]): SearchTimeSlotResponse['availableTimeSlot'] {
  if (plan.empty) return [];
  return slots
    .filter((s) => s.free > 0 && fitsDuration(plan.durationMin, s.start, s.end) && inRanges(s, plan.ranges))
    .map((s) => ({
      relatedParty: [
        { id: String(s.free), role: 'freeSlots' },
        { id: String(s.occupied), role: 'ocuppiedSlots' },
      ],
      // The documented search response writes milliseconds here, unlike the appointment bodies.
      validFor: { endDateTime: s.end.toISOString(), startDateTime: s.start.toISOString() },
    }));
}

export interface SearchEcho {
  id?: string;
  view: TmfView;
  requestedTimeSlot?: unknown[];
  tenant: string;
}

/** The period a search without requestedTimeSlot covered: from its first possible start to the service horizon. */
function searchedPeriod(plan: SearchPlan, result: SlotSearchResult, now: Date) {
  const horizonDays = Math.min(...result.services.map((s) => s.rules.horizonDays));
  const end = Math.min(plan.input.to.getTime(), now.getTime() + horizonDays * DAY_MS);
  return [
    {
      validFor: {
        endDateTime: formatInstant(new Date(Math.max(end, plan.input.from.getTime()))),
        startDateTime: formatInstant(plan.input.from),
      },
    },
  ];
}

export function toSearchResponse(
  echo: SearchEcho,
  plan: SearchPlan,
  result: SlotSearchResult,
  now: Date,
): SearchTimeSlotResponse {
  const availableTimeSlot = toAvailableTimeSlots(plan, result.slots);
  const view = maskPersonalData(echo.view);
  let parties = withTenantParty(view.relatedParty ?? [], echo.tenant);
  if (!parties.some((p) => p.role === 'category')) parties = upsertParty(parties, 'category', categoryOf(view));
  const out: Record<string, unknown> = {
    availableTimeSlot,
    id: echo.id,
    relatedEntity: view.relatedEntity,
    relatedParty: parties,
    relatedPlace: view.relatedPlace,
    requestedTimeSlot: echo.requestedTimeSlot ?? searchedPeriod(plan, result, now),
    resourceOrderItem: view.resourceOrderItem,
    searchDate: formatInstant(now),
    searchResult: availableTimeSlot.length > 0 ? 'success' : 'fail',
    status: 'created',
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as SearchTimeSlotResponse;
}
