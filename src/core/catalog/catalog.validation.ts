import { isSupportedCountry } from 'libphonenumber-js';
import { IANAZone } from 'luxon';
import type { FieldIssue } from '../errors.ts';
import { invalidInput } from '../errors.ts';
import type { LocalRange, SlotPolicy, WorkingHours } from '../types.ts';
import {
  MAX_RISK_NOTICE_HOURS,
  type ResourceInput,
  type ServiceInput,
  type SiteInput,
  type TenantInput,
} from './catalog.types.ts';

/** Semantic checks the JSON schemas of a facade cannot express. Shapes are checked at the edge. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function checkRanges(ranges: LocalRange[], field: string, issues: FieldIssue[]): void {
  ranges.forEach((r, i) => {
    if (!HHMM.test(r.start) || !HHMM.test(r.end))
      issues.push({ field: `${field}[${i}]`, message: 'start and end must be HH:mm local times' });
    else if (minutes(r.end) <= minutes(r.start))
      issues.push({ field: `${field}[${i}]`, message: 'end must be after start' });
  });
}

function finish(issues: FieldIssue[], what: string): void {
  if (issues.length > 0)
    throw invalidInput(`Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}

export function validateTenant(t: TenantInput): void {
  const issues: FieldIssue[] = [];
  if (!TENANT_ID.test(t.id))
    issues.push({ field: 'id', message: 'must be lowercase letters, digits and dashes (at most 63)' });
  if (!t.name.trim()) issues.push({ field: 'name', message: 'must not be empty' });
  const risk = t.settings?.riskNotice;
  if (risk) {
    if (!Number.isInteger(risk.hours) || risk.hours < 1 || risk.hours > MAX_RISK_NOTICE_HOURS)
      issues.push({
        field: 'settings.riskNotice.hours',
        message: `must be a whole number of hours from 1 to ${MAX_RISK_NOTICE_HOURS}`,
      });
    if (
      !Array.isArray(risk.scorings) ||
      risk.scorings.length === 0 ||
      risk.scorings.some((s) => typeof s !== 'string' || !s.trim())
    )
      issues.push({ field: 'settings.riskNotice.scorings', message: 'must list at least one scoring' });
  }
  const country = t.settings?.defaultPhoneCountry;
  if (country !== undefined && country !== null && !isSupportedCountry(country))
    issues.push({
      field: 'settings.defaultPhoneCountry',
      message: 'must be an ISO 3166 two-letter country code with phone numbering, e.g. ES, US',
    });
  finish(issues, 'tenant');
}

export function validateSite(s: SiteInput): void {
  const issues: FieldIssue[] = [];
  if (!ID.test(s.id)) issues.push({ field: 'id', message: 'must be letters, digits, _ . : - (at most 64)' });
  if (!IANAZone.isValidZone(s.timeZone))
    issues.push({ field: 'timeZone', message: `"${s.timeZone}" is not an IANA time zone` });
  if (s.geo && (Math.abs(s.geo.lat) > 90 || Math.abs(s.geo.lon) > 180))
    issues.push({ field: 'geo', message: 'lat must be within ±90 and lon within ±180' });
  finish(issues, 'site');
}

export function validatePolicy(p: SlotPolicy, issues: FieldIssue[]): void {
  if (p.kind === 'windows') {
    if (p.windows.length === 0) issues.push({ field: 'slotPolicy.windows', message: 'needs at least one window' });
    checkRanges(p.windows, 'slotPolicy.windows', issues);
  } else if (!(Number.isInteger(p.stepMin) && p.stepMin >= 5 && p.stepMin <= 1440)) {
    issues.push({ field: 'slotPolicy.stepMin', message: 'must be an integer from 5 to 1440' });
  }
}

export function validateService(s: ServiceInput): void {
  const issues: FieldIssue[] = [];
  if (!ID.test(s.id)) issues.push({ field: 'id', message: 'must be letters, digits, _ . : - (at most 64)' });
  validatePolicy(s.slotPolicy, issues);
  const max = s.maxNumberOfReservations;
  if (max !== undefined && max !== null && !(Number.isInteger(max) && max >= 1 && max <= 1000))
    issues.push({ field: 'maxNumberOfReservations', message: 'must be an integer from 1 to 1000, or null' });
  finish(issues, 'service');
}

export function validateWorkingHours(w: WorkingHours, issues: FieldIssue[]): void {
  for (const [day, ranges] of Object.entries(w.weekly)) {
    if (!WEEKDAYS.includes(day))
      issues.push({ field: `workingHours.weekly.${day}`, message: `unknown weekday (use ${WEEKDAYS.join(', ')})` });
    else checkRanges(ranges ?? [], `workingHours.weekly.${day}`, issues);
  }
  for (const [date, ranges] of Object.entries(w.exceptions ?? {})) {
    if (!DATE.test(date) || Number.isNaN(Date.parse(date)))
      issues.push({ field: `workingHours.exceptions.${date}`, message: 'key must be a YYYY-MM-DD date' });
    else checkRanges(ranges, `workingHours.exceptions.${date}`, issues);
  }
}

export function validateResource(r: ResourceInput, known: { siteIds: Set<string>; serviceIds: Set<string> }): void {
  const issues: FieldIssue[] = [];
  if (!ID.test(r.id)) issues.push({ field: 'id', message: 'must be letters, digits, _ . : - (at most 64)' });
  for (const id of r.siteIds)
    if (!known.siteIds.has(id)) issues.push({ field: 'siteIds', message: `unknown site ${id}` });
  for (const id of r.serviceIds)
    if (!known.serviceIds.has(id)) issues.push({ field: 'serviceIds', message: `unknown service ${id}` });
  validateWorkingHours(r.workingHours, issues);
  (r.timeOff ?? []).forEach((t, i) => {
    if (!(t.end.getTime() > t.start.getTime()))
      issues.push({ field: `timeOff[${i}]`, message: 'end must be after start' });
  });
  finish(issues, 'resource');
}
