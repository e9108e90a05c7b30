/**
 * A small fuzz run of the service-combinations API against a real started server with the demo
 * branch tenant: requests generated from /openapi/service-combinations.json, broken one way each,
 * with the API's headers (mostly right, sometimes missing, foreign or odd). No 5xx (but load
 * shedding's 503 on a busy machine), no request left unanswered, /health answering throughout.
 */
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { ADMIN_TOKEN } from '../../../bench/lib/server-process.ts';
import { assertFuzzClean } from '../../helpers/fuzz-assertions.ts';
import { fuzzApi, watchHealth } from '../../helpers/fuzz-runner.ts';
import { call } from '../../helpers/fuzz-target.ts';
import type { FuzzContext, OpenApiDoc, Rng } from '../../helpers/openapi-fuzzer.ts';
import { startFuzzServer, type FuzzServer } from '../../helpers/fuzz-server.ts';
import { BASE, SERVICES, TENANT } from './combos.helpers.ts';

const REQUESTS = Number(process.env.FUZZ_SMALL_REQUESTS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 1313);
const LANGUAGES = ['fr_FR', 'ES_es', 'en_UK', 'nl-BE, fr;q=0.5', '*', 'xx', '', 'de_DE;q=0'];

describe(`service combinations: OpenAPI fuzz, ${REQUESTS} requests`, () => {
  let fuzz: FuzzServer;
  before(async () => {
    fuzz = await startFuzzServer('fuzz-combos');
  });
  after(() => fuzz?.stop());

  it('no 5xx, /health always answering', async (t) => {
    const configs = parseYaml(await readFile(new URL('../../../config/demo-tenants.yaml', import.meta.url), 'utf8'), {
      maxAliasCount: 10_000,
    }) as Array<{ tenant: { id: string } }>;
    const loaded = await call(
      fuzz.server.url,
      'PUT',
      '/admin/v1/configuration',
      ADMIN_TOKEN,
      configs.find((c) => c.tenant.id === TENANT),
    );
    const key: string = loaded.body.newApiKey;
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
      const r = await call(
        fuzz.server.url,
        'POST',
        `${BASE}/reservations`,
        key,
        {
          branchId: 'bruxelles-centre',
          serviceIds: SERVICES,
          startTime,
        },
        headers,
      );
      reservations.push(r.body.reservationId);
    }
    const booked = await call(
      fuzz.server.url,
      'POST',
      `${BASE}/appointments`,
      key,
      {
        reservationId: reservations[0],
        customer: { firstName: 'Fuzz', lastName: 'Target', personalIdentifier: 'FUZZ-1' },
      },
      headers,
    );
    const doc = (await call(fuzz.server.url, 'GET', '/openapi/service-combinations.json', ADMIN_TOKEN))
      .body as OpenApiDoc;

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
      return out;
    };
    const ctx: FuzzContext = {
      adapt: adapt as FuzzContext['adapt'],
      pathValues: {
        appointmentId: [booked.body.appointmentId, 'missing'],
        reservationId: [...reservations, '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
      },
    };
    const health = watchHealth(fuzz.server.url);
    const report = await fuzzApi({
      baseUrl: fuzz.server.url,
      doc,
      count: REQUESTS,
      seed: SEED,
      ctx,
      headers: (rng) => {
        const r = rng.next();
        const tenant = r < 0.9 ? TENANT : rng.pick(['other-bank', '', 'Not A Tenant', 'x'.repeat(300)]);
        return {
          authorization: rng.chance(0.95) ? `Bearer ${key}` : rng.pick(['Bearer ', `Bearer ${ADMIN_TOKEN}`, 'Basic x']),
          ...(tenant ? { 'x-tenant-id': tenant } : {}),
          'accept-language': rng.pick(LANGUAGES),
        };
      },
    });
    assertFuzzClean(`service-combinations on ${fuzz.database}`, report, await health.stop(), (m) => t.diagnostic(m));
  });
});
