/**
 * Loads what a booking use case names by id (services, the site or the territory of an address,
 * the appointment to change), refusing unknown ones with the core's errors.
 */
import type { Queryable } from '../../db/database.ts';
import { getServices } from '../catalog/service.repository.ts';
import { getSite, listServiceAreaSites } from '../catalog/site.repository.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Appointment, Service, Site } from '../types.ts';
import { getAppointment } from './appointment.repository.ts';
import type { LocationInput } from './booking.types.ts';

export async function loadServices(q: Queryable, tenantId: string, serviceIds: string[]): Promise<Service[]> {
  if (serviceIds.length === 0) throw invalidInput('At least one service is required', [{ field: 'serviceIds', message: 'is empty' }]);
  const found = await getServices(q, tenantId, serviceIds);
  const byId = new Map(found.map((s) => [s.id, s]));
  const missing = serviceIds.filter((id) => !byId.has(id));
  if (missing.length) throw invalidInput(`Unknown service ${missing.join(', ')}`, [{ field: 'serviceIds', message: `unknown ${missing.join(', ')}` }]);
  return serviceIds.map((id) => byId.get(id)!);
}

/** A site by id, or the territory whose service area holds the address (longest address-id prefix first, then postal code). */
export async function resolveSite(q: Queryable, tenantId: string, loc: LocationInput): Promise<Site> {
  if (loc.siteId) {
    const site = await getSite(q, tenantId, loc.siteId);
    if (!site) throw invalidInput(`Unknown site ${loc.siteId}`, [{ field: 'siteId', message: 'unknown' }]);
    return site;
  }
  if (!loc.addressId && !loc.postalCode) throw invalidInput('A site or an address is required', [{ field: 'location', message: 'missing' }]);
  const areas = await listServiceAreaSites(q, tenantId);
  const compact = (s: string) => s.replace(/\s+/g, '');
  if (loc.addressId) {
    const id = compact(loc.addressId);
    let best: { site: Site; len: number } | null = null;
    for (const site of areas)
      for (const prefix of site.serviceArea!.addressPrefixes)
        if (id.startsWith(compact(prefix)) && (!best || prefix.length > best.len)) best = { site, len: prefix.length };
    if (best) return best.site;
  }
  if (loc.postalCode) {
    const site = areas.find((s) => s.serviceArea!.postalCodes.includes(loc.postalCode!.trim()));
    if (site) return site;
  }
  throw invalidInput('No site serves this address', [{ field: 'location', message: 'not in any service area' }]);
}

/** The site an appointment moves to: the location given, else its own. */
export async function siteOf(q: Queryable, a: Appointment, loc?: LocationInput): Promise<Site> {
  if (loc && (loc.siteId || loc.addressId || loc.postalCode)) return resolveSite(q, a.tenantId, loc);
  if (!a.siteId) throw invalidInput('The appointment has no site: give a location', [{ field: 'location', message: 'missing' }]);
  return (await getSite(q, a.tenantId, a.siteId))!;
}

/** The appointment to change, locked for the rest of the transaction, at the version the caller saw. */
export async function lockAppointment(tx: Queryable, tenantId: string, id: string, expectedVersion?: number): Promise<Appointment> {
  const a = await getAppointment(tx, tenantId, id, true);
  if (!a) throw notFound('Appointment', id);
  if (expectedVersion !== undefined && expectedVersion !== a.version)
    throw conflict(`Appointment ${id} was changed meanwhile (version ${a.version}, expected ${expectedVersion})`);
  return a;
}
