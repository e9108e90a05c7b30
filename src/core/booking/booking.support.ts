import type { Queryable } from '../../db/database.ts';
import { getServices } from '../catalog/service.repository.ts';
import { getSite, listServiceAreaSites } from '../catalog/site.repository.ts';
import { getTenant } from '../catalog/tenant.repository.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Appointment, CustomerInput, Principal, Service, Site } from '../types.ts';
import { requireAccess, type Permission } from '../access/access.ts';
import * as appointments from './appointment.repository.ts';
import type { LocationInput, NoteInput } from './booking.types.ts';
import { findCustomerIdByPersonalId, upsertCustomer } from './customer.repository.ts';

export type BookingSupport = ReturnType<typeof createBookingSupport>;

/** What the booking use cases share: access, loading services and sites, customers, notes, row locks. */
export function createBookingSupport(deps: CoreDeps) {
  const { db } = deps;

  /**
   * The access check, plus, for the operator's credentials (which pass any tenant), that the tenant
   * exists: a tenant's own credentials prove that already.
   */
  async function access(p: Principal | null, tenantId: string, permission: Permission): Promise<Principal> {
    const principal = requireAccess(p, tenantId, permission);
    if (principal.tenantId === null && !(await getTenant(db, tenantId))) throw notFound('Tenant', tenantId);
    return principal;
  }

  async function loadServices(q: Queryable, tenantId: string, serviceIds: string[]): Promise<Service[]> {
    if (serviceIds.length === 0) throw invalidInput('At least one service is required', [{ field: 'serviceIds', message: 'is empty' }]);
    const found = await getServices(q, tenantId, serviceIds);
    const byId = new Map(found.map((s) => [s.id, s]));
    const missing = serviceIds.filter((id) => !byId.has(id));
    if (missing.length) throw invalidInput(`Unknown service ${missing.join(', ')}`, [{ field: 'serviceIds', message: `unknown ${missing.join(', ')}` }]);
    return serviceIds.map((id) => byId.get(id)!);
  }

  /** A site by id, or the territory whose service area holds the address (longest address-id prefix first, then postal code). */
  async function resolveSite(q: Queryable, tenantId: string, loc: LocationInput): Promise<Site> {
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

  async function saveCustomer(q: Queryable, tenantId: string, c: CustomerInput | undefined): Promise<string | null> {
    if (!c) return null;
    const hash = c.personalId ? deps.hashPersonalId(c.personalId.trim().toUpperCase()) : c.personalId === null ? null : undefined;
    const id = c.id ?? (hash ? await findCustomerIdByPersonalId(q, tenantId, hash) : null) ?? deps.newId();
    await upsertCustomer(q, { tenantId, id, name: c.name, email: c.email, phone: c.phone, language: c.language, personalIdHash: hash }, deps.now());
    return id;
  }

  const toNotes = (notes: NoteInput[] | undefined) =>
    (notes ?? []).map((n) => ({ author: n.author ?? null, date: n.date ?? deps.now(), text: n.text }));

  async function lockAppointment(tx: Queryable, tenantId: string, id: string, expectedVersion?: number): Promise<Appointment> {
    const a = await appointments.getAppointment(tx, tenantId, id, true);
    if (!a) throw notFound('Appointment', id);
    if (expectedVersion !== undefined && expectedVersion !== a.version)
      throw conflict(`Appointment ${id} was changed meanwhile (version ${a.version}, expected ${expectedVersion})`);
    return a;
  }

  async function siteOf(tx: Queryable, a: Appointment, loc?: LocationInput): Promise<Site> {
    if (loc && (loc.siteId || loc.addressId || loc.postalCode)) return resolveSite(tx, a.tenantId, loc);
    if (!a.siteId) throw invalidInput('The appointment has no site: give a location', [{ field: 'location', message: 'missing' }]);
    return (await getSite(tx, a.tenantId, a.siteId))!;
  }

  return { access, loadServices, resolveSite, saveCustomer, toNotes, lockAppointment, siteOf };
}
