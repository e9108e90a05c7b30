/**
 * npm run bench: booking throughput against a driver-only baseline, the same with a webhook
 * subscription (delivery rate and delay), slot search cost, contention and memory, on PostgreSQL (BENCH_DATABASE_URL,
 * default the local server) and on PGlite. Prints one table and writes bench/results/latest.json. BENCH_QUICK=1: a
 * short run for CI.
 *
 * Env: BENCH_QUICK=1, BENCH_DATABASES=postgres,pglite, BENCH_CONCURRENCY (booking clients, 16),
 * BENCH_LOG_LEVEL (server LOG_LEVEL, default info as in production), BENCH_CPU_PROF=1 (write
 * V8 CPU profiles of the server to bench/results/profiles/).
 */
import { cpus, loadavg, totalmem, release } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { searchSlots } from '../src/core/availability/slot-engine.ts';
import { findBusy } from '../src/core/availability/busy.repository.ts';
import { findEligibleResources } from '../src/core/catalog/resource.repository.ts';
import type { Runtime } from '../src/runtime.ts';
import { detectBookingPath, type BookingPath } from './lib/booking-paths.ts';
import {
  addDays,
  bookHalfCapacity,
  engineQuery,
  listWindows,
  periodStart,
  SERVICE_ID,
  SITE_ID,
  tenantConfig,
  type TenantDoc,
} from './lib/fixtures.ts';
import { HttpClient, runConcurrent } from './lib/http-client.ts';
import { applyTenant, coreOver, countAllOverlaps, countingDatabase, openRuntime } from './lib/in-process.ts';
import { ADMIN_TOKEN, PII_HASH_KEY, REPO_ROOT, startServer, type ServerProcess } from './lib/server-process.ts';
import { table, type DbResult, type SlotCase } from './lib/report.ts';
import { growthExponent, round, summarize, type LatencySummary } from './lib/stats.ts';
import { createScratchDatabase, createTempDir, serverUrl } from './lib/storage.ts';
import { deliveredPerSecond, recordToReceipt, startBenchReceiver } from './lib/webhook-receiver.ts';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { databaseCpu, processCpuMs } from './lib/cpu.ts';

type Kind = 'postgres' | 'pglite';

