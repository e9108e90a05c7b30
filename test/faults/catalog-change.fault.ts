/**
 * Two server processes book on one PostgreSQL while a third changes the catalog (takes half of the
 * technicians out of service): every answer is 201 or 409, nothing overlaps, and once the change
 * is done both booking processes book only the technicians still in service, although they had the
 * tenant's catalog in memory from before it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, listWindows, periodStart, technicianId, tenantConfig } from '../../bench/lib/fixtures.ts';
import { HttpClient } from '../../bench/lib/http-client.ts';
import { openRuntime } from '../../bench/lib/in-process.ts';
import { admin, bookingPath, createStore, KINDS, putTenant, readStore } from './lib/fault-harness.ts';

const TECHNICIANS = 20;
const KEPT = 10;
const CLIENTS = 100;

test('two servers book while a third takes technicians out of service', {
  skip: !KINDS.includes('postgres'),
  timeout: 180_000,
}, async () => {
  const store = await createStore('postgres');
  const clients: HttpClient[] = [];
  try {
    const servers = [await store.start(), await store.start(), await store.start()];
    clients.push(...servers.map((s) => new HttpClient(s.url)));
    const doc = tenantConfig('recat', TECHNICIANS);
    const tenantId = doc.tenant.id;
    const apiKey = await putTenant(clients[2], doc);
    const path = await bookingPath(clients[0], tenantId, apiKey);
    const now = new Date();
    const from = periodStart(now, 3);
    const [warm0, warm1, race, after] = listWindows(doc, from, addDays(from, 2), now);
    const book = (server: number, window: typeof race, key: string) =>
      path.book(clients[server], tenantId, apiKey, window, key, 60_000).then(
        (r) => ({ status: r.status, id: r.status === 201 ? (r.body.id as string) : null, text: r.text }),
        (e) => ({ status: 0, id: null, text: String(e) }),
      );
    // Both booking processes hold the tenant's catalog in memory before it changes.
    assert.equal((await book(0, warm0, 'warm-0')).status, 201);
    assert.equal((await book(1, warm1, 'warm-1')).status, 201);

    const retire = async () => {
      for (let i = KEPT; i < TECHNICIANS; i++) {
        const r = await clients[2].request('PATCH', `/admin/v1/tenants/${tenantId}/resources/${technicianId(i)}`, {
          headers: admin,
          body: { active: false },
        });
        assert.equal(r.status, 200, r.text);
      }
    };
    const [, during] = await Promise.all([
      retire(),
      Promise.all(Array.from({ length: CLIENTS }, (_, j) => book(j % 2, race, `race-${j}`))),
    ]);
    const odd = during
      .filter((o) => o.status !== 201 && o.status !== 409)
      .map((o) => `${o.status} ${o.text.slice(0, 200)}`);
    assert.deepEqual(odd, [], 'every answer during the change is 201 or 409');
    const bookedDuring = during.filter((o) => o.status === 201).length;
    assert.ok(bookedDuring >= KEPT && bookedDuring <= TECHNICIANS, `${bookedDuring} booked during the change`);

    // After the change: only the technicians still in service, through either process.
    const afterwards = await Promise.all(Array.from({ length: 60 }, (_, j) => book(j % 2, after, `after-${j}`)));
    assert.deepEqual(
      afterwards.filter((o) => o.status !== 201 && o.status !== 409).map((o) => o.text.slice(0, 200)),
      [],
    );
    assert.equal(afterwards.filter((o) => o.status === 201).length, KEPT);
    const rt = await openRuntime(store);
    try {
      const { rows } = await rt.db.query<{ resource_id: string }>(
        'SELECT resource_id FROM allocations WHERE tenant_id = $1 AND active AND appointment_id = ANY($2::text[])',
        [tenantId, afterwards.filter((o) => o.id).map((o) => o.id!)],
      );
      const kept = new Set(Array.from({ length: KEPT }, (_, i) => technicianId(i)));
      assert.deepEqual(
        rows.map((r) => r.resource_id).filter((id) => !kept.has(id)),
        [],
        'nobody out of service was booked after the change',
      );
    } finally {
      await rt.close();
    }
    assert.equal((await readStore(store, tenantId)).overlaps, 0);
  } finally {
    for (const c of clients) c.close();
    await store.dispose();
  }
});
