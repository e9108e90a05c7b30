/**
 * Finds what a booking use case names by id (services, the site or the territory of an address)
 * in the tenant's catalog, and loads the appointment to change, refusing unknown ones with the
 * core's errors.
 */
import type { Queryable } from '../../db/database.ts';
import type { TenantCatalog } from '../catalog/catalog.cache.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Appointment, Service, Site } from '../types.ts';
import { getAppointment } from './appointment.repository.ts';
import type { LocationInput } from './booking.types.ts';

export function loadServices(catalog: TenantCatalog, serviceIds: string[]): Service[] {
  if (serviceIds.length === 0)
    throw invalidInput('At least one service is required', [{ field: 'serviceIds', message: 'is empty' }]);
  const byId = catalog.services;
  const missing = serviceIds.filter((id) => !byId.has(id));
  if (missing.length)
    throw invalidInput(`Unknown service ${missing.join(', ')}`, [
      { field: 'serviceIds', message: `unknown ${missing.join(', ')}` },
    ]);
  return serviceIds.map((id) => byId.get(id)!);
}

/**
 * A site by id, or the territory whose service area holds the address (longest address-id prefix first, then postal
 * code).
 */
export function resolveSite(catalog: TenantCatalog, loc: LocationInput): Site {
  if (loc.siteId) {
    const site = catalog.sites.get(loc.siteId);
    if (!site) throw invalidInput(`Unknown site ${loc.siteId}`, [{ field: 'siteId', message: 'unknown' }]);
    return site;
  }
  if (!loc.addressId && !loc.postalCode)
    throw invalidInput('A site or an address is required', [{ field: 'location', message: 'missing' }]);
  const areas = catalog.territories;
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
export function siteOf(catalog: TenantCatalog, a: Appointment, loc?: LocationInput): Site {
  if (loc && (loc.siteId || loc.addressId || loc.postalCode)) return resolveSite(catalog, loc);
  if (!a.siteId)
    throw invalidInput('The appointment has no site: give a location', [{ field: 'location', message: 'missing' }]);
  const site = catalog.sites.get(a.siteId);
  if (!site)
    throw invalidInput(`The appointment's site ${a.siteId} no longer exists: give a location`, [
      { field: 'location', message: 'missing' },
    ]);
  return site;
}

/** The appointment to change, locked for the rest of the transaction, at the version the caller saw. */
export async function lockAppointment(
  tx: Queryable,
  tenantId: string,
  id: string,
  expectedVersion?: number,
): Promise<Appointment> {
  const a = await getAppointment(tx, tenantId, id, true);
  if (!a) throw notFound('Appointment', id);
  if (expectedVersion !== undefined && expectedVersion !== a.version)
    throw conflict(`Appointment ${id} was changed meanwhile (version ${a.version}, expected ${expectedVersion})`);
  return a;
}
