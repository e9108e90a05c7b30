/**
 * The long fuzz run: ≥ 10,000 malformed requests per API (field service, admin, service
 * combinations, video call), generated from each API's OpenAPI document (test/helpers/openapi-fuzzer.ts),
 * against a real started server on PostgreSQL and on PGlite (FAULT_DATABASES narrows it). Fails on any
 * 5xx (but load shedding's 503), any request left unanswered, and a /health failing while it runs;
 * /health's times are printed, not asserted. FUZZ_REQUESTS and FUZZ_SEED change the run.
 */
import { test } from 'node:test';
import { ADMIN_TOKEN } from '../../bench/lib/server-process.ts';
import { startSmtpSink } from '../notifications/notification-helpers.ts';
import { assertFuzzClean } from '../helpers/fuzz-assertions.ts';
import { fuzzApi, watchHealth } from '../helpers/fuzz-runner.ts';
import { prepareFuzzTarget, type ApiFuzzTarget } from '../helpers/fuzz-target.ts';
import { prepareCombosFuzz } from '../helpers/fuzz-target-combos.ts';
import { prepareVideoCallFuzz } from '../helpers/fuzz-target-video-call.ts';
import { createStore, KINDS } from './lib/fault-harness.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
/** The video-call API reads roles from JWTs: the server verifies them with this secret. */
const JWT_SECRET = 'fuzz-jwt-secret-0123456789-0123456789-abcdef';

for (const kind of KINDS) {
  test(`OpenAPI fuzz on ${kind}: ${REQUESTS} malformed requests per API, no 5xx, /health within 1 s`, {
    timeout: 60 * 60_000,
  }, async (t) => {
    const store = await createStore(kind);
    // The customers' one-time codes of the video-call API go out by e-mail: a real SMTP server receives them.
    const smtp = await startSmtpSink();
    try {
      const server = await store.start({ env: { JWT_SECRET, SMTP_URL: smtp.url } });
      const target = await prepareFuzzTarget(server.url, ADMIN_TOKEN);
      const ofTarget = async (api: 'admin' | 'fieldService'): Promise<ApiFuzzTarget> => {
        await target.reset();
        return { doc: target.docs[api], ctx: target.ctx, headers: target.headers[api] };
      };
      // Each API's setup runs just before its own fuzz: what an earlier run changed does not leak into it.
      const apis: Array<{ name: string; seed: number; prepare: () => Promise<ApiFuzzTarget> }> = [
        { name: 'fieldService', seed: SEED + 1, prepare: () => ofTarget('fieldService') },
        { name: 'admin', seed: SEED, prepare: () => ofTarget('admin') },
        { name: 'serviceCombinations', seed: SEED + 2, prepare: () => prepareCombosFuzz(server.url, ADMIN_TOKEN) },
        {
          name: 'videoCall',
          seed: SEED + 3,
          prepare: () =>
            prepareVideoCallFuzz(server.url, ADMIN_TOKEN, { jwtSecret: JWT_SECRET, mailbox: () => smtp.received }),
        },
      ];
      for (const api of apis) {
        const prepared = await api.prepare();
        const health = watchHealth(server.url);
        const report = await fuzzApi({
          baseUrl: server.url,
          count: REQUESTS,
          seed: api.seed,
          concurrency: 4,
          ...prepared,
        });
        assertFuzzClean(`${api.name} on ${kind}`, report, await health.stop(), (m) => t.diagnostic(m));
      }
    } finally {
      await store.dispose();
      await smtp.close();
    }
  });
}
