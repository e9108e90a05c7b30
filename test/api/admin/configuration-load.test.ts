import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../../helpers/test-app.ts';

const RESOURCES = 1000;

/** An operator's configuration of many resources, as the probe sent it (issue 13, finding 2). */
function largeConfiguration() {
  const weekday = [
    { start: '08:00', end: '13:00' },
    { start: '14:00', end: '18:00' },
  ];
  return {
    tenant: { id: 'big-tenant', name: 'Many technicians' },
    sites: [
      { id: 'north', name: 'North', timeZone: 'Europe/Madrid' },
      { id: 'south', name: 'South', timeZone: 'Europe/Madrid' },
    ],
    services: [
      { id: 'install', name: 'Installation', durationMin: 120, slotPolicy: { kind: 'grid', stepMin: 60 } },
      { id: 'repair', name: 'Repair', durationMin: 60, slotPolicy: { kind: 'grid', stepMin: 30 } },
    ],
    resources: Array.from({ length: RESOURCES }, (_, i) => ({
      id: `tech-${i}`,
      kind: 'technician',
      name: `Technician ${i}`,
      serviceIds: ['install', 'repair'],
      siteIds: [i % 2 ? 'north' : 'south'],
      workingHours: { weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } },
    })),
  };
}

describe('a large configuration does not stall the service (embedded database in its own thread)', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => t.close());

  it('answers /health while a configuration of 1,000 resources is being applied over HTTP', async () => {
    let putAnswered = false;
    const put = fetch(`${base}/admin/v1/configuration`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(largeConfiguration()),
    }).then(async (res) => {
      putAnswered = true;
      return { status: res.status, body: await res.text() };
    });

    // /health requests one after another while the configuration is in flight (20 make the point
    // without competing with it for the CPU): with the event loop blocked by the database, none of
    // them could be answered before the PUT.
    const healthBeforePut: number[] = [];
    while (!putAnswered && healthBeforePut.length < 20) {
      const res = await fetch(`${base}/health`);
      await res.arrayBuffer();
      if (!putAnswered) healthBeforePut.push(res.status);
    }

    const { status, body } = await put;
    assert.equal(status, 200, body);
    assert.ok(
      healthBeforePut.length >= 5,
      `only ${healthBeforePut.length} /health answers arrived before the configuration's answer`,
    );
    assert.ok(
      healthBeforePut.every((s) => s === 200),
      `/health answered ${healthBeforePut.join(',')}`,
    );
    const stored = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM resources WHERE tenant_id = 'big-tenant'",
    );
    assert.equal(stored.rows[0].n, RESOURCES);
  });
});
