/**
 * The database goes away while requests arrive (PostgreSQL behind a TCP proxy; the machine's
 * shared server is never touched): clients get a 503 quickly (not a hang, not a 500 with a stack
 * trace), /health answers 503, and the service recovers by itself once the database is back.
 * Every API answers in its own error body (field-service, admin, video-call, service-combinations).
 * Two ways to lose it: the server stops (connections reset and refused) and the server hangs
 * (connections open, nothing answers).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { addDays, listWindows, periodStart, SERVICE_ID, SITE_ID, tenantConfig } from '../../bench/lib/fixtures.ts';
import { HttpClient, type HttpResponse } from '../../bench/lib/http-client.ts';
import { startServer, waitFor, type ServerProcess } from '../../bench/lib/server-process.ts';
import { createScratchDatabase, createTempDir, serverUrl, withHostPort } from '../../bench/lib/storage.ts';
import { admin, bookingPath, KINDS, putTenant } from './lib/fault-harness.ts';
import { TcpProxy } from './lib/tcp-proxy.ts';

/**
 * How fast "quickly" is. A stopped database refuses at once; a hung one is only noticed by a
 * deadline: the pool's connection timeout (5 s) for new connections, a statement deadline for
 * connections already open (10 s recommended in src/db/postgres.ts), plus a margin.
 */
const ANSWER_WITHIN_MS = { cut: 8_000, freeze: 15_000 };
/** /health pings with a 2 s timeout. */
const HEALTH_WITHIN_MS = 4_000;
const RECOVER_WITHIN_MS = 30_000;
/** The client's own deadline: past it, the request counts as hung. */
const CLIENT_DEADLINE_MS = 30_000;

type Outcome = { status: number; ms: number; text: string } | { error: string; ms: number };
const settle = (p: Promise<HttpResponse>): Promise<Outcome> =>
  p.then(
    (r) => ({ status: r.status, ms: Math.round(r.ms), text: r.text }),
    (e) => ({ error: String(e), ms: Math.round(e.ms ?? -1) }),
  );
const describe = (o: Outcome) =>
  'error' in o ? `${o.error} after ${o.ms} ms` : `${o.status} after ${o.ms} ms: ${o.text.slice(0, 200)}`;
/** What a stack trace looks like in a body: "at fn (file:line:col)". */
const STACK = /\bat\s+\S+\s+\(?[^\s)]+:\d+:\d+\)?|node_modules|\.ts:\d+/;