const QUICK = process.env.BENCH_QUICK === '1';
const KINDS = (process.env.BENCH_DATABASES ?? 'postgres,pglite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Kind[];
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Sizes of a run: the full run measures longer; the quick one only proves the harness works. */
const SIZE = {
  booking: {
    postgres: QUICK ? { warmup: 150, measured: 600 } : { warmup: 300, measured: 5000 },
    pglite: QUICK ? { warmup: 60, measured: 250 } : { warmup: 150, measured: 2000 },
  },
  slotSearch: QUICK
    ? { httpIterations: 12, engineIterations: 30, warmup: 3 }
    : { httpIterations: 100, engineIterations: 200, warmup: 10 },
  technicians: [10, 50, 200],
  /** The quick run leaves out 90 days: its set-up alone takes PGlite ~15 s. */
  days: QUICK ? [7, 30] : [7, 30, 90],
  /** The goal's case: p50 <= 5 ms for 50 technicians x 14 days through HTTP (issue 8). */
  goalCase: { technicians: 50, days: 14 },
  slotGoalMs: 5,
  contention: { clients: 200, capacity: 20 },
  bookingTechnicians: 10,
};

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// ---------------------------------------------------------------------------------------------

async function machine() {
  let postgres = 'unknown';
  if (KINDS.includes('postgres')) {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    postgres = (await c.query('SHOW server_version')).rows[0].server_version;
    await c.end();
  }
  return {
    /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews every number. */
    loadAverage: loadavg().map((l) => round(l, 2)),
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${process.platform} ${release()}`,
    postgres,
    loadAverageAtEnd: [] as number[],
  };
}

/**
 * Slot-search tenants (10, 50, 200 technicians), half of their capacity booked over 91 days; engine timings on the
 * loaded data.
 */
async function prepareSlotSearch(runtime: Runtime, from: Date, now: Date) {
  const keys = new Map<number, string>();
  const engine = new Map<string, { summary: LatencySummary; slots: number; busyIntervals: number }>();
  const cases = [
    ...SIZE.technicians.flatMap((t) => SIZE.days.map((d) => ({ technicians: t, days: d }))),
    SIZE.goalCase,
  ];
  for (const technicians of SIZE.technicians) {
    const doc = tenantConfig(`ss-${technicians}`, technicians);
    const key = await applyTenant(runtime, doc);
    keys.set(technicians, key!);
    const t0 = performance.now();
    const booked = await bookHalfCapacity(
      runtime.db,
      doc,
      from,
      addDays(from, Math.max(...SIZE.days, SIZE.goalCase.days) + 1),
      now,
    );
    log(`  ss-${technicians}: ${booked} bookings prefilled in ${Math.round(performance.now() - t0)} ms`);
  }
  // The engine alone, on exactly what computeSlots would load for the search.
  for (const c of cases) {
    const doc = tenantConfig(`ss-${c.technicians}`, c.technicians);
    const to = addDays(from, c.days);
    const resources = await findEligibleResources(runtime.db, doc.tenant.id, SITE_ID, [SERVICE_ID]);
    const { rows } = await findBusy(
      runtime.db,
      doc.tenant.id,
      resources.map((r) => r.id),
      addDays(from, -1),
      addDays(to, 1),
      now,
      null,
    );
    const busy = new Map<string, Array<{ start: number; end: number }>>();
    for (const b of rows) {
      const list = busy.get(b.resource_id) ?? [];
      list.push({ start: b.start, end: b.end });
      busy.set(b.resource_id, list);
    }
    const query = engineQuery(doc, from, to, now, busy);
    let slots = 0;
    const samples: number[] = [];
    for (let i = 0; i < SIZE.slotSearch.warmup + SIZE.slotSearch.engineIterations; i++) {
      const t = performance.now();
      slots = searchSlots(query).length;
      if (i >= SIZE.slotSearch.warmup) samples.push(performance.now() - t);
    }
    engine.set(`${c.technicians}x${c.days}`, { summary: summarize(samples), slots, busyIntervals: rows.length });
  }
  return { keys, engine, cases };
}

async function runBooking(
  http: HttpClient,
  path: BookingPath,
  tenantId: string,
  apiKey: string,
  windows: ReturnType<typeof listWindows>,
  size: { warmup: number; measured: number },
  tag: string,
  /** The server's pid, to measure its CPU (and, on PostgreSQL, the backends' of this database). */
  serverPid?: number,
  databaseUrl?: string,
) {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const one = async (j: number, record: boolean) => {
    // Round-robin over the windows: concurrent requests always target distinct free windows.
    const window = windows[j % windows.length];
    try {
      const r = await path.book(http, tenantId, apiKey, window, `${tag}-${j}`);
      if (r.status !== 201) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${r.status} ${r.text.slice(0, 300)}`);
      } else if (record) latencies.push(r.ms);
    } catch (e) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(String(e));
    }
  };
  await runConcurrent(size.warmup, CONCURRENCY, (j) => one(j, false));
  // CPU of the server process and (PostgreSQL) of its backends over the measured bookings only.
  const backends = serverPid && databaseUrl ? await databaseCpu(databaseUrl) : null;
  await backends?.start();
  const cpu0 = serverPid ? processCpuMs(serverPid) : Number.NaN;
  const t0 = performance.now();
  await runConcurrent(size.measured, CONCURRENCY, (j) => one(size.warmup + j, true));
  const seconds = (performance.now() - t0) / 1000;
  const serverCpuMs = serverPid ? processCpuMs(serverPid) - cpu0 : Number.NaN;
  const databaseCpuMs = backends ? await backends.stop() : Number.NaN;
  return {
    perSecond: round(latencies.length / seconds, 1),
    latency: summarize(latencies),
    errors,
    errorSamples,
    serverCpuMsPerBooking: round(serverCpuMs / size.measured, 2),
    databaseCpuMsPerBooking: round(databaseCpuMs / size.measured, 2),
  };
}

