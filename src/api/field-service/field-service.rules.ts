/**
 * The operator's rules where its documents are silent (each one is explained in
 * docs/field-service.md). Pure functions: the clock comes in as an argument.
 */
import { CoreError, invalidInput } from '../../core/errors.ts';
import type { TenantSettings } from '../../core/types.ts';

/** Service booked when a request names no category (tasks, TMF searches without one). */
export const DEFAULT_CATEGORY = 'installation';

/** TIME_ZONE_1..4 of CreateTaskAppointment: Spain's three civil times plus UTC. */
export const TIME_ZONE_IDS: Record<string, string> = {
  TIME_ZONE_1: 'Europe/Madrid', // peninsula and Balearic Islands
  TIME_ZONE_2: 'Atlantic/Canary', // Canary Islands
  TIME_ZONE_3: 'Africa/Ceuta', // Ceuta and Melilla
  TIME_ZONE_4: 'UTC',
};
export const DEFAULT_TIME_ZONE = 'Europe/Madrid';

/**
 * How far ahead these APIs look: a search without requestedTimeSlot, the part of a requestedTimeSlot
 * searched, the last day a task may ask for. (The core searches at most 366 days at once; the
 * service's own booking horizon, shorter, then decides which windows are offered.)
 */
export const LOOK_AHEAD_DAYS = 366;

/**
 * The tenant's fraud-risk rule (tenant settings, riskNotice): customers whose scoringResult is one
 * of its scorings can only be booked its hours ahead. The documents say only that scoring is the
 * customer's fraud risk, so there is no such rule unless the tenant configures one.
 */
export type RiskNotice = TenantSettings['riskNotice'];
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const isRiskScoring = (scoringResult: string | undefined, rule: RiskNotice) =>
  rule !== null &&
  scoringResult !== undefined &&
  rule.scorings.some((s) => s.trim().toUpperCase() === scoringResult.trim().toUpperCase());

/** The earliest window start this customer may get. */
export function earliestStart(scoringResult: string | undefined, now: Date, rule: RiskNotice = null): Date {
  return rule && isRiskScoring(scoringResult, rule) ? new Date(now.getTime() + rule.hours * HOUR_MS) : now;
}

export function assertRiskNotice(
  scoringResult: string | undefined,
  start: Date,
  now: Date,
  rule: RiskNotice = null,
): void {
  // A past start is the core's plain 400; this rule only narrows the future.
  if (rule && start.getTime() >= now.getTime() && start.getTime() < earliestStart(scoringResult, now, rule).getTime()) {
    throw new CoreError(
      'SLOT_UNAVAILABLE',
      `Customers with scoring ${scoringResult} can only be booked ${rule.hours} hours ahead, to leave time for the ` +
        `fraud check`,
      [{ field: 'validFor.startDateTime', message: `is less than ${rule.hours} hours ahead` }],
    );
  }
}

/** `duration` is the technician's estimated work in minutes; it must fit the window booked. */
export function assertDurationFits(durationMin: number | undefined, start: Date, end: Date): void {
  if (durationMin === undefined) return;
  const windowMin = Math.round((end.getTime() - start.getTime()) / MINUTE_MS);
  if (durationMin > windowMin) {
    throw invalidInput(
      `The [duration] attribute (${durationMin} minutes) is longer than the window (${windowMin} minutes): ask the ` +
        `back office for it with a task (POST ext/task).`,
      [{ field: 'duration', message: 'longer than the window' }],
    );
  }
}

export const fitsDuration = (durationMin: number | undefined, start: Date, end: Date) =>
  durationMin === undefined || durationMin * MINUTE_MS <= end.getTime() - start.getTime();

/**
 * Numeric codes sent as JSON numbers lose their leading zeros: 1001 is the postal code 01001, 833 the operator 00833.
 */
export const fiveDigits = (value: string | number): string =>
  typeof value === 'number' ? String(value).padStart(5, '0') : value.trim();

export const asString = (value: string | number | boolean): string => String(value).trim();

/** The CRM a work order comes from, by its prefix (kept as sent; only reported). */
export function crmOf(workOrderId: string): string {
  if (/^MYSIM_/i.test(workOrderId)) return 'MYSIM';
  if (/^WD_/i.test(workOrderId)) return 'WD';
  if (/^PP/i.test(workOrderId)) return 'PEPEPHONE';
  if (/^Y\d/i.test(workOrderId)) return 'YOIGO';
  return 'OTHER';
}

/** 'es_ES' -> 'es-ES' (BCP 47). */
export const languageTag = (value: string) => value.trim().replace(/_/g, '-');
