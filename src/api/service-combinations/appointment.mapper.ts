/**
 * An appointment in the seed's shape. What the core's customer holds (name, e-mail, phone, the
 * personal identifier as a keyed hash) lives there; what it does not (first and last name apart,
 * date of birth, numberOfReservations, supportNotes) in the appointment's `attributes.serviceCombination`.
 * The personal identifier is never stored in clear, nor answered.
 */
import type { Core } from '../../core/core.ts';
import type { Appointment, Customer, Principal, Service, Site } from '../../core/types.ts';
import type { AppointmentCreate } from './combinations.schemas.ts';
import { branchView, localTime, servicesInVisit } from './visit.mapper.ts';

/** The facade's own part of an appointment's attributes. */
export const ATTRIBUTES_KEY = 'serviceCombination';

export interface VisitAttributes {
  customer: { firstName: string | null; lastName: string | null; dateOfBirth: string | null };
  numberOfReservations: number;
  supportNotes: string | null;
}

export function visitAttributes(body: AppointmentCreate, numberOfReservations: number): VisitAttributes {
  return {
    customer: {
      firstName: body.customer.firstName,
      lastName: body.customer.lastName,
      dateOfBirth: body.customer.dateOfBirth ?? null,
    },
    numberOfReservations,
    supportNotes: body.supportNotes ?? null,
  };
}

export const attributesOf = (a: Appointment): Partial<VisitAttributes> =>
  (a.attributes[ATTRIBUTES_KEY] as Partial<VisitAttributes> | undefined) ?? {};

/** The catalog and customers an answer needs, each read once per request. */
export function createLookup(core: Core, principal: Principal | null, tenantId: string) {
  const services = new Map<string, Promise<Service>>();
  const sites = new Map<string, Promise<Site>>();
  const once = <T>(cache: Map<string, Promise<T>>, id: string, load: () => Promise<T>) => {
    const known = cache.get(id);
    if (known) return known;
    const loading = load();
    cache.set(id, loading);
    return loading;
  };
  return {
    service: (id: string) => once(services, id, () => core.catalog.getService(principal, tenantId, id)),
    site: (id: string) => once(sites, id, () => core.catalog.getSite(principal, tenantId, id)),
    customer: (id: string | null): Promise<Customer | null> =>
      id ? core.booking.getCustomer(principal, tenantId, id) : Promise.resolve(null),
  };
}
export type Lookup = ReturnType<typeof createLookup>;

/** A customer stored by another API has one name: it is answered whole as firstName. */
function customerView(a: Appointment, c: Customer | null) {
  const own = attributesOf(a).customer;
  return {
    firstName: own?.firstName ?? c?.name ?? null,
    lastName: own?.lastName ?? null,
    phoneNumber: c?.phone ?? null,
    email: c?.email ?? null,
    dateOfBirth: own?.dateOfBirth ?? null,
  };
}

export async function toVisit(a: Appointment, lookup: Lookup, languages: readonly string[]) {
  if (!a.siteId || !a.start || !a.end) throw new Error(`Appointment ${a.id} has no branch or time`);
  const [site, services, customer] = await Promise.all([
    lookup.site(a.siteId),
    Promise.all(a.serviceIds.map((id) => lookup.service(id))),
    lookup.customer(a.customerId),
  ]);
  const inVisit = servicesInVisit(services, site, a.start, a.end, languages);
  const own = attributesOf(a);
  return {
    appointmentId: a.id,
    status: a.status.toUpperCase(),
    timeSlot: { startTime: localTime(a.start, site), endTime: localTime(a.end, site) },
    customer: customerView(a, customer),
    service: { id: inVisit[0].id, name: inVisit[0].name, config: inVisit[0].config },
    services: inVisit,
    branch: branchView(site),
    numberOfReservations: own.numberOfReservations ?? 1,
    supportNotes: own.supportNotes ?? null,
  };
}

/** Only appointments with a branch and a time can be shown in this API's shape. */
export const isVisit = (a: Appointment) => Boolean(a.siteId && a.start && a.end);