async function runBaseline(
  kind: Kind,
  store: { databaseUrl?: string; dataDir?: string },
  path: BookingPath,
  windows: ReturnType<typeof listWindows>,
  size: { warmup: number; measured: number },
  tag: string,
) {
  const runtime = await openRuntime(store);
  try {
    const doc = tenantConfig('bench-baseline', SIZE.bookingTechnicians);
    await applyTenant(runtime, doc);
    const ctx = { db: runtime.db, jobs: runtime.jobs, tenantId: doc.tenant.id, piiHashKey: PII_HASH_KEY };
    // The baseline must run what the use case runs: count both, once, on windows the runs never reach.
    // A core with its catalog in memory already (as a running server's), then one booking counted.
    const counting = countingDatabase(runtime.db);
    const core = coreOver(runtime, counting.db);
    await path.throughCore(core, doc.tenant.id, windows[windows.length - 3], `${tag}-warm`);
    counting.reset();
    await path.throughCore(core, doc.tenant.id, windows[windows.length - 1], `${tag}-core`);
    const statements = { api: counting.count(), baseline: 0 };
    counting.reset();
    // The baseline is the 15-statement path of before issue 8, kept as a secondary comparison.
    await path.baseline({ ...ctx, db: counting.db }, windows[windows.length - 2], `${tag}-count`);
    statements.baseline = counting.count();
    const latencies: number[] = [];
    let failures = 0;
    const one = async (j: number, record: boolean) => {
      const t = performance.now();
      try {
        await path.baseline(ctx, windows[j % windows.length], `${tag}-${j}`);
        if (record) latencies.push(performance.now() - t);
      } catch (e) {
        if (failures++ === 0) log(`  baseline failure (${kind}): ${String(e)}`);
      }
    };
    await runConcurrent(size.warmup, CONCURRENCY, (j) => one(j, false));
    const t0 = performance.now();
    await runConcurrent(size.measured, CONCURRENCY, (j) => one(size.warmup + j, true));
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: round(latencies.length / seconds, 1), latency: summarize(latencies), failures, statements };
  } finally {
    await runtime.close();
  }
}

/**
 * Outgoing webhooks: the same bookings for a tenant with one subscription to a receiver on
 * loopback (the booking rate beside the plain one shows the publisher's cost), then every one of
 * those events replayed at once and drained (events delivered per second). Record-to-receipt
 * delays are computed once the server has stopped.
 */
