/**
 * The TMF646 view of a work-order appointment: the vendor fields the core does not model, stored
 * in `appointment.attributes.tmf646` and returned as sent, except the customer's document number,
 * which is stored and answered masked (maskPersonalData). Both APIs write it (the Extension API
 * builds it from its flat fields), so one renderer serves both.
 */
import type { LocationInput } from '../../core/booking/booking.types.ts';
import type { CustomerInput } from '../../core/types.ts';
import type { ContactMedium, ResourceOrderItem } from './common.schemas.ts';
import { asString, fiveDigits, languageTag } from './field-service.rules.ts';
import { invalidInput } from '../../core/errors.ts';
import { maskPersonalData as maskPersonalValues, personalIdOf } from '../../core/privacy/personal-data.ts';

export interface Party {
  id: string;
  role?: string;
  name?: string;
  href?: string;
  [extra: string]: unknown;
}

export interface Place {
  id?: string;
  href?: string;
  name?: string;
  role?: string;
  [extra: string]: unknown;
}

export interface TmfView {
  category?: string;
  contactMedium?: ContactMedium[];
  description?: string;
  externalId?: string;
  relatedEntity?: Party[];
  relatedParty?: Party[];
  relatedPlace?: Place;
  resourceOrderItem?: ResourceOrderItem[];
  [extra: string]: unknown;
}

export const FACADE_KEY = 'tmf646';

type Loose = { id: string | number; [k: string]: unknown };

/** Roles whose value is a 5-digit code: sent as a JSON number it lost its leading zeros (1001 is 01001). */
const FIVE_DIGIT_ROLES = new Set(['zipcode', 'donoroperator']);

/** One party id as a string, padding a numeric 5-digit code while it is still a number. */
const partyId = (id: string | number, role: unknown) =>
  typeof id === 'number' && typeof role === 'string' && FIVE_DIGIT_ROLES.has(role.toLowerCase())
    ? fiveDigits(id)
    : asString(id);

/**
 * Party / entity ids as strings: `{ id: 10, role: 'user_role' }` -> `{ id: '10', role: 'user_role' }`, `{ id: 1001,
 * role: 'zipcode' }` -> `'01001'`.
 */
export const normalizeParties = (list: Loose[] | undefined): Party[] | undefined =>
  list?.map((p) => ({ ...p, id: partyId(p.id, p.role) }) as Party);

export function normalizePlace(place: { id?: string | number; [k: string]: unknown } | undefined): Place | undefined {
  if (!place) return undefined;
  return (place.id === undefined ? { ...place } : { ...place, id: asString(place.id) }) as Place;
}

export const partyValue = (parties: Party[] | undefined, role: string): string | undefined =>
  parties?.find((p) => p.role?.toLowerCase() === role.toLowerCase())?.id;

/** Sets (or adds, at the end) the party of `role`; `undefined` leaves the list as it is. */
export function upsertParty(parties: Party[], role: string, value: string | number | undefined): Party[] {
  if (value === undefined) return parties;
  const id = asString(value);
  const i = parties.findIndex((p) => p.role === role);
  return i < 0 ? [...parties, { id, role }] : parties.map((p, j) => (j === i ? { ...p, id } : p));
}

/** Several `upsertParty` in a row: new roles are appended in the order given. */
export const upsertParties = (list: Party[], entries: [string, string | number | undefined][]) =>
  entries.reduce((acc, [role, v]) => upsertParty(acc, role, v), list);

/** A gescal 37 address as the documents' relatedPlace (the href names the building: its first 17 characters). */
export function gescalPlace(gescal: string | undefined): Place | undefined {
  if (!gescal?.trim()) return undefined;
  const building = gescal.trim().split(/\s+/)[0];
  return { href: `https://gescal37/geographicAddress/${building}`, id: gescal.trim(), role: 'interventionAddress' };
}

/**
 * The relatedParty of a response: the stored one, plus the tenant entry (before `duration`, as documented) when
 * missing.
 */
export function withTenantParty(parties: Party[], tenant: string): Party[] {
  if (parties.some((p) => p.role === 'tenant')) return parties;
  const entry = { id: tenant, role: 'tenant' };
  const at = parties.findIndex((p) => p.role === 'duration');
  return at < 0 ? [...parties, entry] : [...parties.slice(0, at), entry, ...parties.slice(at)];
}

/** Where the technician goes: the gescal address (relatedPlace.id) first, else the postal code. */
export function locationOf(view: TmfView): LocationInput {
  const addressId = view.relatedPlace?.id?.trim() || undefined;
  const zip = partyValue(view.relatedParty, 'zipcode');
  return { ...(addressId ? { addressId } : {}), ...(zip ? { postalCode: fiveDigits(zip) } : {}) };
}

export function requireLocation(view: TmfView): LocationInput {
  const loc = locationOf(view);
  if (!loc.addressId && !loc.postalCode) {
    throw invalidInput('The [relatedPlace] attribute is required.', [
      { field: 'relatedPlace', message: 'or a relatedParty with role zipcode' },
    ]);
  }
  return loc;
}

/**
 * The customer for the core. Its document number (a relatedParty whose role names one, in any
 * spelling, or such a field of the request; core/privacy decides) goes there in clear: the core
 * keeps only its keyed hash, searchable. A masked one (read back from us and sent again) is not a
 * new identifier.
 */
export function customerOf(view: TmfView): CustomerInput | undefined {
  const v = (role: string) => partyValue(view.relatedParty, role);
  const name = [v('firstName'), v('middleName'), v('lastName')].filter(Boolean).join(' ');
  const personalId =
    personalIdOf(view.relatedParty) ?? personalIdOf(Object.entries(view).map(([role, id]) => ({ role, id })));
  const c: CustomerInput = {
    ...(name ? { name } : {}),
    ...(v('email') ? { email: v('email') } : {}),
    ...(v('phoneNumber') ? { phone: v('phoneNumber') } : {}),
    ...(v('language') ? { language: languageTag(v('language')!) } : {}),
    ...(personalId ? { personalId } : {}),
  };
  return Object.keys(c).length ? c : undefined;
}

/** The view as it may be stored and answered: every personal identifier masked (core/privacy). */
export const maskPersonalData = (view: TmfView): TmfView => maskPersonalValues(view);

/** `duration` (minutes) from the relatedParty; a value that is not digits is a 400. */
export function durationOf(view: TmfView): number | undefined {
  const raw = partyValue(view.relatedParty, 'duration');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw))
    throw invalidInput('The [duration] attribute must match the pattern ^\\d+$.', [
      { field: 'relatedParty.duration', message: 'not digits' },
    ]);
  return Number(raw);
}

export const scoringOf = (view: TmfView) => partyValue(view.relatedParty, 'scoring_result');
