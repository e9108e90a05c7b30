/**
 * CPU profile of the server under one workload, to see where a missed goal's time goes:
 *
 *   node --import tsx bench/profile.ts booking [postgres|pglite]   # bookings through HTTP
 *   node --import tsx bench/profile.ts slots [postgres|pglite]     # 50 technicians x 14 days searches
 *
 * Starts the server with --cpu-prof on a scratch store, runs only that workload, stops it cleanly
 * and prints bench/profile-summary.ts of the profile (kept under bench/results/profiles/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectBookingPath } from './lib/booking-paths.ts';
import {
  addDays,
  bookHalfCapacity,
  listWindows,
  periodStart,
  SERVICE_ID,
  SITE_ID,
  tenantConfig,
} from './lib/fixtures.ts';
import { HttpClient, runConcurrent } from './lib/http-client.ts';
import { applyTenant, openRuntime } from './lib/in-process.ts';
import { startServer } from './lib/server-process.ts';
import { summarize } from './lib/stats.ts';
import { createScratchDatabase, createTempDir } from './lib/storage.ts';

const workload = process.argv[2] ?? 'booking';
const kind = process.argv[3] ?? 'postgres';
const requests = Number(process.env.PROFILE_REQUESTS ?? (workload === 'booking' ? 3000 : 500));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const dir = fileURLToPath(new URL(`./results/profiles/${workload}-${kind}/`, import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const tmp = createTempDir('profile');
const scratch = kind === 'postgres' ? await createScratchDatabase('profile') : null;
const store = scratch ? { databaseUrl: scratch.url } : { dataDir: join(tmp.path, 'data') };
try {
  const now = new Date();
  const from = periodStart(now, 3);
  const doc = tenantConfig('profile', workload === 'booking' ? 10 : 50);
  const prep = await openRuntime(store);
  const apiKey = (await applyTenant(prep, doc))!;
  if (workload === 'slots') await bookHalfCapacity(prep.db, doc, from, addDays(from, 16), now);
  await prep.close();

  const server = await startServer({
    ...store,
    logFile: join(tmp.path, 'server.log'),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  const http = new HttpClient(server.url);
  const latencies: number[] = [];
  const started = performance.now();
  if (workload === 'booking') {
    const path = await detectBookingPath(http, doc.tenant.id, apiKey);
    const windows = listWindows(doc, from, addDays(from, 365), now);
    console.log(`${requests} bookings via ${path.name}, ${concurrency} clients`);
    await runConcurrent(requests, concurrency, async (j) => {
      const r = await path.book(http, doc.tenant.id, apiKey, windows[j % windows.length], `prof-${j}`);
      if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
      latencies.push(r.ms);
    });
  } else {
    const qs = new URLSearchParams({
      serviceIds: SERVICE_ID,
      siteId: SITE_ID,
      from: from.toISOString(),
      to: addDays(from, 14).toISOString(),
    });
    console.log(`${requests} slot searches, 50 technicians x 14 days, one client`);
    for (let i = 0; i < requests; i++) {
      const r = await http.request('GET', `/admin/v1/tenants/${doc.tenant.id}/slots?${qs}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      latencies.push(r.ms);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${(latencies.length / seconds).toFixed(1)}/s`, summarize(latencies));
  http.close();
  await server.stop('SIGTERM');
  const profiles = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  // The main thread's profile is the largest one (the others are loader threads).
  const main = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  console.log(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./profile-summary.ts', import.meta.url)), main],
      { encoding: 'utf8' },
    ),
  );
} finally {
  await scratch?.drop();
  tmp.remove();
}