async function runWebhooks(
  http: HttpClient,
  path: BookingPath,
  tenantId: string,
  apiKey: string,
  windows: ReturnType<typeof listWindows>,
  size: { warmup: number; measured: number },
  tag: string,
  receiver: Awaited<ReturnType<typeof startBenchReceiver>>,
) {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const base = `/admin/v1/tenants/${tenantId}/webhooks`;
  const sub = await http.request('POST', base, { headers: admin, body: { url: receiver.url } });
  if (sub.status !== 201) throw new Error(`webhook subscription: ${sub.status} ${sub.text}`);
  const from = new Date(Date.now() - 60_000);
  const live = await runBooking(http, path, tenantId, apiKey, windows, size, `${tag}w`);
  await receiver.waitFor(size.warmup + size.measured - live.errors, 120_000);
  const liveArrivals = receiver.nextPhase();
  const replay = await http.request('POST', `${base}/${sub.body.id}/replay`, {
    headers: admin,
    body: { from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
  });
  if (replay.status !== 202) throw new Error(`webhook replay: ${replay.status} ${replay.text}`);
  await receiver.waitFor(replay.body.queued, 300_000);
  const drained = [...receiver.arrivals().values()];
  return {
    live,
    liveArrivals,
    backlog: { events: drained.length, perSecond: deliveredPerSecond(drained) },
    errors: live.errors,
    duplicates: receiver.requests() - liveArrivals.size - drained.length,
  };
}

/**
 * The database's own limit for a booking: one bare INSERT … ON CONFLICT DO NOTHING of a
 * non-overlapping allocation into the same table (same constraints), through the same driver
 * (the server's pool of 10, or PGlite in-process), at the same concurrency. No HTTP, no checks.
 */
async function runLimit(store: { databaseUrl?: string; dataDir?: string }, size: { warmup: number; measured: number }) {
  const runtime = await openRuntime(store);
  try {
    const doc = tenantConfig('bench-limit', SIZE.bookingTechnicians);
    await applyTenant(runtime, doc);
    const resources = (
      await runtime.db.query<{ resource_id: string }>(
        'SELECT resource_id FROM resources WHERE tenant_id = $1 ORDER BY resource_id',
        [doc.tenant.id],
      )
    ).rows.map((r) => r.resource_id);
    const base = Date.UTC(2031, 0, 1);
    let failures = 0;
    const one = async (j: number) => {
      // Each resource gets consecutive hours: no two inserts overlap.
      const start = base + Math.floor(j / resources.length) * 3_600_000;
      const id = randomUUID();
      const r = await runtime.db.query(
        `INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id,
          hold_id, expires_at, active)
         VALUES ($1, $2, $3, tstzrange($4, $5), $2, 1, $2, NULL, NULL, true) ON CONFLICT DO NOTHING`,
        [doc.tenant.id, id, resources[j % resources.length], new Date(start), new Date(start + 3_600_000)],
      );
      if (r.rowCount !== 1) failures++;
    };
    await runConcurrent(size.warmup, CONCURRENCY, (j) => one(j));
    const t0 = performance.now();
    await runConcurrent(size.measured, CONCURRENCY, (j) => one(size.warmup + j));
    const seconds = (performance.now() - t0) / 1000;
    if (failures) throw new Error(`limit: ${failures} inserts refused`);
    return { perSecond: round(size.measured / seconds, 1) };
  } finally {
    await runtime.close();
  }
}

/** Process start to the first 200 from /health, in ms. */
async function timeToHealthy(start: () => Promise<ServerProcess>): Promise<{ server: ServerProcess; ms: number }> {
  const t0 = performance.now();
  const server = await start();
  const probe = new HttpClient(server.url);
  try {
    for (;;) {
      const r = await probe.request('GET', '/health').catch(() => null);
      if (r?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    probe.close();
  }
  return { server, ms: Math.round(performance.now() - t0) };
}

async function runContention(
  http: HttpClient,
  path: BookingPath,
  tenantId: string,
  apiKey: string,
  window: ReturnType<typeof listWindows>[number],
  tag: string,
) {
  const { clients } = SIZE.contention;
  let succeeded = 0;
  let conflicts = 0;
  let otherErrors = 0;
  const samples: string[] = [];
  const t0 = performance.now();
  // All clients at once: each one request for the same window.
  await runConcurrent(clients, clients, async (j) => {
    try {
      const r = await path.book(http, tenantId, apiKey, window, `${tag}-${j}`, 60_000);
      if (r.status === 201) succeeded++;
      else if (r.status === 409) conflicts++;
      else {
        otherErrors++;
        if (samples.length < 3) samples.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    } catch (e) {
      otherErrors++;
      if (samples.length < 3) samples.push(String(e));
    }
  });
  const ms = performance.now() - t0;
  if (samples.length) log(`  contention errors: ${samples.join(' | ')}`);
  return {
    attempts: clients,
    succeeded,
    conflicts,
    otherErrors,
    ms: Math.round(ms),
    answersPerSecond: round(clients / (ms / 1000), 1),
  };
}

async function slotSearchHttp(http: HttpClient, tenantId: string, apiKey: string, from: Date, days: number) {
  const qs = new URLSearchParams({
    serviceIds: SERVICE_ID,
    siteId: SITE_ID,
    from: from.toISOString(),
    to: addDays(from, days).toISOString(),
  });
  const samples: number[] = [];
  let slots = 0;
  for (let i = 0; i < SIZE.slotSearch.warmup + SIZE.slotSearch.httpIterations; i++) {
    const r = await http.request('GET', `/admin/v1/tenants/${tenantId}/slots?${qs}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (r.status !== 200) throw new Error(`slot search ${tenantId} ${days}d: ${r.status} ${r.text.slice(0, 300)}`);
    slots = r.body.slots.length;
    if (i >= SIZE.slotSearch.warmup) samples.push(r.ms);
  }
  return { summary: summarize(samples), slots };
}

async function benchDatabase(kind: Kind): Promise<DbResult> {
  const started = performance.now();
  const now = new Date();
  const tag = `${kind === 'postgres' ? 'pg' : 'pgl'}${Date.now().toString(36)}`;
  const cleanups: Array<() => Promise<void> | void> = [];
  let server: ServerProcess | null = null;
  let http: HttpClient | null = null;
  try {
    // Stores: a scratch database, or a PGlite folder (and a second one for the in-process baseline).
    let store: { databaseUrl?: string; dataDir?: string };
    let baselineStore: { databaseUrl?: string; dataDir?: string };
    const tmp = createTempDir(`bench-${kind}`);
    cleanups.push(() => tmp.remove());
    if (kind === 'postgres') {
      const scratch = await createScratchDatabase('bench');
      cleanups.push(() => scratch.drop());
      store = { databaseUrl: scratch.url };
      baselineStore = store;
    } else {
      store = { dataDir: join(tmp.path, 'data') };
      baselineStore = { dataDir: join(tmp.path, 'baseline') };
    }

    // 0. Start-up on an empty store (a new database, or an empty PGlite folder): migrations included.
    let emptyStore: { databaseUrl?: string; dataDir?: string };
    if (kind === 'postgres') {
      const empty = await createScratchDatabase('bench');
      cleanups.push(() => empty.drop());
      emptyStore = { databaseUrl: empty.url };
    } else emptyStore = { dataDir: join(tmp.path, 'empty') };
    const emptyStart = await timeToHealthy(() =>
      startServer({ ...emptyStore, logFile: join(tmp.path, 'empty.log'), logLevel: LOG_LEVEL }),
    );
    await emptyStart.server.stop('SIGTERM');
    log(`${kind}: start-up on an empty store ${emptyStart.ms} ms`);

    // 1. Set-up data, in-process, before the server owns the store (PGlite allows one process).
    log(`${kind}: preparing slot-search data`);
    const searchFrom = periodStart(now, 2);
    const prep = await openRuntime(store);
    let ss: Awaited<ReturnType<typeof prepareSlotSearch>>;
    try {
      ss = await prepareSlotSearch(prep, searchFrom, now);
    } finally {
      await prep.close();
    }

    // 2. The server, as `npm start` runs it.
    log(`${kind}: starting the server`);
    const profileDir = join(RESULTS_DIR, 'profiles', kind);
    if (CPU_PROF) mkdirSync(profileDir, { recursive: true });
    const existingStart = await timeToHealthy(() =>
      startServer({
        ...store,
        logFile: join(tmp.path, 'server.log'),
        logLevel: LOG_LEVEL,
        // The webhook receiver listens on loopback over http.
        env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
        nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      }),
    );
    server = existingStart.server;
    log(`${kind}: start-up on the existing store ${existingStart.ms} ms`);
    http = new HttpClient(server.url);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const put = async (doc: TenantDoc) => {
      const r = await http!.request('PUT', '/admin/v1/configuration', { headers: admin, body: doc });
      if (r.status !== 200) throw new Error(`PUT configuration ${doc.tenant.id}: ${r.status} ${r.text}`);
      return r.body.newApiKey as string;
    };
    const bookingDoc = tenantConfig('bench-booking', SIZE.bookingTechnicians);
    const contentionDoc = tenantConfig('bench-contention', SIZE.contention.capacity);
    const bookingKey = await put(bookingDoc);
    const contentionKey = await put(contentionDoc);

    // 3. Booking through HTTP, then the same statements through the driver.
    const path = await detectBookingPath(http, bookingDoc.tenant.id, bookingKey);
    const bookingFrom = periodStart(now, 3);
    const windows = listWindows(bookingDoc, bookingFrom, addDays(bookingFrom, 365), now);
    const size = SIZE.booking[kind];
    log(
      `${kind}: booking via ${path.name}: ${size.measured} requests, ${CONCURRENCY} clients, ${windows.length} windows`,
    );
    const api = await runBooking(
      http,
      path,
      bookingDoc.tenant.id,
      bookingKey,
      windows,
      size,
      `${tag}b`,
      server.pid,
      store.databaseUrl,
    );
    log(
      `${kind}: api ${api.perSecond}/s p50 ${api.latency.p50Ms} ms p99 ${api.latency.p99Ms} ms, errors ${api.errors}`,
    );
    log(`${kind}: baseline (driver only)`);
    const base = await runBaseline(kind, baselineStore, path, windows, size, `${tag}x`);
    log(`${kind}: baseline ${base.perSecond}/s p50 ${base.latency.p50Ms} ms`);
    log(`${kind}: limit (bare INSERT … ON CONFLICT DO NOTHING)`);
    const limit = await runLimit(baselineStore, size);
    log(`${kind}: limit ${limit.perSecond}/s, api / limit ${round(api.perSecond / limit.perSecond, 2)}`);

    // 3b. The same bookings with one webhook subscription, then their events replayed and drained.
    const hooksDoc = tenantConfig('bench-webhooks', SIZE.bookingTechnicians);
    const hooksKey = await put(hooksDoc);
    const receiver = await startBenchReceiver();
    cleanups.push(() => receiver.close());
    log(`${kind}: booking with a webhook subscription, then its events replayed`);
    const hooks = await runWebhooks(http, path, hooksDoc.tenant.id, hooksKey, windows, size, tag, receiver);
    log(
      `${kind}: with webhooks ${hooks.live.perSecond}/s p50 ${hooks.live.latency.p50Ms} ms; backlog drained at ` +
        `${hooks.backlog.perSecond} events/s`,
    );

    // 4. Contention: 200 clients, 20 technicians, one window.
    const contentionWindow = listWindows(contentionDoc, bookingFrom, addDays(bookingFrom, 1), now)[0];
    const contention = await runContention(
      http,
      path,
      contentionDoc.tenant.id,
      contentionKey,
      contentionWindow,
      `${tag}c`,
    );
    log(
      `${kind}: contention ${contention.succeeded}/${SIZE.contention.capacity} succeeded, ${contention.conflicts} ` +
        `conflicts`,
    );

    // 5. Slot search through HTTP.
    const cases: SlotCase[] = [];
    for (const c of ss.cases) {
      const h = await slotSearchHttp(http, `ss-${c.technicians}`, ss.keys.get(c.technicians)!, searchFrom, c.days);
      const e = ss.engine.get(`${c.technicians}x${c.days}`)!;
      if (h.slots !== e.slots)
        throw new Error(`slot count differs for ${c.technicians}x${c.days}: http ${h.slots}, engine ${e.slots}`);
      cases.push({
        technicians: c.technicians,
        days: c.days,
        slots: h.slots,
        busyIntervals: e.busyIntervals,
        http: h.summary,
        engine: e.summary,
      });
      log(
        `${kind}: slots ${c.technicians}x${c.days}: http p50 ${h.summary.p50Ms} ms, engine p50 ${e.summary.p50Ms} ms`,
      );
    }

    // 6. Memory after the runs, then a clean stop.
    const rssBytes = server.rssBytes();
    const serverErrorsLogged = server
      .log()
      .split('\n')
      .filter((l) => l.includes('"level":50') || l.includes('"level":60')).length;
    await server.stop('SIGTERM');
    server = null;

    // 7. Overlaps, counted with SQL once nothing writes any more.
    const check = await openRuntime(store);
    let overlaps: number;
    let receipt: LatencySummary;
    try {
      overlaps = await countAllOverlaps(check);
      receipt = await recordToReceipt(check.db, hooksDoc.tenant.id, hooks.liveArrivals);
    } finally {
      await check.close();
    }

    const matrix = cases.filter(
      (c) =>
        SIZE.technicians.includes(c.technicians) &&
        SIZE.days.includes(c.days) &&
        !(c.technicians === SIZE.goalCase.technicians && c.days === SIZE.goalCase.days),
    );
    const goalCase = cases.find((c) => c.technicians === SIZE.goalCase.technicians && c.days === SIZE.goalCase.days)!;
    return {
      booking: {
        path: path.name,
        concurrency: CONCURRENCY,
        requests: size.measured,
        apiPerSecond: api.perSecond,
        baselinePerSecond: base.perSecond,
        ratio: round(api.perSecond / base.perSecond, 2),
        p50Ms: api.latency.p50Ms,
        p99Ms: api.latency.p99Ms,
        baselineP50Ms: base.latency.p50Ms,
        baselineP99Ms: base.latency.p99Ms,
        statementsPerBooking: base.statements,
        limitPerSecond: limit.perSecond,
        ratioToLimit: round(api.perSecond / limit.perSecond, 3),
        serverCpuMsPerBooking: api.serverCpuMsPerBooking,
        ...(kind === 'postgres' ? { databaseCpuMsPerBooking: api.databaseCpuMsPerBooking } : {}),
        errors: api.errors + base.failures,
        errorSamples: api.errorSamples,
      },
      webhooks: {
        bookingPerSecond: hooks.live.perSecond,
        bookingP50Ms: hooks.live.latency.p50Ms,
        bookingP99Ms: hooks.live.latency.p99Ms,
        recordToReceiptP50Ms: receipt.p50Ms,
        recordToReceiptP99Ms: receipt.p99Ms,
        events: receipt.samples,
        backlogEvents: hooks.backlog.events,
        deliveredPerSecond: hooks.backlog.perSecond,
        duplicates: hooks.duplicates,
        errors: hooks.errors,
      },
      slotSearch: {
        cases,
        goal: {
          ...SIZE.goalCase,
          p50Ms: goalCase.http.p50Ms,
          p99Ms: goalCase.http.p99Ms,
          httpP50Ms: goalCase.http.p50Ms,
          goalMs: SIZE.slotGoalMs,
          met: goalCase.http.p50Ms <= SIZE.slotGoalMs,
        },
        growthExponent: {
          http: growthExponent(matrix.map((c) => ({ x: c.technicians * c.days, y: c.http.p50Ms }))),
          engine: growthExponent(matrix.map((c) => ({ x: c.technicians * c.days, y: c.engine.p50Ms }))),
        },
      },
      contention: { capacity: SIZE.contention.capacity, ...contention, overlaps, path: path.name },
      memory: { rssBytes, rssMiB: round(rssBytes / 2 ** 20, 1), idleRssMb: round(rssBytes / 2 ** 20, 1) },
      startup: { emptyMs: emptyStart.ms, existingMs: existingStart.ms },
      serverErrorsLogged,
      durationSec: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    http?.close();
    if (server) await server.stop('SIGKILL');
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        log(`cleanup failed: ${String(e)}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const m = await machine();
  const results: Record<string, DbResult | undefined> = {};
  let failed = false;
  for (const kind of KINDS) {
    try {
      results[kind] = await benchDatabase(kind);
    } catch (e) {
      failed = true;
      log(`${kind} FAILED: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  m.loadAverageAtEnd = loadavg().map((l) => round(l, 2));
  const out = {
    machine: m,
    generatedAt: new Date().toISOString(),
    quick: QUICK,
    logLevel: LOG_LEVEL,
    concurrency: CONCURRENCY,
    ...results,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `\nMachine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, ` +
      `load average ${m.loadAverage.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end${
        QUICK ? ' — QUICK run' : ''
      }\n\n${table(results)}\n\nWritten: ${join(RESULTS_DIR, 'latest.json').replace(REPO_ROOT, '')}\n`,
  );
  // The harness must not rot: a run that breaks, or any booking invariant broken, fails.
  const broken = Object.values(results).some(
    (r) =>
      r &&
      (r.contention.succeeded !== r.contention.capacity ||
        r.contention.otherErrors !== 0 ||
        r.contention.overlaps !== 0 ||
        r.booking.errors > 0 ||
        (r.webhooks?.errors ?? 0) > 0),
  );
  if (failed || broken) {
    process.stderr.write(
      `bench: ${failed ? 'a run failed' : 'an invariant was broken (contention, overlaps or booking errors)'}\n`,
    );
    process.exitCode = 1;
  }
}

await main();
