/**
 * A small fuzz run in the normal suite (the long one, 10,000 requests per API on both databases,
 * is test/faults/openapi-fuzz.fault.ts): malformed requests generated from each API's OpenAPI
 * document against a real started server, on PGlite (or TEST_DATABASE_URL's PostgreSQL). Any 5xx
 * (but load shedding's 503 on a busy machine), any request left unanswered, or a /health failing
 * meanwhile fails it; how long /health took is printed, not asserted.
 */
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../../bench/lib/server-process.ts';
import { assertFuzzClean } from '../../helpers/fuzz-assertions.ts';
import { fuzzApi, watchHealth } from '../../helpers/fuzz-runner.ts';
import { prepareFuzzTarget, type FuzzTarget } from '../../helpers/fuzz-target.ts';
import { startFuzzServer, type FuzzServer } from '../../helpers/fuzz-server.ts';

const REQUESTS = Number(process.env.FUZZ_SMALL_REQUESTS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 1313);

describe(`OpenAPI fuzz, ${REQUESTS} requests per API`, () => {
  let fuzz: FuzzServer;
  let target: FuzzTarget;
  before(async () => {
    fuzz = await startFuzzServer('fuzz-small');
    target = await prepareFuzzTarget(fuzz.server.url, ADMIN_TOKEN);
  });
  after(() => fuzz?.stop());

  for (const api of ['fieldService', 'admin'] as const) {
    it(`${api}: no 5xx, /health always answering`, async (t) => {
      await target.reset();
      const health = watchHealth(fuzz.server.url);
      const report = await fuzzApi({
        baseUrl: fuzz.server.url,
        doc: target.docs[api],
        count: REQUESTS,
        seed: SEED + (api === 'admin' ? 0 : 1),
        ctx: target.ctx,
        headers: target.headers[api],
      });
      assertFuzzClean(`${api} on ${fuzz.database}`, report, await health.stop(), (m) => t.diagnostic(m));
    });
  }
});
