/**
 * The long fuzz run: ≥ 10,000 malformed requests per API, generated from each API's OpenAPI
 * document (test/helpers/openapi-fuzzer.ts), against a real started server on PostgreSQL and on
 * PGlite (FAULT_DATABASES narrows it). Fails on any 5xx (but load shedding's 503), any request
 * left unanswered, and a /health failing while it runs; /health's times are printed, not asserted.
 * FUZZ_REQUESTS and FUZZ_SEED change the run.
 */
import { test } from 'node:test';
import { ADMIN_TOKEN } from '../../bench/lib/server-process.ts';
import { assertFuzzClean } from '../helpers/fuzz-assertions.ts';
import { fuzzApi, watchHealth } from '../helpers/fuzz-runner.ts';
import { prepareFuzzTarget } from '../helpers/fuzz-target.ts';
import { createStore, KINDS } from './lib/fault-harness.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

for (const kind of KINDS) {
  test(`OpenAPI fuzz on ${kind}: ${REQUESTS} malformed requests per API, no 5xx, /health within 1 s`, {
    timeout: 60 * 60_000,
  }, async (t) => {
    const store = await createStore(kind);
    try {
      const server = await store.start();
      const target = await prepareFuzzTarget(server.url, ADMIN_TOKEN);
      for (const api of ['fieldService', 'admin'] as const) {
        await target.reset();
        const health = watchHealth(server.url);
        const report = await fuzzApi({
          baseUrl: server.url,
          doc: target.docs[api],
          count: REQUESTS,
          seed: SEED + (api === 'admin' ? 0 : 1),
          concurrency: 4,
          ctx: target.ctx,
          headers: target.headers[api],
        });
        assertFuzzClean(`${api} on ${kind}`, report, await health.stop(), (m) => t.diagnostic(m));
      }
    } finally {
      await store.dispose();
    }
  });
}
