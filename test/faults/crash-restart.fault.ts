/**
 * SIGKILL under booking load, then a restart on the same database (PostgreSQL and PGlite):
 * every booking answered 201 is there, none is there twice, no overlap exists, and holds taken
 * before the kill are free once they expire.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, listWindows, periodStart, tenantConfig } from '../../bench/lib/fixtures.ts';
import { HttpClient } from '../../bench/lib/http-client.ts';
import { waitFor } from '../../bench/lib/server-process.ts';
import {
  admin,
  bookingPath,
  createHold,
  createStore,
  duplicates,
  getBooking,
  isHoldPath,
  KINDS,
  putTenant,
  readStore,
} from './lib/fault-harness.ts';

const CLIENTS = 8;
const ACKED_BEFORE_KILL = 40;
const HOLD_TTL_SEC = 10;

for (const kind of KINDS) {
  test(`${kind}: SIGKILL under booking load, restart: no acknowledged booking lost or doubled, no overlap, holds ` +
    `expire`, {
    timeout: 300_000,
  }, async (t) => {
    const store = await createStore(kind);
    try {
      let server = await store.start();
      let http = new HttpClient(server.url);
      const doc = tenantConfig('crash', 4);
      const tenantId = doc.tenant.id;
      const apiKey = await putTenant(http, doc);
      const path = await bookingPath(http, tenantId, apiKey);
      t.diagnostic(`booking through ${path.name}`);
      const now = new Date();
      const from = periodStart(now, 3);
      const windows = listWindows(doc, from, addDays(from, 300), now);

      // Short holds on the first windows, taken before the load and the kill.
      const holds: Array<{ id: string; resourceId: string; start: string; expiresAt: string }> = [];
      for (const w of windows.slice(0, 3)) {
        const r = await createHold(http, tenantId, w.start, HOLD_TTL_SEC);
        assert.equal(r.status, 201, r.text);
        holds.push(r.body);
      }

      // Booking load on distinct windows, until the process dies under it.
      const acked = new Set<string>();
      const rejected: string[] = [];
      /** Requests whose answer the kill cut off: committed or not, nobody knows. */
      const cutOff: number[] = [];
      let killed = false;
      let next = 0;
      const load = windows.slice(3);
      const worker = async () => {
        while (!killed && next < load.length) {
          const j = next++;
          try {
            const r = await path.book(http, tenantId, apiKey, load[j], `crash-${kind}-${j}`, 30_000);
            if (r.status === 201) acked.add(r.body.id);
            else rejected.push(`${r.status} ${r.text.slice(0, 200)}`);
          } catch {
            cutOff.push(j);
          }
        }
      };
      const running = Promise.all(Array.from({ length: CLIENTS }, worker));
      await waitFor(
        `${ACKED_BEFORE_KILL} acknowledged bookings`,
        () => (acked.size >= ACKED_BEFORE_KILL || next >= load.length ? true : undefined),
        120_000,
        5,
      );
      const stopping = server.stop('SIGKILL');
      killed = true;
      const exit = await stopping;
      await running;
      http.close();
      assert.equal(exit.signal, 'SIGKILL');
      assert.deepEqual(rejected, [], 'no booking was refused before the kill');
      t.diagnostic(`${acked.size} bookings acknowledged, ${cutOff.length} cut off by the kill`);

      // Restart on the same database.
      server = await store.start();
      http = new HttpClient(server.url);
      try {
        for (const id of acked) {
          const r = await getBooking(http, path, tenantId, id);
          assert.equal(r.status, 200, `acknowledged booking ${id} is readable after the restart: ${r.text}`);
        }
        // A client retries what the kill cut off, with the same appointment id: it is either there
        // already (409) or booked now (201), never twice. (Holds have no client id: no retry there.)
        if (!isHoldPath(path)) {
          const retried = { committedBeforeKill: 0, bookedNow: 0 };
          for (const j of cutOff) {
            const r = await path.book(http, tenantId, apiKey, load[j], `crash-${kind}-${j}`, 30_000);
            assert.ok(r.status === 201 || r.status === 409, `a retried booking is 201 or 409: ${r.status} ${r.text}`);
            retried[r.status === 409 ? 'committedBeforeKill' : 'bookedNow']++;
          }
          t.diagnostic(`retries of the cut-off requests: ${JSON.stringify(retried)}`);
        }
        // The holds read as expired once their expiry passed (whether or not a cleanup job ran), and
        // the same technician at the same time can be claimed again.
        for (const h of holds) {
          const wait = Math.max(0, Date.parse(h.expiresAt) - Date.now()) + 15_000;
          await waitFor(
            `hold ${h.id} to read expired`,
            async () => {
              const r = await http.request('GET', `/admin/v1/tenants/${tenantId}/holds/${h.id}`, { headers: admin });
              assert.equal(r.status, 200, r.text);
              return r.body.status === 'expired' ? true : undefined;
            },
            wait,
            200,
          );
          const again = await createHold(http, tenantId, Date.parse(h.start), HOLD_TTL_SEC, h.resourceId);
          assert.equal(again.status, 201, `the expired hold's technician is free again: ${again.text}`);
        }
      } finally {
        http.close();
        await server.stop('SIGTERM');
      }

      // SQL, once no process writes any more.
      const stored = await readStore(store, tenantId);
      assert.equal(stored.overlaps, 0, 'no overlapping allocations');
      const present = new Set(isHoldPath(path) ? stored.holdIds : stored.appointmentIds);
      assert.deepEqual(
        [...acked].filter((id) => !present.has(id)),
        [],
        'every acknowledged booking is stored',
      );
      assert.deepEqual(duplicates(stored.allocationOwners), [], 'no booking holds two allocations');
      assert.deepEqual(stored.duplicateExternalRefs, [], 'no work order booked twice');
      if (isHoldPath(path)) {
        const bookings = stored.holdIds.length - 2 * holds.length;
        assert.ok(
          bookings <= acked.size + cutOff.length,
          `no booking appeared that nobody asked for (${bookings} stored)`,
        );
      } else {
        const asked = new Set([...acked, ...cutOff.map((j) => `crash-${kind}-${j}`)]);
        assert.deepEqual(
          [...asked].filter((id) => !present.has(id)),
          [],
          'every retried booking is stored',
        );
        assert.deepEqual(
          stored.appointmentIds.filter((id) => !asked.has(id)).sort(),
          [],
          'no booking appeared that nobody asked for',
        );
      }
    } finally {
      await store.dispose();
    }
  });
}
