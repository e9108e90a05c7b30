/**
 * A small fuzz run of the service-combinations API against a real started server with the demo
 * branch tenant: requests generated from /openapi/service-combinations.json, broken one way each,
 * with the API's headers (test/helpers/fuzz-target-combos.ts). No 5xx (but load shedding's 503 on a
 * busy machine), no request left unanswered, /health answering throughout. The long run is in
 * test/faults/openapi-fuzz.fault.ts.
 */
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../../bench/lib/server-process.ts';
import { assertFuzzClean } from '../../helpers/fuzz-assertions.ts';
import { fuzzApi, watchHealth } from '../../helpers/fuzz-runner.ts';
import { prepareCombosFuzz } from '../../helpers/fuzz-target-combos.ts';
import { startFuzzServer, type FuzzServer } from '../../helpers/fuzz-server.ts';

const REQUESTS = Number(process.env.FUZZ_SMALL_REQUESTS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 1313);

describe(`service combinations: OpenAPI fuzz, ${REQUESTS} requests`, () => {
  let fuzz: FuzzServer;
  before(async () => {
    fuzz = await startFuzzServer('fuzz-combos');
  });
  after(() => fuzz?.stop());

  it('no 5xx, /health always answering', async (t) => {
    const target = await prepareCombosFuzz(fuzz.server.url, ADMIN_TOKEN);
    const health = watchHealth(fuzz.server.url);
    const report = await fuzzApi({ baseUrl: fuzz.server.url, count: REQUESTS, seed: SEED, ...target });
    assertFuzzClean(`service-combinations on ${fuzz.database}`, report, await health.stop(), (m) => t.diagnostic(m));
  });
});
