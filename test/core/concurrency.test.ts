import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countOverlaps } from '../../src/core/booking/allocation.repository.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

// 09:00–11:00 Madrid on Tue 2027-01-05.
const START = new Date('2027-01-05T08:00:00Z');

describe('concurrent bookings of the last free capacity', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'race', resources: 5 });
  });
  after(() => t.close());

  const attempt = (i: number) =>
    t.core.booking.createAppointment(admin, 'race', {
      id: `race-${i}`,
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: START,
    });

  it(
    'lets exactly the free capacity succeed; every other ' + 'attempt gets "slot unavailable"; no overlap remains',
    async () => {
      await attempt(0);
      await attempt(1); // 3 of 5 technicians left
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => attempt(100 + i)));
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(ok.length, 3);
      assert.equal(refused.length, 47);
      for (const r of refused) assert.equal(r.reason.code, 'SLOT_UNAVAILABLE', String(r.reason));
      assert.equal(await countOverlaps(t.db, 'race'), 0);
      const booked = await t.core.booking.listAppointments(admin, 'race', { status: ['booked'], limit: 100 });
      assert.equal(booked.total, 5);
      assert.equal(new Set(booked.items.map((a) => a.resourceId)).size, 5, 'each booking has its own technician');
      const slots = await t.core.booking.searchSlots(admin, 'race', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        from: START,
        to: new Date(START.getTime() + 1),
      });
      assert.deepEqual(
        slots.slots.map((s) => [s.free, s.occupied]),
        [[0, 5]],
      );
    },
  );

  it('never lets two transactions hold overlapping time of one resource, even when both name it', async () => {
    const named = (i: number) =>
      t.core.booking.createAppointment(admin, 'race', {
        id: `named-${i}`,
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: new Date('2027-01-05T10:00:00Z'),
        resourceId: 'tech-1',
      });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => named(i)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(await countOverlaps(t.db, 'race'), 0);
  });
});
