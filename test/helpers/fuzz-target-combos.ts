/**
 * The service-combinations API as a fuzz target on a started server: the demo branch tenant loaded
 * over the admin API, three live reservations and one booked visit to aim ids at, bodies adapted to
 * the branch's real services and weekday starts, and the API's headers (mostly right, sometimes
 * missing, foreign or odd).
 */
import { DateTime } from 'luxon';
import { call, loadDemoTenant, type ApiFuzzTarget } from './fuzz-target.ts';
import type { FuzzContext, OpenApiDoc, Rng } from './openapi-fuzzer.ts';

const TENANT = 'benelux-bank';
const BASE = '/external/v1/serviceCombination';
const SERVICES = ['account-opening', 'card-request'];
const LANGUAGES = ['fr_FR', 'ES_es', 'en_UK', 'nl-BE, fr;q=0.5', '*', 'xx', '', 'de_DE;q=0'];

export async function prepareCombosFuzz(baseUrl: string, adminToken: string): Promise<ApiFuzzTarget> {
  const { apiKey: key } = await loadDemoTenant(baseUrl, adminToken, TENANT);
  // Weekday starts the demo branch really offers, 2 to 30 days ahead (the real clock: the server's).
  const starts = Array.from({ length: 29 }, (_, i) =>
    DateTime.now()
      .setZone('Europe/Brussels')
      .plus({ days: 2 + i })
      .startOf('day'),
  )
    .filter((d) => d.weekday <= 5)
    .flatMap((d) => [9, 11, 14].map((h) => d.set({ hour: h }).toISO({ suppressMilliseconds: true }) as string));
  const headers = { 'x-tenant-id': TENANT, 'accept-language': 'en_US' };
  const reservations: string[] = [];
  for (const startTime of starts.slice(0, 3)) {
    const body = { branchId: 'bruxelles-centre', serviceIds: SERVICES, startTime };
    const r = await call(baseUrl, 'POST', `${BASE}/reservations`, key, body, headers);
    if (r.status !== 201) throw new Error(`reservation: ${r.status} ${r.text}`);
    reservations.push(r.body.reservationId);
  }
  const booked = await call(
    baseUrl,
    'POST',
    `${BASE}/appointments`,
    key,
    {
      reservationId: reservations[0],
      customer: { firstName: 'Fuzz', lastName: 'Target', personalIdentifier: 'FUZZ-1' },
    },
    headers,
  );
  if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${booked.text}`);
  const doc = (await call(baseUrl, 'GET', '/openapi/service-combinations.json', adminToken)).body as OpenApiDoc;

  const adapt = (body: unknown, rng: Rng): unknown => {
    if (Array.isArray(body)) return body.map((b) => adapt(b, rng));
    if (!body || typeof body !== 'object') return body;
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, adapt(v, rng)]));
    if ('branchId' in out) out.branchId = 'bruxelles-centre';
    if ('serviceIds' in out) out.serviceIds = rng.pick([SERVICES, [SERVICES[1]], [...SERVICES].reverse()]);
    if ('startTime' in out) out.startTime = rng.pick(starts);
    if ('from' in out) out.from = rng.pick(starts).slice(0, 10);
    if ('to' in out) out.to = rng.pick(starts).slice(0, 10);
    if ('reservationId' in out) out.reservationId = rng.pick(reservations);
    if ('appointmentId' in out) out.appointmentId = rng.pick([booked.body.appointmentId, 'missing']);
    return out;
  };
  return {
    doc,
    ctx: {
      adapt: adapt as FuzzContext['adapt'],
      pathValues: {
        appointmentId: [booked.body.appointmentId, 'missing'],
        reservationId: [...reservations, '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
      },
    },
    headers: (rng) => {
      const r = rng.next();
      const tenant = r < 0.9 ? TENANT : rng.pick(['other-bank', '', 'Not A Tenant', 'x'.repeat(300)]);
      return {
        authorization: rng.chance(0.95) ? `Bearer ${key}` : rng.pick(['Bearer ', `Bearer ${adminToken}`, 'Basic x']),
        ...(tenant ? { 'x-tenant-id': tenant } : {}),
        'accept-language': rng.pick(LANGUAGES),
      };
    },
  };
}