async function outage(t: TestContext, mode: 'cut' | 'freeze') {
  const target = new URL(serverUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const scratch = await createScratchDatabase('faults');
  const tmp = createTempDir('faults-outage');
  let server: ServerProcess | null = null;
  const http: HttpClient[] = [];
  try {
    server = await startServer({
      databaseUrl: withHostPort(scratch.url, '127.0.0.1', proxy.port),
      logFile: `${tmp.path}/server.log`,
      logLevel: 'warn',
    });
    const client = new HttpClient(server.url);
    http.push(client);
    const doc = tenantConfig('outage', 5);
    const tenantId = doc.tenant.id;
    const apiKey = await putTenant(client, doc);
    const path = await bookingPath(client, tenantId, apiKey);
    t.diagnostic(`booking through ${path.name}`);
    const now = new Date();
    const from = periodStart(now, 3);
    const windows = listWindows(doc, from, addDays(from, 60), now);
    let w = 0;
    const book = (key: string) =>
      settle(path.book(client, tenantId, apiKey, windows[w++], `${mode}-${key}`, CLIENT_DEADLINE_MS));
    const slotQuery = () =>
      new URLSearchParams({
        serviceIds: SERVICE_ID,
        siteId: SITE_ID,
        from: from.toISOString(),
        to: addDays(from, 7).toISOString(),
      });
    const slots = () =>
      settle(
        client.request('GET', `/admin/v1/tenants/${tenantId}/slots?${slotQuery()}`, {
          headers: { authorization: `Bearer ${apiKey}` },
          timeoutMs: CLIENT_DEADLINE_MS,
        }),
      );
    const list = () =>
      settle(
        client.request('GET', `/admin/v1/tenants/${tenantId}/appointments?limit=5`, {
          headers: admin,
          timeoutMs: CLIENT_DEADLINE_MS,
        }),
      );
    const health = () => settle(client.request('GET', '/health', { timeoutMs: CLIENT_DEADLINE_MS }));
    // The other APIs answer the outage in their own error bodies: the video-call API's public count (no
    // credentials) and the service-combinations API's read of a visit.
    const videoCount = () =>
      settle(
        client.request(
          'GET',
          `/api/appointments/count?applicationId=${crypto.randomUUID()}&start=${from.toISOString()}&timeFrame=P1D`,
          { timeoutMs: CLIENT_DEADLINE_MS },
        ),
      );
    const visit = () =>
      settle(
        client.request('GET', `/external/v1/serviceCombination/appointments/${crypto.randomUUID()}`, {
          headers: { authorization: `Bearer ${apiKey}`, 'x-tenant-id': tenantId, 'accept-language': 'en_US' },
          timeoutMs: CLIENT_DEADLINE_MS,
        }),
      );

    const before = await book('before');
    assert.ok('status' in before && before.status === 201, `booking works before the outage: ${describe(before)}`);

    // Requests in flight when the database goes.
    const inFlight = Array.from({ length: 8 }, (_, i) => book(`inflight-${i}`));
    if (mode === 'cut') await proxy.cut();
    else proxy.freeze();
    // Requests that arrive while it is gone.
    const during = await Promise.all([
      book('during-1'),
      book('during-2'),
      slots(),
      list(),
      book('during-3'),
      videoCount(),
      visit(),
    ]);
    const healthDuring = await health();
    const settled = await Promise.all(inFlight);

    t.diagnostic(`in flight: ${settled.map(describe).join(' | ')}`);
    t.diagnostic(`during: ${during.map(describe).join(' | ')}`);
    t.diagnostic(`/health during: ${describe(healthDuring)}`);
    for (const o of [...settled, ...during]) {
      assert.ok(!('error' in o), `answered, not hung: ${describe(o)}`);
      if ('error' in o) continue;
      assert.ok(o.status === 503 || o.status === 201, `503 (or 201 if it committed before the outage): ${describe(o)}`);
      assert.ok(!STACK.test(o.text), `no stack trace in the body: ${o.text}`);
    }
    for (const o of during) {
      assert.ok('status' in o && o.status === 503, `a request during the outage gets 503: ${describe(o)}`);
      assert.ok(o.ms <= ANSWER_WITHIN_MS[mode], `within ${ANSWER_WITHIN_MS[mode]} ms: ${describe(o)}`);
    }
    const [spring, combination] = during.slice(-2).map((o) => ('text' in o ? JSON.parse(o.text) : null));
    assert.deepEqual(
      [spring?.status, spring?.error, typeof spring?.timestamp, spring?.path?.split('?')[0]],
      [503, 'Service Unavailable', 'string', '/api/appointments/count'],
      `the video-call API answers in Spring's error body: ${JSON.stringify(spring)}`,
    );
    assert.deepEqual(
      [combination?.status, Array.isArray(combination?.details)],
      [503, true],
      `the service-combinations API answers in its error body: ${JSON.stringify(combination)}`,
    );
    assert.ok('status' in healthDuring && healthDuring.status === 503, `/health says so: ${describe(healthDuring)}`);
    assert.ok(
      healthDuring.ms <= HEALTH_WITHIN_MS,
      `/health answers within ${HEALTH_WITHIN_MS} ms: ${describe(healthDuring)}`,
    );

    // The database returns; nobody restarts the service.
    await proxy.restore();
    const healthy = await waitFor(
      '/health to answer 200',
      async () => ((await health()) as { status?: number }).status === 200 || undefined,
      RECOVER_WITHIN_MS,
      200,
    );
    assert.ok(healthy);
    const after = await book('after');
    assert.ok('status' in after && after.status === 201, `booking works again: ${describe(after)}`);
    const afterSlots = await slots();
    assert.ok('status' in afterSlots && afterSlots.status === 200, `slot search works again: ${describe(afterSlots)}`);
    assert.equal(server.child.exitCode, null, 'the process stayed up');
  } finally {
    for (const c of http) c.close();
    if (server) await server.stop('SIGTERM', 10_000);
    await proxy.close();
    await scratch.drop();
    tmp.remove();
  }
}

const skip = !KINDS.includes('postgres');
test(
  'the database stops (connections reset, refused): 503 quickly, /health 503, recovers by itself',
  { skip, timeout: 180_000 },
  (t) => outage(t, 'cut'),
);
test(
  'the database hangs (connections open, no answer): 503 quickly, /health 503, recovers by itself',
  { skip, timeout: 180_000 },
  (t) => outage(t, 'freeze'),
);
