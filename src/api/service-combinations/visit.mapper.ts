/**
 * Core words → this API's: a site is a branch (address line1 → streetName, postalCode → zipCode,
 * geo → location), services carry their localized name and `config.maxNumberOfReservations`, and a
 * visit of several services lists each one with its own time (back to back, as the slot engine lays
 * them out from the visit's start). Times are in the branch's zone with its offset.
 */
import { DateTime } from 'luxon';
import { allocationInterval } from '../../core/availability/slot-engine.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Service, Site } from '../../core/types.ts';
import { MAX_RESERVATIONS } from './combinations.schemas.ts';
import { localizedName } from './language.ts';

/** An instant in the branch's zone with its offset, to the second as the seed writes it: 2030-03-04T09:00:00+01:00. */
export const localTime = (d: Date, site: Site): string =>
  DateTime.fromMillis(Math.floor(d.getTime() / 1000) * 1000, { zone: site.timeZone }).toISO({
    suppressMilliseconds: true,
  }) as string;

/** The service's own limit, or the API's bound when it sets none. */
const maxReservationsOf = (s: Service): number => s.maxNumberOfReservations ?? MAX_RESERVATIONS;

/** numberOfReservations above any service's maxNumberOfReservations → 400, naming the service. */
export function checkReservations(services: Service[], n: number | undefined): number {
  const count = n ?? 1;
  for (const s of services)
    if (count > maxReservationsOf(s))
      throw invalidInput(
        `numberOfReservations ${count} is more than service ${s.id} allows (maxNumberOfReservations ` +
          `${maxReservationsOf(s)})`,
        [{ field: 'numberOfReservations', message: `must be at most ${maxReservationsOf(s)}` }],
      );
  return count;
}

export function serviceView(s: Service, languages: readonly string[]) {
  return { id: s.id, name: localizedName(s, languages), config: { maxNumberOfReservations: maxReservationsOf(s) } };
}

/** Each service of a visit starting at `start` (ending at `end`), with its own time, in order. */
export function servicesInVisit(services: Service[], site: Site, start: Date, end: Date, languages: readonly string[]) {
  const engine = services.map((s) => ({
    id: s.id,
    durationMin: s.durationMin,
    bufferBeforeMin: s.bufferBeforeMin,
    bufferAfterMin: s.bufferAfterMin,
  }));
  const { segments } = allocationInterval(engine, services[0].slotPolicy, start.getTime(), end.getTime());
  return services.map((s, i) => ({
    ...serviceView(s, languages),
    timeSlot: {
      startTime: localTime(new Date(segments[i].start), site),
      endTime: localTime(new Date(segments[i].end), site),
    },
  }));
}

export function branchView(site: Site) {
  return {
    id: site.id,
    name: site.name,
    address: {
      streetName: site.address?.line1 ?? null,
      zipCode: site.address?.postalCode ?? null,
      city: site.address?.city ?? null,
      country: site.address?.country ?? null,
    },
    location: site.geo ? { longitude: site.geo.lon, latitude: site.geo.lat } : null,
  };
}
