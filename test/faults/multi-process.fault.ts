/**
 * Two server processes on one PostgreSQL, 200 clients split between them racing for 20 units of
 * capacity (one window, 20 technicians): exactly 20 succeed, the rest are told the slot is taken,
 * and no overlap exists.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, listWindows, periodStart, tenantConfig } from '../../bench/lib/fixtures.ts';
import { HttpClient } from '../../bench/lib/http-client.ts';
import { bookingPath, createStore, duplicates, KINDS, putTenant, readStore } from './lib/fault-harness.ts';

const CAPACITY = 20;
const CLIENTS = 200;

test('two servers on one PostgreSQL: exactly the capacity succeeds', {
  skip: !KINDS.includes('postgres'),
  timeout: 180_000,
}, async (t) => {
  const store = await createStore('postgres');
  const clients: HttpClient[] = [];
  try {
    const servers = [await store.start(), await store.start()];
    clients.push(...servers.map((s) => new HttpClient(s.url)));
    const doc = tenantConfig('race', CAPACITY);
    const tenantId = doc.tenant.id;
    const apiKey = await putTenant(clients[0], doc);
    const path = await bookingPath(clients[1], tenantId, apiKey);
    t.diagnostic(`booking through ${path.name}`);
    const now = new Date();
    const from = periodStart(now, 3);
    const window = listWindows(doc, from, addDays(from, 1), now)[0];

    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, j) => {
        const server = j % 2;
        try {
          const r = await path.book(clients[server], tenantId, apiKey, window, `race-${j}`, 60_000);
          return { server, status: r.status, id: r.status === 201 ? (r.body.id as string) : null, text: r.text };
        } catch (e) {
          return { server, status: 0, id: null, text: String(e) };
        }
      }),
    );
    const count = (f: (o: (typeof outcomes)[number]) => boolean) => outcomes.filter(f).length;
    const others = outcomes
      .filter((o) => o.status !== 201 && o.status !== 409)
      .map((o) => `${o.status} ${o.text.slice(0, 200)}`);
    t.diagnostic(
      `server 1: ${count((o) => o.server === 0 && o.status === 201)} booked, server 2: ` +
        `${count((o) => o.server === 1 && o.status === 201)} booked`,
    );
    assert.deepEqual(others, [], 'every answer is 201 or 409');
    assert.equal(
      count((o) => o.status === 201),
      CAPACITY,
    );
    assert.equal(
      count((o) => o.status === 409),
      CLIENTS - CAPACITY,
    );
    for (const s of [0, 1])
      assert.ok(
        count((o) => o.server === s && o.status === 409) > 0,
        `server ${s + 1} took part in the race (refused some)`,
      );

    const stored = await readStore(store, tenantId);
    assert.equal(stored.overlaps, 0);
    assert.equal(stored.allocationOwners.length, CAPACITY, 'exactly the capacity is allocated');
    assert.deepEqual(duplicates(stored.allocationOwners), []);
    const booked = new Set(outcomes.filter((o) => o.id).map((o) => o.id!));
    assert.deepEqual(
      stored.allocationOwners.filter((id) => !booked.has(id)),
      [],
      'only the acknowledged bookings hold capacity',
    );
  } finally {
    for (const c of clients) c.close();
    await store.dispose();
  }
});
